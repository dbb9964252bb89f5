//! The stages, defined once: each one's name (its folder), the files it
//! writes, the files it reads, and the code and settings that shape it.
//! `run` makes them in this order, `freshness` keys them, `status` and the
//! report read them, all through these definitions.

use crate::run::RunConfig;
use anyhow::Result;

/// A stage of the pipeline. Each owns one folder of the output, named
/// after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    Ingest,
    Segment,
    Embed,
    Themes,
    Summaries,
}

impl Stage {
    /// The stages, in the order data flows through them.
    pub const ALL: [Stage; 5] = [
        Stage::Ingest,
        Stage::Segment,
        Stage::Embed,
        Stage::Themes,
        Stage::Summaries,
    ];

    /// Its name: its folder, and its entry in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Ingest => "ingest",
            Stage::Segment => "segment",
            Stage::Embed => "embed",
            Stage::Themes => "themes",
            Stage::Summaries => "summaries",
        }
    }

    /// The earlier stages' files it reads, besides its settings (ingest
    /// reads the input folder, and themes the `--metadata` file, which
    /// `freshness::stage_key` adds).
    pub fn upstream(self) -> &'static [Artifact] {
        use Artifact::*;
        match self {
            Stage::Ingest => &[],
            Stage::Segment => &[Documents],
            Stage::Embed => &[Sentences],
            // Paragraph breaks (in the documents) shape the passages themes come from.
            Stage::Themes => &[Documents, Sentences, Embeddings],
            Stage::Summaries => &[Documents, Sentences, Embeddings, Themes, Assignments],
        }
    }

    /// The code that shapes its output: precis-core's and its own crate's
    /// sources, for embed also precis-model's (the vectors' identity), and
    /// for summaries precis-abstractive's (see `crates/core/code_version.rs`).
    /// The model crates' versions are the hashes precis-model takes of their
    /// sources, so the driver knows them without linking libtorch.
    pub fn code_version(self) -> String {
        let own: &[&str] = match self {
            Stage::Ingest => &[precis_ingest::CODE_VERSION],
            Stage::Segment => &[precis_segment::CODE_VERSION],
            Stage::Embed => &[precis_model::CODE_VERSION, precis_model::EMBED_CODE_VERSION],
            Stage::Themes => &[precis_themes::CODE_VERSION],
            Stage::Summaries => &[
                precis_summarize::CODE_VERSION,
                precis_model::ABSTRACTIVE_CODE_VERSION,
            ],
        };
        std::iter::once(precis_core::CODE_VERSION)
            .chain(own.iter().copied())
            .collect::<Vec<_>>()
            .join("+")
    }

    /// The settings that shape its output, from the run's configuration and
    /// the checksum of the vectors the embed stage makes: the one source of
    /// them for `precis run` and `precis status`. Taken through JSON text,
    /// as the manifest holds them, so that an `f32` such as 0.02 gives the
    /// same key both ways.
    pub fn settings(
        self,
        config: &RunConfig,
        vectors_checksum: Option<&str>,
    ) -> Result<serde_json::Value> {
        fn as_written(settings: &impl serde::Serialize) -> Result<serde_json::Value> {
            Ok(serde_json::from_str(&serde_json::to_string(settings)?)?)
        }
        match self {
            Stage::Ingest => as_written(&config.ingest),
            Stage::Segment => Ok(serde_json::Value::Null),
            Stage::Embed => Ok(vectors_checksum.map_or(serde_json::Value::Null, Into::into)),
            Stage::Themes => as_written(&config.themes),
            Stage::Summaries => as_written(&config.summaries),
        }
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.name())
    }
}

