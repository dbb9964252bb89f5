//! Communities of a weighted graph by modularity: the Louvain method
//! (Blondel, Guillaume, Lambiotte & Lefebvre 2008) at resolution 1.
//!
//! Each pass moves nodes, one at a time in index order, to the neighbouring
//! community that raises modularity most, until no move helps; then every
//! community becomes one node and the passes repeat on that smaller graph.
//! There is no randomness: node order is the caller's (canonical) order and
//! ties keep a node where it is, or else go to the lower community.

use std::collections::BTreeMap;

/// An undirected weighted graph as symmetric adjacency lists: `(neighbour,
/// weight)` pairs, each edge listed from both ends. A self-loop `(i, w)`
/// counts `w` towards `i`'s degree once.
pub(crate) type Adjacency = Vec<Vec<(usize, f64)>>;

/// The community of every node, numbered from 0 in order of each
/// community's first node.
pub(crate) fn communities(graph: &Adjacency) -> Vec<usize> {
    let mut of_node: Vec<usize> = (0..graph.len()).collect();
    let mut level = graph.clone();
    loop {
        let (community, count) = one_level(&level);
        if count == level.len() {
            break;
        }
        for c in &mut of_node {
            *c = community[*c];
        }
        level = aggregate(&level, &community, count);
    }
    of_node
}

/// Local moving on one level: each node's community, renumbered from 0,
/// and how many communities there are.
fn one_level(graph: &Adjacency) -> (Vec<usize>, usize) {
    let n = graph.len();
    let degree: Vec<f64> = graph
        .iter()
        .map(|edges| edges.iter().map(|&(_, w)| w).sum())
        .collect();
    let total: f64 = degree.iter().sum();
    let mut community: Vec<usize> = (0..n).collect();
    if total <= 0.0 {
        return (community, n);
    }
    let mut community_degree = degree.clone();
    // Weight from the node being moved to each neighbouring community.
    let mut links: BTreeMap<usize, f64> = BTreeMap::new();
    loop {
        let mut moved = false;
        for node in 0..n {
            let own = community[node];
            community_degree[own] -= degree[node];
            links.clear();
            links.insert(own, 0.0);
            for &(neighbour, weight) in &graph[node] {
                if neighbour != node {
                    *links.entry(community[neighbour]).or_default() += weight;
                }
            }
            // Gain of joining community c, up to a constant factor.
            let gain = |c: usize, weight: f64| weight - degree[node] * community_degree[c] / total;
            let mut best = (own, gain(own, links[&own]));
            for (&c, &weight) in &links {
                let g = gain(c, weight);
                if g > best.1 + 1e-12 * total {
                    best = (c, g);
                }
            }
            community_degree[best.0] += degree[node];
            if best.0 != own {
                community[node] = best.0;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    let mut number: BTreeMap<usize, usize> = BTreeMap::new();
    let mut renumbered = Vec::with_capacity(n);
    for &c in &community {
        let next = number.len();
        renumbered.push(*number.entry(c).or_insert(next));
    }
    let count = number.len();
    (renumbered, count)
}

/// The graph of communities: edge weights summed, internal edges becoming
/// self-loops (so degrees, and modularity, are kept).
fn aggregate(graph: &Adjacency, community: &[usize], count: usize) -> Adjacency {
    let mut merged: Vec<BTreeMap<usize, f64>> = vec![BTreeMap::new(); count];
    for (node, edges) in graph.iter().enumerate() {
        for &(neighbour, weight) in edges {
            *merged[community[node]]
                .entry(community[neighbour])
                .or_default() += weight;
        }
    }
    merged
        .into_iter()
        .map(|edges| edges.into_iter().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn undirected(n: usize, edges: &[(usize, usize, f64)]) -> Adjacency {
        let mut graph = vec![Vec::new(); n];
        for &(a, b, w) in edges {
            graph[a].push((b, w));
            graph[b].push((a, w));
        }
        graph
    }

    #[test]
    fn two_cliques_joined_by_one_edge_are_two_communities() {
        let mut edges = Vec::new();
        for clique in [0, 4] {
            for a in clique..clique + 4 {
                for b in a + 1..clique + 4 {
                    edges.push((a, b, 1.0));
                }
            }
        }
        edges.push((3, 4, 1.0));
        let found = communities(&undirected(8, &edges));
        assert_eq!(found, vec![0, 0, 0, 0, 1, 1, 1, 1]);
    }

    #[test]
    fn a_ring_of_cliques_is_one_community_per_clique() {
        // Six triangles, each joined to the next by a single edge.
        let mut edges = Vec::new();
        for t in 0..6 {
            let base = 3 * t;
            edges.extend([
                (base, base + 1, 1.0),
                (base + 1, base + 2, 1.0),
                (base, base + 2, 1.0),
            ]);
            edges.push((base + 2, (base + 3) % 18, 1.0));
        }
        let found = communities(&undirected(18, &edges));
        let distinct: std::collections::BTreeSet<usize> = found.iter().copied().collect();
        assert_eq!(distinct.len(), 6, "{found:?}");
        for t in 0..6 {
            assert_eq!(found[3 * t], found[3 * t + 1]);
            assert_eq!(found[3 * t], found[3 * t + 2]);
        }
    }

    #[test]
    fn isolated_nodes_stay_alone() {
        let found = communities(&undirected(3, &[]));
        assert_eq!(found, vec![0, 1, 2]);
    }
}
