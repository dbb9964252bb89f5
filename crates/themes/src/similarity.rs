//! Document × document similarity: each document's embedding
//! ([`DocumentEmbeddings`], which the report's essay matrix shows too) and
//! `themes/similarity.csv`.

use crate::identity::cosine;
use crate::kmeans::normalize_rows;
use crate::{ThemeId, ThemeRun};
use ndarray::{Array2, ArrayView2, Axis, Slice};
use precis_core::Sentence;
use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

/// Up to this many documents, the CSV lists every pair.
pub const ALL_PAIRS_UP_TO: usize = 1000;

/// Beyond [`ALL_PAIRS_UP_TO`] documents, each document's this many nearest.
pub const NEAREST_DOCUMENTS: usize = 50;

/// Rows per block of the document × document product.
const BLOCK: usize = 1024;

/// `themes/similarity.csv`: pairs of documents in long format, sorted by
/// `doc_a` then `doc_b` (`doc_a < doc_b`):
///
/// ```text
/// doc_a,doc_b,theme_share_cosine,embedding_cosine
/// essay-01,essay-02,0.812345,0.734512
/// ```
///
/// `theme_share_cosine` is the cosine of the two documents' theme-share
/// vectors (1: same mix of themes, 0: no theme in common);
/// `embedding_cosine` that of their mean sentence embeddings
/// ([`DocumentEmbeddings::cosine`]). Values have 6
/// decimals; ids are quoted where CSV needs it.
///
/// Every pair is listed for up to [`ALL_PAIRS_UP_TO`] documents; beyond
/// that (where all pairs would run to hundreds of megabytes) the pairs of
/// each document with its [`NEAREST_DOCUMENTS`] nearest by embedding cosine.
pub fn similarity_csv(
    run: &ThemeRun,
    embeddings: ArrayView2<f32>,
    sentences: &[Sentence],
) -> String {
    let theme_ids: Vec<ThemeId> = run.set.themes.iter().map(|t| t.id).collect();
    let mut documents: Vec<&str> = run.documents.iter().map(|d| d.doc_id.as_str()).collect();
    documents.sort_unstable();
    documents.dedup();
    let position: HashMap<&str, usize> =
        documents.iter().enumerate().map(|(i, &d)| (d, i)).collect();

    let mut shares = vec![vec![0f32; theme_ids.len()]; documents.len()];
    for doc in &run.documents {
        for share in &doc.themes {
            if let Ok(t) = theme_ids.binary_search(&share.theme) {
                shares[position[doc.doc_id.as_str()]][t] = share.share as f32;
            }
        }
    }
    let embedded = DocumentEmbeddings::new(documents.iter().copied(), sentences, embeddings);

    let mut csv = String::from("doc_a,doc_b,theme_share_cosine,embedding_cosine\n");
    let mut line = |a: usize, b: usize| {
        let _ = writeln!(
            csv,
            "{},{},{:.6},{:.6}",
            field(documents[a]),
            field(documents[b]),
            cosine(&shares[a], &shares[b]),
            embedded.cosine(a, b)
        );
    };
    if documents.len() <= ALL_PAIRS_UP_TO {
        for a in 0..documents.len() {
            for b in a + 1..documents.len() {
                line(a, b);
            }
        }
    } else {
        for (a, b) in nearest_pairs(&embedded.vectors) {
            line(a, b);
        }
    }
    csv
}

/// Each document's embedding, for document × document similarity: the
/// mean of its sentences' embeddings, made unit length (zero for a document
/// without sentences, or whose embeddings sum to zero or to something not
/// finite). The cosine similarity of two documents is the dot product of
/// theirs.
///
/// This is the one definition of essay similarity: `themes/similarity.csv`
/// writes it (every pair up to [`ALL_PAIRS_UP_TO`] documents, the nearest
/// beyond) and the report's essay-similarity matrix shows it (every pair,
/// from the embeddings, whatever the number of documents).
///
/// ```
/// use precis_core::Sentence;
/// use precis_themes::DocumentEmbeddings;
///
/// let sentence = |doc_id: &str, index| Sentence {
///     doc_id: doc_id.into(),
///     index,
///     start: 0,
///     end: 0,
///     text: String::new(),
/// };
/// let sentences = [sentence("a", 0), sentence("a", 1), sentence("b", 0)];
/// let embeddings = ndarray::array![[1.0f32, 0.0], [1.0, 2.0], [0.0, 3.0]];
/// let documents = DocumentEmbeddings::new(["a", "b"], &sentences, embeddings.view());
/// assert_eq!(documents.len(), 2);
/// assert!((documents.cosine(0, 1) - 0.7071068).abs() < 1e-6);
/// assert!((documents.cosine(0, 0) - 1.0).abs() < 1e-6);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentEmbeddings {
    /// One unit (or zero) row per document.
    vectors: Array2<f32>,
}

