//! The outline of a document with sections: each section's heading and the
//! one sentence that best carries it, nested as the sections are.

use crate::select::select_sentences_with;
use crate::SelectionParams;
use ndarray::{ArrayView2, Axis};
use precis_core::{CharIndex, Document, Heading, Sentence};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// One section of a document's outline.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct OutlineSection {
    /// The heading's text.
    pub heading: String,
    /// The text of the sentence that best carries the section; with `index`,
    /// `None` only for a section without a sentence of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentence: Option<String>,
    /// That sentence's `index` in its document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    /// The sections within this one, in order.
    pub children: Vec<OutlineSection>,
}

/// The outline of `document`: its sections, nested by heading level, each
/// with the sentence that best carries it. `sentences` are all of the
/// document's sentences in order, `embeddings` one row per sentence.
///
/// A section is a heading and the paragraphs up to the next heading of its
/// level or a shallower one; subsections are the sections inside it. Its
/// sentence is the one [`select_sentences_with`] (the summaries' own
/// scorer) picks from the section's sentences, headings left out, and, for
/// a section with subsections, the sentences they already quote left out
/// too, so that no sentence is quoted twice.
///
/// A heading that opens the document with no other heading at its level or
/// above names the document (a Markdown `# Title`) and is not a section.
/// A document with fewer than two sections has no outline: an empty list.
///
/// # Panics
/// If `embeddings` does not have one row per sentence.
pub fn outline(
    document: &Document,
    sentences: &[Sentence],
    embeddings: ArrayView2<f32>,
    params: &SelectionParams,
) -> Vec<OutlineSection> {
    assert_eq!(embeddings.nrows(), sentences.len(), "one row per sentence");
    let headings = sections(&document.headings);
    if headings.len() < 2 {
        return Vec::new();
    }
    let heading_paragraphs: HashSet<usize> =
        document.headings.iter().map(|h| h.paragraph).collect();
    // The candidate rows by paragraph: every sentence outside a heading.
    let paragraph_of: Vec<Option<usize>> = sentences
        .iter()
        .map(|s| Some(document.paragraph_of(s.start)).filter(|p| !heading_paragraphs.contains(p)))
        .collect();
    let outliner = Outliner {
        document,
        index: CharIndex::new(&document.text),
        sentences,
        embeddings,
        params,
        paragraph_of,
    };
    let mut at = 0;
    let mut roots = Vec::new();
    while at < headings.len() {
        let (section, next) = outliner.section(headings, at, &mut HashSet::new());
        roots.push(section);
        at = next;
    }
    roots
}

/// The headings that open sections: all of them, less a title heading.
fn sections(headings: &[Heading]) -> &[Heading] {
    match headings.split_first() {
        Some((first, rest))
            if first.paragraph == 0 && rest.iter().all(|h| h.level > first.level) =>
        {
            rest
        }
        _ => headings,
    }
}

/// What building one document's outline reads.
struct Outliner<'a, 'v> {
    document: &'a Document,
    index: CharIndex,
    sentences: &'a [Sentence],
    embeddings: ArrayView2<'v, f32>,
    params: &'a SelectionParams,
    /// Each sentence's paragraph, `None` for a heading's.
    paragraph_of: Vec<Option<usize>>,
}

impl Outliner<'_, '_> {
    /// The section headed by `headings[at]`, and the position of the first
    /// heading after it. Adds the rows its sentence and its subsections'
    /// sentences quote to `quoted`.
    fn section(
        &self,
        headings: &[Heading],
        at: usize,
        quoted: &mut HashSet<usize>,
    ) -> (OutlineSection, usize) {
        let heading = headings[at];
        let mut next = at + 1;
        let mut children = Vec::new();
        while next < headings.len() && headings[next].level > heading.level {
            let (child, after) = self.section(headings, next, quoted);
            children.push(child);
            next = after;
        }
        let end = headings
            .get(next)
            .map_or(self.document.paragraphs.len(), |h| h.paragraph);
        let rows: Vec<usize> = (0..self.sentences.len())
            .filter(|row| !quoted.contains(row))
            .filter(|&row| {
                self.paragraph_of[row].is_some_and(|p| (heading.paragraph..end).contains(&p))
            })
            .collect();
        let texts: Vec<&str> = rows
            .iter()
            .map(|&row| self.sentences[row].text.as_str())
            .collect();
        let chosen = select_sentences_with(
            &texts,
            self.embeddings.select(Axis(0), &rows).view(),
            1,
            self.params,
        )
        .first()
        .map(|&position| rows[position]);
        quoted.extend(chosen);
        let span = self.document.paragraphs[heading.paragraph];
        let section = OutlineSection {
            heading: self.document.text[self.index.byte_range(span)]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            sentence: chosen.map(|row| self.sentences[row].text.trim().to_owned()),
            index: chosen.map(|row| self.sentences[row].index),
            children,
        };
        (section, next)
    }
}
