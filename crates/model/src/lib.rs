//! What precis asks of its models, and how, without linking libtorch.
//!
//! The models (the sentence encoder of `precis-embed`, the summariser of
//! `precis-abstractive`) run in their own process, `precis-worker`, so that
//! `precis` itself never loads libtorch: its operator registry alone costs
//! about 0.4 s at start-up, which every command that needs no model (help,
//! status, report, compare, a no-change re-run, the segmenter) would pay.
//! This crate holds what both sides share:
//!
//! * [`ModelFolder`]: a sentence-transformers folder, checked and hashed
//!   before anything loads;
//! * the settings and identity of embeddings ([`SentenceTransformerConfig`],
//!   [`Precision`] and the [`PrecisionChoice`] that picks it, [`DeviceChoice`], [`BatchConfig`], [`ModelInfo`]);
//! * [`Embedder`], the seam every embedder (the transformer, the worker's
//!   client, a test's stand-in) is used through, and [`embed_all`];
//! * [`worker`]: the protocol `precis` speaks with `precis-worker`, and the
//!   client side of it.

/// A hash of this crate's sources, made by its build script
/// (`crates/core/code_version.rs`): part of the embed stage's key.
pub const CODE_VERSION: &str = env!("PRECIS_CODE_VERSION");

/// The `CODE_VERSION` of precis-embed, hashed from its sources here, so the
/// driver keys the embed stage without linking it; a worker built from other
/// sources is refused ([`worker::Worker::start`]).
pub const EMBED_CODE_VERSION: &str = env!("PRECIS_EMBED_CODE_VERSION");

/// The `CODE_VERSION` of precis-abstractive, likewise.
pub const ABSTRACTIVE_CODE_VERSION: &str = env!("PRECIS_ABSTRACTIVE_CODE_VERSION");

mod model_folder;
mod precision;
pub mod worker;

pub use model_folder::{EncoderKind, ModelError, ModelFolder};
pub use precision::{Precision, PrecisionChoice, PrecisionPick, RunsOn};

use serde::{Deserialize, Serialize};

/// Where the model runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeviceChoice {
    /// CUDA when libtorch sees a GPU, else the CPU.
    #[default]
    Auto,
    Cpu,
    Cuda,
}

/// How to run the model.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentenceTransformerConfig {
    pub device: DeviceChoice,
    pub precision: Precision,
    /// CPU cores to use; `None` uses all of them. On the CPU each core gets a
    /// worker thread with its own copy of the model (about 90 MB for
    /// all-MiniLM-L6-v2) and one libtorch intra-op thread. Ignored on CUDA,
    /// where one worker feeds the GPU.
    pub threads: Option<usize>,
}

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

impl ModelInfo {
    /// The identity of the vectors the model in `folder` gives at
    /// `precision`, each `dimension` long: what the worker reports once it
    /// has loaded the model, and what the driver knows without loading it
    /// when the vectors come from the cache.
    pub fn of(
        folder: &ModelFolder,
        precision: Precision,
        dimension: usize,
    ) -> Result<Self, ModelError> {
        Ok(Self {
            name: folder.name(),
            path: folder.root.display().to_string(),
            checksum: precision.vectors_checksum(&folder.checksum()?),
            dimension,
        })
    }
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

    /// One vector per text, in order, each of length `info().dimension`, for
    /// a list of any length: the embedder chooses the batches (at most
    /// `batching.batch_size` texts each; sorting by length first saves most
    /// of the padding on essays, whose sentence lengths vary tenfold) and
    /// calls `on_progress` with the number of texts just done, on the
    /// calling thread.
    fn embed_many(
        &self,
        texts: &[&str],
        batching: BatchConfig,
        on_progress: &mut dyn FnMut(usize),
    ) -> Result<Vec<Vec<f32>>, EmbedError>;

    /// One vector per text, in order, all in one batch.
    fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let batching = BatchConfig {
            batch_size: texts.len().max(1),
        };
        self.embed_many(texts, batching, &mut |_| {})
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

/// Embeds `texts` through [`Embedder::embed_many`] (an empty list without a
/// call) and returns the vectors in the original order. `on_batch` is called
/// with the number of texts just done.
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
