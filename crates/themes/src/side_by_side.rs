//! Two documents side by side: the themes they share, the themes each has
//! alone, and for each shared theme the two sentences, one from each, that
//! come closest (cosine of their embeddings).
//!
//! A document has a theme when any of its sentences is in it: themes are
//! given passage by passage, so that is at least a passage on the subject
//! (or an aside inside one).

use crate::kmeans::normalize_rows;
use crate::{Assignment, ThemeId, ThemeSnapshot};
use ndarray::{Array2, ArrayView2, Axis};
use precis_core::Sentence;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

/// What `precis compare-docs` prints.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SideBySide {
    pub a: String,
    pub b: String,
    /// Themes both documents have, by the smaller of their two shares,
    /// largest first.
    pub shared: Vec<SharedTheme>,
    pub only_a: Vec<OwnTheme>,
    pub only_b: Vec<OwnTheme>,
}

/// A theme both documents have.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SharedTheme {
    pub theme: ThemeId,
    pub label: String,
    pub share_a: f64,
    pub share_b: f64,
    /// The closest pair of sentences in the theme, one from each document.
    pub closest: ClosestPair,
}

/// Two sentences, one of each document.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ClosestPair {
    pub index_a: usize,
    pub text_a: String,
    pub index_b: usize,
    pub text_b: String,
    /// Cosine similarity of their embeddings, rounded to 4 decimals.
    pub similarity: f32,
}

/// A theme only one of the documents has.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct OwnTheme {
    pub theme: ThemeId,
    pub label: String,
    pub share: f64,
}

/// Compares documents `a` and `b` (doc ids) of one run. `sentences` and
/// `embeddings` are row for row with `themes.assignments`. `None` names a
/// document the run does not have.
pub fn side_by_side(
    a: &str,
    b: &str,
    themes: &ThemeSnapshot,
    sentences: &[Sentence],
    embeddings: ArrayView2<f32>,
) -> Result<SideBySide, String> {
    assert_eq!(
        sentences.len(),
        themes.assignments.len(),
        "one theme per sentence"
    );
    assert_eq!(
        sentences.len(),
        embeddings.nrows(),
        "one embedding per sentence"
    );
    let label: BTreeMap<ThemeId, &str> = themes
        .set
        .themes
        .iter()
        .map(|t| (t.id, t.label.as_str()))
        .collect();
    let shares = |doc: &str| -> Result<BTreeMap<ThemeId, f64>, String> {
        themes
            .documents
            .iter()
            .find(|d| d.doc_id == doc)
            .map(|d| d.themes.iter().map(|s| (s.theme, s.share)).collect())
            .ok_or_else(|| {
                format!("no document `{doc}` in this run (doc ids are in themes/documents.jsonl)")
            })
    };
    let (shares_a, shares_b) = (shares(a)?, shares(b)?);
    let members = Members::of(sentences, &themes.assignments, embeddings, |doc: &str| {
        doc == a || doc == b
    });
    let name = |theme: ThemeId| label.get(&theme).copied().unwrap_or_default().to_string();

    let mut shared: Vec<SharedTheme> = shares_a
        .iter()
        .filter_map(|(&theme, &share_a)| {
            let &share_b = shares_b.get(&theme)?;
            let (in_a, in_b) = (members.get(&(theme, a))?, members.get(&(theme, b))?);
            // The search runs in doc-id order, as `closest_pairs` runs it, so
            // that ties fall the same way here and in the report.
            let pair = if a <= b {
                closest(in_a, in_b)
            } else {
                let pair = closest(in_b, in_a);
                PairIndices {
                    index_first: pair.index_second,
                    index_second: pair.index_first,
                    ..pair
                }
            };
            let text = |doc: &str, index: usize| {
                sentences
                    .iter()
                    .find(|s| s.doc_id == doc && s.index == index)
                    .map(|s| s.text.clone())
                    .unwrap_or_default()
            };
            Some(SharedTheme {
                theme,
                label: name(theme),
                share_a,
                share_b,
                closest: ClosestPair {
                    index_a: pair.index_first,
                    text_a: text(a, pair.index_first),
                    index_b: pair.index_second,
                    text_b: text(b, pair.index_second),
                    similarity: pair.similarity,
                },
            })
        })
        .collect();
    shared.sort_by(|x, y| {
        let smaller = |t: &SharedTheme| t.share_a.min(t.share_b);
        smaller(y)
            .total_cmp(&smaller(x))
            .then(x.theme.cmp(&y.theme))
    });
    let own = |mine: &BTreeMap<ThemeId, f64>, other: &BTreeMap<ThemeId, f64>| {
        let mut own: Vec<OwnTheme> = mine
            .iter()
            .filter(|(theme, _)| !other.contains_key(theme))
            .map(|(&theme, &share)| OwnTheme {
                theme,
                label: name(theme),
                share,
            })
            .collect();
        own.sort_by(|x, y| y.share.total_cmp(&x.share).then(x.theme.cmp(&y.theme)));
        own
    };
    Ok(SideBySide {
        a: a.to_string(),
        b: b.to_string(),
        only_a: own(&shares_a, &shares_b),
        only_b: own(&shares_b, &shares_a),
        shared,
    })
}

/// The closest pair of sentences of one theme, one of each of two
/// documents: their indices in their documents and the cosine of their
/// embeddings, rounded to 4 decimals.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
pub struct PairIndices {
    pub index_first: usize,
    pub index_second: usize,
    pub similarity: f32,
}

