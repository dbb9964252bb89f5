//! `precis search`: the sentences of a finished run closest in meaning to a
//! query, embedded by the model that made the run's vectors.
//!
//! [`nearest`] is the ranking, pure; the rest reads the run and asks the
//! model worker. It lives in the driver rather than precis-themes because
//! it makes no stage's output, and a stage crate's sources are part of its
//! stage's key: a search feature should not remake anyone's themes.

use crate::layout::{Layout, MappedEmbeddings};
use crate::manifest::Manifest;
use crate::models;
use crate::pipeline::Artifact;
use anyhow::{bail, Context, Result};
use ndarray::{ArrayView1, ArrayView2};
use precis_core::{Document, Sentence};
use precis_model::{
    DeviceChoice, Embedder, ModelFolder, ModelInfo, Precision, SentenceTransformerConfig,
};
use precis_themes::{ThemeId, ThemeSnapshot};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

/// What to look for, and among which sentences. Each filter admits the
/// sentences that match any of its values; a sentence must pass all of them.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub text: String,
    /// How many results at most.
    pub k: usize,
    /// Themes, each by id or label.
    pub themes: Vec<String>,
    /// Documents, each by doc id or path inside the input folder.
    pub documents: Vec<String>,
    /// `(facet, value)` pairs, as in `themes/by_<facet>.jsonl`.
    pub facets: Vec<(String, String)>,
    /// The model folder, when it is no longer where the run recorded it.
    pub model: Option<PathBuf>,
}

/// One sentence found, as `--json` writes it (one object per line, through
/// `layout::to_jsonl`): these field names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResult {
    /// 1 for the closest.
    pub rank: usize,
    /// Cosine similarity to the query, rounded to 4 decimals.
    pub score: f32,
    pub doc_id: String,
    /// The document's path inside the input folder.
    pub source: String,
    pub title: String,
    /// The sentence's position in its document, as in `segment/sentences.jsonl`.
    pub index: usize,
    pub theme: ThemeId,
    pub theme_label: String,
    /// The sentences before and after it in its document, if any.
    pub before: Option<String>,
    pub text: String,
    pub after: Option<String>,
}

/// A sentence the ranking found: its row (of `segment/sentences.jsonl` and
/// `embed/embeddings.npy`), its cosine to the query, and the rows of the
/// sentences either side of it in its document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub row: usize,
    pub score: f32,
    pub before: Option<usize>,
    pub after: Option<usize>,
}

/// The `k` rows of `embeddings` nearest `query` by cosine among those
/// `admits`, closest first. Both sides are unit length, so the cosine is
/// the dot product. Equal scores go in row order, which is doc id, then
/// position (ARCHITECTURE.md, "Rows"): the same run and query always give
/// the same list. `sentences[row]` is row `row`'s sentence; a hit's context
/// is the rows beside it that belong to the same document.
pub fn nearest(
    query: ArrayView1<f32>,
    embeddings: ArrayView2<f32>,
    sentences: &[Sentence],
    admits: impl Fn(usize) -> bool,
    k: usize,
) -> Vec<Hit> {
    let mut scored: Vec<(usize, f32)> = (0..embeddings.nrows())
        .filter(|&row| admits(row))
        .map(|row| (row, embeddings.row(row).dot(&query)))
        .collect();
    scored.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored.truncate(k);
    let same_document = |row: usize, other: usize| {
        sentences
            .get(other)
            .is_some_and(|s| s.doc_id == sentences[row].doc_id)
    };
    scored
        .into_iter()
        .map(|(row, score)| Hit {
            row,
            score,
            before: row.checked_sub(1).filter(|&r| same_document(row, r)),
            after: Some(row + 1).filter(|&r| same_document(row, r)),
        })
        .collect()
}

