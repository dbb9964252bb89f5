//! Passages: the runs of neighbouring sentences of one document that keep to
//! one subject. They are what themes are found from.
//!
//! A sentence alone says little about its subject; its whole document says
//! too much, since essays change subject as they go. So each document is cut
//! where its subject changes, by TextTiling (Hearst 1997) over the sentence
//! embeddings:
//! - at every gap between two sentences, the *cohesion* is the cosine of the
//!   mean vectors of the [`WINDOW`] sentences before and after it;
//! - a gap at a valley of cohesion has a *depth*: how far cohesion climbs
//!   back on either side;
//! - a valley is a boundary when its depth passes Hearst's cut-off, the mean
//!   of all valley depths less half their standard deviation, taken over
//!   the whole collection (so a document that keeps to one subject is not
//!   cut just because its own valleys are shallow);
//! - a boundary moves to the nearest paragraph break within [`WINDOW`]
//!   sentences, as Hearst's does: writers change subject at paragraphs.
//!
//! Text without paragraph breaks (one long paragraph, a hard-wrapped file)
//! is cut by the embeddings alone.

use ndarray::{Array1, ArrayView2};

/// Sentences on each side of a gap whose mean vectors are compared: three,
/// about the length of a short paragraph, long enough to smooth over one
/// odd sentence and short enough not to reach over a short passage.
pub(crate) const WINDOW: usize = 3;

/// The sentences of one document, in reading order.
pub(crate) struct DocumentSentences {
    /// Rows of the vectors, in reading order.
    pub(crate) rows: Vec<usize>,
    /// Whether a paragraph break precedes each sentence after the first.
    pub(crate) breaks: Vec<bool>,
}

/// The passages of each document: for every document, the length of each of
/// its passages in sentences, in reading order.
pub(crate) fn cut(vectors: ArrayView2<f32>, documents: &[DocumentSentences]) -> Vec<Vec<usize>> {
    let depths: Vec<Vec<f32>> = documents
        .iter()
        .map(|d| valley_depths(&cohesion(vectors, &d.rows)))
        .collect();
    let cutoff = hearst_cutoff(depths.iter().flatten().copied().filter(|&d| d > 0.0));
    documents
        .iter()
        .zip(&depths)
        .map(|(document, depths)| {
            let mut boundaries: Vec<usize> = depths
                .iter()
                .enumerate()
                .filter(|&(_, &d)| d > 0.0 && d > cutoff)
                .map(|(gap, _)| snap_to_paragraph(gap, &document.breaks, depths))
                .collect();
            boundaries.sort_unstable();
            boundaries.dedup();
            lengths(document.rows.len(), &boundaries)
        })
        .collect()
}

/// Cohesion at each gap `g` (between sentences `g` and `g + 1`).
fn cohesion(vectors: ArrayView2<f32>, rows: &[usize]) -> Vec<f32> {
    let n = rows.len();
    let dim = vectors.ncols();
    // Running sums, so each window's sum is one subtraction.
    let mut prefix = vec![Array1::<f32>::zeros(dim)];
    for &r in rows {
        let next = prefix.last().expect("starts non-empty") + &vectors.row(r);
        prefix.push(next);
    }
    (0..n.saturating_sub(1))
        .map(|g| {
            let left = &prefix[g + 1] - &prefix[(g + 1).saturating_sub(WINDOW)];
            let right = &prefix[(g + 1 + WINDOW).min(n)] - &prefix[g + 1];
            let norms = left.dot(&left).sqrt() * right.dot(&right).sqrt();
            if norms > 0.0 {
                left.dot(&right) / norms
            } else {
                0.0
            }
        })
        .collect()
}

/// Depth of every gap that is a valley of cohesion (0 elsewhere): the climb
/// to the nearest peak on the left plus that on the right.
fn valley_depths(cohesion: &[f32]) -> Vec<f32> {
    let n = cohesion.len();
    (0..n)
        .map(|g| {
            let c = cohesion[g];
            let valley = (g == 0 || cohesion[g - 1] >= c) && (g + 1 == n || cohesion[g + 1] >= c);
            if !valley {
                return 0.0;
            }
            let mut left = g;
            while left > 0 && cohesion[left - 1] >= cohesion[left] {
                left -= 1;
            }
            let mut right = g;
            while right + 1 < n && cohesion[right + 1] >= cohesion[right] {
                right += 1;
            }
            (cohesion[left] - c) + (cohesion[right] - c)
        })
        .collect()
}

