//! The data the page's script reads, embedded in the page as JSON: the
//! cards, every essay's sentences with their themes, the similarities, and
//! what setting two essays side by side needs.

use super::cards::{EssayCard, ThemeCard};
use super::pairs::SideBySideData;
use super::similarity::SimilarityValues;
use super::Index;
use precis_themes::ThemeId;
use serde::Serialize;
use std::collections::HashMap;

/// What the page's script reads: the themes and essays as the cards show
/// them, every sentence with its theme, and the similarity values.
#[derive(Serialize, Debug)]
pub(super) struct Data<'a> {
    pub(super) themes: &'a [ThemeCard],
    pub(super) essays: &'a [EssayCard],
    /// One per essay, in the order of `essays`.
    pub(super) texts: &'a [EssayText],
    pub(super) similarity: &'a SimilarityValues,
    pub(super) side_by_side: &'a SideBySideData,
}

/// An essay's sentences, for the essay pages, theme pages and search.
#[derive(Serialize, Debug)]
pub(super) struct EssayText {
    /// The text of each sentence, in order.
    sentences: Vec<String>,
    /// Each sentence's theme, as its position among the themes (by id), or
    /// -1 for none.
    pub(super) themes: Vec<i64>,
    /// The sentences that begin a paragraph, by index.
    paragraphs: Vec<usize>,
}

/// Each document's sentences in order, with their themes and paragraphs.
pub(super) fn essay_texts(index: &Index) -> Vec<EssayText> {
    let input = index.input;
    let theme: HashMap<(&str, usize), ThemeId> = input
        .assignments
        .iter()
        .map(|a| ((a.doc_id.as_str(), a.index), a.theme))
        .collect();
    let mut sentences: Vec<Vec<&precis_core::Sentence>> = vec![Vec::new(); input.documents.len()];
    for sentence in input.sentences {
        if let Some(&d) = index.document.get(sentence.doc_id.as_str()) {
            sentences[d].push(sentence);
        }
    }
    input
        .documents
        .iter()
        .zip(&mut sentences)
        .map(|(document, sentences)| {
            sentences.sort_by_key(|s| s.index);
            // A sentence begins a paragraph when it starts in another
            // paragraph than the sentence before it.
            let mut paragraph = 0;
            let mut paragraphs = Vec::new();
            for (i, s) in sentences.iter().enumerate() {
                let before = paragraph;
                while paragraph + 1 < document.paragraphs.len()
                    && document.paragraphs[paragraph].1 <= s.start
                {
                    paragraph += 1;
                }
                if i == 0 || paragraph != before {
                    paragraphs.push(i);
                }
            }
            EssayText {
                sentences: sentences
                    .iter()
                    .map(|s| s.text.trim().to_string())
                    .collect(),
                themes: sentences
                    .iter()
                    .map(|s| {
                        theme
                            .get(&(s.doc_id.as_str(), s.index))
                            .and_then(|t| index.theme.get(t))
                            .map_or(-1, |&p| p as i64)
                    })
                    .collect(),
                paragraphs,
            }
        })
        .collect()
}