impl DocumentEmbeddings {
    /// The embeddings of `documents` (ids; row `d` is the `d`-th), from the
    /// sentences and their embeddings (row `i` is sentence `i`). Sentences of
    /// other documents are left out; of an id given twice, the last counts.
    pub fn new<'a>(
        documents: impl IntoIterator<Item = &'a str>,
        sentences: &[Sentence],
        embeddings: ArrayView2<f32>,
    ) -> Self {
        let ids: Vec<&str> = documents.into_iter().collect();
        let position: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, &d)| (d, i)).collect();
        let mut vectors = Array2::<f32>::zeros((ids.len(), embeddings.ncols()));
        for (sentence, row) in sentences.iter().zip(embeddings.outer_iter()) {
            if let Some(&d) = position.get(sentence.doc_id.as_str()) {
                vectors.row_mut(d).scaled_add(1.0, &row);
            }
        }
        normalize_rows(&mut vectors);
        for mut row in vectors.outer_iter_mut() {
            if !row.iter().all(|x| x.is_finite()) {
                row.fill(0.0);
            }
        }
        Self { vectors }
    }

    /// The number of documents.
    pub fn len(&self) -> usize {
        self.vectors.nrows()
    }

    /// Whether there are no documents.
    pub fn is_empty(&self) -> bool {
        self.vectors.nrows() == 0
    }

    /// The cosine similarity of documents `a` and `b` (by position): 1 for
    /// the same direction, 0 where either has no embedding.
    ///
    /// # Panics
    /// If `a` or `b` is not below [`len`](Self::len).
    pub fn cosine(&self, a: usize, b: usize) -> f32 {
        self.vectors.row(a).dot(&self.vectors.row(b))
    }
}

/// Each row's [`NEAREST_DOCUMENTS`] nearest other rows (by dot product, ties
/// to the lower index), as ordered pairs `(low, high)`.
fn nearest_pairs(unit: &Array2<f32>) -> BTreeSet<(usize, usize)> {
    let n = unit.nrows();
    let mut pairs = BTreeSet::new();
    for start in (0..n).step_by(BLOCK) {
        let end = (start + BLOCK).min(n);
        let sims = unit
            .slice_axis(Axis(0), Slice::from(start..end))
            .dot(&unit.t());
        for (offset, row) in sims.outer_iter().enumerate() {
            let own = start + offset;
            let mut others: Vec<usize> = (0..n).filter(|&j| j != own).collect();
            let by_similarity = |a: &usize, b: &usize| row[*b].total_cmp(&row[*a]).then(a.cmp(b));
            if others.len() > NEAREST_DOCUMENTS {
                others.select_nth_unstable_by(NEAREST_DOCUMENTS - 1, by_similarity);
                others.truncate(NEAREST_DOCUMENTS);
            }
            for j in others {
                pairs.insert((own.min(j), own.max(j)));
            }
        }
    }
    pairs
}

/// A CSV field, quoted if it holds a comma, quote or line break.
fn field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_when_needed() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    fn sentence(doc_id: &str, index: usize) -> Sentence {
        Sentence {
            doc_id: doc_id.into(),
            index,
            start: 0,
            end: 0,
            text: String::new(),
        }
    }

    #[test]
    fn document_embeddings_follow_the_given_order_and_leave_out_the_rest() {
        let sentences = [
            sentence("b", 0),
            sentence("other", 0),
            sentence("a", 0),
            sentence("b", 1),
        ];
        let embeddings = ndarray::array![[0.0f32, 2.0], [5.0, 5.0], [3.0, 0.0], [0.0, 1.0]];
        let documents = DocumentEmbeddings::new(["a", "b", "empty"], &sentences, embeddings.view());
        assert_eq!(documents.len(), 3);
        assert_eq!(documents.vectors.row(0).to_vec(), vec![1.0, 0.0]);
        assert_eq!(documents.vectors.row(1).to_vec(), vec![0.0, 1.0]);
        assert_eq!(documents.cosine(0, 1), 0.0);
        assert_eq!(documents.cosine(2, 2), 0.0, "no sentences: no direction");
    }

    #[test]
    fn document_embeddings_are_zero_where_not_finite() {
        let sentences = [sentence("a", 0), sentence("b", 0)];
        let embeddings = ndarray::array![[f32::NAN, 1.0], [1.0, 0.0]];
        let documents = DocumentEmbeddings::new(["a", "b"], &sentences, embeddings.view());
        assert_eq!(documents.cosine(0, 1), 0.0);
        assert_eq!(documents.cosine(0, 0), 0.0);
        assert_eq!(documents.cosine(1, 1), 1.0);
    }

    #[test]
    fn nearest_pairs_are_symmetric_and_exclude_self() {
        let mut unit = Array2::from_shape_fn((60, 3), |(i, j)| ((i * (j + 1)) % 7) as f32 + 0.1);
        normalize_rows(&mut unit);
        let pairs = nearest_pairs(&unit);
        assert!(pairs.iter().all(|&(a, b)| a < b));
        for i in 0..60 {
            assert!(pairs.iter().filter(|&&(a, b)| a == i || b == i).count() >= NEAREST_DOCUMENTS);
        }
    }
}