/// Hearst's liberal cut-off: mean less half the standard deviation.
fn hearst_cutoff(depths: impl Iterator<Item = f32>) -> f32 {
    let values: Vec<f64> = depths.map(f64::from).collect();
    if values.is_empty() {
        return f32::INFINITY;
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean - variance.sqrt() / 2.0) as f32
}

/// The paragraph break nearest to `gap` within [`WINDOW`] gaps (ties: the
/// deeper, then the earlier), or `gap` itself when there is none.
fn snap_to_paragraph(gap: usize, breaks: &[bool], depths: &[f32]) -> usize {
    let low = gap.saturating_sub(WINDOW);
    let high = (gap + WINDOW).min(depths.len().saturating_sub(1));
    (low..=high)
        .filter(|&g| breaks.get(g + 1).copied().unwrap_or(false))
        .min_by(|&a, &b| {
            a.abs_diff(gap)
                .cmp(&b.abs_diff(gap))
                .then(depths[b].total_cmp(&depths[a]))
                .then(a.cmp(&b))
        })
        .unwrap_or(gap)
}

/// Passage lengths of `n` sentences cut after each gap in `boundaries`.
fn lengths(n: usize, boundaries: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(boundaries.len() + 1);
    let mut start = 0;
    for &gap in boundaries {
        out.push(gap + 1 - start);
        start = gap + 1;
    }
    if n > start {
        out.push(n - start);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    /// Sentences along one of two directions, with a little of the other.
    fn two_subjects(pattern: &[usize]) -> Array2<f32> {
        Array2::from_shape_fn((pattern.len(), 4), |(i, j)| {
            let wobble = ((i * 7 + j * 3) % 5) as f32 * 0.05;
            if j == pattern[i] {
                1.0
            } else {
                wobble
            }
        })
    }

    #[test]
    fn a_change_of_subject_without_paragraphs_is_found() {
        let pattern = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
        let vectors = two_subjects(&pattern);
        let rows: Vec<usize> = (0..pattern.len()).collect();
        let documents = [DocumentSentences {
            rows: rows.clone(),
            breaks: vec![false; pattern.len()],
        }];
        assert_eq!(cut(vectors.view(), &documents), vec![vec![6, 6]]);
    }

    #[test]
    fn a_boundary_moves_to_a_nearby_paragraph_break() {
        // The subject changes after sentence 6; the paragraph breaks before 5.
        let pattern = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
        let vectors = two_subjects(&pattern);
        let rows: Vec<usize> = (0..pattern.len()).collect();
        let mut breaks = vec![false; pattern.len()];
        breaks[5] = true;
        let documents = [DocumentSentences {
            rows: rows.clone(),
            breaks,
        }];
        assert_eq!(cut(vectors.view(), &documents), vec![vec![5, 7]]);
    }

    #[test]
    fn one_subject_stays_whole_beside_documents_that_change() {
        // Three documents change subject halfway; a fourth keeps to one.
        let mut parts = Vec::new();
        for _ in 0..3 {
            parts.push(two_subjects(&[0, 0, 0, 0, 0, 1, 1, 1, 1, 1]));
        }
        parts.push(two_subjects(&[1; 10]));
        let views: Vec<_> = parts.iter().map(|p| p.view()).collect();
        let vectors = ndarray::concatenate(ndarray::Axis(0), &views).expect("same width");
        let documents: Vec<DocumentSentences> = (0..4)
            .map(|d| DocumentSentences {
                rows: (10 * d..10 * d + 10).collect(),
                breaks: vec![false; 10],
            })
            .collect();
        let passages = cut(vectors.view(), &documents);
        let cuts = |lengths: &[usize]| {
            let mut at = 0;
            lengths[..lengths.len() - 1]
                .iter()
                .map(|len| {
                    at += len;
                    at
                })
                .collect::<Vec<_>>()
        };
        for changing in &passages[..3] {
            assert!(cuts(changing).contains(&5), "{passages:?}");
        }
        assert_eq!(passages[3], vec![10], "{passages:?}");
    }

    #[test]
    fn tiny_documents_are_one_passage() {
        let vectors = two_subjects(&[0, 1]);
        let documents = [
            DocumentSentences {
                rows: vec![0],
                breaks: vec![false],
            },
            DocumentSentences {
                rows: vec![1],
                breaks: vec![false],
            },
        ];
        assert_eq!(cut(vectors.view(), &documents), vec![vec![1], vec![1]]);
    }
}
