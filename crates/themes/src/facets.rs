//! Themes by facet: how the documents that share a value of a facet (a
//! folder, an author, a year) spread over the themes, and which themes are
//! distinctive of them against the rest of the collection.
//!
//! A value's share of a theme is the fraction of its sentences in it. A theme
//! is *distinctive* of a value when the value uses it more than the other
//! documents do, by the log-odds ratio with an informative Dirichlet prior
//! (Monroe, Colaresi & Quinn 2008, "Fightin' Words", §3.5): the prior is the
//! whole collection's theme counts (documents without a value included), so a theme that few sentences carry
//! needs more evidence before it stands out, and the z-score of the
//! difference (its estimate over its standard error) says how sure that is.
//! Distinctive means z above 1.96, the two-sided 95% point of the normal.

use crate::kmeans::normalize_rows;
use crate::{representatives, Assignment, ThemeId};
use ndarray::{Array1, ArrayView2};
use precis_core::{Sentence, SentenceRef};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// z above which a theme is distinctive of a value.
const DISTINCTIVE_Z: f64 = 1.96;

/// Sentences quoted for each distinctive theme of a value.
const EXAMPLES: usize = 3;

/// One value of a facet and its themes: a line of `themes/by_<facet>.jsonl`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct FacetThemes {
    pub facet: String,
    pub value: String,
    /// Documents with this value, and their sentences.
    pub documents: usize,
    pub sentences: usize,
    /// Every theme of the run, by id.
    pub themes: Vec<FacetTheme>,
    /// The distinctive themes, most distinctive first.
    pub distinctive: Vec<DistinctiveTheme>,
}

/// A theme's place in one facet value's sentences.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct FacetTheme {
    pub theme: ThemeId,
    /// This value's sentences in the theme, and their fraction of the
    /// value's sentences.
    pub sentences: usize,
    pub share: f64,
    /// The log-odds ratio of the theme in this value against the rest, with
    /// the collection as prior, and its z-score (rounded to 4 decimals).
    pub log_odds: f64,
    pub z: f64,
}

/// A theme distinctive of a value, with sentences of the value that carry it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct DistinctiveTheme {
    pub theme: ThemeId,
    pub z: f64,
    /// The value's sentences nearest the theme's centre, from as many of its
    /// documents as there are examples where it can.
    pub examples: Vec<FacetExample>,
}

/// A sentence quoted for a distinctive theme.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct FacetExample {
    pub doc_id: String,
    pub index: usize,
    pub text: String,
}

/// The themes of every value of `facet`, in value order. `value_of` maps a
/// document id to its value; documents without one are left out, and so is
/// the rest of the collection's side for a facet with a single value (its
/// z-scores are 0: there is nothing to be distinctive against).
/// `assignments`, `sentences` and `embeddings` are row for row;
/// `centroids` are the themes' centres (`Theme::centroid`).
///
/// ```
/// use ndarray::Array2;
/// use precis_core::Sentence;
/// use precis_themes::{by_facet, Assignment};
/// use std::collections::BTreeMap;
///
/// let row = |doc: &str, index: usize, theme: u32| {
///     let text = format!("{doc} {index}.");
///     let sentence = Sentence { doc_id: doc.into(), index, start: 0, end: text.len(), text };
///     let assignment = Assignment { doc_id: doc.into(), index, theme, margin: 0.1, low_confidence: false };
///     (sentence, assignment)
/// };
/// let rows: Vec<_> = (0..40).map(|i| row("a", i, 0)).chain((0..40).map(|i| row("b", i, 1))).collect();
/// let (sentences, assignments): (Vec<_>, Vec<_>) = rows.into_iter().unzip();
/// let embeddings = Array2::from_shape_fn((80, 2), |(i, j)| if (i < 40) == (j == 0) { 1.0 } else { 0.0 });
/// let centroids = BTreeMap::from([(0, vec![1.0, 0.0]), (1, vec![0.0, 1.0])]);
/// let value_of = BTreeMap::from([("a".to_string(), "bacon".to_string()), ("b".into(), "emerson".into())]);
/// let table = by_facet("author", &value_of, &assignments, &sentences, embeddings.view(), &centroids);
/// assert_eq!(table[0].value, "bacon");
/// assert_eq!(table[0].themes[0].share, 1.0);
/// assert_eq!(table[0].distinctive[0].theme, 0);
/// assert_eq!(table[1].distinctive[0].theme, 1);
/// ```
pub fn by_facet(
    facet: &str,
    value_of: &BTreeMap<String, String>,
    assignments: &[Assignment],
    sentences: &[Sentence],
    embeddings: ArrayView2<f32>,
    centroids: &BTreeMap<ThemeId, Vec<f32>>,
) -> Vec<FacetThemes> {
    assert_eq!(
        assignments.len(),
        sentences.len(),
        "one assignment per sentence"
    );
    assert_eq!(
        embeddings.nrows(),
        sentences.len(),
        "one embedding per sentence"
    );
    let mut unit = embeddings.to_owned();
    normalize_rows(&mut unit);
    let mut themes: Vec<ThemeId> = assignments.iter().map(|a| a.theme).collect();
    themes.sort_unstable();
    themes.dedup();
    let column: HashMap<ThemeId, usize> = themes.iter().enumerate().map(|(c, &t)| (t, c)).collect();

    // Sentence counts per value and theme, over the documents with a value.
    let mut counts: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut rows_of: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (row, a) in assignments.iter().enumerate() {
        if let Some(value) = value_of.get(&a.doc_id) {
            counts
                .entry(value.as_str())
                .or_insert_with(|| vec![0.0; themes.len()])[column[&a.theme]] += 1.0;
            rows_of.entry(value.as_str()).or_default().push(row);
        }
    }
    // The prior: the whole collection, documents without a value included,
    // so that every theme has some.
    let mut prior = vec![0.0; themes.len()];
    for a in assignments {
        prior[column[&a.theme]] += 1.0;
    }
    let prior_total = assignments.len() as f64;
    let mut totals = vec![0.0; themes.len()];
    for c in counts.values() {
        for (total, x) in totals.iter_mut().zip(c) {
            *total += x;
        }
    }
    let all: f64 = totals.iter().sum();
    let several = counts.len() > 1;

    counts
        .iter()
        .map(|(&value, own)| {
            let rest: Vec<f64> = totals.iter().zip(own).map(|(t, o)| t - o).collect();
            let own_total: f64 = own.iter().sum();
            let rest_total = all - own_total;
            let rows = &rows_of[value];
            let mut documents: Vec<&str> = rows
                .iter()
                .map(|&r| assignments[r].doc_id.as_str())
                .collect();
            documents.sort_unstable();
            documents.dedup();
            let entries: Vec<FacetTheme> = themes
                .iter()
                .enumerate()
                .map(|(c, &theme)| {
                    let (log_odds, z) = if several {
                        log_odds_z(
                            own[c],
                            own_total,
                            rest[c],
                            rest_total,
                            prior[c],
                            prior_total,
                        )
                    } else {
                        (0.0, 0.0)
                    };
                    FacetTheme {
                        theme,
                        sentences: own[c] as usize,
                        share: round4(own[c] / own_total),
                        log_odds: round4(log_odds),
                        z: round4(z),
                    }
                })
                .collect();
            let mut distinctive: Vec<&FacetTheme> =
                entries.iter().filter(|e| e.z > DISTINCTIVE_Z).collect();
            distinctive.sort_by(|a, b| b.z.total_cmp(&a.z).then(a.theme.cmp(&b.theme)));
            let distinctive = distinctive
                .into_iter()
                .map(|e| DistinctiveTheme {
                    theme: e.theme,
                    z: e.z,
                    examples: examples(
                        rows,
                        e.theme,
                        &centroids[&e.theme],
                        assignments,
                        sentences,
                        unit.view(),
                    ),
                })
                .collect();
            FacetThemes {
                facet: facet.to_string(),
                value: value.to_string(),
                documents: documents.len(),
                sentences: own_total as usize,
                themes: entries,
                distinctive,
            }
        })
        .collect()
}

