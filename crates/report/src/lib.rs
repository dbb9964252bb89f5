//! The HTML report of a precis run: one self-contained page (inline SVG, CSS
//! and one inline script; nothing loaded from anywhere) with
//!
//! - a theme map: theme centroids on their first two principal components,
//!   circles sized by weight, over the sentences coloured by theme;
//! - an essays × themes heatmap of shares, rows and columns in the leaf order
//!   of a hierarchical clustering, so that similar ones sit together;
//! - an essay × essay heatmap of the cosine similarity of mean embeddings;
//! - each essay as a strip of its sentences in order, coloured by theme;
//! - each theme (label, keywords, summary, representative sentences), each
//!   essay (title, link to its source, summary, top themes) and the run facts.
//!
//! The script (`templates/report.js`) makes the page explorable: a page per
//! theme with every sentence of it, grouped by essay, each in a line of
//! context; a page per essay with its text coloured by theme; filters on
//! essays and themes; and a search of every sentence as you type. It reads
//! the sentences from JSON embedded in the page (see `script.rs` for how
//! that is escaped) and builds every element with DOM calls, never from
//! markup, so text from the essays can only ever be text. The page works,
//! less the exploring, without it.
//!
//! Like the stage crates it does no IO: the driver reads the stage files,
//! calls [`render`] and writes the page. The geometry is computed here; the
//! markup lives in `templates/report.html`, rendered by minijinja with HTML
//! autoescaping, so every piece of text from the essays is escaped.
//!
//! # Determinism
//! The page is a function of the input alone: no clock, no randomness, fixed
//! colours, numbers rounded before they are written. Give it the same values
//! and it returns the same bytes.
//!
//! ```
//! use precis_report::{render, ReportInput, RunFacts};
//! use precis_themes::ThemeSet;
//!
//! let facts = RunFacts { input: "essays".into(), ..RunFacts::default() };
//! let embeddings = ndarray::Array2::<f32>::zeros((0, 4));
//! let input = ReportInput {
//!     documents: &[],
//!     sentences: &[],
//!     embeddings: embeddings.view(),
//!     themes: &ThemeSet::default(),
//!     assignments: &[],
//!     document_themes: &[],
//!     document_summaries: &[],
//!     theme_summaries: &[],
//!     facets: &[],
//!     closest_pairs: Some(&[]),
//!     facts: &facts,
//! };
//! let page = render(&input);
//! assert!(page.starts_with("<!DOCTYPE html>"));
//! assert!(page.contains(r#"id="theme-map""#));
//! ```

mod bitmap;
mod order;
mod palette;
mod projection;
mod script;
mod view;

use ndarray::ArrayView2;
use precis_core::{Document, Sentence, SkippedFile};
use precis_summarize::{DocumentSummary, ThemeSummary};
use precis_themes::{Assignment, DocumentThemes, FacetThemes, ThemePairs, ThemeSet};
use serde::{Deserialize, Serialize};

/// The template of the page, compiled into the crate.
const TEMPLATE: &str = include_str!("../templates/report.html");

/// Everything the page shows: the values of every stage, as the driver read
/// them from the output folder, and the facts of the run.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    /// `ingest/documents.jsonl`.
    pub documents: &'a [Document],
    /// `segment/sentences.jsonl`.
    pub sentences: &'a [Sentence],
    /// `embed/embeddings.npy`: row `i` is sentence `i`.
    pub embeddings: ArrayView2<'a, f32>,
    /// `themes/themes.json`.
    pub themes: &'a ThemeSet,
    /// `themes/assignments.jsonl`: line `i` is sentence `i`.
    pub assignments: &'a [Assignment],
    /// `themes/documents.jsonl`.
    pub document_themes: &'a [DocumentThemes],
    /// `summaries/documents.jsonl`.
    pub document_summaries: &'a [DocumentSummary],
    /// `summaries/themes.jsonl`.
    pub theme_summaries: &'a [ThemeSummary],
    /// `themes/by_<facet>.jsonl`, every facet's lines, facet by facet.
    pub facets: &'a [FacetThemes],
    /// `themes/closest_pairs.json`: `None` past the most pairs it holds.
    pub closest_pairs: Option<&'a [ThemePairs]>,
    pub facts: &'a RunFacts,
}

/// What the run did, mostly from `manifest.json`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunFacts {
    /// The input folder, as the user gave it.
    pub input: String,
    /// The input folder relative to the folder the page is written to, with
    /// a trailing `/` (for `data/report/index.html` over `data/input`:
    /// `"../input/"`). Each essay links to `source_prefix + source`.
    pub source_prefix: String,
    /// The embedding model's name.
    pub model: String,
    /// The model folder's checksum.
    pub model_checksum: String,
    pub documents: usize,
    pub sentences: usize,
    /// Sentences embedded by the model in this run.
    pub embedded: usize,
    /// Sentences whose embedding came from the cache.
    pub from_cache: usize,
    /// Summaries made in this run.
    pub summaries_made: usize,
    /// Summaries kept from the previous run because their inputs were unchanged.
    pub summaries_reused: usize,
    /// How the themes began (warm-started or clustered, why, and a warm
    /// start's drift), one sentence a line; empty when not recorded.
    #[serde(default)]
    pub themes_origin: Vec<String>,
    /// Files of the input folder that were not used, and why.
    pub skipped: Vec<SkippedFile>,
    /// Seconds per stage, in stage order.
    pub stage_seconds: Vec<(String, f64)>,
    /// When the run was made, as the driver wants it shown; `None` leaves the
    /// page free of any clock.
    pub created: Option<String>,
}

/// Renders the report: one self-contained HTML page.
///
/// Inconsistent input (a sentence whose document is missing, a
/// representative that names no sentence, embeddings of another width than
/// the centroids) leaves the affected parts out rather than failing.
///
/// # Panics
/// If `embeddings` has rows but not one per sentence.
pub fn render(input: &ReportInput) -> String {
    assert!(
        input.embeddings.nrows() == 0 || input.embeddings.nrows() == input.sentences.len(),
        "one embedding row per sentence"
    );
    let page = view::Page::build(input);
    let mut env = minijinja::Environment::new();
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
            .expect("the default delimiters are valid"),
    );
    env.add_template("report.html", TEMPLATE)
        .expect("the report template parses");
    let context = minijinja::context! {
        script => script::SOURCE,
        script_hash => script::csp_hash(),
        ..minijinja::value::Serde(&page)
    };
    env.get_template("report.html")
        .and_then(|t| t.render(context))
        .expect("the report template renders")
}
