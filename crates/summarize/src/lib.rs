//! The summary stage of precis: extractive summaries of each document and of
//! each theme, chosen from sentence embeddings, and their Markdown rendering.
//!
//! Everything here takes values and returns values; the driver reads and
//! writes the files. Each summary carries an `inputs` key (see
//! [`document_inputs`], [`theme_inputs`]) so that the driver can reuse a
//! previous summary when nothing it was made from has changed.
//!
//! The method (see [`SelectionParams`]) scores each sentence by closeness to
//! the document's embedding centroid, LexRank centrality over embedding
//! cosine, keyword density, a saturating length prior and a small lead
//! prior, then picks by maximal marginal relevance. The weights were tuned
//! on one half of the BBC dev articles and checked on the other with
//! `examples/bbc_tune.rs` and `scripts/eval_summaries.py`.
//!
//! ```
//! use ndarray::array;
//! use precis_core::Sentence;
//! use precis_summarize::{summarize_document, SummaryConfig};
//!
//! let texts = ["Rain fell all week.", "The river rose fast.", "Fish were fine."];
//! let sentences: Vec<Sentence> = texts
//!     .iter()
//!     .enumerate()
//!     .map(|(index, text)| Sentence {
//!         doc_id: "river".into(),
//!         index,
//!         start: 0,
//!         end: 0,
//!         text: text.to_string(),
//!     })
//!     .collect();
//! let embeddings = array![[1.0f32, 0.0], [0.8, 0.6], [0.0, 1.0]];
//! let config = SummaryConfig { sentences: Some(2), ..SummaryConfig::default() };
//! let summary = summarize_document(&sentences, embeddings.view(), &config);
//! assert_eq!(summary.sentences.len(), 2);
//! ```

/// A hash of this crate's sources, made by its build script
/// (`crates/core/code_version.rs`): part of the key of every stage output it
/// shapes, so that output made by other code is never kept.
pub const CODE_VERSION: &str = env!("PRECIS_CODE_VERSION");

mod abstractive;
pub use abstractive::{AbstractiveConfig, AbstractiveModel};
mod collection;
pub use collection::{
    summarize_collection, Collection, Extractive, PreviousSummaries, Summaries, SummaryError,
    SummaryWriter,
};
mod inputs;
mod keywords;
mod markdown;
mod outline;
mod select;
mod theme;

pub use inputs::{document_inputs, theme_inputs};
pub use markdown::{collection_markdown, document_markdown, ThemeHeading};
pub use outline::{outline, OutlineSection};
pub use select::{select_sentences, select_sentences_with, Lead, SelectionParams, Summarizer};
pub use theme::summarize_theme;

use ndarray::ArrayView2;
use precis_core::{Sentence, SentenceRef};
use serde::{Deserialize, Serialize};

/// How long summaries are and how their sentences are chosen. Recorded in
/// the run manifest and part of every summary's `inputs` key.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct SummaryConfig {
    /// A fixed number of sentences per document (`--summary-sentences N`).
    pub sentences: Option<usize>,
    /// The share of a document's sentences to keep when `sentences` is
    /// `None` (`--summary-ratio R`), clamped to `min_sentences..=max_sentences`.
    pub ratio: f64,
    pub min_sentences: usize,
    pub max_sentences: usize,
    /// Sentences quoted for each theme.
    pub theme_sentences: usize,
    /// How strongly a theme summary avoids quoting the same document twice:
    /// subtracted from a candidate's score for each sentence already chosen
    /// from its document.
    pub theme_spread: f64,
    pub selection: SelectionParams,
    /// A local sequence-to-sequence model that writes the summaries instead
    /// of quoting sentences (`--summarizer abstractive --summary-model PATH`);
    /// `None`: extractive.
    pub abstractive: Option<AbstractiveModel>,
}

impl Default for SummaryConfig {
    fn default() -> Self {
        Self {
            sentences: None,
            ratio: 0.1,
            min_sentences: 3,
            max_sentences: 8,
            theme_sentences: 5,
            theme_spread: 0.2,
            selection: SelectionParams::default(),
            abstractive: None,
        }
    }
}

/// The number of sentences a summary of an `n_sentences`-long document gets:
/// `config.sentences` if set, else `ratio * n` rounded and clamped to
/// `min_sentences..=max_sentences`; never more than the document has.
///
/// ```
/// use precis_summarize::{budget, SummaryConfig};
/// let config = SummaryConfig::default();
/// assert_eq!(budget(50, &config), 5);
/// assert_eq!(budget(10, &config), 3);
/// assert_eq!(budget(2, &config), 2);
/// ```
pub fn budget(n_sentences: usize, config: &SummaryConfig) -> usize {
    let wanted = match config.sentences {
        Some(fixed) => fixed,
        None => {
            let scaled = (config.ratio.max(0.0) * n_sentences as f64).round() as usize;
            scaled
                .min(config.max_sentences)
                .max(config.min_sentences.min(config.max_sentences))
        }
    };
    wanted.min(n_sentences)
}

/// The extractive summary of one document.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct DocumentSummary {
    pub doc_id: String,
    /// The chosen sentences' text in document order, joined by a space.
    pub summary: String,
    /// The chosen sentences' `index` values, ascending; empty when a model
    /// wrote the summary.
    pub sentences: Vec<usize>,
    /// The model that wrote `summary`; `None` when it quotes the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written_by: Option<String>,
    /// The document's [`outline`] when it has sections, else empty and not
    /// written. [`summarize_collection`] makes it, whoever wrote `summary`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outline: Vec<OutlineSection>,
    /// [`document_inputs`] of what the summary was made from.
    pub inputs: String,
}

/// The sentences that best represent one theme, spread across documents.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ThemeSummary {
    pub theme: u32,
    /// The chosen sentences' text, most representative first, joined by a space.
    pub summary: String,
    /// The chosen sentences, most representative first.
    pub sentences: Vec<SentenceRef>,
    /// The text of each of `sentences`, in the same order.
    pub texts: Vec<String>,
    /// The model that wrote `summary` from `texts`; `None` when `summary`
    /// is `texts` joined.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written_by: Option<String>,
    /// [`theme_inputs`] of what the summary was made from.
    pub inputs: String,
}

/// Summarises one document: `sentences` are all of its sentences in order,
/// `embeddings` has one row per sentence. The length comes from [`budget`].
/// An empty document gives an empty summary with an empty `doc_id`.
///
/// # Panics
/// If `embeddings` does not have one row per sentence.
pub fn summarize_document(
    sentences: &[Sentence],
    embeddings: ArrayView2<f32>,
    config: &SummaryConfig,
) -> DocumentSummary {
    let texts: Vec<&str> = sentences.iter().map(|s| s.text.as_str()).collect();
    let chosen = select_sentences_with(
        &texts,
        embeddings,
        budget(sentences.len(), config),
        &config.selection,
    );
    DocumentSummary {
        doc_id: sentences
            .first()
            .map(|s| s.doc_id.clone())
            .unwrap_or_default(),
        summary: chosen
            .iter()
            .map(|&i| sentences[i].text.trim())
            .collect::<Vec<_>>()
            .join(" "),
        sentences: chosen.iter().map(|&i| sentences[i].index).collect(),
        written_by: None,
        outline: Vec::new(),
        inputs: document_inputs(sentences, embeddings, config),
    }
}

#[cfg(test)]
mod tests;
