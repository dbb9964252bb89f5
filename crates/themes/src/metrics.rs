//! Agreement between two partitions of the same items.

use std::collections::BTreeMap;

/// Counts of every (a, b) label pair and of each label on either side.
struct Contingency {
    pairs: BTreeMap<(u32, u32), u64>,
    a: BTreeMap<u32, u64>,
    b: BTreeMap<u32, u64>,
    n: u64,
}

impl Contingency {
    fn new(a: &[u32], b: &[u32]) -> Self {
        assert_eq!(
            a.len(),
            b.len(),
            "both partitions must cover the same items"
        );
        let mut table = Self {
            pairs: BTreeMap::new(),
            a: BTreeMap::new(),
            b: BTreeMap::new(),
            n: a.len() as u64,
        };
        for (&x, &y) in a.iter().zip(b) {
            *table.pairs.entry((x, y)).or_default() += 1;
            *table.a.entry(x).or_default() += 1;
            *table.b.entry(y).or_default() += 1;
        }
        table
    }
}

/// Adjusted Rand index (Hubert & Arabie 1985): 1 for identical partitions,
/// about 0 for independent ones, as scikit-learn's `adjusted_rand_score`
/// (which also gives 1 when both partitions are trivial in the same way).
///
/// ```
/// use precis_themes::adjusted_rand_index;
/// let ari = adjusted_rand_index(&[0, 0, 1, 1], &[0, 0, 1, 2]);
/// assert!((ari - 0.571428571).abs() < 1e-6);
/// ```
pub fn adjusted_rand_index(a: &[u32], b: &[u32]) -> f64 {
    let table = Contingency::new(a, b);
    let pairs = |n: u64| (n * n.saturating_sub(1) / 2) as f64;
    let index: f64 = table.pairs.values().map(|&n| pairs(n)).sum();
    let sum_a: f64 = table.a.values().map(|&n| pairs(n)).sum();
    let sum_b: f64 = table.b.values().map(|&n| pairs(n)).sum();
    let total = pairs(table.n);
    if total == 0.0 {
        return 1.0;
    }
    let expected = sum_a * sum_b / total;
    let max = (sum_a + sum_b) / 2.0;
    if max == expected {
        // Both partitions are all-in-one or all-singletons.
        return 1.0;
    }
    (index - expected) / (max - expected)
}

/// Normalised mutual information with the arithmetic mean of the two
/// entropies as normaliser (scikit-learn's default).
///
/// ```
/// use precis_themes::normalized_mutual_information;
/// let nmi = normalized_mutual_information(&[0, 0, 1, 1], &[0, 0, 1, 2]);
/// assert!((nmi - 0.8).abs() < 1e-9);
/// ```
pub fn normalized_mutual_information(a: &[u32], b: &[u32]) -> f64 {
    let table = Contingency::new(a, b);
    if table.n == 0 {
        return 1.0;
    }
    let n = table.n as f64;
    let entropy = |counts: &BTreeMap<u32, u64>| -> f64 {
        counts
            .values()
            .map(|&c| {
                let p = c as f64 / n;
                -p * p.ln()
            })
            .sum()
    };
    let (ha, hb) = (entropy(&table.a), entropy(&table.b));
    if ha == 0.0 && hb == 0.0 {
        return 1.0;
    }
    let mi: f64 = table
        .pairs
        .iter()
        .map(|(&(x, y), &c)| {
            let c = c as f64;
            let (ca, cb) = (table.a[&x] as f64, table.b[&y] as f64);
            c / n * (c * n / (ca * cb)).ln()
        })
        .sum();
    (mi / ((ha + hb) / 2.0)).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn ari_known_values() {
        // The first four as in scikit-learn's adjusted_rand_score documentation.
        assert!(close(
            adjusted_rand_index(&[0, 0, 1, 1], &[0, 0, 1, 1]),
            1.0
        ));
        assert!(close(
            adjusted_rand_index(&[0, 0, 1, 1], &[1, 1, 0, 0]),
            1.0
        ));
        assert!(close(
            adjusted_rand_index(&[0, 0, 1, 2], &[0, 0, 1, 1]),
            4.0 / 7.0
        ));
        assert!(close(
            adjusted_rand_index(&[0, 0, 1, 1], &[0, 1, 0, 1]),
            -0.5
        ));
        assert!(close(
            adjusted_rand_index(&[0, 0, 0, 0], &[0, 1, 2, 3]),
            0.0
        ));
        assert!(close(
            adjusted_rand_index(&[0, 0, 1, 1, 2, 2], &[0, 0, 1, 2, 2, 2]),
            0.444444444444444
        ));
    }

    #[test]
    fn nmi_known_values() {
        assert!(close(
            normalized_mutual_information(&[0, 0, 1, 1], &[1, 1, 0, 0]),
            1.0
        ));
        assert!(close(
            normalized_mutual_information(&[0, 0, 1, 1], &[0, 0, 1, 2]),
            0.8
        ));
        assert!(close(
            normalized_mutual_information(&[0, 0, 1, 1], &[0, 1, 0, 1]),
            0.0
        ));
        // MI = 0.78036, entropies 1.09861 and 1.01140: by hand from the definitions.
        let nmi = normalized_mutual_information(&[0, 0, 1, 1, 2, 2], &[0, 0, 1, 2, 2, 2]);
        assert!((nmi - 0.739_667_376_8).abs() < 1e-9, "{nmi}");
    }
}
