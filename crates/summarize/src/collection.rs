//! The summaries of a whole collection: one per document and one per theme,
//! each reused from the previous run when what it is made from is unchanged,
//! and the Markdown pages made of them.

use crate::{
    collection_markdown, document_inputs, document_markdown, outline, summarize_document,
    summarize_theme, theme_inputs, DocumentSummary, SummaryConfig, ThemeHeading, ThemeSummary,
};
use ndarray::{ArrayView2, Axis};
use precis_core::{Document, Sentence};
use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;

/// Writes one summary: this crate's extractive functions ([`Extractive`]),
/// or a model (precis-model's client of the model worker).
pub trait SummaryWriter {
    type Error: std::fmt::Display;

    /// The summary of one document, from all its sentences in order.
    fn document(
        &self,
        sentences: &[Sentence],
        embeddings: ArrayView2<f32>,
        config: &SummaryConfig,
    ) -> Result<DocumentSummary, Self::Error>;

    /// The summary of one theme, from its member sentences.
    fn theme(
        &self,
        theme: u32,
        members: &[&Sentence],
        embeddings: ArrayView2<f32>,
        config: &SummaryConfig,
    ) -> Result<ThemeSummary, Self::Error>;
}

/// The summaries that quote sentences: [`summarize_document`] and
/// [`summarize_theme`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Extractive;

impl SummaryWriter for Extractive {
    type Error = Infallible;

    fn document(
        &self,
        sentences: &[Sentence],
        embeddings: ArrayView2<f32>,
        config: &SummaryConfig,
    ) -> Result<DocumentSummary, Infallible> {
        Ok(summarize_document(sentences, embeddings, config))
    }

    fn theme(
        &self,
        theme: u32,
        members: &[&Sentence],
        embeddings: ArrayView2<f32>,
        config: &SummaryConfig,
    ) -> Result<ThemeSummary, Infallible> {
        Ok(summarize_theme(theme, members, embeddings, config))
    }
}

/// What a collection's summaries are made from: the values of the stages
/// before.
#[derive(Debug, Clone, Copy)]
pub struct Collection<'a> {
    /// Sorted by `doc_id`.
    pub documents: &'a [Document],
    /// Grouped by document, in document order, each in text order.
    pub sentences: &'a [Sentence],
    /// One row per sentence.
    pub embeddings: ArrayView2<'a, f32>,
    /// The themes, in the order their summaries are listed.
    pub themes: &'a [ThemeHeading],
    /// The theme of every sentence, row by row.
    pub sentence_themes: &'a [u32],
    /// Each document's leading themes (label, share), for its page.
    pub document_themes: &'a [Vec<(String, f64)>],
}

/// The previous run's summaries, by their `inputs` key: a summary whose key
/// is unchanged is reused rather than made again.
#[derive(Debug, Default)]
pub struct PreviousSummaries {
    pub documents: HashMap<String, DocumentSummary>,
    pub themes: HashMap<String, ThemeSummary>,
}

impl PreviousSummaries {
    pub fn new(documents: Vec<DocumentSummary>, themes: Vec<ThemeSummary>) -> Self {
        Self {
            documents: documents
                .into_iter()
                .map(|s| (s.inputs.clone(), s))
                .collect(),
            themes: themes.into_iter().map(|s| (s.inputs.clone(), s)).collect(),
        }
    }
}

/// A collection's summaries, and how many were made or reused.
#[derive(Debug)]
pub struct Summaries {
    /// One per document, in document order.
    pub documents: Vec<DocumentSummary>,
    /// One per theme, in the order of `Collection::themes`.
    pub themes: Vec<ThemeSummary>,
    pub made: usize,
    pub reused: usize,
}

/// A summary the writer could not make, and of what.
#[derive(Debug)]
pub enum SummaryError<E> {
    Document { source: String, error: E },
    Theme { id: u32, label: String, error: E },
}

impl<E: std::fmt::Display> std::fmt::Display for SummaryError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Document { source, error } => write!(f, "summarising {source}: {error}"),
            Self::Theme { id, label, error } => {
                write!(f, "summarising theme {id} ({label}): {error}")
            }
        }
    }
}

impl<E: std::fmt::Debug + std::fmt::Display> std::error::Error for SummaryError<E> {}

