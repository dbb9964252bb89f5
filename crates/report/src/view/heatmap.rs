//! The essays × themes heatmap of shares.

use super::matrix::{essay_rows, label_width, rows_height, Column, Row, OVERHANG};
use super::text::{percent, round1, truncate};
use super::Index;
use crate::palette::{self, Ramp};
use serde::Serialize;

#[derive(Serialize, Debug)]
pub(super) struct Heatmap {
    width: f64,
    height: f64,
    left: f64,
    top: f64,
    cell_w: f64,
    cell_h: f64,
    columns: Vec<Column>,
    rows: Vec<Row>,
    cells: Vec<Cell>,
    show_values: bool,
}

#[derive(Serialize, Debug)]
struct Cell {
    x: f64,
    y: f64,
    fill: String,
    text: &'static str,
    value: String,
    tip: String,
    row: String,
    column: String,
}

pub(super) fn heatmap(index: &Index, essay_order: &[usize], theme_order: &[usize]) -> Heatmap {
    let shares = index.shares();
    let documents = index.input.documents;
    let themes = index.themes();
    let cell_w = 48.0;
    let cell_h = rows_height(documents.len());
    let left = label_width(documents.iter().map(|d| d.title.as_str()));
    let top = 150.0;
    let columns: Vec<Column> = theme_order
        .iter()
        .enumerate()
        .map(|(c, &t)| Column {
            x: round1(left + c as f64 * cell_w),
            id: themes[t].id.to_string(),
            label: truncate(&themes[t].label, 26),
            full: themes[t].label.clone(),
            colour: palette::theme(t),
            text: palette::theme_text(t),
        })
        .collect();
    let rows = essay_rows(documents, essay_order, top, cell_h);
    let mut cells = Vec::new();
    for (r, &d) in essay_order.iter().enumerate() {
        for (c, &t) in theme_order.iter().enumerate() {
            let share = shares[[d, t]];
            cells.push(Cell {
                x: round1(left + c as f64 * cell_w),
                y: round1(top + r as f64 * cell_h),
                fill: Ramp::Blues.colour(share),
                text: Ramp::Blues.text(share),
                value: if share >= 0.005 {
                    percent(share)
                } else {
                    String::new()
                },
                tip: format!(
                    "{} · theme {} ({}): {}",
                    documents[d].title,
                    themes[t].id,
                    themes[t].label,
                    percent(share)
                ),
                row: documents[d].doc_id.clone(),
                column: themes[t].id.to_string(),
            });
        }
    }
    Heatmap {
        width: round1(left + themes.len() as f64 * cell_w + OVERHANG),
        height: round1(top + documents.len() as f64 * cell_h + 8.0),
        left,
        top,
        cell_w,
        cell_h,
        columns,
        rows,
        cells,
        show_values: cell_h >= 18.0,
    }
}