/// One theme's closest pairs across documents: what [`side_by_side`] gives
/// for every two documents that have the theme.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ThemePairs {
    pub theme: ThemeId,
    /// The documents that have the theme, in doc-id order.
    pub documents: Vec<String>,
    /// One per pair of `documents`, in the order (0, 1), (0, 2), … (1, 2), …;
    /// `first` is the pair's earlier document.
    pub closest: Vec<PairIndices>,
}

/// Most document pairs, over all themes, whose closest sentences the themes
/// stage writes (`themes/closest_pairs.json`): about 15 MB of the file and
/// 4 MB of the report's page, at most. Past it the search,
/// which grows with the square of the documents, is left to
/// `precis compare-docs`, two documents at a time.
pub const MOST_CLOSEST_PAIRS: usize = 250_000;

/// For every theme, the closest pair of sentences of every two documents
/// that have it (the pairs of [`side_by_side`]), or `None` when there are
/// more than `most` pairs in all: the search costs a product of every two
/// of a theme's sentences in different documents, and the answer grows with
/// the square of the documents.
pub fn closest_pairs(
    sentences: &[Sentence],
    assignments: &[Assignment],
    embeddings: ArrayView2<f32>,
    most: usize,
) -> Option<Vec<ThemePairs>> {
    let mut documents: BTreeMap<ThemeId, BTreeSet<&str>> = BTreeMap::new();
    for (s, a) in sentences.iter().zip(assignments) {
        documents.entry(a.theme).or_default().insert(&s.doc_id);
    }
    let pairs: usize = documents
        .values()
        .map(|d| d.len() * d.len().saturating_sub(1) / 2)
        .sum();
    if pairs > most {
        return None;
    }
    let members = Members::of(sentences, assignments, embeddings, |_| true);
    Some(
        documents
            .into_iter()
            .map(|(theme, documents)| {
                let documents: Vec<&str> = documents.into_iter().collect();
                let mut closest_pairs = Vec::new();
                for (x, first) in documents.iter().enumerate() {
                    for second in &documents[x + 1..] {
                        closest_pairs.push(closest(
                            &members[&(theme, *first)],
                            &members[&(theme, *second)],
                        ));
                    }
                }
                ThemePairs {
                    theme,
                    documents: documents.into_iter().map(str::to_string).collect(),
                    closest: closest_pairs,
                }
            })
            .collect(),
    )
}

/// One document's sentences in one theme: their indices, in reading order,
/// and their unit vectors, row for row.
struct Members {
    indices: Vec<usize>,
    unit: Array2<f32>,
}

impl Members {
    /// The members of every (theme, document) whose document is `wanted`.
    fn of<'s>(
        sentences: &'s [Sentence],
        assignments: &[Assignment],
        embeddings: ArrayView2<f32>,
        wanted: impl Fn(&str) -> bool,
    ) -> HashMap<(ThemeId, &'s str), Members> {
        let mut rows: BTreeMap<(ThemeId, &str), Vec<usize>> = BTreeMap::new();
        for (r, (s, a)) in sentences.iter().zip(assignments).enumerate() {
            if wanted(&s.doc_id) {
                rows.entry((a.theme, s.doc_id.as_str()))
                    .or_default()
                    .push(r);
            }
        }
        rows.into_iter()
            .map(|(key, mut rows)| {
                rows.sort_by_key(|&r| sentences[r].index);
                let mut unit = embeddings.select(Axis(0), &rows);
                normalize_rows(&mut unit);
                let indices = rows.iter().map(|&r| sentences[r].index).collect();
                (key, Members { indices, unit })
            })
            .collect()
    }
}

/// The closest pair of sentences, one of `first` and one of `second`; ties
/// go to the earlier sentence of `first`, then of `second`.
fn closest(first: &Members, second: &Members) -> PairIndices {
    let cosines = first.unit.dot(&second.unit.t());
    let mut best = (f32::NEG_INFINITY, 0, 0);
    for ((i, j), &cosine) in cosines.indexed_iter() {
        if cosine > best.0 {
            best = (cosine, i, j);
        }
    }
    PairIndices {
        index_first: first.indices[best.1],
        index_second: second.indices[best.2],
        similarity: (best.0 * 1e4).round() / 1e4,
    }
}

impl fmt::Display for SideBySide {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "A: {}\nB: {}\n", self.a, self.b)?;
        writeln!(f, "shared themes ({}):", self.shared.len())?;
        for t in &self.shared {
            writeln!(
                f,
                "  {:>4}  {}  (A {:.0}%, B {:.0}%)",
                t.theme,
                t.label,
                100.0 * t.share_a,
                100.0 * t.share_b
            )?;
            let pair = &t.closest;
            writeln!(f, "        A #{}: {}", pair.index_a, pair.text_a)?;
            writeln!(f, "        B #{}: {}", pair.index_b, pair.text_b)?;
            writeln!(f, "        (cosine {:.3})", pair.similarity)?;
        }
        for (name, themes) in [("only in A", &self.only_a), ("only in B", &self.only_b)] {
            writeln!(f, "\n{name} ({}):", themes.len())?;
            for t in themes {
                writeln!(
                    f,
                    "  {:>4}  {}  ({:.0}%)",
                    t.theme,
                    t.label,
                    100.0 * t.share
                )?;
            }
        }
        Ok(())
    }
}
