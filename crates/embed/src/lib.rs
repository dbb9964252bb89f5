//! Sentence embeddings on libtorch.
//!
//! [`SentenceTransformer`] is the real embedder: any local
//! sentence-transformers folder with a BERT-family encoder, run through
//! rust-bert. It implements [`Embedder`], the seam of `precis-model`, whose
//! default [`embed_many`](Embedder::embed_many) it overrides to sort by
//! token length and spread the batches over one single-threaded worker per
//! core. The settings and types it shares with the driver (which does not
//! link this crate, see `precis-model`) are re-exported here.

/// A hash of this crate's sources, made by its build script
/// (`crates/core/code_version.rs`): part of the key of every stage output it
/// shapes, so that output made by other code is never kept. `precis-model`
/// computes the same hash as `EMBED_CODE_VERSION`.
pub const CODE_VERSION: &str = env!("PRECIS_CODE_VERSION");

mod autocast;
mod sentence_transformer;

pub use precis_model::{
    embed_all, BatchConfig, DeviceChoice, EmbedError, Embedder, EncoderKind, ModelError,
    ModelFolder, ModelInfo, Precision, SentenceTransformerConfig,
};
pub use sentence_transformer::{device, model_type, SentenceTransformer};