/// Searches the run in `layout`: reads its stage files, resolves the
/// filters (an unknown value is an error that lists the known ones), embeds
/// the query in the model worker with the folder and precision of the run's
/// vectors, and ranks the sentences.
pub fn search(layout: &Layout, query: &Query) -> Result<Vec<SearchResult>> {
    let run = layout.root.display();
    let vectors = layout.file(Artifact::Embeddings);
    if !vectors.is_file() {
        bail!(
            "{} is missing: {run} is not the output folder of a finished `precis run`\n  \
             fix: precis run INPUT_DIR --out {run}",
            vectors.display()
        );
    }
    let info: ModelInfo = layout.read_json(Artifact::EmbeddingModel)?;
    let folder = model_folder(layout, &info, query.model.clone())?;
    // One thread on the CPU: one sentence needs no more, and every further
    // thread would load another copy of the model.
    let config = SentenceTransformerConfig {
        device: DeviceChoice::Cpu,
        precision: Precision::of_vectors_checksum(&info.checksum),
        threads: Some(1),
    };
    // Starting the worker and loading the model take most of a search
    // (libtorch alone about 0.3 s): they go on while the run is read. The
    // worker hashes the folder it loads, so it is not hashed here too.
    let text = query.text.clone();
    let model = folder.clone();
    let embedding = std::thread::spawn(move || -> Result<(ModelInfo, Vec<f32>)> {
        let worker = models::start_worker()?;
        let embedder = models::load_embedder(&worker, &model, &config)?;
        let mut vectors = embedder
            .embed_batch(&[text.as_str()])
            .context("embedding the query")?;
        Ok((embedder.info().clone(), vectors.pop().unwrap_or_default()))
    });
    let read = RunFiles::read(layout).and_then(|files| {
        let filter = Filter::new(layout, query, &files.documents, &files.themes)?;
        Ok((files, filter))
    });
    // Waited for even when the run could not be read, so that the worker
    // ends before precis does, rather than speaking to no one.
    let vector = embedding
        .join()
        .map_err(|_| anyhow::anyhow!("embedding the query: the thread panicked"))?;
    let (files, filter) = read?;
    let (loaded, vector) = vector?;
    if loaded.checksum != info.checksum {
        bail!(
            "the model in {} is not the one {run}'s vectors were made with: its files' \
             checksum differs from the one {} records, so its vectors would not be comparable\n  \
             fix: re-run `{} --model {}` to remake the vectors with it, or pass --model PATH \
             to the folder the run used",
            folder.root.display(),
            layout.file(Artifact::EmbeddingModel).display(),
            rerun(layout),
            folder.root.display()
        );
    }
    files.results(&vector, &filter, query.k)
}

/// The command that remakes the run in `layout`, from the input folder its
/// manifest records.
fn rerun(layout: &Layout) -> String {
    let input = Manifest::read(layout).ok().flatten().map_or_else(
        || "INPUT_DIR".into(),
        |m| m.config.input.display().to_string(),
    );
    format!("precis run {input} --out {}", layout.root.display())
}

/// What a search reads of a run, checked to agree row for row.
#[derive(Debug)]
struct RunFiles {
    documents: Vec<Document>,
    sentences: Vec<Sentence>,
    themes: ThemeSnapshot,
    embeddings: MappedEmbeddings,
}

impl RunFiles {
    fn read(layout: &Layout) -> Result<Self> {
        let files = Self {
            documents: layout.read_rows(Artifact::Documents)?,
            sentences: layout.read_rows(Artifact::Sentences)?,
            themes: layout.read_themes()?,
            embeddings: layout.map_embeddings()?,
        };
        layout.check_rows(
            files.sentences.len(),
            &[
                files.embeddings.view()?.nrows(),
                files.themes.assignments.len(),
            ],
        )?;
        Ok(files)
    }

