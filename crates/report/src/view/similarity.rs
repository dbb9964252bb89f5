//! The essay × essay heatmap of the documents' cosine similarity, and its
//! values for the script's tooltips.

use super::matrix::{essay_rows, label_width, rows_height, Column, Row, OVERHANG};
use super::text::{round1, truncate};
use super::Index;
use crate::bitmap;
use crate::palette::Ramp;
use ndarray::Array2;
use precis_themes::DocumentEmbeddings;
use serde::Serialize;

/// The cosine similarity of every pair of documents, by position: the
/// similarity `themes/similarity.csv` writes ([`DocumentEmbeddings`]),
/// computed here from the sentence embeddings so that every pair is there
/// even where the CSV keeps only each document's nearest.
pub(super) fn cosines(index: &Index) -> Array2<f64> {
    let input = index.input;
    let embedded = DocumentEmbeddings::new(
        input.documents.iter().map(|d| d.doc_id.as_str()),
        input.sentences,
        input.embeddings,
    );
    let n = embedded.len();
    let mut cosine = Array2::zeros((n, n));
    for a in 0..n {
        for b in a..n {
            let value = f64::from(embedded.cosine(a, b));
            cosine[[a, b]] = value;
            cosine[[b, a]] = value;
        }
    }
    cosine
}

#[derive(Serialize, Debug)]
pub(super) struct Similarity {
    width: f64,
    height: f64,
    left: f64,
    top: f64,
    cell: f64,
    columns: Vec<Column>,
    rows: Vec<Row>,
    /// The matrix as an image, one pixel a cell; `None` without essays.
    image: Option<String>,
    /// The values written on the cells, where the cells are large enough.
    labels: Vec<CellLabel>,
    low: String,
    high: String,
    #[serde(skip)]
    pub(super) values: SimilarityValues,
}

#[derive(Serialize, Debug)]
struct CellLabel {
    x: f64,
    y: f64,
    text: &'static str,
    value: String,
}

/// The similarity matrix for the script's tooltips.
#[derive(Serialize, Debug, Default)]
pub(super) struct SimilarityValues {
    /// The essays of the rows (and columns), by position.
    essays: Vec<usize>,
    /// Row by row, each cosine similarity in thousandths.
    thousandths: Vec<i64>,
}

pub(super) fn similarity(index: &Index, cosine: &Array2<f64>, essay_order: &[usize]) -> Similarity {
    let documents = index.input.documents;
    let n = documents.len();
    let cell = rows_height(n);
    let left = label_width(documents.iter().map(|d| d.title.as_str()));
    let top = 150.0;
    // The colour scale spans the off-diagonal values, where the differences are.
    let (mut low, mut high) = (f64::MAX, f64::MIN);
    for i in 0..n {
        for j in 0..n {
            if i != j {
                low = low.min(cosine[[i, j]]);
                high = high.max(cosine[[i, j]]);
            }
        }
    }
    if low > high {
        (low, high) = (0.0, 1.0);
    }
    let spread = (high - low).max(1e-9);
    let columns = essay_order
        .iter()
        .enumerate()
        .map(|(c, &d)| Column {
            x: round1(left + c as f64 * cell),
            id: documents[d].doc_id.clone(),
            label: truncate(&documents[d].title, 26),
            full: documents[d].title.clone(),
            colour: "#ffffff",
            text: "#1a1a1a",
        })
        .collect();
    // Where on the ramp the cell of essays `a` and `b` lies; `None` on the
    // diagonal, drawn grey.
    let shade =
        |a: usize, b: usize| (a != b).then(|| 0.08 + 0.92 * (cosine[[a, b]] - low) / spread);
    let image = (n > 0).then(|| {
        bitmap::data_uri(n, n, |c, r| {
            shade(essay_order[r], essay_order[c]).map_or([0xd9; 3], |t| Ramp::Purples.rgb(t))
        })
    });
    let mut labels = Vec::new();
    if cell >= 30.0 {
        for (r, &a) in essay_order.iter().enumerate() {
            for (c, &b) in essay_order.iter().enumerate() {
                if let Some(t) = shade(a, b) {
                    labels.push(CellLabel {
                        x: round1(left + (c as f64 + 0.5) * cell),
                        y: round1(top + (r as f64 + 0.5) * cell),
                        text: Ramp::Purples.text(t),
                        value: format!("{:.2}", cosine[[a, b]]),
                    });
                }
            }
        }
    }
    let values = SimilarityValues {
        essays: essay_order.to_vec(),
        thousandths: essay_order
            .iter()
            .flat_map(|&a| essay_order.iter().map(move |&b| (a, b)))
            .map(|(a, b)| (cosine[[a, b]] * 1000.0).round() as i64)
            .collect(),
    };
    Similarity {
        width: round1(left + n as f64 * cell + OVERHANG),
        height: round1(top + n as f64 * cell + 8.0),
        left,
        top,
        cell,
        columns,
        rows: essay_rows(documents, essay_order, top, cell),
        image,
        labels,
        low: format!("{:.2}", if n > 1 { low } else { 0.0 }),
        high: format!("{:.2}", if n > 1 { high } else { 1.0 }),
        values,
    }
}
