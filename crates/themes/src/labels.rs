//! Theme labels: one short phrase per theme, no two alike.
//!
//! A label is the most relevant phrase of two or more words among the
//! theme's candidates ("night buses", "exam marks") that shares a word with
//! its keywords (so it names what the keywords say, not a turn of phrase
//! such as "time spent"), or, where the theme has none, its top keyword. Labels are given in order of theme size, and a
//! label whose head word (its last word, stemmed: "buses" and "bus" are one)
//! is already another theme's is passed over for the theme's next
//! candidate, so two themes never read as one subject.

use crate::keywords::ThemeWords;
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashSet;

/// The label of every theme; `words` is in order of theme size, largest first.
pub(crate) fn distinct(words: &[ThemeWords]) -> Vec<String> {
    let stemmer = Stemmer::create(Algorithm::English);
    let head = |label: &str| {
        let last = label.rsplit(' ').next().unwrap_or(label);
        stemmer.stem(last).into_owned()
    };
    let mut taken: HashSet<String> = HashSet::new();
    let mut labels = Vec::with_capacity(words.len());
    for w in words {
        let keyword_words: HashSet<&str> = w.keywords.iter().flat_map(|k| k.split(' ')).collect();
        let candidates = w
            .phrases
            .iter()
            .filter(|p| p.split(' ').any(|word| keyword_words.contains(word)))
            .chain(&w.keywords);
        let fresh = candidates.clone().find(|c| !taken.contains(&head(c)));
        // Every candidate's head taken: the top keywords together still
        // tell the theme apart.
        let label = fresh.cloned().unwrap_or_else(|| {
            w.keywords
                .iter()
                .take(2)
                .cloned()
                .collect::<Vec<_>>()
                .join(" · ")
        });
        taken.insert(head(&label));
        labels.push(label);
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(keywords: &[&str], phrases: &[&str]) -> ThemeWords {
        ThemeWords {
            keywords: keywords.iter().map(|s| s.to_string()).collect(),
            phrases: phrases.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn a_phrase_beats_a_single_word() {
        let labels = distinct(&[words(&["buses", "night"], &["night buses"])]);
        assert_eq!(labels, vec!["night buses"]);
    }

    #[test]
    fn a_taken_head_word_passes_to_the_next_candidate() {
        let themes = [
            words(&["bus", "route"], &["night bus"]),
            words(&["buses", "school"], &["school bus", "school run"]),
        ];
        let labels = distinct(&themes);
        assert_eq!(labels, vec!["night bus", "school run"]);
    }

    #[test]
    fn a_phrase_must_share_a_word_with_the_keywords() {
        let labels = distinct(&[words(&["reading", "exam"], &["time spent", "exam marks"])]);
        assert_eq!(labels, vec!["exam marks"]);
    }

    #[test]
    fn without_phrases_the_top_keyword_is_the_label() {
        let labels = distinct(&[words(&["harbour", "boats"], &[])]);
        assert_eq!(labels, vec!["harbour"]);
    }
}
