//! Spherical k-means over unit vectors: k-means++ seeding, Lloyd iterations
//! with cosine similarity, centroids renormalised after every update.
//!
//! Every choice is deterministic given the order of the points and the
//! generator: ties go to the lower index. Callers put the points in a
//! content-derived order first, which is what makes the whole stage
//! independent of document order and names.

use crate::rng::SplitMix64;
use ndarray::{Array2, ArrayView2, Axis, Slice};

/// The result of one clustering.
#[derive(Debug, Clone)]
pub(crate) struct KMeansFit {
    /// One unit row per cluster.
    pub(crate) centroids: Array2<f32>,
    /// Cluster of each point.
    pub(crate) labels: Vec<usize>,
    /// Weighted sum over points of the cosine similarity to their centroid (higher is better).
    pub(crate) objective: f64,
}

/// How hard to try.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KMeansOptions {
    pub(crate) restarts: usize,
    pub(crate) max_iterations: usize,
}

/// Rows per block of the point × centroid product: bounds the scratch memory.
const BLOCK: usize = 8192;

/// Best of `restarts` k-means++ seeded runs, each point counting with its
/// weight. `k` must not exceed the number of distinct points.
pub(crate) fn fit(
    points: ArrayView2<f32>,
    weights: &[f32],
    k: usize,
    options: KMeansOptions,
    rng: &mut SplitMix64,
) -> KMeansFit {
    let mut best: Option<KMeansFit> = None;
    for _ in 0..options.restarts.max(1) {
        let init = plus_plus(points, weights, k, rng);
        let fit = lloyd(points, weights, init, options.max_iterations);
        // Strictly better only: on a tie the earlier restart wins.
        if best.as_ref().map_or(true, |b| fit.objective > b.objective) {
            best = Some(fit);
        }
    }
    best.expect("at least one restart")
}

/// k-means++ seeding (Arthur & Vassilvitskii 2007) with squared Euclidean
/// distance, which for unit vectors is `2 - 2 cos`, times the point's weight.
pub(crate) fn plus_plus(
    points: ArrayView2<f32>,
    weights: &[f32],
    k: usize,
    rng: &mut SplitMix64,
) -> Array2<f32> {
    let n = points.nrows();
    let mut centroids = Array2::<f32>::zeros((k, points.ncols()));
    let first = rng.below(n);
    centroids.row_mut(0).assign(&points.row(first));
    let mut nearest: Vec<f64> = points
        .outer_iter()
        .zip(weights)
        .map(|(p, &w)| f64::from(w) * squared_distance(p.dot(&points.row(first))))
        .collect();
    for c in 1..k {
        let total: f64 = nearest.iter().sum();
        let chosen = if total > 0.0 {
            let mut target = rng.next_f64() * total;
            let mut chosen = n - 1;
            for (i, &d) in nearest.iter().enumerate() {
                if d > 0.0 && target < d {
                    chosen = i;
                    break;
                }
                target -= d;
            }
            // Rounding can walk past the last positive weight: take the last one.
            if nearest[chosen] <= 0.0 {
                chosen = nearest.iter().rposition(|&d| d > 0.0).unwrap_or(chosen);
            }
            chosen
        } else {
            rng.below(n)
        };
        centroids.row_mut(c).assign(&points.row(chosen));
        for (i, p) in points.outer_iter().enumerate() {
            let d = f64::from(weights[i]) * squared_distance(p.dot(&points.row(chosen)));
            if d < nearest[i] {
                nearest[i] = d;
            }
        }
    }
    centroids
}

fn squared_distance(cos: f32) -> f64 {
    (2.0 - 2.0 * f64::from(cos)).max(0.0)
}

