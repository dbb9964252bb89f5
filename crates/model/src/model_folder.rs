//! A local sentence-transformers model folder, checked before anything loads.

use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// What is wrong with a model folder. Each variant names the folder or file.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("model folder {0} does not exist")]
    MissingFolder(PathBuf),
    #[error("model folder {folder} has no {file}")]
    MissingFile { folder: PathBuf, file: String },
    #[error("{file} is not usable: {reason}")]
    Malformed { file: PathBuf, reason: String },
    #[error("model folder {folder} holds a `{model_type}` model; sentence embeddings support bert, distilbert, roberta, albert and t5 encoders")]
    Unsupported { folder: PathBuf, model_type: String },
    #[error("loading the model from {folder} failed: {reason}")]
    Load { folder: PathBuf, reason: String },
}

/// The encoder architectures the embedder runs (each one rust-bert has a
/// sentence-embeddings model for).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncoderKind {
    Bert,
    DistilBert,
    Roberta,
    Albert,
    T5,
}

/// The files of a sentence-transformers folder that rust-bert reads.
#[derive(Debug, Clone)]
pub struct ModelFolder {
    pub root: PathBuf,
    pub model_type: EncoderKind,
    pub modules: PathBuf,
    pub transformer_config: PathBuf,
    pub weights: PathBuf,
    pub pooling_config: PathBuf,
    /// `(config.json, weights)` of the optional Dense layer.
    pub dense: Option<(PathBuf, PathBuf)>,
    pub sentence_bert_config: PathBuf,
    pub tokenizer_config: PathBuf,
    pub vocab: PathBuf,
    pub merges: Option<PathBuf>,
}

#[derive(Deserialize)]
struct Module {
    path: String,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Deserialize)]
struct TransformerConfig {
    model_type: String,
}

impl ModelFolder {
    /// Checks that `root` is a complete sentence-transformers folder whose
    /// encoder rust-bert can run, without loading any weights.
    pub fn open(root: impl Into<PathBuf>) -> Result<Self, ModelError> {
        let root = root.into();
        if !root.is_dir() {
            return Err(ModelError::MissingFolder(root));
        }
        let modules = require(&root, "modules.json")?;
        let module_list: Vec<Module> = read_json(&modules)?;
        let module_path = |suffix: &str| {
            module_list
                .iter()
                .find(|m| m.kind.ends_with(suffix))
                .map(|m| m.path.clone())
        };
        let pooling_dir = module_path(".Pooling").ok_or_else(|| ModelError::Malformed {
            file: modules.clone(),
            reason: "it lists no Pooling module".into(),
        })?;

        let transformer_config = require(&root, "config.json")?;
        let model_type_name = read_json::<TransformerConfig>(&transformer_config)?.model_type;
        let model_type = match model_type_name.as_str() {
            "bert" => EncoderKind::Bert,
            "distilbert" => EncoderKind::DistilBert,
            "roberta" => EncoderKind::Roberta,
            "albert" => EncoderKind::Albert,
            "t5" => EncoderKind::T5,
            _ => {
                return Err(ModelError::Unsupported {
                    folder: root,
                    model_type: model_type_name,
                })
            }
        };
        let weights = require_any(&root, &["model.safetensors", "rust_model.ot"])?;
        check_safetensors(&weights)?;
        let pooling_config = require(&root, &format!("{pooling_dir}/config.json"))?;
        let dense = match module_path(".Dense") {
            Some(dir) => Some((
                require(&root, &format!("{dir}/config.json"))?,
                require_any(
                    &root,
                    &[
                        &format!("{dir}/model.safetensors"),
                        &format!("{dir}/rust_model.ot"),
                    ],
                )?,
            )),
            None => None,
        };
        let (vocab, merges) = match model_type {
            EncoderKind::Bert | EncoderKind::DistilBert => (require(&root, "vocab.txt")?, None),
            EncoderKind::Roberta => (
                require(&root, "vocab.json")?,
                Some(require(&root, "merges.txt")?),
            ),
            _ => (require(&root, "spiece.model")?, None),
        };
        Ok(Self {
            modules,
            model_type,
            transformer_config,
            weights,
            pooling_config,
            dense,
            sentence_bert_config: require(&root, "sentence_bert_config.json")?,
            tokenizer_config: require(&root, "tokenizer_config.json")?,
            vocab,
            merges,
            root,
        })
    }

