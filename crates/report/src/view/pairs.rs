//! What the page's script needs to set two picked essays side by side, as
//! `precis compare-docs` does: every essay's share of every theme, and the
//! closest pair of sentences of every two essays in every theme they share.

use super::Index;
use serde::Serialize;

#[derive(Serialize, Debug)]
pub(super) struct SideBySideData {
    /// Per essay (in the order of the essays), its themes as
    /// `[position of the theme, share]`.
    shares: Vec<Vec<(usize, f64)>>,
    /// Per theme (by position), the closest pairs; `None` when the themes
    /// stage found too many to write ([`precis_themes::MOST_CLOSEST_PAIRS`]).
    pairs: Option<Vec<ThemePairsData>>,
}

/// One theme's pairs: the essays that have it, by position in doc-id order,
/// and per pair of them, in the order (0, 1), (0, 2), … (1, 2), …, the index
/// of the sentence of the earlier essay, of the later one, and their cosine
/// in ten-thousandths.
#[derive(Serialize, Debug, Default)]
struct ThemePairsData {
    essays: Vec<usize>,
    closest: Vec<i64>,
}

pub(super) fn side_by_side(index: &Index) -> SideBySideData {
    let input = index.input;
    let shares = index
        .shares()
        .outer_iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .filter(|(_, &share)| share > 0.0)
                .map(|(t, &share)| (t, share))
                .collect()
        })
        .collect();
    let pairs = input.closest_pairs.map(|found| {
        let mut by_position: Vec<ThemePairsData> = (0..index.themes().len())
            .map(|_| ThemePairsData::default())
            .collect();
        for theme in found {
            let Some(&p) = index.theme.get(&theme.theme) else {
                continue;
            };
            by_position[p] = ThemePairsData {
                essays: theme
                    .documents
                    .iter()
                    .map(|d| index.document[d.as_str()])
                    .collect(),
                closest: theme
                    .closest
                    .iter()
                    .flat_map(|pair| {
                        [
                            pair.index_first as i64,
                            pair.index_second as i64,
                            (f64::from(pair.similarity) * 1e4).round() as i64,
                        ]
                    })
                    .collect(),
            };
        }
        by_position
    });
    SideBySideData { shares, pairs }
}
