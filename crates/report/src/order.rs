//! Orders items so that similar ones sit together: the leaf order of an
//! average-linkage hierarchical clustering (kodama).

use kodama::{linkage, Method};

/// The leaf order of the average-linkage dendrogram of `n` items whose
/// dissimilarity is `distance(i, j)`. Within each merge the branch holding the
/// lower item index comes first, so the order is fully determined by the
/// distances and the input order.
pub fn leaf_order(n: usize, distance: impl Fn(usize, usize) -> f64) -> Vec<usize> {
    if n < 3 {
        return (0..n).collect();
    }
    let mut condensed = Vec::with_capacity(n * (n - 1) / 2);
    for i in 0..n {
        for j in i + 1..n {
            let d = distance(i, j);
            condensed.push(if d.is_finite() { d.max(0.0) } else { f64::MAX });
        }
    }
    let dendrogram = linkage(&mut condensed, n, Method::Average);
    let steps = dendrogram.steps();
    // The lowest item index under each cluster label.
    let mut lowest: Vec<usize> = (0..n).collect();
    for step in steps {
        lowest.push(lowest[step.cluster1].min(lowest[step.cluster2]));
    }
    let mut order = Vec::with_capacity(n);
    let mut stack = vec![2 * n - 2];
    while let Some(label) = stack.pop() {
        if label < n {
            order.push(label);
            continue;
        }
        let step = &steps[label - n];
        let (first, second) = if lowest[step.cluster1] <= lowest[step.cluster2] {
            (step.cluster1, step.cluster2)
        } else {
            (step.cluster2, step.cluster1)
        };
        stack.push(second);
        stack.push(first);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_near_items() {
        let points = [0.0f64, 10.0, 0.5, 10.5, 5.0];
        let order = leaf_order(points.len(), |i, j| (points[i] - points[j]).abs());
        assert_eq!(order.len(), 5);
        let at = |item: usize| order.iter().position(|&o| o == item).unwrap();
        assert_eq!(at(0).abs_diff(at(2)), 1);
        assert_eq!(at(1).abs_diff(at(3)), 1);
        assert_eq!(order[0], 0);
    }

    #[test]
    fn small_inputs_keep_their_order() {
        assert_eq!(leaf_order(0, |_, _| 0.0), Vec::<usize>::new());
        assert_eq!(leaf_order(2, |_, _| 1.0), vec![0, 1]);
    }
}
