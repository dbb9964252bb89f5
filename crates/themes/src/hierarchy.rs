//! Theme groups: the level above themes.
//!
//! Themes are fine ("night buses", "exam marks"); a reader also wants the
//! broad strokes ("getting about", "school"). Groups are found by spherical
//! k-means on the same passage vectors, with the count that gives the best
//! silhouette (Rousseeuw 1987). Silhouette favours a few broad clusters,
//! which is what it was found to do when it chose themes, and what a group
//! should be. At most half as many groups as themes are considered, so a
//! group holds two themes on average at least.
//!
//! Themes are then nested in groups: a theme belongs to the group holding
//! most of its passages, and passages move, by Lloyd iterations, to the
//! nearest theme of their own group. So the two levels form a tree, and a
//! document's share of a group is the sum of its shares of the group's
//! themes.
//!
//! When the number of themes is forced (`--themes N`), themes are kept
//! exactly as found and grouped by their centroids instead ([`find`] over
//! the theme centroids, weighted by size).

use crate::kmeans::{self, argmax, normalize_rows, KMeansOptions};
use crate::rng::SplitMix64;
use crate::select_k::{self, KScore};
use ndarray::{Array2, ArrayView2, Axis};

/// The group of every point and how the count was chosen.
pub(crate) struct Groups {
    pub(crate) labels: Vec<usize>,
    pub(crate) silhouette: Vec<KScore>,
}

/// How groups are found.
pub(crate) struct GroupOptions {
    /// Forced number of groups (`--groups N`).
    pub(crate) forced: Option<usize>,
    /// Most groups considered when not forced.
    pub(crate) most: usize,
    /// Points the silhouette is measured on.
    pub(crate) sample_size: usize,
    pub(crate) kmeans: KMeansOptions,
}

/// Groups of `points` (unit rows, weighted). With `documents`, silhouette
/// leaves out pairs of points from one document, which are close by
/// construction (they share their document's context).
pub(crate) fn find(
    points: ArrayView2<f32>,
    weights: &[f32],
    documents: Option<&[usize]>,
    options: &GroupOptions,
    rng: &mut SplitMix64,
) -> Groups {
    let n = points.nrows();
    let distinct = distinct_rows(points);
    if let Some(forced) = options.forced {
        let k = forced.clamp(1, distinct.max(1));
        let fit = kmeans::fit(points, weights, k, options.kmeans, rng);
        return Groups {
            labels: fit.labels,
            silhouette: Vec::new(),
        };
    }
    let most = options.most.min(distinct);
    if n == 0 || most < 2 {
        return Groups {
            labels: vec![0; n],
            silhouette: Vec::new(),
        };
    }
    // Each candidate is fitted and scored on the sample; the chosen one is
    // then taken to every point by Lloyd iterations from its centroids.
    let rows = select_k::sample_rows(n, options.sample_size.max(2), rng);
    let sample = points.select(Axis(0), &rows);
    let sample_weights: Vec<f32> = rows.iter().map(|&r| weights[r]).collect();
    let most = most.min(distinct_rows(sample.view()));
    let distances = select_k::cosine_distances(sample.view());
    let sample_documents: Option<Vec<usize>> =
        documents.map(|d| rows.iter().map(|&r| d[r]).collect());
    let mut scores = Vec::new();
    let mut best: Option<(f64, Array2<f32>)> = None;
    for k in 2..=most {
        let fit = kmeans::fit(sample.view(), &sample_weights, k, options.kmeans, rng);
        let silhouette =
            select_k::mean_silhouette(&distances, &fit.labels, k, sample_documents.as_deref());
        scores.push(KScore { k, silhouette });
        if best.as_ref().map_or(true, |(s, _)| silhouette > *s) {
            best = Some((silhouette, fit.centroids));
        }
    }
    let labels = match best {
        Some((_, centroids)) => {
            kmeans::lloyd(points, weights, centroids, options.kmeans.max_iterations).labels
        }
        None => vec![0; n],
    };
    Groups {
        labels,
        silhouette: scores,
    }
}

