//! The documents of the input, and the context they give their sentences.
//!
//! Themes are discovered on each sentence's own embedding pulled towards its
//! document's vector, and that vector towards those of its nearest
//! documents (sentences are then assigned by their own embeddings, see
//! `assign`): one step of feature propagation over a k-nearest-neighbour
//! graph of documents (as in simplified graph convolution, Wu et al. 2019).
//! A sentence alone says little about which theme a reader would file it
//! under; its document, and documents like it, say much more.

use crate::kmeans::normalize_rows;
use crate::{compare_rows, mean_direction, DocumentThemes, ThemeId, ThemeShare};
use ndarray::{Array1, Array2, ArrayView2, Axis, Slice};
use precis_core::Sentence;
use std::collections::HashMap;

/// Rows per block of the document × document similarity product.
const BLOCK: usize = 1024;

/// Which sentences each document has, and a name-free key for each.
pub(crate) struct Documents<'a> {
    /// Document ids in order of first appearance.
    ids: Vec<&'a str>,
    /// Sentences (input positions) of each document, by sentence index.
    members: Vec<Vec<usize>>,
    /// Document of each sentence.
    doc_of: Vec<usize>,
    /// Hash of each document's sentence texts: identifies it by content.
    keys: Vec<[u8; 32]>,
}

/// How much context a sentence takes from its document and its neighbours.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ContextOptions {
    /// Weight of the document vector against the sentence's own, in [0, 1].
    pub(crate) document: f32,
    /// Nearest documents whose mean is mixed into each document vector.
    pub(crate) neighbours: usize,
    /// Weight of the neighbours' mean against the document's own vector.
    pub(crate) neighbour_weight: f32,
}

impl<'a> Documents<'a> {
    pub(crate) fn new(sentences: &'a [Sentence]) -> Self {
        let mut position: HashMap<&str, usize> = HashMap::new();
        let mut ids = Vec::new();
        let mut members: Vec<Vec<usize>> = Vec::new();
        let mut doc_of = Vec::with_capacity(sentences.len());
        for (i, s) in sentences.iter().enumerate() {
            let d = *position.entry(s.doc_id.as_str()).or_insert_with(|| {
                ids.push(s.doc_id.as_str());
                members.push(Vec::new());
                ids.len() - 1
            });
            members[d].push(i);
            doc_of.push(d);
        }
        for m in &mut members {
            m.sort_by_key(|&i| sentences[i].index);
        }
        let keys = members
            .iter()
            .map(|m| {
                let mut hasher = blake3::Hasher::new();
                for &i in m {
                    hasher.update(sentences[i].text.as_bytes());
                    hasher.update(&[0]);
                }
                *hasher.finalize().as_bytes()
            })
            .collect();
        Self {
            ids,
            members,
            doc_of,
            keys,
        }
    }

    /// The position of a sentence's document (in order of first appearance).
    pub(crate) fn index_of(&self, sentence: usize) -> usize {
        self.doc_of[sentence]
    }

    /// The content key of a sentence's document.
    pub(crate) fn key_of(&self, sentence: usize) -> &[u8; 32] {
        &self.keys[self.doc_of[sentence]]
    }

    /// `1 / (sentences in its document)` for every sentence: each document
    /// weighs the same in the clustering, however long it is.
    pub(crate) fn sentence_weights(&self) -> Vec<f32> {
        self.doc_of
            .iter()
            .map(|&d| 1.0 / self.members[d].len() as f32)
            .collect()
    }

    /// The clustering vector of every sentence (input order): its unit row
    /// in `unit` mixed with its document's context vector, renormalised.
    pub(crate) fn context_vectors(
        &self,
        unit: ArrayView2<f32>,
        options: ContextOptions,
    ) -> Array2<f32> {
        let context = self.document_vectors(unit, options);
        let weight = options.document.clamp(0.0, 1.0);
        let mut points = unit.to_owned();
        for (i, mut row) in points.outer_iter_mut().enumerate() {
            row.mapv_inplace(|x| x * (1.0 - weight));
            row.scaled_add(weight, &context.row(self.doc_of[i]));
        }
        normalize_rows(&mut points);
        points
    }

    /// Each document's unit mean, mixed with the mean of its nearest
    /// documents' (by cosine; ties by content key), renormalised.
    fn document_vectors(&self, unit: ArrayView2<f32>, options: ContextOptions) -> Array2<f32> {
        let n = self.members.len();
        let mut means = Array2::<f32>::zeros((n, unit.ncols()));
        for (d, m) in self.members.iter().enumerate() {
            means.row_mut(d).assign(&mean_direction(unit, m));
        }
        let k = options.neighbours.min(n.saturating_sub(1));
        if k == 0 || options.neighbour_weight <= 0.0 {
            return means;
        }
        // Documents in content order, so the product (and every sum in it)
        // is the same whatever the input order.
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| {
            self.keys[a]
                .cmp(&self.keys[b])
                .then_with(|| compare_rows(means.row(a), means.row(b)))
        });
        let sorted = means.select(Axis(0), &order);
        let mut context = means.clone();
        for start in (0..n).step_by(BLOCK) {
            let end = (start + BLOCK).min(n);
            let sims = sorted
                .slice_axis(Axis(0), Slice::from(start..end))
                .dot(&sorted.t());
            for (offset, row) in sims.outer_iter().enumerate() {
                let own = start + offset;
                let mut ranked: Vec<usize> = (0..n).filter(|&j| j != own).collect();
                // Highest similarity first; ties in content order.
                let by_similarity =
                    |a: &usize, b: &usize| row[*b].total_cmp(&row[*a]).then(a.cmp(b));
                if ranked.len() > k {
                    ranked.select_nth_unstable_by(k - 1, by_similarity);
                    ranked.truncate(k);
                }
                ranked.sort_by(by_similarity);
                let mut neighbours = Array1::<f32>::zeros(unit.ncols());
                for &j in &ranked {
                    neighbours.scaled_add(1.0 / k as f32, &sorted.row(j));
                }
                context
                    .row_mut(order[own])
                    .scaled_add(options.neighbour_weight, &neighbours);
            }
        }
        normalize_rows(&mut context);
        context
    }

    /// Theme shares of each document, in order of first appearance.
    pub(crate) fn shares(&self, theme_of: &[ThemeId]) -> Vec<DocumentThemes> {
        self.ids
            .iter()
            .zip(&self.members)
            .map(|(id, members)| {
                let mut counts: HashMap<ThemeId, usize> = HashMap::new();
                for &i in members {
                    *counts.entry(theme_of[i]).or_default() += 1;
                }
                let mut themes: Vec<ThemeShare> = counts
                    .into_iter()
                    .map(|(theme, n)| ThemeShare {
                        theme,
                        share: n as f64 / members.len() as f64,
                    })
                    .collect();
                themes.sort_by(|a, b| b.share.total_cmp(&a.share).then(a.theme.cmp(&b.theme)));
                DocumentThemes {
                    doc_id: (*id).to_owned(),
                    themes,
                }
            })
            .collect()
    }
}
