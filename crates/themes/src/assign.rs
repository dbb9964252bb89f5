//! Each sentence's theme, from its own content.
//!
//! Themes are discovered on sentence vectors pulled towards their documents
//! (see `documents`): that finds themes that match what documents are about,
//! but it also files nearly every sentence of a document under the same
//! theme, so a document's theme shares come out one-hot. So the discovered
//! themes are only kept as centres: each theme's centre is the mean of its
//! discovered members' own vectors (every document weighing the same), and
//! each sentence goes to the centre nearest its own vector.
//!
//! A sentence whose own vector does not decide, its two nearest centres
//! being closer than a margin, keeps the theme it was discovered in (the one
//! its document's context gives it) and is marked low-confidence: a generic
//! sentence ("He said so on Tuesday.") then follows its document instead of
//! landing in whichever theme it happens to touch.

use crate::kmeans::{argmax, normalize_rows};
use ndarray::{Array2, ArrayView2};

/// Theme of every point (of `0..k`) and its margin: similarity of its own
/// vector to the nearest centre minus that to the next nearest (1 when there
/// is no other theme). Points whose margin is below `min_margin` keep their
/// `discovered` theme.
///
/// `own` holds unit rows; `weights` is each point's weight in the centres.
/// A discovered theme with no member gets no centre and no point.
pub(crate) fn by_content(
    own: ArrayView2<f32>,
    weights: &[f32],
    discovered: &[usize],
    k: usize,
    min_margin: f32,
) -> (Vec<usize>, Vec<f32>) {
    let mut centres = Array2::<f32>::zeros((k, own.ncols()));
    let mut members = vec![0usize; k];
    // Summed in point order, which callers make canonical.
    for ((row, &theme), &weight) in own.outer_iter().zip(discovered).zip(weights) {
        centres.row_mut(theme).scaled_add(weight, &row);
        members[theme] += 1;
    }
    normalize_rows(&mut centres);
    let similarities = own.dot(&centres.t());
    similarities
        .outer_iter()
        .zip(discovered)
        .map(|(row, &found)| {
            let usable = || {
                row.iter()
                    .zip(&members)
                    .map(|(&s, &m)| if m > 0 { s } else { f32::NEG_INFINITY })
            };
            let (nearest, best) = argmax(usable());
            let next = usable()
                .enumerate()
                .filter(|&(c, _)| c != nearest)
                .map(|(_, s)| s)
                .fold(f32::NEG_INFINITY, f32::max);
            let margin = if next.is_finite() { best - next } else { 1.0 };
            let theme = if margin < min_margin { found } else { nearest };
            (theme, margin)
        })
        .unzip()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn a_clear_sentence_goes_where_its_content_is() {
        // Discovered: points 0-2 in theme 0, 3-5 in theme 1 (as document
        // context would put them); point 2's own vector is plainly theme 1's.
        let own = array![
            [1.0f32, 0.0],
            [1.0, 0.0],
            [0.0, 1.0],
            [0.0, 1.0],
            [0.0, 1.0],
            [0.0, 1.0],
        ];
        let (themes, margins) = by_content(own.view(), &[1.0; 6], &[0, 0, 0, 1, 1, 1], 2, 0.05);
        assert_eq!(themes, vec![0, 0, 1, 1, 1, 1]);
        assert!(margins.iter().all(|&m| m > 0.5), "{margins:?}");
    }

    #[test]
    fn an_undecided_sentence_keeps_its_discovered_theme() {
        // Two sentences halfway between the themes, one discovered in each:
        // the centres stay symmetric, so neither sentence leans either way.
        let half = std::f32::consts::FRAC_1_SQRT_2;
        let own = array![
            [1.0f32, 0.0],
            [1.0, 0.0],
            [half, half],
            [half, half],
            [0.0, 1.0],
            [0.0, 1.0],
        ];
        let (themes, margins) = by_content(own.view(), &[1.0; 6], &[0, 0, 0, 1, 1, 1], 2, 0.05);
        assert_eq!(themes, vec![0, 0, 0, 1, 1, 1]);
        assert_eq!(margins[2], 0.0);
        assert_eq!(margins[3], 0.0);
    }

    #[test]
    fn an_empty_theme_takes_no_point() {
        let own = array![[-1.0f32, 0.0], [-1.0, 0.0]];
        let (themes, margins) = by_content(own.view(), &[1.0; 2], &[1, 1], 2, 0.05);
        assert_eq!(themes, vec![1, 1]);
        assert_eq!(margins, vec![1.0, 1.0]);
    }
}
