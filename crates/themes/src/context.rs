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
//! broader one.
//!
//! Both are measured on the collection itself, and along each principal
//! axis of the differences rather than in total. A change of subject inside
//! an essay moves its passages along a few axes, while sentence noise
//! scatters over all of the embedding's dimensions; a single total would
//! weigh the few axes of signal against the noise of all of them, and pull
//! every passage of a mixed essay back to one subject. Per axis:
//! - the noise is the variance of sentences about their passage's mean
//!   along that axis, divided by the passage's length;
//! - the spread of passages about their document is their observed variance
//!   along the axis less the part that noise explains (the method of
//!   moments);
//! - the spread of documents about their neighbours' mean is found the same
//!   way, with a document's noise made of its sentences' and its passages'.
//!
//! Where passages of one document keep to one subject (news articles), the
//! spread is small on every axis and passages lean on their document; where
//! documents mix unrelated subjects (a review digest, an essay that turns
//! from boats to winter), the axes along which they turn keep each passage's
//! own direction. Nothing here is tuned: the weights follow from the data.

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
/// embedding's axes), reported in the diagnostics.
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

    // Sentence noise: pooled within-passage covariance, unbiased.
    let scattered: Vec<usize> = (0..passages.len())
        .filter(|&p| passages[p].rows.len() > 1)
        .collect();
    // Gathered a block of residuals at a time: all of them at once would be
    // one more copy of every sentence vector.
    let mut scatter = Scatter::new(dim);
    let mut block = Array2::<f32>::zeros((RESIDUAL_BLOCK, dim));
    let mut filled = 0;
    for &p in &scattered {
        for &r in &passages[p].rows {
            let mut row = block.row_mut(filled);
            row.assign(&own.row(r));
            row -= &passage_means.row(p);
            filled += 1;
            if filled == RESIDUAL_BLOCK {
                scatter.add(block.view());
                filled = 0;
            }
        }
    }
    scatter.add(block.slice(ndarray::s![..filled, ..]));
    let freedom = scatter.rows - scattered.len();
    let sentence_noise = regularised_covariance(&scatter, freedom);

    // Passages about their document: noise `sentence_noise / length`.
    let mixed: Vec<usize> = (0..passages.len())
        .filter(|&p| passages_of[passages[p].document] > 1)
        .collect();
    let deviations = Array2::from_shape_fn((mixed.len(), dim), |(i, j)| {
        let p = &passages[mixed[i]];
        passage_means[[mixed[i], j]] - document_means[[p.document, j]]
    });
    let inverse_length = |p: usize| 1.0 / passages[p].rows.len() as f64;
    let passage_scale: Vec<f64> = mixed.iter().map(|&p| inverse_length(p)).collect();
    let passage_axes = Axes::fit(deviations.view(), &sentence_noise, &passage_scale);

    // Documents about their neighbourhood. A document's noise is its
    // sentences' over their number plus its passages' over theirs; it is
    // taken as proportional to the mean of that over the documents.
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
    let placed: Vec<usize> = (0..documents).filter(|&d| !nearest[d].is_empty()).collect();
    let document_deviations = Array2::from_shape_fn((placed.len(), dim), |(i, j)| {
        document_means[[placed[i], j]] - neighbourhood[[placed[i], j]]
    });
    let sentence_total: f64 = (0..dim).map(|j| sentence_noise[[j, j]]).sum();
    let passage_total = passage_axes.total();
    let document_noise = |d: usize| {
        sentence_total / document_rows[d].len().max(1) as f64
            + passage_total / passages_of[d].max(1) as f64
    };
    let mean_noise =
        placed.iter().map(|&d| document_noise(d)).sum::<f64>() / placed.len().max(1) as f64;
    let mean_noise = if mean_noise > 0.0 { mean_noise } else { 1.0 };
    let mean_weight = |weight: &dyn Fn(usize) -> f64| {
        placed.iter().map(|&d| weight(d)).sum::<f64>() / placed.len().max(1) as f64
    };
    let noise_matrix = &sentence_noise
        * (mean_weight(&|d| 1.0 / document_rows[d].len().max(1) as f64) / mean_noise)
        + &passage_axes.covariance
            * (mean_weight(&|d| 1.0 / passages_of[d].max(1) as f64) / mean_noise);
    let document_scale: Vec<f64> = placed.iter().map(|&d| document_noise(d)).collect();
    let document_axes = Axes::fit(document_deviations.view(), &noise_matrix, &document_scale);

    let documents_shrunk =
        document_axes.shrink(document_means.view(), neighbourhood.view(), document_noise);
    let priors = documents_shrunk.select(
        Axis(0),
        &passages.iter().map(|p| p.document).collect::<Vec<_>>(),
    );
    let mut vectors = passage_axes.shrink(passage_means.view(), priors.view(), inverse_length);
    normalize_rows(&mut vectors);
    let spread = Spread {
        sentence: sentence_total,
        passage: passage_total,
        document: document_axes.total(),
    };
    (vectors, spread)
}

