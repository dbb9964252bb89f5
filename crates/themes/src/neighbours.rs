//! Nearest neighbours by cosine similarity, and the graph they make.
//!
//! How many neighbours: `ln` of the number of documents, at least 2. A kNN
//! graph needs about `ln n` neighbours a node to hang together (Xue & Kumar
//! 2004), and what has to hang together here is the collection's documents:
//! passages link only to passages of *other* documents, so a theme is a
//! subject that several documents share, and the more documents there are,
//! the more of them a passage can find on its subject.

use crate::louvain::Adjacency;
use ndarray::{ArrayView2, Axis, Slice};

/// Rows per block of the similarity product: bounds the scratch memory.
const BLOCK: usize = 1024;

/// Neighbours per node for a collection of `documents` documents.
pub(crate) fn count(documents: usize) -> usize {
    ((documents.max(1) as f64).ln().round() as usize).max(2)
}

/// The `k` most similar other rows of every row of `vectors` (unit rows),
/// with their similarity, most similar first (ties: lower index). With
/// `group`, neighbours come from other groups, at most one from each (a
/// document's passages often lean on their document alike, and would
/// otherwise all link to copies of one neighbour); when all rows share one
/// group, that rule is dropped (else nothing would have neighbours).
pub(crate) fn nearest(
    vectors: ArrayView2<f32>,
    group: Option<&[usize]>,
    k: usize,
) -> Vec<Vec<(usize, f32)>> {
    let n = vectors.nrows();
    let group = group.filter(|g| g.iter().any(|&x| x != g[0]));
    let mut out = Vec::with_capacity(n);
    for start in (0..n).step_by(BLOCK) {
        let end = (start + BLOCK).min(n);
        let sims = vectors
            .slice_axis(Axis(0), Slice::from(start..end))
            .dot(&vectors.t());
        for (offset, row) in sims.outer_iter().enumerate() {
            let own = start + offset;
            let by_similarity = |a: &usize, b: &usize| row[*b].total_cmp(&row[*a]).then(a.cmp(b));
            let mut ranked: Vec<usize> = (0..n)
                .filter(|&j| j != own && group.map_or(true, |g| g[j] != g[own]))
                .collect();
            let chosen = match group {
                None => {
                    if ranked.len() > k && k > 0 {
                        ranked.select_nth_unstable_by(k - 1, by_similarity);
                    }
                    ranked.truncate(k);
                    ranked.sort_by(by_similarity);
                    ranked
                }
                Some(g) => {
                    // The best few first (enough, nearly always, to hold k
                    // documents); the whole row only when they are not.
                    let mut pool = (4 * k).max(16);
                    loop {
                        let pool_size = pool.min(ranked.len());
                        if pool_size > 0 && pool_size < ranked.len() {
                            ranked.select_nth_unstable_by(pool_size - 1, by_similarity);
                        }
                        let mut head = ranked[..pool_size].to_vec();
                        head.sort_by(by_similarity);
                        let mut seen = std::collections::HashSet::new();
                        let chosen: Vec<usize> = head
                            .into_iter()
                            .filter(|&j| seen.insert(g[j]))
                            .take(k)
                            .collect();
                        if chosen.len() == k || pool_size == ranked.len() {
                            break chosen;
                        }
                        pool *= 4;
                    }
                }
            };
            out.push(chosen.into_iter().map(|j| (j, row[j])).collect());
        }
    }
    out
}

/// The symmetric kNN graph: an edge wherever either end is among the
/// other's nearest, weighted by their similarity (at least 0).
pub(crate) fn graph(nearest: &[Vec<(usize, f32)>]) -> Adjacency {
    let mut edges: Vec<std::collections::BTreeMap<usize, f64>> =
        vec![Default::default(); nearest.len()];
    for (i, near) in nearest.iter().enumerate() {
        for &(j, similarity) in near {
            let weight = f64::from(similarity.max(0.0));
            edges[i].insert(j, weight);
            edges[j].insert(i, weight);
        }
    }
    edges.into_iter().map(|e| e.into_iter().collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn neighbours_come_from_other_groups() {
        let v = array![[1.0f32, 0.0], [1.0, 0.0], [0.8, 0.6], [0.0, 1.0]];
        let near = nearest(v.view(), Some(&[0, 0, 1, 2]), 1);
        assert_eq!(near[0][0].0, 2);
        assert_eq!(near[1][0].0, 2);
        assert_eq!(near[3][0].0, 2);
    }

    #[test]
    fn at_most_one_neighbour_comes_from_each_group() {
        let v = array![
            [1.0f32, 0.0],
            [1.0, 0.0],
            [0.99, 0.1],
            [0.98, 0.2],
            [0.0, 1.0]
        ];
        let near = nearest(v.view(), Some(&[0, 1, 1, 2, 3]), 2);
        assert_eq!(near[0].iter().map(|n| n.0).collect::<Vec<_>>(), vec![1, 3]);
    }

    #[test]
    fn one_group_falls_back_to_all_rows() {
        let v = array![[1.0f32, 0.0], [0.8, 0.6], [0.0, 1.0]];
        let near = nearest(v.view(), Some(&[4, 4, 4]), 1);
        assert_eq!(near[0][0].0, 1);
    }

    #[test]
    fn the_graph_is_symmetric() {
        let g = graph(&[vec![(1, 0.5)], vec![], vec![(0, -0.2)]]);
        assert_eq!(g[0], vec![(1, 0.5), (2, 0.0)]);
        assert_eq!(g[1], vec![(0, 0.5)]);
        assert_eq!(g[2], vec![(0, 0.0)]);
    }

    #[test]
    fn neighbour_count_grows_with_the_log_of_documents() {
        assert_eq!(count(1), 2);
        assert_eq!(count(10), 2);
        assert_eq!(count(150), 5);
        assert_eq!(count(1069), 7);
    }
}
