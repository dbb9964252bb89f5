//! Two documents side by side: the themes they share, the themes each has
//! alone, and for each shared theme the two sentences, one from each, that
//! come closest (cosine of their embeddings).
//!
//! A document has a theme when any of its sentences is in it: themes are
//! given passage by passage, so that is at least a passage on the subject
//! (or an aside inside one).

use crate::{ThemeId, ThemeSnapshot};
use ndarray::ArrayView2;
use precis_core::Sentence;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
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
    let rows = |doc: &str, theme: ThemeId| -> Vec<usize> {
        (0..sentences.len())
            .filter(|&r| sentences[r].doc_id == doc && themes.assignments[r].theme == theme)
            .collect()
    };
    let norm = |r: usize| {
        embeddings
            .row(r)
            .dot(&embeddings.row(r))
            .sqrt()
            .max(f32::MIN_POSITIVE)
    };
    let name = |theme: ThemeId| label.get(&theme).copied().unwrap_or_default().to_string();

    let mut shared: Vec<SharedTheme> = shares_a
        .iter()
        .filter_map(|(&theme, &share_a)| {
            let &share_b = shares_b.get(&theme)?;
            let (in_a, in_b) = (rows(a, theme), rows(b, theme));
            // Ties: the earlier sentences (rows are in reading order).
            let mut best: Option<(f32, usize, usize)> = None;
            for &i in &in_a {
                for &j in &in_b {
                    let cosine = embeddings.row(i).dot(&embeddings.row(j)) / (norm(i) * norm(j));
                    if best.map_or(true, |(s, _, _)| cosine > s) {
                        best = Some((cosine, i, j));
                    }
                }
            }
            let (similarity, i, j) = best?;
            Some(SharedTheme {
                theme,
                label: name(theme),
                share_a,
                share_b,
                closest: ClosestPair {
                    index_a: sentences[i].index,
                    text_a: sentences[i].text.clone(),
                    index_b: sentences[j].index,
                    text_b: sentences[j].text.clone(),
                    similarity: (similarity * 1e4).round() / 1e4,
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