/// Nests themes in groups. `themes` and `groups` label every point; returns
/// the new theme of every point (numbered from 0, none empty) and the group
/// of every theme.
pub(crate) fn nest(
    points: ArrayView2<f32>,
    weights: &[f32],
    mut themes: Vec<usize>,
    groups: &[usize],
    max_iterations: usize,
) -> (Vec<usize>, Vec<usize>) {
    let group_count = groups.iter().max().map_or(0, |g| g + 1);
    let mut theme_count = themes.iter().max().map_or(0, |t| t + 1);
    let mut weight_in = vec![vec![0f64; group_count]; theme_count];
    for ((&t, &g), &w) in themes.iter().zip(groups).zip(weights) {
        weight_in[t][g] += f64::from(w);
    }
    let mut group_of: Vec<usize> = weight_in
        .iter()
        .map(|w| argmax(w.iter().map(|&x| x as f32)).0)
        .collect();
    // A group no theme leans to gets a theme of its own: its points.
    for g in 0..group_count {
        if !group_of.contains(&g) && groups.contains(&g) {
            for (t, &pg) in themes.iter_mut().zip(groups) {
                if pg == g {
                    *t = theme_count;
                }
            }
            group_of.push(g);
            theme_count += 1;
        }
    }
    for _ in 0..max_iterations.max(1) {
        let centres = centres(points, weights, &themes, theme_count);
        let sims = points.dot(&centres.t());
        let mut moved = false;
        for (i, row) in sims.outer_iter().enumerate() {
            let own_group = groups[i];
            let (best, _) = argmax(row.iter().enumerate().map(|(t, &s)| {
                if group_of[t] == own_group && centres.row(t).iter().any(|&x| x != 0.0) {
                    s
                } else {
                    f32::NEG_INFINITY
                }
            }));
            if best != themes[i] && row[best].is_finite() && group_of[best] == own_group {
                themes[i] = best;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    // Drop emptied themes.
    let mut renumber = vec![usize::MAX; theme_count];
    let mut kept_groups = Vec::new();
    for &t in &themes {
        if renumber[t] == usize::MAX {
            renumber[t] = kept_groups.len();
            kept_groups.push(group_of[t]);
        }
    }
    let themes = themes.into_iter().map(|t| renumber[t]).collect();
    (themes, kept_groups)
}

/// Weighted unit mean of every theme's points (zero for an empty theme).
fn centres(points: ArrayView2<f32>, weights: &[f32], themes: &[usize], k: usize) -> Array2<f32> {
    let mut sums = Array2::<f32>::zeros((k, points.ncols()));
    for ((p, &t), &w) in points.outer_iter().zip(themes).zip(weights) {
        sums.row_mut(t).scaled_add(w, &p);
    }
    normalize_rows(&mut sums);
    sums
}

/// How many different rows there are.
pub(crate) fn distinct_rows(points: ArrayView2<f32>) -> usize {
    let mut order: Vec<usize> = (0..points.nrows()).collect();
    order.sort_by(|&a, &b| crate::compare_rows(points.row(a), points.row(b)));
    order
        .windows(2)
        .filter(|w| points.row(w[0]) != points.row(w[1]))
        .count()
        + usize::from(!order.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn themes_move_into_their_groups() {
        // Four points; theme 0 = {0, 1, 2}, theme 1 = {3}; groups {0, 1} and {2, 3}.
        // Theme 0 leans to group 0, so point 2 must join theme 1 (its group's).
        let points = array![[1.0f32, 0.0], [1.0, 0.1], [0.2, 1.0], [0.0, 1.0]];
        let mut p = points.clone();
        normalize_rows(&mut p);
        let (themes, group_of) = nest(p.view(), &[1.0; 4], vec![0, 0, 0, 1], &[0, 0, 1, 1], 10);
        assert_eq!(themes, vec![0, 0, 1, 1]);
        assert_eq!(group_of, vec![0, 1]);
    }

    #[test]
    fn a_group_without_a_theme_gets_one() {
        let points = array![[1.0f32, 0.0], [1.0, 0.0], [0.0, 1.0]];
        let (themes, group_of) = nest(points.view(), &[1.0; 3], vec![0, 0, 0], &[0, 0, 1], 10);
        assert_eq!(themes, vec![0, 0, 1]);
        assert_eq!(group_of, vec![0, 1]);
    }

    #[test]
    fn silhouette_finds_two_broad_groups() {
        let points = array![
            [1.0f32, 0.0, 0.0],
            [0.99, 0.14, 0.0],
            [0.99, 0.0, 0.14],
            [0.0, 1.0, 0.0],
            [0.14, 0.99, 0.0],
            [0.0, 0.99, 0.14],
        ];
        let options = GroupOptions {
            forced: None,
            most: 3,
            sample_size: 100,
            kmeans: KMeansOptions {
                restarts: 2,
                max_iterations: 50,
            },
        };
        let groups = find(
            points.view(),
            &[1.0; 6],
            None,
            &options,
            &mut SplitMix64::new(3),
        );
        assert_eq!(groups.silhouette.len(), 2);
        assert_eq!(groups.labels[0], groups.labels[2]);
        assert_ne!(groups.labels[0], groups.labels[3]);
        assert_eq!(groups.labels[3], groups.labels[5]);
    }
}