/// A file a stage writes under a fixed name (ARCHITECTURE.md, "The output
/// folder", gives each one's format). The files named after a value, a
/// facet's table or a document's page, are [`facet_file`] and
/// [`document_page`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Artifact {
    /// `ingest/documents.jsonl`: one `Document` per line.
    Documents,
    /// `segment/sentences.jsonl`: one `Sentence` per line.
    Sentences,
    /// `embed/embeddings.npy`: row `i` is sentence `i`.
    Embeddings,
    /// `embed/model.json`: the `ModelInfo` of the vectors.
    EmbeddingModel,
    /// `themes/themes.json`: the `ThemeSet`.
    Themes,
    /// `themes/assignments.jsonl`: line `i` is sentence `i`'s theme.
    Assignments,
    /// `themes/documents.jsonl`: each document's theme shares.
    DocumentThemes,
    /// `themes/similarity.csv`: document pairs by theme similarity.
    Similarity,
    /// `themes/closest_pairs.json`: per theme, the closest sentences of
    /// every two documents that have it (`precis_themes::closest_pairs`).
    ClosestPairs,
    /// `summaries/documents.jsonl`.
    DocumentSummaries,
    /// `summaries/themes.jsonl`.
    ThemeSummaries,
    /// `summaries/collection.md`.
    CollectionSummary,
}

impl Artifact {
    /// The stage that writes it.
    pub fn stage(self) -> Stage {
        use Artifact::*;
        match self {
            Documents => Stage::Ingest,
            Sentences => Stage::Segment,
            Embeddings | EmbeddingModel => Stage::Embed,
            Themes | Assignments | DocumentThemes | Similarity | ClosestPairs => Stage::Themes,
            DocumentSummaries | ThemeSummaries | CollectionSummary => Stage::Summaries,
        }
    }

    /// Its name inside the stage's folder.
    pub fn file_name(self) -> &'static str {
        use Artifact::*;
        match self {
            Documents | DocumentThemes | DocumentSummaries => "documents.jsonl",
            Sentences => "sentences.jsonl",
            Embeddings => "embeddings.npy",
            EmbeddingModel => "model.json",
            Themes => "themes.json",
            Assignments => "assignments.jsonl",
            Similarity => "similarity.csv",
            ClosestPairs => "closest_pairs.json",
            ThemeSummaries => "themes.jsonl",
            CollectionSummary => "collection.md",
        }
    }

    /// Its path relative to the output folder, `/`-separated, as keys and
    /// messages name it.
    pub fn relative(self) -> String {
        format!("{}/{}", self.stage().name(), self.file_name())
    }
}

/// The themes stage's file of a facet's themes: `by_<facet>.jsonl`, the
/// name lower-cased and anything but letters, digits, `-` and `_` made `_`,
/// so that any column name is a safe file name.
pub fn facet_file(facet: &str) -> String {
    let name: String = facet
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '-' | '_') => c,
            _ => '_',
        })
        .collect();
    format!("{FACET_PREFIX}{name}{FACET_SUFFIX}")
}

/// Whether `file_name`, in the themes folder, is a facet's table.
pub fn is_facet_file(file_name: &str) -> bool {
    file_name.starts_with(FACET_PREFIX) && file_name.ends_with(FACET_SUFFIX)
}

const FACET_PREFIX: &str = "by_";
const FACET_SUFFIX: &str = ".jsonl";

/// The summaries stage's Markdown page of one document.
pub fn document_page(doc_id: &str) -> String {
    format!("docs/{doc_id}.md")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTIFACTS: [Artifact; 12] = [
        Artifact::Documents,
        Artifact::Sentences,
        Artifact::Embeddings,
        Artifact::EmbeddingModel,
        Artifact::Themes,
        Artifact::Assignments,
        Artifact::DocumentThemes,
        Artifact::Similarity,
        Artifact::ClosestPairs,
        Artifact::DocumentSummaries,
        Artifact::ThemeSummaries,
        Artifact::CollectionSummary,
    ];

    #[test]
    fn data_flows_one_way() {
        for stage in Stage::ALL {
            for artifact in stage.upstream() {
                assert!(artifact.stage() < stage, "{stage} reads {artifact:?}");
            }
        }
    }

    #[test]
    fn every_file_has_a_path_of_its_own() {
        let mut paths: Vec<String> = ARTIFACTS.iter().map(|a| a.relative()).collect();
        paths.sort();
        paths.dedup();
        assert_eq!(paths.len(), ARTIFACTS.len());
        assert!(ARTIFACTS.iter().all(|a| !is_facet_file(a.file_name())));
        assert!(is_facet_file(&facet_file("Folder / Year")));
        assert_eq!(facet_file("Folder / Year"), "by_folder___year.jsonl");
    }
}