/// Summarises every document and theme of `collection` with `writer`,
/// reusing each summary of `previous` whose key is unchanged: after an edit,
/// only the edited documents and the themes whose members changed are made
/// again. `done` is called after each summary, for progress.
///
/// # Panics
/// If the sentences are not grouped by document in document order, or
/// `embeddings` and `sentence_themes` do not have one row per sentence.
pub fn summarize_collection<W: SummaryWriter + ?Sized>(
    collection: Collection,
    previous: &PreviousSummaries,
    writer: &W,
    config: &SummaryConfig,
    mut done: impl FnMut(),
) -> Result<Summaries, SummaryError<W::Error>> {
    let Collection {
        documents,
        sentences,
        embeddings,
        themes,
        sentence_themes,
        ..
    } = collection;
    assert_eq!(embeddings.nrows(), sentences.len(), "one row per sentence");
    assert_eq!(
        sentence_themes.len(),
        sentences.len(),
        "one theme per sentence"
    );
    let mut counts = Counts::default();

    let mut document_summaries = Vec::with_capacity(documents.len());
    let mut start = 0;
    for document in documents {
        let count = sentences[start..]
            .iter()
            .take_while(|s| s.doc_id == document.doc_id)
            .count();
        let rows = start..start + count;
        start += count;
        let own = &sentences[rows.clone()];
        let own_embeddings = embeddings.slice_axis(Axis(0), ndarray::Slice::from(rows));
        let key = document_inputs(own, own_embeddings, config);
        let mut summary = match counts.reuse(previous.documents.get(&key)) {
            Some(summary) => summary,
            None => writer
                .document(own, own_embeddings, config)
                .map_err(|error| SummaryError::Document {
                    source: document.source.clone(),
                    error,
                })?,
        };
        // Made afresh even for a reused summary: its key does not cover the
        // headings, and an outline costs one pick per section.
        summary.outline = outline(document, own, own_embeddings, &config.selection);
        document_summaries.push(summary);
        done();
    }
    assert_eq!(start, sentences.len(), "sentences grouped by document");

    let mut members: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (row, &theme) in sentence_themes.iter().enumerate() {
        members.entry(theme).or_default().push(row);
    }
    let mut theme_summaries = Vec::with_capacity(themes.len());
    for theme in themes {
        let rows = members
            .get(&theme.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let member_sentences: Vec<&Sentence> = rows.iter().map(|&r| &sentences[r]).collect();
        let member_embeddings = embeddings.select(Axis(0), rows);
        let key = theme_inputs(
            theme.id,
            &member_sentences,
            member_embeddings.view(),
            config,
        );
        let summary = match counts.reuse(previous.themes.get(&key)) {
            Some(summary) => summary,
            None => writer
                .theme(
                    theme.id,
                    &member_sentences,
                    member_embeddings.view(),
                    config,
                )
                .map_err(|error| SummaryError::Theme {
                    id: theme.id,
                    label: theme.label.clone(),
                    error,
                })?,
        };
        theme_summaries.push(summary);
        done();
    }
    Ok(Summaries {
        documents: document_summaries,
        themes: theme_summaries,
        made: counts.made,
        reused: counts.reused,
    })
}

/// How many summaries were made, and how many reused.
#[derive(Debug, Default)]
struct Counts {
    made: usize,
    reused: usize,
}

impl Counts {
    /// The previous summary if there is one (counted as reused), else
    /// `None` (counted as made).
    fn reuse<T: Clone>(&mut self, found: Option<&T>) -> Option<T> {
        match found {
            Some(_) => self.reused += 1,
            None => self.made += 1,
        }
        found.cloned()
    }
}

impl Summaries {
    /// Each document's page, by `doc_id`, in document order.
    pub fn document_pages(&self, collection: Collection) -> Vec<(String, String)> {
        collection
            .documents
            .iter()
            .zip(&self.documents)
            .zip(collection.document_themes)
            .map(|((document, summary), top)| {
                (
                    document.doc_id.clone(),
                    document_markdown(document, summary, top),
                )
            })
            .collect()
    }

    /// The collection page.
    pub fn collection_page(&self, collection: Collection) -> String {
        let headings: Vec<(ThemeHeading, &ThemeSummary)> = collection
            .themes
            .iter()
            .cloned()
            .zip(&self.themes)
            .collect();
        let pairs: Vec<(&Document, &DocumentSummary)> =
            collection.documents.iter().zip(&self.documents).collect();
        collection_markdown("Collection summary", &headings, &pairs)
    }
}
