//! Keyword density: how much of a sentence is made of the words its
//! document keeps coming back to (after Luhn 1958 and SumBasic).
//!
//! Embeddings say what a sentence is about; this says whether it is built
//! from the document's own recurring vocabulary, which marks the sentences
//! that carry the main thread rather than an aside.

use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashMap;

/// For each sentence, `sum(ln(count of w in the document)) / (content words + 2)`
/// over its content words (stemmed, stop words dropped), scaled so that the
/// densest sentence scores 1. Words used once contribute nothing; the `+ 2`
/// keeps two-word fragments from topping the list.
pub(crate) fn keyword_density(texts: &[&str]) -> Vec<f64> {
    let stemmer = Stemmer::create(Algorithm::English);
    let sentences: Vec<Vec<String>> = texts
        .iter()
        .map(|text| content_words(text, &stemmer))
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for word in sentences.iter().flatten() {
        *counts.entry(word.as_str()).or_default() += 1;
    }
    let density: Vec<f64> = sentences
        .iter()
        .map(|words| {
            let weight: f64 = words.iter().map(|w| (counts[w.as_str()] as f64).ln()).sum();
            weight / (words.len() as f64 + 2.0)
        })
        .collect();
    let top = density.iter().copied().fold(0.0, f64::max);
    if top > 0.0 {
        density.into_iter().map(|d| d / top).collect()
    } else {
        density
    }
}

/// Lower-cased, stemmed words of the text that are not stop words.
fn content_words(text: &str, stemmer: &Stemmer) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .map(|w| w.trim_matches(['\'', '’']).to_lowercase())
        .filter(|w| !w.is_empty() && !is_stop_word(w))
        .map(|w| stemmer.stem(&w).into_owned())
        .collect()
}

fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// Common English function words, sorted for binary search.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "even",
    "ever", "every", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her",
    "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it",
    "it's", "its", "itself", "just", "may", "me", "might", "more", "most", "much", "must", "my",
    "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other",
    "our", "ours", "ourselves", "out", "over", "own", "said", "same", "say", "says", "shall",
    "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
    "themselves", "then", "there", "these", "they", "this", "those", "though", "through", "thus",
    "to", "too", "under", "until", "up", "upon", "us", "very", "was", "we", "were", "what", "when",
    "where", "which", "while", "who", "whom", "why", "will", "with", "would", "yet", "you", "your",
    "yours", "yourself",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn recurring_words_make_a_sentence_dense() {
        let texts = [
            "The river floods the valley.",
            "Floods of the river shape the valley.",
            "A cat sat nearby.",
        ];
        let density = keyword_density(&texts);
        assert!(density[1] > density[2]);
        assert!(density[0] > density[2]);
        assert_eq!(density[2], 0.0);
        assert!(density.contains(&1.0));
    }
}
