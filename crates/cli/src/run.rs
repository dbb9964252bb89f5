//! `precis run`: the five stages, each read from the previous one's values
//! and written to its own folder under the output root.

use crate::cache::EmbeddingCache;
use crate::facets::{self, FacetConfig, Facets};
use crate::freshness::{self, KeyInputs};
use crate::inputs;
use crate::layout::{self, to_jsonl, Layout, StageWriter};
use crate::manifest::{Manifest, StageRecord, ThemesOrigin};
use crate::models::Models;
use crate::pipeline::{self, Artifact, Stage};
use crate::progress::Reporter;
use anyhow::{bail, Context, Result};
use ndarray::{Array2, ArrayView2, Axis};
use precis_core::{Document, Sentence};
use precis_ingest::IngestConfig;
use precis_model::worker::RemoteWriter;
use precis_model::{BatchConfig, ModelInfo};
use precis_summarize::{
    summarize_collection, Collection, Extractive, PreviousSummaries, SummaryConfig, ThemeHeading,
};
use precis_themes::{LastRun, LastThemes, ThemeConfig, ThemeSet, ThemeSnapshot, ThemesStart};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Everything that shapes a run's outputs. Recorded in the manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunConfig {
    pub input: PathBuf,
    pub out: PathBuf,
    /// Where the embedding cache lives (`OUT/cache` unless told otherwise).
    pub cache: PathBuf,
    pub ingest: IngestConfig,
    pub batching: BatchConfig,
    pub themes: ThemeConfig,
    pub summaries: SummaryConfig,
    #[serde(default)]
    pub facets: FacetConfig,
    /// Cluster the themes afresh from the input alone (`--recluster`), even
    /// after a small edit, and match no previous ids.
    #[serde(default)]
    pub recluster: bool,
}

/// What a finished run tells the user.
#[derive(Debug)]
pub struct RunOutcome {
    pub documents: usize,
    pub sentences: usize,
    pub themes: usize,
    pub embedded: usize,
    pub cached: usize,
    pub skipped: usize,
    /// How the themes began, when they were made (not kept) this run.
    pub themes_start: Option<ThemesStart>,
    /// Summaries written afresh.
    pub summaries_made: usize,
}

/// The right to write one output folder: held by a run, or by a watcher for
/// as long as it watches. The OS drops it when the process ends, so a
/// crashed run never leaves it stuck.
#[derive(Debug)]
pub struct OutputLock {
    /// The folder it is for.
    out: PathBuf,
    _file: std::fs::File,
}

impl OutputLock {
    /// Takes the lock of `out` (creating the folder), or says who holds it.
    pub fn take(out: &Path) -> Result<OutputLock> {
        let layout = Layout::new(out);
        fs_err::create_dir_all(&layout.root)
            .with_context(|| format!("creating the output folder {}", layout.root.display()))?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(layout.lock())
            .with_context(|| format!("creating the lock file {}", layout.lock().display()))?;
        if file.try_lock().is_err() {
            bail!(
                "another precis run or watch is writing to {}: wait for it to finish, or use \
                 another --out",
                layout.root.display()
            );
        }
        Ok(OutputLock {
            out: out.to_owned(),
            _file: file,
        })
    }
}