    /// The `k` sentences nearest `vector` that `filter` admits, with their
    /// essays, themes and neighbours.
    fn results(&self, vector: &[f32], filter: &Filter, k: usize) -> Result<Vec<SearchResult>> {
        let embeddings = self.embeddings.view()?;
        if vector.len() != embeddings.ncols() {
            bail!(
                "the model gives {}-long vectors, {} holds {}-long ones: run `precis run` again",
                vector.len(),
                self.embeddings.path().display(),
                embeddings.ncols()
            );
        }
        let sentences = &self.sentences;
        let assignments = &self.themes.assignments;
        let document: HashMap<&str, &Document> = self
            .documents
            .iter()
            .map(|d| (d.doc_id.as_str(), d))
            .collect();
        let label: HashMap<ThemeId, &str> = self
            .themes
            .set
            .themes
            .iter()
            .map(|t| (t.id, t.label.as_str()))
            .collect();
        let admits = |row: usize| filter.admits(&sentences[row], assignments[row].theme);
        let hits = nearest(ArrayView1::from(vector), embeddings, sentences, admits, k);
        let text = |row: Option<usize>| row.map(|r| sentences[r].text.clone());
        Ok(hits
            .iter()
            .enumerate()
            .map(|(rank, hit)| {
                let sentence = &sentences[hit.row];
                let theme = assignments[hit.row].theme;
                let doc = document.get(sentence.doc_id.as_str());
                SearchResult {
                    rank: rank + 1,
                    score: (hit.score * 1e4).round() / 1e4,
                    doc_id: sentence.doc_id.clone(),
                    source: doc.map(|d| d.source.clone()).unwrap_or_default(),
                    title: doc.map(|d| d.title.clone()).unwrap_or_default(),
                    index: sentence.index,
                    theme,
                    theme_label: label.get(&theme).copied().unwrap_or_default().to_owned(),
                    before: text(hit.before),
                    text: sentence.text.clone(),
                    after: text(hit.after),
                }
            })
            .collect())
    }
}

/// The folder of the model that made the run's vectors: `given`, else the
/// one `embed/model.json` records. A relative path there is the run's
/// working directory's; the checkout's default model stands in when it is
/// not found from this one (the checksums then say whether it is the same).
fn model_folder(layout: &Layout, info: &ModelInfo, given: Option<PathBuf>) -> Result<ModelFolder> {
    let recorded = PathBuf::from(&info.path);
    let path = given.unwrap_or_else(|| {
        if recorded.is_dir() {
            recorded
        } else {
            crate::default_model()
        }
    });
    ModelFolder::open(&path).map_err(|error| {
        anyhow::anyhow!(
            "{error}\n  fix: pass --model PATH to the folder {}'s vectors were made with \
             ({}, as {} records), or re-run `precis run` with a model that is there",
            layout.root.display(),
            info.path,
            layout.file(Artifact::EmbeddingModel).display()
        )
    })
}

/// The filters of a query, resolved against the run.
#[derive(Debug)]
struct Filter {
    /// `None`: any.
    themes: Option<BTreeSet<ThemeId>>,
    /// The documents the `--doc` and `--facet` filters leave; `None`: any.
    documents: Option<BTreeSet<String>>,
}

impl Filter {
    fn new(
        layout: &Layout,
        query: &Query,
        documents: &[Document],
        themes: &ThemeSnapshot,
    ) -> Result<Self> {
        let run = layout.root.display();
        let theme_ids = (!query.themes.is_empty())
            .then(|| {
                query
                    .themes
                    .iter()
                    .map(|name| theme_named(layout, themes, name))
                    .collect::<Result<BTreeSet<_>>>()
            })
            .transpose()?;

        let mut allowed: Vec<BTreeSet<String>> = Vec::new();
        if !query.documents.is_empty() {
            allowed.push(
                query
                    .documents
                    .iter()
                    .map(|name| Ok(layout.document_named(documents, name)?.doc_id.clone()))
                    .collect::<Result<_>>()?,
            );
        }
        if !query.facets.is_empty() {
            let manifest = Manifest::read(layout)?.with_context(|| {
                format!(
                    "{} is missing, so {run}'s facets are unknown\n  fix: precis run \
                     INPUT_DIR --out {run}",
                    layout.manifest().display()
                )
            })?;
            let facets =
                crate::facets::read(documents, &manifest.skipped, &manifest.config.facets)?;
            let mut wanted: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
            for (facet, value) in &query.facets {
                wanted.entry(facet).or_default().insert(value);
            }
            for (facet, values) in wanted {
                let Some(value_of) = facets.get(facet) else {
                    let known: Vec<&str> = facets.keys().map(String::as_str).collect();
                    bail!(
                        "--facet {facet}=…: {run} has no facet `{facet}`; {}",
                        if known.is_empty() {
                            "it has none (its input had no subfolders and no --metadata file)"
                                .to_owned()
                        } else {
                            format!("its facets are {}", known.join(", "))
                        }
                    );
                };
                let known: BTreeSet<&str> = value_of.values().map(String::as_str).collect();
                if let Some(value) = values.iter().find(|v| !known.contains(*v)) {
                    bail!(
                        "--facet {facet}={value}: no document of {run} has {facet} `{value}`; \
                         the values are {}",
                        known.into_iter().collect::<Vec<_>>().join(", ")
                    );
                }
                allowed.push(
                    value_of
                        .iter()
                        .filter(|(_, value)| values.contains(value.as_str()))
                        .map(|(doc_id, _)| doc_id.clone())
                        .collect(),
                );
            }
        }
        let documents = allowed
            .into_iter()
            .reduce(|a, b| a.intersection(&b).cloned().collect());
        Ok(Self {
            themes: theme_ids,
            documents,
        })
    }

