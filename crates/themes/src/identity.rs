//! Theme ids that survive re-runs: new themes are matched to the previous
//! run's by an optimal one-to-one assignment (Kuhn–Munkres) on centroid
//! cosine similarity.
//!
//! A pair is worth only its similarity *above* the minimum: summing plain
//! similarities would prefer two mediocre pairs (0.55 + 0.51) to one
//! excellent pair (0.99) and so hand a continuing theme's id to a different
//! theme. Sentence-embedding centroids of unrelated themes are often 0.5
//! alike (they share the corpus's common direction), hence the default
//! minimum of 0.7.

use crate::{ThemeChanges, ThemeId, ThemeSet};
use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;
use serde::{Deserialize, Serialize};

/// A theme of this run that continues one of the previous run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptTheme {
    pub id: ThemeId,
    /// Cosine similarity of the old and new centroids.
    pub similarity: f32,
}

/// Cosine similarity of two vectors; 0 when either is zero or their lengths differ.
pub(crate) fn cosine(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() {
        return 0.0;
    }
    let (mut dot, mut aa, mut bb) = (0f64, 0f64, 0f64);
    for (&x, &y) in a.iter().zip(b) {
        dot += f64::from(x) * f64::from(y);
        aa += f64::from(x) * f64::from(x);
        bb += f64::from(y) * f64::from(y);
    }
    if aa == 0.0 || bb == 0.0 {
        0.0
    } else {
        (dot / (aa.sqrt() * bb.sqrt())) as f32
    }
}

/// Pairs `(i, j, similarity)` of an optimal matching of `a` to `b`, keeping
/// only pairs at least `min_similarity` alike. Sorted by `i`.
pub(crate) fn align(a: &[&[f32]], b: &[&[f32]], min_similarity: f32) -> Vec<(usize, usize, f32)> {
    if a.is_empty() || b.is_empty() {
        return Vec::new();
    }
    let similarity = |i: usize, j: usize| cosine(a[i], b[j]);
    // Integer weights (the solver needs an exact order): the excess over
    // the threshold; pairs below it weigh nothing and are dropped below.
    let weight = |s: f32| {
        if s >= min_similarity {
            (f64::from(s - min_similarity) * 1e6).round() as i64
        } else {
            0
        }
    };
    // The solver wants no more rows than columns.
    let transpose = a.len() > b.len();
    let (rows, columns) = if transpose {
        (b.len(), a.len())
    } else {
        (a.len(), b.len())
    };
    let weights = Matrix::from_fn(rows, columns, |(r, c)| {
        let (i, j) = if transpose { (c, r) } else { (r, c) };
        weight(similarity(i, j))
    });
    let (_, assignment) = kuhn_munkres(&weights);
    let mut pairs: Vec<(usize, usize, f32)> = assignment
        .into_iter()
        .enumerate()
        .map(|(r, c)| if transpose { (c, r) } else { (r, c) })
        .map(|(i, j)| (i, j, similarity(i, j)))
        .filter(|&(_, _, s)| s >= min_similarity)
        .collect();
    pairs.sort_by_key(|&(i, _, _)| i);
    pairs
}

/// Ids for themes whose centroids are `centroids` (in content order): the
/// matched previous id, else fresh ids from the previous set's `next_id`
/// (and above every previous id), in order. Also returns the next free id.
pub(crate) fn assign_ids(
    centroids: &[Vec<f32>],
    previous: Option<&ThemeSet>,
    min_similarity: f32,
) -> (Vec<ThemeId>, ThemeChanges, ThemeId) {
    let old: &[crate::Theme] = previous.map_or(&[], |p| &p.themes);
    let new_refs: Vec<&[f32]> = centroids.iter().map(Vec::as_slice).collect();
    let old_refs: Vec<&[f32]> = old.iter().map(|t| t.centroid.as_slice()).collect();
    let pairs = align(&new_refs, &old_refs, min_similarity);

    let mut ids: Vec<Option<ThemeId>> = vec![None; centroids.len()];
    let mut kept = Vec::new();
    for &(i, j, similarity) in &pairs {
        ids[i] = Some(old[j].id);
        kept.push(KeptTheme {
            id: old[j].id,
            similarity: round6(similarity),
        });
    }
    let mut next = old
        .iter()
        .map(|t| t.id + 1)
        .chain(previous.map(|p| p.next_id))
        .fold(1, ThemeId::max);
    let mut new = Vec::new();
    let ids: Vec<ThemeId> = ids
        .into_iter()
        .map(|id| {
            id.unwrap_or_else(|| {
                let id = next;
                next += 1;
                new.push(id);
                id
            })
        })
        .collect();
    let mut retired: Vec<ThemeId> = old
        .iter()
        .enumerate()
        .filter(|(j, _)| !pairs.iter().any(|&(_, pj, _)| pj == *j))
        .map(|(_, t)| t.id)
        .collect();
    retired.sort_unstable();
    kept.sort_by_key(|k| k.id);
    (ids, ThemeChanges { kept, new, retired }, next)
}

/// Rounds to 6 decimals, for files that diff well.
pub(crate) fn round6(x: f32) -> f32 {
    ((f64::from(x) * 1e6).round() / 1e6) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_by_best_total_similarity() {
        let a: Vec<&[f32]> = vec![&[1.0, 0.0, 0.0], &[0.0, 1.0, 0.0], &[0.0, 0.0, 1.0]];
        let b: Vec<&[f32]> = vec![&[0.0, 0.9, 0.1], &[1.0, 0.1, 0.0]];
        let pairs = align(&a, &b, 0.5);
        let indices: Vec<(usize, usize)> = pairs.iter().map(|&(i, j, _)| (i, j)).collect();
        assert_eq!(indices, vec![(0, 1), (1, 0)]);
    }

    #[test]
    fn one_strong_pair_beats_two_weak_ones() {
        // a0 is b0's twin; a1 is weakly like b0 and b1 … but a0 only weakly like b1.
        let a: Vec<&[f32]> = vec![&[1.0, 0.0, 0.0], &[0.6, 0.8, 0.0]];
        let b: Vec<&[f32]> = vec![&[1.0, 0.0, 0.05], &[0.75, 0.0, 0.66]];
        let pairs = align(&a, &b, 0.5);
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        assert_eq!((pairs[0].0, pairs[0].1), (0, 0));
    }

    #[test]
    fn below_threshold_pairs_are_dropped() {
        let a: Vec<&[f32]> = vec![&[1.0, 0.0]];
        let b: Vec<&[f32]> = vec![&[0.0, 1.0]];
        assert!(align(&a, &b, 0.5).is_empty());
    }
}
