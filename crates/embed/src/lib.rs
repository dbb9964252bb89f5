//! Sentence embeddings.
//!
//! [`Embedder`] is the seam: the driver and the later stages only see it, so a
//! test or another backend can stand in for the transformer.
//! [`SentenceTransformer`] is the real one: any local sentence-transformers
//! folder with a BERT-family encoder, run through rust-bert on libtorch.
//!
//! [`embed_all`] is how callers should feed an embedder: it hands the whole
//! list to [`Embedder::embed_many`], which orders sentences by length so each
//! batch pads to a similar length, and reports progress. The default
//! `embed_many` batches by character length and calls
//! [`embed_batch`](Embedder::embed_batch) once per batch; [`SentenceTransformer`]
//! overrides it to sort by token length and spread the batches over one
//! single-threaded worker per core.

/// A hash of this crate's sources, made by its build script
/// (`crates/core/code_version.rs`): part of the key of every stage output it
/// shapes, so that output made by other code is never kept.
pub const CODE_VERSION: &str = env!("PRECIS_CODE_VERSION");

mod autocast;
mod model_folder;
mod sentence_transformer;

pub use model_folder::{ModelError, ModelFolder};
pub use sentence_transformer::{
    DeviceChoice, Precision, SentenceTransformer, SentenceTransformerConfig,
};

use serde::{Deserialize, Serialize};

/// What identifies the vectors an embedder produces: two embedders with the
/// same `ModelInfo` give the same vectors, so it keys the embedding cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelInfo {
    /// Human-readable name (the folder name for a local model).
    pub name: String,
    /// Where the model was loaded from.
    pub path: String,
    /// BLAKE3 over every file the model reads.
    pub checksum: String,
    /// Length of each vector.
    pub dimension: usize,
}

/// Errors from computing embeddings.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error("the embedding model failed: {0}")]
    Inference(String),
}

/// Turns sentences into L2-normalised vectors.
pub trait Embedder {
    fn info(&self) -> &ModelInfo;

    /// One vector per text, in order, each of length `info().dimension`.
    fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError>;

    /// One vector per text, in order, for a list of any length: the embedder
    /// chooses the batches (at most `batching.batch_size` texts each) and calls
    /// `on_progress` with the number of texts just done, on the calling thread.
    ///
    /// The default sorts by character length and calls
    /// [`embed_batch`](Self::embed_batch) per batch, one after the other.
    fn embed_many(
        &self,
        texts: &[&str],
        batching: BatchConfig,
        on_progress: &mut dyn FnMut(usize),
    ) -> Result<Vec<Vec<f32>>, EmbedError> {
        // Sorting by length means each batch pads to nearly its own length,
        // which saves most of the padding work on essays (lengths vary tenfold).
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| (texts[i].len(), i));

        let mut vectors: Vec<Vec<f32>> = vec![Vec::new(); texts.len()];
        for chunk in order.chunks(batching.batch_size.max(1)) {
            let batch: Vec<&str> = chunk.iter().map(|&i| texts[i]).collect();
            let embedded = self.embed_batch(&batch)?;
            if embedded.len() != chunk.len() {
                return Err(EmbedError::Inference(format!(
                    "{} vectors for {} texts",
                    embedded.len(),
                    chunk.len()
                )));
            }
            for (&i, vector) in chunk.iter().zip(embedded) {
                vectors[i] = vector;
            }
            on_progress(chunk.len());
        }
        Ok(vectors)
    }
}

/// How [`embed_all`] groups sentences into batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchConfig {
    /// Most sentences in one forward pass.
    pub batch_size: usize,
}

impl Default for BatchConfig {
    fn default() -> Self {
        Self { batch_size: 32 }
    }
}

/// Embeds `texts` in length-sorted batches (through
/// [`Embedder::embed_many`]) and returns the vectors in the original order.
/// `on_batch` is called with the number of texts just done.
pub fn embed_all(
    embedder: &dyn Embedder,
    texts: &[&str],
    batching: BatchConfig,
    mut on_batch: impl FnMut(usize),
) -> Result<Vec<Vec<f32>>, EmbedError> {
    if texts.is_empty() {
        return Ok(Vec::new());
    }
    embedder.embed_many(texts, batching, &mut on_batch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;

    /// Stands in for a model: the vector is the text's length, and every batch
    /// it receives is recorded.
    struct LengthEmbedder {
        info: ModelInfo,
        batches: RefCell<Vec<Vec<String>>>,
    }

    impl Embedder for LengthEmbedder {
        fn info(&self) -> &ModelInfo {
            &self.info
        }
        fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
            self.batches
                .borrow_mut()
                .push(texts.iter().map(|t| t.to_string()).collect());
            Ok(texts.iter().map(|t| vec![t.len() as f32]).collect())
        }
    }

    #[test]
    fn batches_are_length_sorted_and_results_keep_input_order() {
        let embedder = LengthEmbedder {
            info: ModelInfo {
                name: "length".into(),
                path: String::new(),
                checksum: String::new(),
                dimension: 1,
            },
            batches: RefCell::default(),
        };
        let texts = ["ccc", "a", "dddd", "bb", "eeeee"];
        let mut done = 0;
        let vectors = embed_all(&embedder, &texts, BatchConfig { batch_size: 2 }, |n| {
            done += n
        })
        .unwrap();
        assert_eq!(
            vectors,
            vec![vec![3.0], vec![1.0], vec![4.0], vec![2.0], vec![5.0]]
        );
        assert_eq!(done, 5);
        assert_eq!(
            *embedder.batches.borrow(),
            vec![vec!["a", "bb"], vec!["ccc", "dddd"], vec!["eeeee"]]
        );
    }
}