/// Runs every stage, then writes the report, holding `lock` (for
/// `config.out`). `models` embeds what the cache lacks; `writer`, when
/// given, writes the summaries instead of quoting sentences
/// (`config.summaries.abstractive` describes it).
pub fn run(
    config: &RunConfig,
    lock: &OutputLock,
    models: &Models,
    writer: Option<&RemoteWriter>,
    reporter: &Reporter,
) -> Result<RunOutcome> {
    assert_eq!(
        lock.out, config.out,
        "the lock is for the run's output folder"
    );
    let layout = Layout::new(&config.out);
    layout::remove_leftovers(&layout)?;
    let previous = Manifest::read(&layout).ok().flatten();
    let recorded_origin = previous.as_ref().and_then(|m| m.themes_origin().cloned());

    // Ingest.
    let started = Instant::now();
    let inputs = inputs::read_folder(&config.input, &config.ingest, reporter)?;
    let digests = freshness::FileDigests::default();
    let mut stages = Stages {
        layout: &layout,
        previous: previous.as_ref(),
        key_inputs: KeyInputs {
            config,
            vectors_checksum: Some(models.vectors_checksum()),
            input_files: &inputs.files,
            digests: &digests,
        },
        records: BTreeMap::new(),
    };
    let ingest_key = stages.key(Stage::Ingest)?;
    let (documents, _) = stages.keep_or_make(
        Stage::Ingest,
        &ingest_key,
        |layout| layout.read_rows(Artifact::Documents).ok(),
        |stage| {
            stage.write_artifact(Artifact::Documents, to_jsonl(&inputs.documents)?)?;
            Ok(inputs.documents)
        },
    )?;
    stages.record(
        Stage::Ingest,
        StageRecord {
            documents: Some(documents.len()),
            skipped: Some(inputs.skipped.len()),
            ..record(ingest_key, started)
        },
    );
    reporter.line(format!(
        "   ingest {} documents ({} skipped)",
        documents.len(),
        inputs.skipped.len()
    ));
    // Read now, so that a bad metadata file stops the run before the long stages.
    let facets = facets::read(&documents, &inputs.skipped, &config.facets)?;

    // Segment.
    let started = Instant::now();
    let segment_key = stages.key(Stage::Segment)?;
    // The sentences the previous themes were found on, read before they are
    // replaced: a warm start matches this run's sentences against them.
    let previous_sentences: Option<Vec<Sentence>> =
        if stages.unchanged(Stage::Segment, &segment_key) || config.recluster {
            None
        } else {
            layout.read_rows(Artifact::Sentences).ok()
        };
    let (sentences, _) = stages.keep_or_make(
        Stage::Segment,
        &segment_key,
        |layout| layout.read_rows(Artifact::Sentences).ok(),
        |stage| {
            let sentences = precis_segment::segment_documents(&documents);
            stage.write_artifact(Artifact::Sentences, to_jsonl(&sentences)?)?;
            Ok(sentences)
        },
    )?;
    stages.record(
        Stage::Segment,
        StageRecord {
            sentences: Some(sentences.len()),
            ..record(segment_key, started)
        },
    );
    reporter.line(format!("  segment {} sentences", sentences.len()));

    // Embed.
    let started = Instant::now();
    let embed_key = stages.key(Stage::Embed)?;
    let ((embeddings, model, embedded, cached), embed_kept) = stages.keep_or_make(
        Stage::Embed,
        &embed_key,
        |layout| {
            let (embeddings, model) = read_embeddings(layout, sentences.len())?;
            Some((embeddings, model, 0, sentences.len()))
        },
        |stage| {
            let cache = EmbeddingCache::open(&config.cache, models.vectors_checksum())?;
            let (embeddings, embedded, cached) =
                embed_with_cache(&sentences, models, &cache, config.batching, reporter)?;
            let model = models.info(embeddings.ncols());
            stage.write_npy(Artifact::Embeddings, &embeddings)?;
            stage.write_artifact(Artifact::EmbeddingModel, serde_json::to_vec_pretty(&model)?)?;
            Ok((embeddings, model, embedded, cached))
        },
    )?;
    stages.record(
        Stage::Embed,
        StageRecord {
            computed: Some(embedded),
            from_cache: Some(cached),
            precision: Some(models.precision().clone()),
            ..record(embed_key, started)
        },
    );
    reporter.line(format!(
        "    embed {} sentences: {embedded} computed, {cached} from cache{}",
        sentences.len(),
        if embed_kept { KEPT } else { "" }
    ));

    // Themes and summaries share one thread scope: a warm start's drift
    // measure (a fresh clustering of the same sentences) starts on its own
    // thread as soon as the themes stage knows it is warm, and runs beside
    // the rest of that stage and the summaries, so that only what it takes
    // beyond them is waited for.
    let (themes, themes_start, made) = std::thread::scope(|scope| -> Result<_> {
        // Themes. Their key also names the themes stage they were made
        // from, if any: a warm start's output depends on it.
        let started = Instant::now();
        let plain_key = stages.key(Stage::Themes)?;
        let recorded_from = match (&recorded_origin, config.recluster) {
            (Some(origin), false) => origin.from.as_deref(),
            _ => None,
        };
        let kept_key = freshness::themes_key(plain_key.clone(), recorded_from);
        let ((themes, origin, fresh_partition), themes_kept) = stages.keep_or_make(
            Stage::Themes,
            &kept_key,
            |layout| Some((layout.read_themes().ok()?, recorded_origin.clone(), None)),
            |stage| {
                let method = freshness::themes_method(config)?;
                let previous = PreviousRun {
                    key: stages
                        .previous
                        .and_then(|m| m.key(Stage::Themes))
                        .filter(|_| !config.recluster),
                    same_method: recorded_origin.as_ref().is_some_and(|o| o.method == method),
                    sentences: previous_sentences.as_deref().unwrap_or(&sentences),
                };
                let upstream = ThemesUpstream {
                    documents: &documents,
                    sentences: &sentences,
                    embeddings: embeddings.view(),
                    facets: &facets,
                };
                let (themes, origin, fresh_partition) = find_and_write_themes(
                    &layout, stage, upstream, config, previous, scope, reporter,
                )?;
                Ok((themes, Some(origin), fresh_partition))
            },
        )?;
        let themes_key =
            freshness::themes_key(plain_key, origin.as_ref().and_then(|o| o.from.as_deref()));
        let themes_start = (!themes_kept)
            .then(|| origin.as_ref().map(|o| o.start))
            .flatten();
        stages.record(
            Stage::Themes,
            StageRecord {
                themes: Some(themes.set.themes.len()),
                origin,
                ..record(themes_key, started)
            },
        );
        reporter.line(format!(
            "   themes {} themes{}",
            themes.set.themes.len(),
            if themes_kept { KEPT } else { "" }
        ));

        if let Some(facet) = config
            .facets
            .by
            .as_deref()
            .or(facets.keys().next().map(String::as_str))
        {
            report_facet(&layout, facet, &themes, reporter)?;
        }

        // Summaries.
        let started = Instant::now();
        let summaries_key = stages.key(Stage::Summaries)?;
        // Kept, every summary is reused.
        let kept = (0, documents.len() + themes.set.themes.len());
        let ((made, reused), _) = stages.keep_or_make(
            Stage::Summaries,
            &summaries_key,
            |_| Some(kept),
            |stage| {
                let upstream = Upstream {
                    documents: &documents,
                    sentences: &sentences,
                    embeddings: embeddings.view(),
                    themes: &themes,
                };
                write_summaries(
                    &layout,
                    stage,
                    upstream,
                    &config.summaries,
                    writer,
                    reporter,
                )
            },
        )?;
        if let Some(fresh) = fresh_partition {
            let fresh = fresh.join().expect("a fresh clustering does not panic");
            if let Some(origin) = stages
                .records
                .get_mut(Stage::Themes.name())
                .and_then(|r| r.origin.as_mut())
            {
                origin.drift_ari = Some(precis_themes::drift(&themes.assignments, &fresh));
            }
        }
        stages.record(
            Stage::Summaries,
            StageRecord {
                made: Some(made),
                reused: Some(reused),
                ..record(summaries_key, started)
            },
        );
        reporter.line(format!(
            "summaries {} made, {} reused from the previous run",
            made, reused
        ));
        Ok((themes, themes_start, made))
    })?;

    let manifest = Manifest {
        precis_version: env!("CARGO_PKG_VERSION").into(),
        config: config.clone(),
        model,
        documents: documents.len(),
        sentences: sentences.len(),
        skipped: inputs.skipped.clone(),
        stages: stages.records,
    };
    layout::write_atomically(&layout.manifest(), serde_json::to_vec_pretty(&manifest)?)?;
    crate::report::write(&layout).context("writing the report")?;

    Ok(RunOutcome {
        documents: documents.len(),
        sentences: sentences.len(),
        themes: themes.set.themes.len(),
        embedded,
        cached,
        skipped: inputs.skipped.len(),
        themes_start,
        summaries_made: made,
    })
}