    /// Every file the model reads, in a fixed order.
    pub fn files(&self) -> Vec<&Path> {
        let mut files = vec![
            self.modules.as_path(),
            &self.transformer_config,
            &self.weights,
            &self.pooling_config,
            &self.sentence_bert_config,
            &self.tokenizer_config,
            &self.vocab,
        ];
        files.extend(self.merges.as_deref());
        if let Some((config, weights)) = &self.dense {
            files.extend([config.as_path(), weights.as_path()]);
        }
        files
    }

    /// BLAKE3 over the names and contents of [`files`](Self::files): changes
    /// whenever anything that shapes the vectors changes.
    pub fn checksum(&self) -> Result<String, ModelError> {
        let mut hasher = blake3::Hasher::new();
        for file in self.files() {
            let relative = file.strip_prefix(&self.root).unwrap_or(file);
            hasher.update(relative.to_string_lossy().as_bytes());
            hasher.update(&[0]);
            // Mapped and hashed on every core: the weights (90 MB for the
            // default model) are hashed on every run and `status`, and this
            // was most of their time when nothing else had to be done.
            hasher
                .update_mmap_rayon(file)
                .map_err(|e| malformed(file, e))?;
        }
        Ok(hasher.finalize().to_hex().to_string())
    }

    /// The folder's name, e.g. `all-MiniLM-L6-v2`.
    pub fn name(&self) -> String {
        self.root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.root.display().to_string())
    }
}

fn require(root: &Path, file: &str) -> Result<PathBuf, ModelError> {
    let path = root.join(file);
    if path.is_file() {
        Ok(path)
    } else {
        Err(ModelError::MissingFile {
            folder: root.to_path_buf(),
            file: file.to_string(),
        })
    }
}

fn require_any(root: &Path, files: &[&str]) -> Result<PathBuf, ModelError> {
    files
        .iter()
        .map(|file| root.join(file))
        .find(|path| path.is_file())
        .ok_or_else(|| ModelError::MissingFile {
            folder: root.to_path_buf(),
            file: files.join(" or "),
        })
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ModelError> {
    let text = std::fs::read_to_string(path).map_err(|e| malformed(path, e))?;
    serde_json::from_str(&text).map_err(|e| malformed(path, e))
}

fn malformed(path: &Path, reason: impl fmt::Display) -> ModelError {
    ModelError::Malformed {
        file: path.to_path_buf(),
        reason: reason.to_string(),
    }
}

/// A truncated download or copy is the commonest broken model. A safetensors
/// file states the size of its data in its header, so check that before
/// libtorch reads it and fails with an opaque message.
fn check_safetensors(path: &Path) -> Result<(), ModelError> {
    use std::io::Read;
    if path.extension() != Some(std::ffi::OsStr::new("safetensors")) {
        return Ok(());
    }
    #[derive(Deserialize)]
    struct Tensor {
        data_offsets: [u64; 2],
    }
    let mut file = std::fs::File::open(path).map_err(|e| malformed(path, e))?;
    let size = file.metadata().map_err(|e| malformed(path, e))?.len();
    let mut header_len = [0u8; 8];
    file.read_exact(&mut header_len)
        .map_err(|_| malformed(path, "the file is too short to be safetensors"))?;
    let header_len = u64::from_le_bytes(header_len);
    if header_len > size.saturating_sub(8) || header_len > 100 << 20 {
        return Err(malformed(
            path,
            "the header size is past the end of the file",
        ));
    }
    let mut header = vec![0u8; header_len as usize];
    file.read_exact(&mut header)
        .map_err(|e| malformed(path, e))?;
    let header: std::collections::HashMap<String, serde_json::Value> =
        serde_json::from_slice(&header).map_err(|e| malformed(path, e))?;
    let data_end = header
        .iter()
        .filter(|(name, _)| *name != "__metadata__")
        .filter_map(|(_, tensor)| serde_json::from_value::<Tensor>(tensor.clone()).ok())
        .map(|tensor| tensor.data_offsets[1])
        .max()
        .unwrap_or(0);
    let expected = 8 + header_len + data_end;
    if size < expected {
        return Err(malformed(
            path,
            format!("it is truncated ({size} bytes, its header needs {expected})"),
        ));
    }
    Ok(())
}