/// How a set of differences (estimate less prior) truly spreads, apart from
/// its noise, fitted in the space where that noise is white.
///
/// Row `i`'s noise has covariance `scale[i] · noise`. After whitening, pure
/// noise would give the rows' scatter eigenvalues no larger than the
/// Marchenko–Pastur edge `(1 + √(dim/rows))²`; an axis whose eigenvalue
/// stands above it carries true spread, whose size follows from inverting
/// the spiked-covariance bias (Baik, Ben Arous & Péché 2005). Axes below
/// the edge carry none: every estimate takes its prior there. So the many
/// axes that noise alone makes look wide are not mistaken for subjects,
/// however few the rows.
struct Axes {
    /// `noise^{-1/2} · axes`: row differences times this give whitened
    /// coordinates along each axis.
    to_axes: Array2<f32>,
    /// `axesᵀ · noise^{1/2}`: coordinates times this give differences.
    from_axes: Array2<f32>,
    /// True spread along each axis, in whitened units (0 below the edge).
    spread: Vec<f64>,
    /// The true spread as a covariance matrix, in the rows' own units.
    covariance: Array2<f64>,
}

impl Axes {
    fn fit(deviations: ArrayView2<f32>, noise: &Array2<f64>, scale: &[f64]) -> Axes {
        let (rows, dim) = deviations.dim();
        let (vectors, values) = symmetric_eigen(noise);
        // Axes without noise (a collection of repeated sentences) keep a
        // trace of it, so that whitening stays finite.
        let largest = values.iter().copied().fold(0.0f64, f64::max);
        let floor = if largest > 0.0 {
            largest * 1e-12
        } else {
            1e-12
        };
        let scale: Vec<f64> = scale.iter().map(|&s| s.max(1e-12)).collect();
        let root = |power: f64| {
            let scaled = Array2::from_shape_fn((dim, dim), |(i, j)| {
                vectors[[i, j]] * values[j].max(floor).powf(power)
            });
            scaled.dot(&vectors.t())
        };
        let (whiten, colour) = (root(-0.5), root(0.5));
        let mut white = deviations.mapv(f64::from).dot(&whiten);
        for (mut row, &s) in white.axis_iter_mut(Axis(0)).zip(&scale) {
            row.mapv_inplace(|x| x / s.sqrt());
        }
        let scatter = covariance(white.view(), rows);
        let (axes, eigenvalues) = symmetric_eigen(&scatter);
        let aspect = dim as f64 / rows.max(1) as f64;
        let edge = (1.0 + aspect.sqrt()).powi(2);
        let mean_inverse_scale = if rows == 0 {
            1.0
        } else {
            scale.iter().map(|s| 1.0 / s).sum::<f64>() / rows as f64
        };
        let spread: Vec<f64> = eigenvalues
            .iter()
            .map(|&observed| {
                if rows == 0 || observed <= edge {
                    return 0.0;
                }
                let b = observed + 1.0 - aspect;
                let population = (b + (b * b - 4.0 * observed).max(0.0).sqrt()) / 2.0;
                (population - 1.0).max(0.0) / mean_inverse_scale
            })
            .collect();
        let to_axes = whiten.dot(&axes);
        let from_axes = axes.t().dot(&colour);
        let signal = Array2::from_shape_fn((dim, dim), |(j, k)| spread[j] * from_axes[[j, k]]);
        let covariance = from_axes.t().dot(&signal);
        Axes {
            to_axes: to_axes.mapv(|x| x as f32),
            from_axes: from_axes.mapv(|x| x as f32),
            spread,
            covariance,
        }
    }

