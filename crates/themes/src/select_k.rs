//! Silhouette (Rousseeuw 1987) with cosine distance, on a deterministic
//! sample: what chooses the number of theme groups. The sample bounds the
//! quadratic cost: silhouette needs every pairwise distance, which over
//! 100k passages would not fit in memory.

use crate::rng::SplitMix64;
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

/// The silhouette of one candidate number of groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KScore {
    pub k: usize,
    pub silhouette: f64,
}

/// Sample rows (in their canonical order) drawn without replacement.
pub(crate) fn sample_rows(n: usize, size: usize, rng: &mut SplitMix64) -> Vec<usize> {
    if n <= size {
        return (0..n).collect();
    }
    // Partial Fisher-Yates over the indices, then back to canonical order.
    let mut indices: Vec<usize> = (0..n).collect();
    for i in 0..size {
        let j = i + rng.below(n - i);
        indices.swap(i, j);
    }
    indices.truncate(size);
    indices.sort_unstable();
    indices
}

pub(crate) fn cosine_distances(points: ArrayView2<f32>) -> Array2<f32> {
    points.dot(&points.t()).mapv(|s| (1.0 - s).max(0.0))
}

/// Mean over points of `(b - a) / max(a, b)`, where `a` is the mean distance
/// to the rest of the point's cluster and `b` the smallest mean distance to
/// another cluster. Points alone in their cluster score 0, as in scikit-learn.
///
/// With `groups`, distances between points of the same group (sentences of
/// the same document) are left out: they are close by construction (they
/// share their document's context), and counting them would reward
/// splitting the documents into ever more themes of one or two documents
/// each rather than finding themes that hold across documents.
pub(crate) fn mean_silhouette(
    distances: &Array2<f32>,
    labels: &[usize],
    k: usize,
    groups: Option<&[usize]>,
) -> f64 {
    let n = labels.len();
    if n < 2 || k < 2 {
        return 0.0;
    }
    let mut total = 0.0;
    let mut sums = vec![0f64; k];
    let mut counts = vec![0usize; k];
    for (i, &own) in labels.iter().enumerate() {
        sums.iter_mut().for_each(|s| *s = 0.0);
        counts.iter_mut().for_each(|c| *c = 0);
        for (j, &d) in distances.row(i).iter().enumerate() {
            if j == i || groups.is_some_and(|g| g[j] == g[i]) {
                continue;
            }
            sums[labels[j]] += f64::from(d);
            counts[labels[j]] += 1;
        }
        if counts[own] == 0 {
            continue;
        }
        let a = sums[own] / counts[own] as f64;
        let b = (0..k)
            .filter(|&c| c != own && counts[c] > 0)
            .map(|c| sums[c] / counts[c] as f64)
            .fold(f64::INFINITY, f64::min);
        if b.is_finite() {
            let denominator = a.max(b);
            if denominator > 0.0 {
                total += (b - a) / denominator;
            }
        }
    }
    total / n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silhouette_matches_a_hand_computed_case() {
        // Points on a line (as distances): {0, 1} and {10, 11}.
        let x = [0.0f32, 1.0, 10.0, 11.0];
        let distances = Array2::from_shape_fn((4, 4), |(i, j)| (x[i] - x[j]).abs());
        // Point 0: a = 1, b = (10 + 11) / 2 = 10.5 → 9.5 / 10.5; by symmetry all four alike
        // except 1 and 2: point 1: a = 1, b = 9.5 → 8.5 / 9.5.
        let expected = (2.0 * (9.5 / 10.5) + 2.0 * (8.5 / 9.5)) / 4.0;
        let got = mean_silhouette(&distances, &[0, 0, 1, 1], 2, None);
        assert!((got - expected).abs() < 1e-9, "{got} vs {expected}");
    }

    #[test]
    fn same_group_distances_are_left_out() {
        // Clusters {0, 1} and {2, 3}; 0 and 1 share a group, so each has no
        // other member of its own cluster to compare with and scores 0.
        let x = [0.0f32, 1.0, 10.0, 11.0];
        let distances = Array2::from_shape_fn((4, 4), |(i, j)| (x[i] - x[j]).abs());
        let got = mean_silhouette(&distances, &[0, 0, 1, 1], 2, Some(&[7, 7, 8, 9]));
        let expected = (8.5 / 9.5 + 9.5 / 10.5) / 4.0;
        assert!((got - expected).abs() < 1e-9, "{got} vs {expected}");
    }

    #[test]
    fn samples_are_sorted_and_distinct() {
        let rows = sample_rows(100, 10, &mut SplitMix64::new(1));
        assert_eq!(rows.len(), 10);
        assert!(rows.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            sample_rows(5, 10, &mut SplitMix64::new(1)),
            vec![0, 1, 2, 3, 4]
        );
    }
}
