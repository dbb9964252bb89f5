//! The real embedder: a sentence-transformers folder run through rust-bert.

use crate::{EmbedError, Embedder, ModelError, ModelFolder, ModelInfo};
use rust_bert::pipelines::sentence_embeddings::{SentenceEmbeddingsConfig, SentenceEmbeddingsModel};
use rust_bert::resources::LocalResource;
use serde::{Deserialize, Serialize};
use std::path::Path;

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
    /// libtorch intra-op threads; `None` keeps libtorch's default (all cores).
    pub threads: Option<usize>,
}

/// A sentence-transformers model loaded from a local folder.
pub struct SentenceTransformer {
    model: SentenceEmbeddingsModel,
    info: ModelInfo,
}

impl std::fmt::Debug for SentenceTransformer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SentenceTransformer")
            .field("info", &self.info)
            .finish_non_exhaustive()
    }
}

impl SentenceTransformer {
    /// Loads the model in `folder`. Nothing is downloaded: every file must be there.
    pub fn load(folder: &ModelFolder, config: &SentenceTransformerConfig) -> Result<Self, ModelError> {
        if let Some(threads) = config.threads {
            tch::set_num_threads(threads.max(1) as i32);
        }
        let device = match config.device {
            DeviceChoice::Auto => tch::Device::cuda_if_available(),
            DeviceChoice::Cpu => tch::Device::Cpu,
            DeviceChoice::Cuda if tch::Cuda::is_available() => tch::Device::Cuda(0),
            DeviceChoice::Cuda => {
                return Err(ModelError::Load {
                    folder: folder.root.clone(),
                    reason: "--device cuda was asked for, but libtorch sees no GPU \
                             (set up with `just setup-gpu` on a machine with one)"
                        .into(),
                })
            }
        };
        let local = |path: &Path| -> Box<LocalResource> { Box::new(path.to_path_buf().into()) };
        let rust_bert_config = SentenceEmbeddingsConfig {
            modules_config_resource: local(&folder.modules),
            transformer_type: folder.model_type,
            transformer_config_resource: local(&folder.transformer_config),
            transformer_weights_resource: local(&folder.weights),
            pooling_config_resource: local(&folder.pooling_config),
            dense_config_resource: folder.dense.as_ref().map(|(c, _)| local(c) as _),
            dense_weights_resource: folder.dense.as_ref().map(|(_, w)| local(w) as _),
            sentence_bert_config_resource: local(&folder.sentence_bert_config),
            tokenizer_config_resource: local(&folder.tokenizer_config),
            tokenizer_vocab_resource: local(&folder.vocab),
            tokenizer_merges_resource: folder.merges.as_deref().map(|m| local(m) as _),
            device,
            kind: None,
        };
        let model = SentenceEmbeddingsModel::new(rust_bert_config).map_err(|e| ModelError::Load {
            folder: folder.root.clone(),
            reason: e.to_string(),
        })?;
        let dimension = model.get_embedding_dim().map_err(|e| ModelError::Load {
            folder: folder.root.clone(),
            reason: e.to_string(),
        })? as usize;
        let info = ModelInfo {
            name: folder.name(),
            path: folder.root.display().to_string(),
            checksum: folder.checksum()?,
            dimension,
        };
        Ok(Self { model, info })
    }
}

impl Embedder for SentenceTransformer {
    fn info(&self) -> &ModelInfo {
        &self.info
    }

    fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        self.model
            .encode(texts)
            .map_err(|e| EmbedError::Inference(e.to_string()))
    }
}
