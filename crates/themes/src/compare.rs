//! Comparing two runs' themes (`precis compare`).
//!
//! Themes are aligned one-to-one by an optimal assignment on centroid cosine
//! similarity (as ids are carried between runs). Sentences are shared when
//! both runs have a sentence with the same `doc_id` and `index`; the
//! agreement of the two partitions of the shared sentences is measured by
//! the adjusted Rand index and normalised mutual information, which need no
//! alignment at all.

use crate::identity::{align, round6};
use crate::metrics::{adjusted_rand_index, normalized_mutual_information};
use crate::{Assignment, DocumentThemes, Theme, ThemeId, ThemeSet};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// Least centroid similarity for two themes to be aligned.
pub const ALIGN_SIMILARITY: f32 = 0.7;

/// One run's themes as read back from its folder.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct ThemeSnapshot {
    pub set: ThemeSet,
    pub assignments: Vec<Assignment>,
    pub documents: Vec<DocumentThemes>,
}

/// A theme of run A aligned with one of run B.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AlignedTheme {
    pub a: ComparedTheme,
    pub b: ComparedTheme,
    /// Cosine similarity of the centroids.
    pub similarity: f32,
    /// Shared sentences that are in theme `a` in A and theme `b` in B.
    pub common_sentences: usize,
}

/// A theme as a comparison shows it: its id, label and size in its run
/// (not a summary: that is `precis_summarize::ThemeSummary`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ComparedTheme {
    pub id: ThemeId,
    pub label: String,
    pub size: usize,
}

impl From<&Theme> for ComparedTheme {
    fn from(theme: &Theme) -> Self {
        Self {
            id: theme.id,
            label: theme.label.clone(),
            size: theme.size,
        }
    }
}

/// A document whose dominant theme in B is not the one aligned with its
/// dominant theme in A.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct DominantChange {
    pub doc_id: String,
    pub a: ThemeId,
    pub b: ThemeId,
}

/// How two runs' themes differ.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Comparison {
    /// Aligned pairs, by A's id.
    pub aligned: Vec<AlignedTheme>,
    pub only_a: Vec<ComparedTheme>,
    pub only_b: Vec<ComparedTheme>,
    /// Documents in both runs whose dominant theme changed, by doc id.
    pub changed_documents: Vec<DominantChange>,
    /// Documents in both runs.
    pub shared_documents: usize,
    /// Sentences (same doc id and index) in both runs.
    pub shared_sentences: usize,
    /// Over the shared sentences; 1 when identical up to renaming.
    pub adjusted_rand_index: f64,
    pub normalized_mutual_information: f64,
}

/// Compares run `a` with run `b`.
pub fn compare(a: &ThemeSnapshot, b: &ThemeSnapshot) -> Comparison {
    let centroids_a: Vec<&[f32]> = a.set.themes.iter().map(|t| t.centroid.as_slice()).collect();
    let centroids_b: Vec<&[f32]> = b.set.themes.iter().map(|t| t.centroid.as_slice()).collect();
    let pairs = align(&centroids_a, &centroids_b, ALIGN_SIMILARITY);

    let b_theme: HashMap<(&str, usize), ThemeId> = b
        .assignments
        .iter()
        .map(|s| ((s.doc_id.as_str(), s.index), s.theme))
        .collect();
    let shared: Vec<(ThemeId, ThemeId)> = a
        .assignments
        .iter()
        .filter_map(|s| {
            b_theme
                .get(&(s.doc_id.as_str(), s.index))
                .map(|&t| (s.theme, t))
        })
        .collect();
    let mut common: BTreeMap<(ThemeId, ThemeId), usize> = BTreeMap::new();
    for &pair in &shared {
        *common.entry(pair).or_default() += 1;
    }
    let (labels_a, labels_b): (Vec<u32>, Vec<u32>) = shared.iter().copied().unzip();

    let aligned: Vec<AlignedTheme> = pairs
        .iter()
        .map(|&(i, j, similarity)| {
            let (ta, tb) = (&a.set.themes[i], &b.set.themes[j]);
            AlignedTheme {
                a: ta.into(),
                b: tb.into(),
                similarity: round6(similarity),
                common_sentences: common.get(&(ta.id, tb.id)).copied().unwrap_or(0),
            }
        })
        .collect();
    let only_a = a
        .set
        .themes
        .iter()
        .enumerate()
        .filter(|(i, _)| !pairs.iter().any(|p| p.0 == *i))
        .map(|(_, t)| t.into())
        .collect();
    let only_b = b
        .set
        .themes
        .iter()
        .enumerate()
        .filter(|(j, _)| !pairs.iter().any(|p| p.1 == *j))
        .map(|(_, t)| t.into())
        .collect();

    let counterpart: HashMap<ThemeId, ThemeId> = aligned.iter().map(|p| (p.a.id, p.b.id)).collect();
    let b_dominant: HashMap<&str, ThemeId> = b
        .documents
        .iter()
        .filter_map(|d| d.dominant().map(|t| (d.doc_id.as_str(), t)))
        .collect();
    let mut shared_documents = 0;
    let mut changed_documents = Vec::new();
    for doc in &a.documents {
        let (Some(da), Some(&db)) = (doc.dominant(), b_dominant.get(doc.doc_id.as_str())) else {
            continue;
        };
        shared_documents += 1;
        if counterpart.get(&da) != Some(&db) {
            changed_documents.push(DominantChange {
                doc_id: doc.doc_id.clone(),
                a: da,
                b: db,
            });
        }
    }
    changed_documents.sort_by(|x, y| x.doc_id.cmp(&y.doc_id));

    Comparison {
        aligned,
        only_a,
        only_b,
        changed_documents,
        shared_documents,
        shared_sentences: shared.len(),
        adjusted_rand_index: adjusted_rand_index(&labels_a, &labels_b),
        normalized_mutual_information: normalized_mutual_information(&labels_a, &labels_b),
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "shared sentences: {}   adjusted Rand index: {:.4}   NMI: {:.4}",
            self.shared_sentences, self.adjusted_rand_index, self.normalized_mutual_information
        )?;
        writeln!(f)?;
        writeln!(f, "aligned themes ({}):", self.aligned.len())?;
        writeln!(
            f,
            "  {:>4} {:>6}  {:>4} {:>6}  {:>5} {:>6}  labels (A → B)",
            "A", "size", "B", "size", "sim", "common"
        )?;
        for p in &self.aligned {
            writeln!(
                f,
                "  {:>4} {:>6}  {:>4} {:>6}  {:>5.3} {:>6}  {} → {}",
                p.a.id,
                p.a.size,
                p.b.id,
                p.b.size,
                p.similarity,
                p.common_sentences,
                p.a.label,
                p.b.label
            )?;
        }
        for (name, themes) in [("only in A", &self.only_a), ("only in B", &self.only_b)] {
            writeln!(f)?;
            writeln!(f, "{name} ({}):", themes.len())?;
            for t in themes {
                writeln!(f, "  {:>4} {:>6}  {}", t.id, t.size, t.label)?;
            }
        }
        writeln!(f)?;
        writeln!(
            f,
            "documents whose dominant theme changed: {} of {}",
            self.changed_documents.len(),
            self.shared_documents
        )?;
        for c in &self.changed_documents {
            writeln!(f, "  {}: {} → {}", c.doc_id, c.a, c.b)?;
        }
        Ok(())
    }
}
