//! Markdown rendering of the summaries: `summaries/collection.md` and
//! `summaries/docs/<doc_id>.md`.

use crate::{DocumentSummary, OutlineSection, ThemeSummary};
use precis_core::Document;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt::Write;

/// What the collection page says about a theme besides its summary.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ThemeHeading {
    pub id: u32,
    pub label: String,
    /// The theme's share of the collection, from 0 to 1; themes are listed
    /// by descending weight.
    pub weight: f64,
    /// The number of sentences in the theme.
    pub size: usize,
}

/// Renders the collection page: the themes by descending weight, each with
/// its quoted sentences attributed to their documents' titles, then one
/// paragraph per document.
///
/// ```
/// use precis_summarize::{collection_markdown, ThemeHeading, ThemeSummary};
/// use precis_core::SentenceRef;
/// let heading = ThemeHeading { id: 0, label: "Friendship".into(), weight: 0.4, size: 12 };
/// let summary = ThemeSummary {
///     theme: 0,
///     summary: "A friend is a gift.".into(),
///     sentences: vec![SentenceRef { doc_id: "of-friendship".into(), index: 3 }],
///     texts: vec!["A friend is a gift.".into()],
///     written_by: None,
///     inputs: String::new(),
/// };
/// let page = collection_markdown("Essays", &[(heading, &summary)], &[]);
/// assert!(page.contains("## Themes"));
/// assert!(page.contains("> A friend is a gift."));
/// ```
pub fn collection_markdown(
    title: &str,
    themes: &[(ThemeHeading, &ThemeSummary)],
    documents: &[(&Document, &DocumentSummary)],
) -> String {
    let titles: HashMap<&str, &str> = documents
        .iter()
        .map(|(document, _)| (document.doc_id.as_str(), display_title(document)))
        .collect();
    let mut page = String::new();
    let _ = writeln!(page, "# {}\n", inline(title));
    let _ = writeln!(
        page,
        "{} themes across {} documents.\n",
        themes.len(),
        documents.len()
    );

    let mut ordered: Vec<&(ThemeHeading, &ThemeSummary)> = themes.iter().collect();
    ordered.sort_by(|a, b| b.0.weight.total_cmp(&a.0.weight).then(a.0.id.cmp(&b.0.id)));
    if !ordered.is_empty() {
        page.push_str("## Themes\n\n");
    }
    for (rank, (heading, summary)) in ordered.iter().enumerate() {
        let _ = writeln!(
            page,
            "### {}. {}\n\n*{:.0}% of the collection, {} sentences.*\n",
            rank + 1,
            inline(&heading.label),
            heading.weight * 100.0,
            heading.size
        );
        if let Some(model) = &summary.written_by {
            let _ = writeln!(
                page,
                "{}\n\n*Written by {} from these quotations:*\n",
                inline(&summary.summary),
                inline(model)
            );
        }
        for (reference, text) in summary.sentences.iter().zip(&summary.texts) {
            let source = titles
                .get(reference.doc_id.as_str())
                .copied()
                .unwrap_or(reference.doc_id.as_str());
            let _ = writeln!(page, "> {}\n>\n> — *{}*\n", inline(text), inline(source));
        }
    }

    if !documents.is_empty() {
        page.push_str("## Documents\n\n");
    }
    for (document, summary) in documents {
        let _ = writeln!(
            page,
            "### {}\n\n{}\n",
            inline(display_title(document)),
            inline(&summary.summary)
        );
    }
    page
}

/// Renders one document's page: its title and source, the summary, its
/// outline when it has sections (each heading in bold, then its sentence),
/// and the themes it touches most with their share of its sentences (0 to 1).
///
/// ```
/// use precis_core::Document;
/// use precis_summarize::{document_markdown, DocumentSummary};
/// let document = Document {
///     doc_id: "of-truth".into(), source: "of-truth.txt".into(), title: "Of Truth".into(),
///     hash: String::new(), text: String::new(), paragraphs: vec![], headings: vec![],
///     metadata: Default::default(),
/// };
/// let summary = DocumentSummary {
///     doc_id: "of-truth".into(), summary: "What is truth?".into(),
///     sentences: vec![0], written_by: None, outline: vec![], inputs: String::new(),
/// };
/// let page = document_markdown(&document, &summary, &[("Truth".into(), 0.5)]);
/// assert!(page.starts_with("# Of Truth\n"));
/// assert!(page.contains("- Truth: 50%"));
/// ```
pub fn document_markdown(
    document: &Document,
    summary: &DocumentSummary,
    top_themes: &[(String, f64)],
) -> String {
    let mut page = String::new();
    let _ = writeln!(page, "# {}\n", inline(display_title(document)));
    let made = match &summary.written_by {
        Some(model) => format!("Summary written by {}", inline(model)),
        None => format!("Summary of {} sentences", summary.sentences.len()),
    };
    let _ = writeln!(
        page,
        "*Source: `{}`. {made}.*\n",
        document.source.replace('`', "'"),
    );
    let _ = writeln!(page, "{}\n", inline(&summary.summary));
    if !summary.outline.is_empty() {
        page.push_str("## Outline\n\n");
        outline_items(&mut page, &summary.outline, 0);
        page.push('\n');
    }
    if !top_themes.is_empty() {
        page.push_str("## Themes\n\n");
        for (label, share) in top_themes {
            let _ = writeln!(page, "- {}: {:.0}%", inline(label), share * 100.0);
        }
        page.push('\n');
    }
    page
}

/// One list item per section, subsections indented under their section.
fn outline_items(page: &mut String, sections: &[OutlineSection], depth: usize) {
    for section in sections {
        let indent = "  ".repeat(depth);
        let _ = match &section.sentence {
            Some(sentence) => writeln!(
                page,
                "{indent}- **{}** — {}",
                inline(&section.heading),
                inline(sentence)
            ),
            None => writeln!(page, "{indent}- **{}**", inline(&section.heading)),
        };
        outline_items(page, &section.children, depth + 1);
    }
}

fn display_title(document: &Document) -> &str {
    if document.title.trim().is_empty() {
        &document.doc_id
    } else {
        document.title.trim()
    }
}

/// Text as one line of Markdown that renders as itself: line breaks become
/// spaces and the characters Markdown would act on are escaped.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for ch in word.chars() {
            if matches!(
                ch,
                '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|'
            ) {
                out.push('\\');
            }
            out.push(ch);
        }
    }
    // A line that starts like a list item would render as one.
    if out.starts_with(['-', '+']) {
        out.insert(0, '\\');
    }
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && out[digits..].starts_with(['.', ')']) {
        out.insert(digits, '\\');
    }
    out
}