/// What the progress lines add for a stage kept as the last run left it.
const KEPT: &str = " (unchanged since the last run)";

/// The stages of this run as they are made: what the last run recorded,
/// what keys are made from, and this run's records.
struct Stages<'a> {
    layout: &'a Layout,
    previous: Option<&'a Manifest>,
    key_inputs: KeyInputs<'a>,
    records: BTreeMap<String, StageRecord>,
}

impl Stages<'_> {
    /// The key of `stage` from the files upstream of it as they are now.
    fn key(&self, stage: Stage) -> Result<String> {
        freshness::stage_key(self.layout, stage, self.key_inputs)
    }

    /// Whether the last run recorded `key` for `stage`, whose folder is
    /// still there: it would come out byte for byte the same.
    fn unchanged(&self, stage: Stage, key: &str) -> bool {
        self.previous.and_then(|m| m.key(stage)) == Some(key) && self.layout.dir(stage).is_dir()
    }

    /// `stage`'s values: read back from its folder when its key is
    /// unchanged (so that what later stages use is what the folder holds),
    /// else made by `make` into a fresh folder that is committed when it
    /// returns. Also says which: `true` for kept.
    fn keep_or_make<T>(
        &self,
        stage: Stage,
        key: &str,
        read: impl FnOnce(&Layout) -> Option<T>,
        make: impl FnOnce(&StageWriter) -> Result<T>,
    ) -> Result<(T, bool)> {
        if self.unchanged(stage, key) {
            // A folder that no longer reads is made again.
            if let Some(kept) = read(self.layout) {
                return Ok((kept, true));
            }
        }
        let writer = StageWriter::new(self.layout, stage)?;
        let made = make(&writer)?;
        writer.commit()?;
        Ok((made, false))
    }

    fn record(&mut self, stage: Stage, record: StageRecord) {
        self.records.insert(stage.name().to_owned(), record);
    }
}