    /// The total true spread, summed over the embedding's axes.
    fn total(&self) -> f64 {
        (0..self.covariance.nrows())
            .map(|j| self.covariance[[j, j]])
            .sum()
    }

    /// Each row of `estimates` moved towards its row of `priors`: along each
    /// axis, the weight of the prior is `noise / (noise + spread)`, with row
    /// `i`'s noise `scale(i)` in the units of [`Axes::fit`].
    fn shrink(
        &self,
        estimates: ArrayView2<f32>,
        priors: ArrayView2<f32>,
        scale: impl Fn(usize) -> f64,
    ) -> Array2<f32> {
        let mut coordinates = (&estimates - &priors).dot(&self.to_axes);
        for (i, mut row) in coordinates.axis_iter_mut(Axis(0)).enumerate() {
            let noise = scale(i).max(1e-12);
            for (x, &spread) in row.iter_mut().zip(&self.spread) {
                *x *= (spread / (spread + noise)) as f32;
            }
        }
        &priors + &coordinates.dot(&self.from_axes)
    }
}

/// Eigenvectors (columns) and eigenvalues of a symmetric matrix.
fn symmetric_eigen(matrix: &Array2<f64>) -> (Array2<f64>, Vec<f64>) {
    let dim = matrix.nrows();
    let eigen =
        nalgebra::SymmetricEigen::new(nalgebra::DMatrix::from_fn(dim, dim, |i, j| matrix[[i, j]]));
    let vectors = Array2::from_shape_fn((dim, dim), |(i, j)| eigen.eigenvectors[(i, j)]);
    (vectors, eigen.eigenvalues.iter().copied().collect())
}

/// Residual rows summarised as the covariance shrinkage needs them, one
/// block at a time.
struct Scatter {
    /// `Σ r rᵀ` over the rows.
    product: Array2<f64>,
    /// `Σ ‖r‖⁴`.
    fourth: f64,
    rows: usize,
}

/// Residual rows per block: 6 MB of them at 384 dimensions.
const RESIDUAL_BLOCK: usize = 4096;

impl Scatter {
    fn new(dim: usize) -> Self {
        Self {
            product: Array2::zeros((dim, dim)),
            fourth: 0.0,
            rows: 0,
        }
    }

    fn add(&mut self, rows: ArrayView2<f32>) {
        if rows.nrows() == 0 {
            return;
        }
        let product = rows.t().dot(&rows);
        self.product
            .zip_mut_with(&product, |sum, &x| *sum += f64::from(x));
        self.fourth += rows
            .outer_iter()
            .map(|r| f64::from(r.dot(&r)).powi(2))
            .sum::<f64>();
        self.rows += rows.nrows();
    }
}

