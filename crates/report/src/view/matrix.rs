//! What the two heatmaps (essays × themes, essay × essay) share: the column
//! heads, the essay rows, and their sizes.

use super::text::{round1, truncate};
use precis_core::Document;
use serde::Serialize;

/// Longest essay title or theme label written beside a heatmap, in chars.
pub(super) const LABEL_CHARS: usize = 36;

/// Room right of a heatmap for its slanted column labels.
pub(super) const OVERHANG: f64 = 130.0;

#[derive(Serialize, Debug)]
pub(super) struct Column {
    pub(super) x: f64,
    pub(super) id: String,
    pub(super) label: String,
    pub(super) full: String,
    pub(super) colour: &'static str,
    pub(super) text: &'static str,
}

#[derive(Serialize, Debug)]
pub(super) struct Row {
    y: f64,
    doc_id: String,
    label: String,
    full: String,
}

pub(super) fn essay_rows(
    documents: &[Document],
    order: &[usize],
    top: f64,
    height: f64,
) -> Vec<Row> {
    order
        .iter()
        .enumerate()
        .map(|(r, &d)| Row {
            y: round1(top + r as f64 * height),
            doc_id: documents[d].doc_id.clone(),
            label: truncate(&documents[d].title, LABEL_CHARS),
            full: documents[d].title.clone(),
        })
        .collect()
}

/// Row height of a heatmap with `n` rows: roomy for a few, denser for many.
pub(super) fn rows_height(n: usize) -> f64 {
    match n {
        0..=16 => 32.0,
        17..=40 => 22.0,
        _ => 14.0,
    }
}

/// Room for the row labels, estimated from their length (13 px sans-serif).
pub(super) fn label_width<'a>(labels: impl Iterator<Item = &'a str>) -> f64 {
    let longest = labels
        .map(|l| l.chars().count().min(LABEL_CHARS + 1))
        .max()
        .unwrap_or(0);
    round1(24.0 + 7.2 * longest as f64)
}