fn record(inputs: String, started: Instant) -> StageRecord {
    StageRecord {
        inputs,
        seconds: (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
        ..StageRecord::default()
    }
}

/// Embeds the sentences not yet in the cache (starting the model only if
/// there are any), saving each chunk as it is done, and returns all vectors
/// as an `N × D` matrix.
fn embed_with_cache(
    sentences: &[Sentence],
    models: &Models,
    cache: &EmbeddingCache,
    batching: BatchConfig,
    reporter: &Reporter,
) -> Result<(Array2<f32>, usize, usize)> {
    // Each distinct text is embedded once, however often it occurs.
    let mut distinct: Vec<&str> = sentences.iter().map(|s| s.text.as_str()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let found = cache.get_many(&distinct)?;
    let mut vectors: BTreeMap<&str, Vec<f32>> = BTreeMap::new();
    let mut missing = Vec::new();
    for (text, vector) in distinct.iter().zip(found) {
        match vector {
            Some(vector) => {
                vectors.insert(text, vector);
            }
            None => missing.push(*text),
        }
    }
    let cached = distinct.len() - missing.len();
    let computed = missing.len();
    let mut dimension = vectors.values().next().map_or(0, Vec::len);
    if !missing.is_empty() {
        let embedder = models.embedder()?;
        dimension = precis_model::Embedder::info(embedder).dimension;
        missing.sort_by_key(|text| text.len());
        let bar = reporter.bar("embed", missing.len() as u64, "sentences");
        // A chunk is the unit of loss if the run is killed: its vectors are
        // committed to the cache before the next chunk starts.
        for chunk in missing.chunks(256) {
            let embedded =
                precis_model::embed_all(embedder, chunk, batching, |n| bar.inc(n as u64))?;
            let entries: Vec<(&str, &[f32])> = chunk
                .iter()
                .copied()
                .zip(embedded.iter().map(Vec::as_slice))
                .collect();
            cache.put_many(&entries)?;
            vectors.extend(chunk.iter().copied().zip(embedded));
        }
        bar.finish_and_clear();
    }
    let mut matrix = Array2::<f32>::zeros((sentences.len(), dimension));
    for (mut row, sentence) in matrix.axis_iter_mut(Axis(0)).zip(sentences) {
        let vector = &vectors[sentence.text.as_str()];
        if vector.len() != dimension {
            bail!(
                "the embedding cache holds a {}-d vector for a {dimension}-d model: \
                 delete the cache/ folder of the output and re-run",
                vector.len()
            );
        }
        row.assign(&ndarray::ArrayView1::from(vector.as_slice()));
    }
    Ok((matrix, computed, cached))
}

/// The embeddings of the last run and the model that made them, if they
/// are readable and fit.
fn read_embeddings(layout: &Layout, rows: usize) -> Option<(Array2<f32>, ModelInfo)> {
    let model: ModelInfo = layout.read_json(Artifact::EmbeddingModel).ok()?;
    let embeddings = layout.read_embeddings().ok()?;
    (embeddings.dim() == (rows, model.dimension)).then_some((embeddings, model))
}

/// What the last run left for the themes stage to start from.
struct PreviousRun<'a> {
    /// The key of its themes stage; `None` when there is none to start from
    /// (or `--recluster` says not to).
    key: Option<&'a str>,
    /// Whether its themes were made by the same code and settings: only then
    /// are they warm-started from.
    same_method: bool,
    /// Its sentences.
    sentences: &'a [Sentence],
}

/// The themes of `sentences`, written to the themes stage: begun from the
/// last run's as `precis_themes::begin` decides, which is said on stderr.
/// Also returns how they began.
fn find_and_write_themes<'scope, 'env>(
    layout: &Layout,
    stage: &StageWriter,
    upstream: ThemesUpstream<'env>,
    config: &RunConfig,
    previous: PreviousRun,
    scope: &'scope std::thread::Scope<'scope, 'env>,
    reporter: &Reporter,
) -> Result<(ThemeSnapshot, ThemesOrigin, Option<FreshPartition<'scope>>)> {
    let ThemesUpstream {
        documents,
        sentences,
        embeddings,
        facets,
    } = upstream;
    let paragraphs = precis_themes::paragraph_numbers(documents, sentences);
    let previous_set = previous
        .key
        .and_then(|_| read_previous_themes(layout, reporter));
    let previous_assignments: Option<Vec<precis_themes::Assignment>> = previous_set
        .as_ref()
        .and_then(|_| layout.read_rows(Artifact::Assignments).ok());
    let last = match &previous_set {
        Some(set) => LastRun::Themes(LastThemes {
            set,
            sentences: previous.sentences,
            assignments: previous_assignments.as_deref(),
            same_method: previous.same_method,
        }),
        None if config.recluster => LastRun::SetAside,
        None => LastRun::Nothing,
    };
    let (run, beginning) =
        precis_themes::begin(sentences, &paragraphs, embeddings, last, &config.themes);
    if let Some(line) = beginning.line() {
        reporter.line(format!("   {line}"));
    }
    let fresh_partition = (beginning.start == ThemesStart::Warm).then(|| {
        let themes_config = config.themes.clone();
        scope.spawn(move || {
            precis_themes::fresh_partition(sentences, &paragraphs, embeddings, &themes_config)
        })
    });
    let origin = ThemesOrigin {
        start: beginning.start,
        why: beginning.why,
        method: freshness::themes_method(config)?,
        from: previous
            .key
            .filter(|_| beginning.from_last)
            .map(str::to_owned),
        edit: beginning.edit,
        drift_ari: None,
    };
    stage.write_artifact(Artifact::Themes, serde_json::to_vec_pretty(&run.set)?)?;
    stage.write_artifact(Artifact::Assignments, to_jsonl(&run.assignments)?)?;
    stage.write_artifact(Artifact::DocumentThemes, to_jsonl(&run.documents)?)?;
    stage.write_artifact(
        Artifact::Similarity,
        precis_themes::similarity_csv(&run, embeddings, sentences),
    )?;
    let closest_pairs = precis_themes::closest_pairs(
        sentences,
        &run.assignments,
        embeddings,
        precis_themes::MOST_CLOSEST_PAIRS,
    );
    stage.write_artifact(Artifact::ClosestPairs, serde_json::to_vec(&closest_pairs)?)?;
    let centroids = run
        .set
        .themes
        .iter()
        .map(|t| (t.id, t.centroid.clone()))
        .collect();
    for (facet, value_of) in facets {
        let table = precis_themes::by_facet(
            facet,
            value_of,
            &run.assignments,
            sentences,
            embeddings,
            &centroids,
        );
        stage.write(pipeline::facet_file(facet), to_jsonl(&table)?)?;
    }
    let d = &run.diagnostics;
    reporter.detail(format!(
        "{} themes ({}) in {} groups ({}), from {} passages; {} new, {} retired since the last run",
        d.k,
        if d.forced {
            "forced by --themes"
        } else {
            "communities of the passage graph"
        },
        d.groups,
        if d.groups_forced {
            "forced by --groups"
        } else {
            "chosen by silhouette"
        },
        d.passages,
        run.changes.new.len(),
        run.changes.retired.len()
    ));
    Ok((
        ThemeSnapshot {
            set: run.set,
            assignments: run.assignments,
            documents: run.documents,
        },
        origin,
        fresh_partition,
    ))
}

/// One line per value of `facet` (the first ten): the themes most
/// distinctive of it, from the file the themes stage wrote.
fn report_facet(
    layout: &Layout,
    facet: &str,
    themes: &ThemeSnapshot,
    reporter: &Reporter,
) -> Result<()> {
    const SHOWN: usize = 10;
    let path = layout.dir(Stage::Themes).join(pipeline::facet_file(facet));
    let table: Vec<precis_themes::FacetThemes> = layout::read_jsonl(&path)?;
    let label: HashMap<_, _> = themes
        .set
        .themes
        .iter()
        .map(|t| (t.id, t.label.as_str()))
        .collect();
    reporter.line(format!(
        "           by {facet}: {} values, the themes distinctive of each in {}",
        table.len(),
        path.display()
    ));
    for value in table.iter().take(SHOWN) {
        let names: Vec<String> = value
            .distinctive
            .iter()
            .take(3)
            .map(|d| format!("\"{}\"", label.get(&d.theme).copied().unwrap_or("?")))
            .collect();
        reporter.line(format!(
            "           {}: {}",
            value.value,
            if names.is_empty() {
                "none stands out".to_string()
            } else {
                names.join(", ")
            }
        ));
    }
    if table.len() > SHOWN {
        reporter.line(format!("           … and {} more", table.len() - SHOWN));
    }
    Ok(())
}

fn read_previous_themes(layout: &Layout, reporter: &Reporter) -> Option<ThemeSet> {
    if !layout.file(Artifact::Themes).is_file() {
        return None;
    }
    match layout.read_json(Artifact::Themes) {
        Ok(set) => Some(set),
        Err(error) => {
            reporter.warn(format!("{error:#}; theme ids start afresh"));
            None
        }
    }
}

/// A fresh clustering's theme of every sentence, being found beside a warm
/// start to measure its drift.
type FreshPartition<'scope> = std::thread::ScopedJoinHandle<'scope, Vec<usize>>;

/// What the themes are made from: the values of the stages before.
struct ThemesUpstream<'a> {
    documents: &'a [Document],
    sentences: &'a [Sentence],
    embeddings: ArrayView2<'a, f32>,
    facets: &'a Facets,
}