/// Lloyd iterations from `centroids` until no point moves.
pub(crate) fn lloyd(
    points: ArrayView2<f32>,
    weights: &[f32],
    mut centroids: Array2<f32>,
    max_iterations: usize,
) -> KMeansFit {
    let n = points.nrows();
    let mut labels = vec![usize::MAX; n];
    let mut similarity = vec![0f32; n];
    for _ in 0..max_iterations.max(1) {
        let moved = assign(points, centroids.view(), &mut labels, &mut similarity);
        if moved == 0 {
            break;
        }
        centroids = update(points, weights, &labels, &similarity, centroids.nrows());
    }
    // Labels always describe the final centroids.
    assign(points, centroids.view(), &mut labels, &mut similarity);
    let objective = similarity
        .iter()
        .zip(weights)
        .map(|(&s, &w)| f64::from(s) * f64::from(w))
        .sum();
    KMeansFit {
        centroids,
        labels,
        objective,
    }
}

/// Nearest centroid of every point; returns how many labels changed.
fn assign(
    points: ArrayView2<f32>,
    centroids: ArrayView2<f32>,
    labels: &mut [usize],
    similarity: &mut [f32],
) -> usize {
    let mut moved = 0;
    for start in (0..points.nrows()).step_by(BLOCK) {
        let end = (start + BLOCK).min(points.nrows());
        let sims = points
            .slice_axis(Axis(0), Slice::from(start..end))
            .dot(&centroids.t());
        for (offset, row) in sims.outer_iter().enumerate() {
            let (best, value) = argmax(row.iter().copied());
            let i = start + offset;
            if labels[i] != best {
                labels[i] = best;
                moved += 1;
            }
            similarity[i] = value;
        }
    }
    moved
}

/// Index and value of the largest item; the first one on a tie.
pub(crate) fn argmax(values: impl Iterator<Item = f32>) -> (usize, f32) {
    let mut best = (0, f32::NEG_INFINITY);
    for (i, v) in values.enumerate() {
        if v > best.1 {
            best = (i, v);
        }
    }
    best
}

/// Weighted mean direction of each cluster. A cluster left empty takes the point that
/// fits its own cluster worst, so k stays what was asked.
fn update(
    points: ArrayView2<f32>,
    weights: &[f32],
    labels: &[usize],
    similarity: &[f32],
    k: usize,
) -> Array2<f32> {
    let mut sums = Array2::<f32>::zeros((k, points.ncols()));
    let mut counts = vec![0usize; k];
    for ((p, &label), &w) in points.outer_iter().zip(labels).zip(weights) {
        sums.row_mut(label).scaled_add(w, &p);
        counts[label] += 1;
    }
    let mut taken = Vec::new();
    for (c, &count) in counts.iter().enumerate() {
        if count == 0 {
            let worst = (0..points.nrows())
                .filter(|i| !taken.contains(i))
                .min_by(|&a, &b| similarity[a].total_cmp(&similarity[b]).then(a.cmp(&b)));
            if let Some(worst) = worst {
                taken.push(worst);
                sums.row_mut(c).assign(&points.row(worst));
            }
        }
    }
    normalize_rows(&mut sums);
    sums
}

/// Scales every row to unit length; zero rows stay zero.
pub(crate) fn normalize_rows(matrix: &mut Array2<f32>) {
    for mut row in matrix.axis_iter_mut(Axis(0)) {
        let norm = row.dot(&row).sqrt();
        if norm > 0.0 {
            row.mapv_inplace(|x| x / norm);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn separates_two_directions() {
        let mut points = array![
            [1.0f32, 0.1, 0.0],
            [1.0, -0.1, 0.0],
            [0.9, 0.0, 0.1],
            [0.0, 0.1, 1.0],
            [0.1, 0.0, 1.0],
            [0.0, -0.1, 0.9],
        ];
        normalize_rows(&mut points);
        let options = KMeansOptions {
            restarts: 2,
            max_iterations: 50,
        };
        let fit = fit(
            points.view(),
            &[1.0; 6],
            2,
            options,
            &mut SplitMix64::new(7),
        );
        assert_eq!(fit.labels[0], fit.labels[1]);
        assert_eq!(fit.labels[1], fit.labels[2]);
        assert_eq!(fit.labels[3], fit.labels[4]);
        assert_eq!(fit.labels[4], fit.labels[5]);
        assert_ne!(fit.labels[0], fit.labels[3]);
    }

    #[test]
    fn argmax_prefers_the_first_on_ties() {
        assert_eq!(argmax([1.0, 3.0, 3.0].into_iter()), (1, 3.0));
    }
}