/// Ledoit & Wolf's (2004) shrinkage of the sample covariance `Σ r rᵀ /
/// freedom` towards a multiple of the identity, with the weight that
/// minimises the expected error: a covariance of 384 axes from a few
/// hundred sentences is otherwise too poorly conditioned to whiten by.
fn regularised_covariance(scatter: &Scatter, freedom: usize) -> Array2<f64> {
    let dim = scatter.product.ncols();
    if freedom == 0 {
        return Array2::zeros((dim, dim));
    }
    let sample = scatter.product.mapv(|x| x / freedom as f64);
    let mean = (0..dim).map(|j| sample[[j, j]]).sum::<f64>() / dim as f64;
    let sample_norm: f64 = sample.iter().map(|x| x * x).sum();
    let distance = sample_norm - dim as f64 * mean * mean;
    // Σ_k ‖r_k r_kᵀ − S‖² = Σ_k ‖r_k‖⁴ − 2 Σ_k r_kᵀ S r_k + n ‖S‖², and
    // Σ_k r_kᵀ S r_k = tr(S · Σ_k r_k r_kᵀ) = freedom · ‖S‖².
    let n = scatter.rows as f64;
    let scatter = scatter.fourth - 2.0 * freedom as f64 * sample_norm + n * sample_norm;
    let error = (scatter / (n * n)).clamp(0.0, distance.max(0.0));
    let weight = if distance > 0.0 {
        error / distance
    } else {
        1.0
    };
    Array2::from_shape_fn((dim, dim), |(i, j)| {
        let target = if i == j { mean } else { 0.0 };
        weight * target + (1.0 - weight) * sample[[i, j]]
    })
}

/// `rowsᵀ · rows / freedom` (the zero matrix without freedom).
fn covariance(rows: ArrayView2<f64>, freedom: usize) -> Array2<f64> {
    let product = rows.t().dot(&rows);
    if freedom == 0 {
        Array2::zeros(product.dim())
    } else {
        product / freedom as f64
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

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn residuals_gathered_in_blocks_give_the_scatter_of_all_of_them() {
        // Small integers: every product and sum is exact in f32, so the
        // blocks must agree with the whole to the bit.
        let rows = Array2::from_shape_fn((2 * RESIDUAL_BLOCK + 5, 4), |(i, j)| {
            ((i * 7 + j * 3) % 11) as f32 - 5.0
        });
        let mut whole = Scatter::new(4);
        whole.add(rows.view());
        let mut blocks = Scatter::new(4);
        for block in rows.axis_chunks_iter(Axis(0), 1000) {
            blocks.add(block);
        }
        assert_eq!(blocks.product, whole.product);
        assert_eq!(blocks.fourth, whole.fourth);
        assert_eq!(blocks.rows, rows.nrows());
        let direct = rows.t().dot(&rows).mapv(f64::from);
        assert_eq!(whole.product, direct);
    }

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

    #[test]
    fn a_change_of_subject_along_few_axes_survives_noise_spread_over_many() {
        // 24 documents in 64 dimensions, each with a style of its own (axis
        // 2 + d) and two passages of 6 sentences, one leaning to subject x,
        // one to subject y. The change of subject is small in total beside
        // the sentence noise, which is spread over all axes; along its one
        // axis it stands far above it.
        let (documents, dim, length) = (24, 64, 6);
        let mut rng = crate::rng::SplitMix64::new(7);
        let mut own = Array2::<f32>::zeros((documents * 2 * length, dim));
        let mut passages = Vec::new();
        for d in 0..documents {
            for side in 0..2 {
                let first = (d * 2 + side) * length;
                for r in first..first + length {
                    for j in 0..dim {
                        own[[r, j]] = (rng.next_f64() as f32 - 0.5) * 0.4;
                    }
                    own[[r, 2 + d]] += 0.3;
                    own[[r, side]] += 0.3;
                    own[[r, 1 - side]] -= 0.3;
                }
                passages.push(passage(d, &(first..first + length).collect::<Vec<_>>()));
            }
        }
        let (vectors, _) = passage_vectors(own.view(), &passages, documents, 3);
        for (p, v) in vectors.outer_iter().enumerate() {
            let toward = if p % 2 == 0 { v[0] - v[1] } else { v[1] - v[0] };
            // Its subject, not its document's style, leads each passage.
            assert!(
                toward / std::f32::consts::SQRT_2 > v[2 + p / 2],
                "passage {p}: {toward} against style {}",
                v[2 + p / 2]
            );
        }
    }
}