/// What the summaries are made from: the values of the stages before.
struct Upstream<'a> {
    documents: &'a [Document],
    sentences: &'a [Sentence],
    embeddings: ArrayView2<'a, f32>,
    themes: &'a ThemeSnapshot,
}

/// Writes the summaries stage (`precis_summarize::summarize_collection`
/// decides what is reused) and says how many were made and reused.
fn write_summaries(
    layout: &Layout,
    stage: &StageWriter,
    upstream: Upstream,
    config: &SummaryConfig,
    writer: Option<&RemoteWriter>,
    reporter: &Reporter,
) -> Result<(usize, usize)> {
    let Upstream {
        documents,
        sentences,
        embeddings,
        themes,
    } = upstream;
    let previous = PreviousSummaries::new(
        layout
            .read_rows(Artifact::DocumentSummaries)
            .unwrap_or_default(),
        layout
            .read_rows(Artifact::ThemeSummaries)
            .unwrap_or_default(),
    );
    let headings: Vec<ThemeHeading> = themes
        .set
        .themes
        .iter()
        .map(|theme| ThemeHeading {
            id: theme.id,
            label: theme.label.clone(),
            weight: theme.weight,
            size: theme.size,
        })
        .collect();
    let labels: BTreeMap<u32, &str> = themes
        .set
        .themes
        .iter()
        .map(|t| (t.id, t.label.as_str()))
        .collect();
    let document_themes: Vec<Vec<(String, f64)>> = themes
        .documents
        .iter()
        .map(|shares| {
            shares
                .themes
                .iter()
                .take(3)
                .map(|share| (labels[&share.theme].to_owned(), share.share))
                .collect()
        })
        .collect();
    let sentence_themes: Vec<u32> = themes.assignments.iter().map(|a| a.theme).collect();
    let collection = Collection {
        documents,
        sentences,
        // A view of the shorter life of the values made here.
        embeddings: embeddings.reborrow(),
        themes: &headings,
        sentence_themes: &sentence_themes,
        document_themes: &document_themes,
    };
    // Only a model writing summaries takes long enough to show progress.
    let bar = match writer {
        Some(_) => reporter.bar(
            "summaries",
            (documents.len() + headings.len()) as u64,
            "summaries",
        ),
        None => indicatif::ProgressBar::hidden(),
    };
    let done = || bar.inc(1);
    let summaries = match writer {
        Some(writer) => summarize_collection(collection, &previous, writer, config, done)?,
        None => summarize_collection(collection, &previous, &Extractive, config, done)?,
    };
    bar.finish_and_clear();

    stage.write_artifact(Artifact::DocumentSummaries, to_jsonl(&summaries.documents)?)?;
    stage.write_artifact(Artifact::ThemeSummaries, to_jsonl(&summaries.themes)?)?;
    for (doc_id, page) in summaries.document_pages(collection) {
        stage.write(pipeline::document_page(&doc_id), page)?;
    }
    stage.write_artifact(
        Artifact::CollectionSummary,
        summaries.collection_page(collection),
    )?;
    Ok((summaries.made, summaries.reused))
}