/// Monroe et al.'s δ and its z for one theme: `own` of `own_total`
/// sentences of the value in it, `rest` of `rest_total` of the others, the
/// prior `prior` of `prior_total` (the whole collection's counts).
fn log_odds_z(
    own: f64,
    own_total: f64,
    rest: f64,
    rest_total: f64,
    prior: f64,
    prior_total: f64,
) -> (f64, f64) {
    let log_odds = |y: f64, n: f64| ((y + prior) / (n + prior_total - y - prior)).ln();
    let delta = log_odds(own, own_total) - log_odds(rest, rest_total);
    let variance = 1.0 / (own + prior) + 1.0 / (rest + prior);
    (delta, delta / variance.sqrt())
}

/// The value's sentences in `theme` nearest its centre, one per document
/// first, as the theme's own representatives are chosen; at most
/// [`EXAMPLES`].
fn examples(
    rows: &[usize],
    theme: ThemeId,
    centroid: &[f32],
    assignments: &[Assignment],
    sentences: &[Sentence],
    unit: ArrayView2<f32>,
) -> Vec<FacetExample> {
    let in_theme: Vec<usize> = rows
        .iter()
        .copied()
        .filter(|&r| assignments[r].theme == theme)
        .collect();
    let identity: Vec<usize> = (0..sentences.len()).collect();
    let centroid = Array1::from(centroid.to_vec());
    representatives(&in_theme, unit, &centroid, &identity, sentences, EXAMPLES)
        .into_iter()
        .map(|r| {
            let row = row_of(&in_theme, sentences, &r);
            FacetExample {
                doc_id: r.doc_id,
                index: r.index,
                text: sentences[row].text.clone(),
            }
        })
        .collect()
}

/// The row among `rows` of the sentence `r` names.
fn row_of(rows: &[usize], sentences: &[Sentence], r: &SentenceRef) -> usize {
    *rows
        .iter()
        .find(|&&row| sentences[row].doc_id == r.doc_id && sentences[row].index == r.index)
        .expect("a representative is one of the rows")
}

fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_count_needs_more_evidence_than_a_large_one() {
        // The same 3-to-1 ratio of rates, on 4 sentences and on 40.
        let small = log_odds_z(3.0, 100.0, 1.0, 100.0, 4.0, 200.0).1;
        let large = log_odds_z(30.0, 100.0, 10.0, 100.0, 40.0, 200.0).1;
        assert!(small < DISTINCTIVE_Z, "z {small}");
        assert!(large > DISTINCTIVE_Z, "z {large}");
    }

    #[test]
    fn equal_rates_are_not_distinctive() {
        let (delta, z) = log_odds_z(10.0, 100.0, 20.0, 200.0, 30.0, 300.0);
        assert!(delta.abs() < 1e-12 && z.abs() < 1e-12, "{delta} {z}");
    }
}
