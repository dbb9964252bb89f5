//! What each passage is about, given where it stands.
//!
//! A passage's mean vector is a noisy estimate of its subject: a passage of
//! two sentences says little, one of twenty says much. Its document, and the
//! documents most like it, tell what subjects are likely. So each passage's
//! clustering vector is its mean shrunk towards its document's, and each
//! document's towards its neighbours', by empirical Bayes (the James–Stein
//! idea, as in Efron & Morris 1975): the weight of the broader estimate is
//! `noise / (noise + spread)`, where `noise` is the variance of the narrower
//! estimate and `spread` how far such estimates truly differ from the
//! broader one. Both are measured on the collection itself:
//! - `sigma²`: how far sentences stray from their passage's mean;
//! - `tau²`: how far passages truly differ from their document's mean
//!   (observed spread less the part `sigma² / n` that noise explains);
//! - `omega²`: the same for documents around their neighbours' mean.
//!
//! Where passages of one document keep to one subject (news articles),
//! `tau²` is small and passages lean on their document; where documents mix
//! unrelated subjects (a review digest), `tau²` is large and each passage
//! speaks for itself. Nothing here is tuned: the weights follow from the
//! data.

use crate::kmeans::normalize_rows;
use crate::neighbours;
use ndarray::{Array2, ArrayView2, Axis};

/// A run of sentences of one document: the unit themes are found from.
#[derive(Debug, Clone)]
pub(crate) struct Passage {
    /// The document's rank in canonical order.
    pub(crate) document: usize,
    /// Rows of the sentence vectors, in reading order: the sentences that
    /// shape the passage.
    pub(crate) rows: Vec<usize>,
    /// Sentences that belong to the passage without shaping it.
    pub(crate) asides: Vec<usize>,
}

/// The variance components measured on the collection (sums over the
/// embedding's dimensions), reported in the diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Spread {
    pub(crate) sentence: f64,
    pub(crate) passage: f64,
    pub(crate) document: f64,
}

/// Unit clustering vector of every passage, and the variances behind them.
/// `documents` is the number of documents; `neighbours` how many nearest
/// documents make a document's neighbourhood.
pub(crate) fn passage_vectors(
    own: ArrayView2<f32>,
    passages: &[Passage],
    documents: usize,
    neighbours: usize,
) -> (Array2<f32>, Spread) {
    let dim = own.ncols();
    let passage_means = means(
        own,
        passages.iter().map(|p| p.rows.as_slice()),
        passages.len(),
    );
    let mut document_rows: Vec<Vec<usize>> = vec![Vec::new(); documents];
    let mut passages_of = vec![0usize; documents];
    for p in passages {
        document_rows[p.document].extend(&p.rows);
        passages_of[p.document] += 1;
    }
    let document_means = means(own, document_rows.iter().map(Vec::as_slice), documents);

    // sigma²: pooled within-passage variance, unbiased.
    let (mut residual, mut freedom) = (0.0f64, 0usize);
    for (p, mean) in passages.iter().zip(passage_means.outer_iter()) {
        if p.rows.len() > 1 {
            for &r in &p.rows {
                residual += squared_distance(own.row(r), mean);
            }
            freedom += p.rows.len() - 1;
        }
    }
    let sigma2 = if freedom > 0 {
        residual / freedom as f64
    } else {
        0.0
    };
    // tau²: passages around their document, less the noise in their means.
    let tau2 = excess_spread(
        passages
            .iter()
            .zip(passage_means.outer_iter())
            .filter(|(p, _)| passages_of[p.document] > 1)
            .map(|(p, mean)| {
                (
                    squared_distance(mean, document_means.row(p.document)),
                    sigma2 / p.rows.len() as f64,
                )
            }),
    );
    // omega²: documents around their neighbourhood, less their own noise.
    let document_noise: Vec<f64> = (0..documents)
        .map(|d| {
            sigma2 / document_rows[d].len().max(1) as f64 + tau2 / passages_of[d].max(1) as f64
        })
        .collect();
    let mut unit_documents = document_means.clone();
    normalize_rows(&mut unit_documents);
    let nearest = neighbours::nearest(unit_documents.view(), None, neighbours);
    let mut neighbourhood = Array2::<f32>::zeros((documents, dim));
    for (d, near) in nearest.iter().enumerate() {
        if near.is_empty() {
            neighbourhood.row_mut(d).assign(&document_means.row(d));
        }
        for &(other, _) in near {
            neighbourhood
                .row_mut(d)
                .scaled_add(1.0 / near.len() as f32, &document_means.row(other));
        }
    }
    let omega2 = excess_spread((0..documents).filter(|&d| !nearest[d].is_empty()).map(|d| {
        (
            squared_distance(document_means.row(d), neighbourhood.row(d)),
            document_noise[d],
        )
    }));

    let documents_shrunk = Array2::from_shape_fn((documents, dim), |(d, j)| {
        let b = shrinkage(document_noise[d], omega2);
        neighbourhood[[d, j]] + (1.0 - b) * (document_means[[d, j]] - neighbourhood[[d, j]])
    });
    let mut vectors = Array2::from_shape_fn((passages.len(), dim), |(p, j)| {
        let passage = &passages[p];
        let b = shrinkage(sigma2 / passage.rows.len() as f64, tau2);
        let prior = documents_shrunk[[passage.document, j]];
        prior + (1.0 - b) * (passage_means[[p, j]] - prior)
    });
    normalize_rows(&mut vectors);
    let spread = Spread {
        sentence: sigma2,
        passage: tau2,
        document: omega2,
    };
    (vectors, spread)
}