    fn admits(&self, sentence: &Sentence, theme: ThemeId) -> bool {
        self.themes.as_ref().is_none_or(|t| t.contains(&theme))
            && self
                .documents
                .as_ref()
                .is_none_or(|d| d.contains(&sentence.doc_id))
    }
}

/// The theme `name` names: its id, or its label (ignoring case).
fn theme_named(layout: &Layout, themes: &ThemeSnapshot, name: &str) -> Result<ThemeId> {
    let by_id = name.parse::<ThemeId>().ok();
    themes
        .set
        .themes
        .iter()
        .find(|t| Some(t.id) == by_id || t.label.eq_ignore_ascii_case(name.trim()))
        .map(|t| t.id)
        .with_context(|| {
            let known: Vec<String> = themes
                .set
                .themes
                .iter()
                .map(|t| format!("{} ({})", t.id, t.label))
                .collect();
            format!(
                "--theme {name}: {} has no such theme; name one by id or label: {}",
                layout.file(Artifact::Themes).display(),
                known.join(", ")
            )
        })
}

/// The results as a person reads them: rank, score, essay and theme, then
/// the sentence between its neighbours, marked `>`.
pub fn write_text(out: &mut impl std::io::Write, results: &[SearchResult]) -> Result<()> {
    if results.is_empty() {
        writeln!(out, "no sentence passes the filters")?;
    }
    for (n, result) in results.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{:>2}. {:.3}  {}  theme {} \"{}\"",
            result.rank, result.score, result.source, result.theme, result.theme_label
        )?;
        if let Some(before) = &result.before {
            writeln!(out, "      {before}")?;
        }
        writeln!(out, "    > {}", result.text)?;
        if let Some(after) = &result.after {
            writeln!(out, "      {after}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn sentence(doc_id: &str, index: usize) -> Sentence {
        Sentence {
            doc_id: doc_id.into(),
            index,
            start: 0,
            end: 0,
            text: format!("{doc_id} {index}"),
        }
    }

    #[test]
    fn nearest_ranks_by_cosine_breaks_ties_by_row_and_keeps_context_in_the_document() {
        let sentences = [
            sentence("a", 0),
            sentence("a", 1),
            sentence("b", 0),
            sentence("b", 1),
            sentence("b", 2),
        ];
        let embeddings = array![
            [0.0f32, 1.0],
            [0.6, 0.8],
            [1.0, 0.0],
            [0.6, 0.8],
            [-1.0, 0.0],
        ];
        let query = array![1.0f32, 0.0];
        let hits = nearest(query.view(), embeddings.view(), &sentences, |_| true, 3);
        let found: Vec<(usize, f32, Option<usize>, Option<usize>)> = hits
            .iter()
            .map(|h| (h.row, h.score, h.before, h.after))
            .collect();
        // Rows 1 and 3 tie at 0.6: row order decides. Row 1 is the last of "a",
        // row 2 the first of "b": neither takes the other document's sentence.
        assert_eq!(
            found,
            [
                (2, 1.0, None, Some(3)),
                (1, 0.6, Some(0), None),
                (3, 0.6, Some(2), Some(4)),
            ]
        );

        let in_b = nearest(
            query.view(),
            embeddings.view(),
            &sentences,
            |row| sentences[row].doc_id == "b" && row != 2,
            10,
        );
        let rows: Vec<usize> = in_b.iter().map(|h| h.row).collect();
        assert_eq!(
            rows,
            [3, 4],
            "only admitted rows, all of them when k is larger"
        );
        // Context is the document's, whatever the filter admits.
        assert_eq!(in_b[0].before, Some(2));
    }
}
