//! How well each sentence fits the theme its passage gave it.
//!
//! A sentence takes its passage's theme: a sentence alone says little about
//! its subject, and a passage keeps to one. Its own vector still tells how
//! sure that is: the `margin` is its cosine similarity to its theme's centre
//! (the unit mean of the members' own vectors) less that to the nearest other
//! theme's. A negative margin marks a sentence that, read alone, would be
//! filed elsewhere ("He said so on Tuesday." in a passage on buses).

use crate::kmeans::normalize_rows;
use ndarray::{Array2, ArrayView2};

/// The margin of every point; `labels` gives each point's theme, of `0..k`.
/// 1 when there is no other theme.
pub(crate) fn margins(own: ArrayView2<f32>, labels: &[usize], k: usize) -> Vec<f32> {
    let mut centres = Array2::<f32>::zeros((k, own.ncols()));
    // Summed in point order, which callers make canonical.
    for (row, &theme) in own.outer_iter().zip(labels) {
        centres.row_mut(theme).scaled_add(1.0, &row);
    }
    normalize_rows(&mut centres);
    let similarities = own.dot(&centres.t());
    similarities
        .outer_iter()
        .zip(labels)
        .map(|(row, &theme)| {
            let other = row
                .iter()
                .enumerate()
                .filter(|&(c, _)| c != theme)
                .map(|(_, &s)| s)
                .fold(f32::NEG_INFINITY, f32::max);
            if other.is_finite() {
                row[theme] - other
            } else {
                1.0
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn a_sentence_nearer_another_theme_has_a_negative_margin() {
        let own = array![
            [1.0f32, 0.0],
            [1.0, 0.0],
            [0.0, 1.0],
            [0.0, 1.0],
            [0.0, 1.0]
        ];
        // Point 2 is in theme 0 but lies on theme 1's direction.
        let margins = margins(own.view(), &[0, 0, 0, 1, 1], 2);
        assert!(margins[0] > 0.0 && margins[3] > 0.0, "{margins:?}");
        assert!(margins[2] < 0.0, "{margins:?}");
    }

    #[test]
    fn one_theme_gives_margin_one() {
        let own = array![[1.0f32, 0.0], [0.0, 1.0]];
        assert_eq!(margins(own.view(), &[0, 0], 1), vec![1.0, 1.0]);
    }
}