/// The weight of the broader estimate: all of it when estimates do not
/// truly differ, none when there is no noise.
fn shrinkage(noise: f64, spread: f64) -> f32 {
    if spread <= 0.0 {
        1.0
    } else {
        (noise / (noise + spread)) as f32
    }
}

/// Mean observed spread less mean noise, at least 0 (the method of moments).
fn excess_spread(pairs: impl Iterator<Item = (f64, f64)>) -> f64 {
    let (mut observed, mut noise, mut n) = (0.0, 0.0, 0usize);
    for (o, e) in pairs {
        observed += o;
        noise += e;
        n += 1;
    }
    if n == 0 {
        0.0
    } else {
        ((observed - noise) / n as f64).max(0.0)
    }
}

/// The (not normalised) mean of each group of rows, summed in the given order.
fn means<'a>(
    vectors: ArrayView2<f32>,
    groups: impl Iterator<Item = &'a [usize]>,
    count: usize,
) -> Array2<f32> {
    let mut out = Array2::<f32>::zeros((count, vectors.ncols()));
    for (mut row, rows) in out.axis_iter_mut(Axis(0)).zip(groups) {
        for &r in rows {
            row.scaled_add(1.0, &vectors.row(r));
        }
        if !rows.is_empty() {
            row.mapv_inplace(|x| x / rows.len() as f32);
        }
    }
    out
}

fn squared_distance(a: ndarray::ArrayView1<f32>, b: ndarray::ArrayView1<f32>) -> f64 {
    a.iter()
        .zip(b.iter())
        .map(|(x, y)| f64::from(x - y).powi(2))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn passage(document: usize, rows: &[usize]) -> Passage {
        Passage {
            document,
            rows: rows.to_vec(),
            asides: Vec::new(),
        }
    }

    #[test]
    fn passages_of_documents_that_mix_subjects_keep_their_own_direction() {
        // Two documents, each with a passage along x and one along y.
        let own = array![
            [1.0f32, 0.1],
            [1.0, -0.1],
            [0.1, 1.0],
            [-0.1, 1.0],
            [1.0, 0.05],
            [1.0, -0.05],
            [0.05, 1.0],
            [-0.05, 1.0],
        ];
        let passages = [
            passage(0, &[0, 1]),
            passage(0, &[2, 3]),
            passage(1, &[4, 5]),
            passage(1, &[6, 7]),
        ];
        let (vectors, spread) = passage_vectors(own.view(), &passages, 2, 1);
        assert!(spread.passage > spread.sentence, "{spread:?}");
        assert!(
            vectors[[0, 0]] > 0.9 && vectors[[1, 1]] > 0.9,
            "{vectors:?}"
        );
    }

    #[test]
    fn passages_whose_differences_noise_explains_take_their_document_direction() {
        // Each document keeps to one direction; its two passages differ by
        // less than their sentences scatter.
        let own = array![
            [1.0f32, 0.5],
            [1.0, -0.3],
            [1.0, -0.5],
            [1.0, 0.3],
            [0.5, 1.0],
            [-0.3, 1.0],
            [-0.5, 1.0],
            [0.3, 1.0],
        ];
        let passages = [
            passage(0, &[0, 1]),
            passage(0, &[2, 3]),
            passage(1, &[4, 5]),
            passage(1, &[6, 7]),
        ];
        let (vectors, spread) = passage_vectors(own.view(), &passages, 2, 1);
        assert_eq!(spread.passage, 0.0, "{spread:?}");
        // Passage 0's own mean leans to (1, 0.1), passage 1's to (1, -0.1):
        // both take their document's direction.
        assert_eq!(vectors.row(0), vectors.row(1), "{vectors:?}");
        assert_eq!(vectors.row(2), vectors.row(3), "{vectors:?}");
        assert!(vectors[[0, 0]] > 0.99, "{vectors:?}");
    }
}
