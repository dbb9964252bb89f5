//! Abstractive summaries: a sequence-to-sequence model (BART, T5, LongT5,
//! Pegasus) from a local folder, run through rust-bert's generators.
//!
//! A model reads at most its window of tokens (`max_position_embeddings`,
//! or `n_positions` for T5), so a longer input is summarised map-reduce:
//! its sentences are grouped into prompts that fit the window (cut only
//! between sentences), each prompt is summarised, and the partial summaries,
//! in order, are summarised again the same way until one prompt holds them
//! all. Nothing is truncated. See `docs/ABSTRACTIVE.md` for converting a
//! checkpoint.
//!
//! ```no_run
//! use precis_abstractive::AbstractiveSummarizer;
//! use precis_summarize::AbstractiveConfig;
//! use std::path::Path;
//!
//! let config = AbstractiveConfig::default();
//! let model = AbstractiveSummarizer::load(Path::new("models/distilbart-cnn-12-6"), &config, tch::Device::Cpu)?;
//! let summary = model.summarize(&["Rain fell all week.", "The river rose fast."])?;
//! println!("{summary}");
//! # Ok::<(), precis_abstractive::AbstractiveError>(())
//! ```

/// A hash of this crate's sources, made by its build script
/// (`crates/core/code_version.rs`): part of the summaries stage's key.
pub const CODE_VERSION: &str = env!("PRECIS_CODE_VERSION");

mod chunk;

use ndarray::ArrayView2;
use precis_core::Sentence;
use precis_summarize::{
    budget, document_inputs, theme_inputs, AbstractiveConfig, AbstractiveModel, DocumentSummary,
    SummaryConfig, ThemeSummary,
};
use rust_bert::bart::BartConfig;
use rust_bert::longt5::LongT5Config;
use rust_bert::pegasus::PegasusConfig;
use rust_bert::pipelines::common::{ModelResource, ModelType};
use rust_bert::pipelines::generation_utils::LanguageGenerator;
use rust_bert::pipelines::summarization::{SummarizationConfig, SummarizationOption};
use rust_bert::resources::LocalResource;
use rust_bert::t5::T5Config;
use serde::de::DeserializeOwned;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use tch::Device;

/// The window T5 checkpoints were trained with, for configs that do not
/// give `n_positions` (T5 itself has no position limit).
const T5_DEFAULT_WINDOW: usize = 512;

/// Weight files rust-bert can read, in order of preference.
const WEIGHT_FILES: [&str; 2] = ["rust_model.ot", "model.safetensors"];

/// Why a model could not be loaded or run. Each names the folder and, where
/// one is at fault, the file.
#[derive(Debug, thiserror::Error)]
pub enum AbstractiveError {
    #[error("{}: not a supported summarization model: {reason}", folder.display())]
    Unsupported { folder: PathBuf, reason: String },
    #[error("{}: {file} is missing{hint}", folder.display())]
    MissingFile {
        folder: PathBuf,
        file: String,
        hint: String,
    },
    #[error("{}: {file}: {reason}", folder.display())]
    BadFile {
        folder: PathBuf,
        file: String,
        reason: String,
    },
    #[error("{}: loading the model failed: {reason}", folder.display())]
    Load { folder: PathBuf, reason: String },
    #[error("abstractive summary settings: {0}")]
    Settings(String),
    #[error("generating a summary failed: {0}")]
    Generation(String),
}

/// An abstractive summary and how it was made.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AbstractiveSummary {
    pub text: String,
    pub stats: SummaryStats,
}

/// How a summary was made: how the input was cut and how often the model ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SummaryStats {
    /// Prompts the input was cut into: 1 when it fits the window.
    pub chunks: usize,
    /// Rounds of generation: 1 when the input fits the window, more when
    /// partial summaries had to be summarised again.
    pub rounds: usize,
    /// Calls to the model over all rounds.
    pub calls: usize,
    /// The most tokens a single prompt had (at most the model's window).
    pub longest_prompt: usize,
    /// The most tokens a single call generated (at most `max_length`).
    pub longest_output: usize,
    /// Sentences longer than the window alone, which were cut at spaces.
    pub split_sentences: usize,
}

/// A summarisation model loaded from a local folder.
pub struct AbstractiveSummarizer {
    folder: PathBuf,
    checksum: String,
    model_type: ModelType,
    model: SummarizationOption,
    /// Put before every input: T5 was trained on tasks named in the text.
    prefix: &'static str,
    window: usize,
}

impl std::fmt::Debug for AbstractiveSummarizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AbstractiveSummarizer")
            .field("folder", &self.folder)
            .field("model_type", &self.model_type)
            .field("window", &self.window)
            .finish_non_exhaustive()
    }
}

impl AbstractiveSummarizer {
    /// Loads the model in `folder`: `config.json` (whose `model_type` is
    /// `bart`, `t5`, `longt5` or `pegasus`), the tokenizer (`vocab.json` and
    /// `merges.txt` for BART, `spiece.model` otherwise) and the weights with
    /// rust-bert's names (`rust_model.ot`, or `model.safetensors`). Nothing is
    /// downloaded.
    /// Loads the model in `folder` to run on `device` (where it runs is not
    /// a setting of the summaries, so it is not part of `config`).
    pub fn load(
        folder: &Path,
        config: &AbstractiveConfig,
        device: Device,
    ) -> Result<Self, AbstractiveError> {
        if config.num_beams == 0 || config.max_length == 0 || config.min_length > config.max_length
        {
            return Err(AbstractiveError::Settings(format!(
                "need num_beams ≥ 1 and 1 ≤ max_length, min_length ≤ max_length \
                 (got num_beams {}, min_length {}, max_length {})",
                config.num_beams, config.min_length, config.max_length
            )));
        }

        let file = |name: &str| folder.join(name);
        let require = |name: &str, hint: &str| {
            if file(name).is_file() {
                Ok(file(name))
            } else {
                Err(AbstractiveError::MissingFile {
                    folder: folder.to_path_buf(),
                    file: name.to_string(),
                    hint: hint.to_string(),
                })
            }
        };
        let bad_config = |reason: String| AbstractiveError::BadFile {
            folder: folder.to_path_buf(),
            file: "config.json".into(),
            reason,
        };

        let config_path = require("config.json", "")?;
        let config_text =
            std::fs::read_to_string(&config_path).map_err(|e| bad_config(e.to_string()))?;
        let model_config: serde_json::Value =
            serde_json::from_str(&config_text).map_err(|e| bad_config(e.to_string()))?;
        let name = model_config.get("model_type").and_then(|v| v.as_str());
        let (model_type, prefix) = match name {
            Some("bart") => (ModelType::Bart, ""),
            Some("t5") => (ModelType::T5, "summarize: "),
            Some("longt5") => (ModelType::LongT5, ""),
            Some("pegasus") => (ModelType::Pegasus, ""),
            other => {
                return Err(AbstractiveError::Unsupported {
                    folder: folder.to_path_buf(),
                    reason: format!(
                        "config.json has {}; supported: bart, t5, longt5, pegasus",
                        other.map_or("no model_type".into(), |t| format!("model_type \"{t}\""))
                    ),
                })
            }
        };
        // rust-bert panics on a config it cannot read: read it here first.
        let parsed = match model_type {
            ModelType::Bart => check_config::<BartConfig>(&config_text),
            ModelType::T5 => check_config::<T5Config>(&config_text),
            ModelType::LongT5 => check_config::<LongT5Config>(&config_text),
            _ => check_config::<PegasusConfig>(&config_text),
        };
        parsed.map_err(|e| {
            bad_config(format!(
                "not a valid {} config: {e}",
                name.unwrap_or_default()
            ))
        })?;
        let window = ["max_position_embeddings", "n_positions"]
            .iter()
            .find_map(|key| model_config.get(*key).and_then(|v| v.as_u64()))
            .map(|w| w as usize)
            .or(matches!(model_type, ModelType::T5 | ModelType::LongT5)
                .then_some(T5_DEFAULT_WINDOW))
            .ok_or_else(|| bad_config("gives no max_position_embeddings".into()))?;

        let (vocab, merges) = if model_type == ModelType::Bart {
            (
                require(
                    "vocab.json",
                    " (BART's tokenizer needs vocab.json and merges.txt)",
                )?,
                Some(require(
                    "merges.txt",
                    " (BART's tokenizer needs vocab.json and merges.txt)",
                )?),
            )
        } else {
            (
                require("spiece.model", " (the SentencePiece tokenizer)")?,
                None,
            )
        };
        let weights = WEIGHT_FILES
            .iter()
            .map(|&name| file(name))
            .find(|path| path.is_file())
            .ok_or_else(|| AbstractiveError::MissingFile {
                folder: folder.to_path_buf(),
                file: WEIGHT_FILES.join(" or "),
                hint: " (weights with rust-bert's tensor names; to convert a \
                       pytorch_model.bin see docs/ABSTRACTIVE.md)"
                    .into(),
            })?;

        let mut generation = SummarizationConfig::new(
            model_type,
            ModelResource::Torch(Box::new(LocalResource::from(weights.clone()))),
            LocalResource::from(config_path.clone()),
            LocalResource::from(vocab.clone()),
            merges.clone().map(LocalResource::from),
        );
        generation.min_length = config.min_length as i64;
        generation.max_length = Some(config.max_length as i64);
        generation.num_beams = config.num_beams as i64;
        generation.device = device;
        let load_error = |reason: String| AbstractiveError::Load {
            folder: folder.to_path_buf(),
            reason,
        };
        let model = catch_unwind(AssertUnwindSafe(|| SummarizationOption::new(generation)))
            .map_err(|panic| load_error(panic_message(&*panic)))?
            .map_err(|e| load_error(e.to_string()))?;

        let mut hasher = blake3::Hasher::new();
        for path in [
            Some(&config_path),
            Some(&vocab),
            merges.as_ref(),
            Some(&weights),
        ]
        .into_iter()
        .flatten()
        {
            let bad_file = |e: std::io::Error| AbstractiveError::BadFile {
                folder: folder.to_path_buf(),
                file: path
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into(),
                reason: e.to_string(),
            };
            hasher
                .update_reader(std::fs::File::open(path).map_err(bad_file)?)
                .map_err(bad_file)?;
        }
        let checksum = hasher.finalize().to_hex().to_string();

        let summarizer = Self {
            folder: folder.to_path_buf(),
            checksum,
            model_type,
            model,
            prefix,
            window,
        };
        // Map-reduce only ends if two partial summaries fit in one prompt.
        let overhead = summarizer.count_tokens(&[""])?[0];
        if 2 * config.max_length + overhead > window {
            return Err(AbstractiveError::Settings(format!(
                "max_length {} is too long for {}'s window of {window} tokens: partial \
                 summaries of a long input could never be combined (use at most {})",
                config.max_length,
                folder.display(),
                window.saturating_sub(overhead) / 2
            )));
        }
        Ok(summarizer)
    }

    /// The most tokens one prompt may have, special tokens included.
    pub fn window(&self) -> usize {
        self.window
    }

    /// A hash of the files the model was loaded from (config, tokenizer,
    /// weights): summaries made by another model are never reused.
    pub fn checksum(&self) -> &str {
        &self.checksum
    }

    /// What [`SummaryConfig::abstractive`] records of this model.
    pub fn description(&self, generation: &AbstractiveConfig) -> AbstractiveModel {
        AbstractiveModel {
            folder: self.folder.clone(),
            checksum: self.checksum.clone(),
            generation: generation.clone(),
        }
    }

    /// A document summary written by the model from all of the document's
    /// sentences. `sentences` is empty: the summary quotes none of them.
    /// The `inputs` key is [`document_inputs`], which covers
    /// `config.abstractive`.
    pub fn summarize_document(
        &self,
        sentences: &[Sentence],
        embeddings: ArrayView2<f32>,
        config: &SummaryConfig,
    ) -> Result<DocumentSummary, AbstractiveError> {
        let texts: Vec<&str> = sentences.iter().map(|s| s.text.as_str()).collect();
        let summary = if budget(sentences.len(), config) == 0 {
            String::new()
        } else {
            self.summarize(&texts)?
        };
        Ok(DocumentSummary {
            doc_id: sentences
                .first()
                .map(|s| s.doc_id.clone())
                .unwrap_or_default(),
            summary,
            sentences: Vec::new(),
            written_by: Some(self.name()),
            outline: Vec::new(),
            inputs: document_inputs(sentences, embeddings, config),
        })
    }

    /// A theme summary: the theme's representative quotes, as
    /// [`precis_summarize::summarize_theme`] picks them, and a summary the model writes
    /// from those quotes (a theme can hold thousands of sentences; its
    /// quotes are what it is about, from as many essays as possible).
    pub fn summarize_theme(
        &self,
        theme: u32,
        members: &[&Sentence],
        embeddings: ArrayView2<f32>,
        config: &SummaryConfig,
    ) -> Result<ThemeSummary, AbstractiveError> {
        let mut summary = precis_summarize::summarize_theme(theme, members, embeddings, config);
        let quotes: Vec<&str> = summary.texts.iter().map(String::as_str).collect();
        summary.summary = self.summarize(&quotes)?;
        summary.written_by = Some(self.name());
        summary.inputs = theme_inputs(theme, members, embeddings, config);
        Ok(summary)
    }

    /// The model folder's name, as summaries credit it.
    fn name(&self) -> String {
        self.folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.folder.display().to_string())
    }

    /// Summarises `sentences` (a document's or a theme's, in order). An input
    /// longer than the model's window is summarised map-reduce (see the
    /// [module docs](self)); an empty input gives an empty summary.
    pub fn summarize(&self, sentences: &[&str]) -> Result<String, AbstractiveError> {
        Ok(self.summarize_with_stats(sentences)?.text)
    }

    /// [`summarize`](Self::summarize), with how the input was cut and how
    /// often the model ran.
    pub fn summarize_with_stats(
        &self,
        sentences: &[&str],
    ) -> Result<AbstractiveSummary, AbstractiveError> {
        let mut pieces: Vec<String> = sentences
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        let mut stats = SummaryStats::default();
        let mut previous_chunks = usize::MAX;
        while !pieces.is_empty() {
            let refs: Vec<&str> = pieces.iter().map(String::as_str).collect();
            let chunks = chunk::chunk(&refs, self.window, &|texts| self.count_tokens(texts))?;
            if chunks.texts.len() >= previous_chunks {
                return Err(AbstractiveError::Settings(format!(
                    "{} partial summaries still take {} prompts of {} tokens: \
                     lower max_length",
                    pieces.len(),
                    chunks.texts.len(),
                    self.window
                )));
            }
            previous_chunks = chunks.texts.len();
            if stats.rounds == 0 {
                stats.chunks = chunks.texts.len();
            }
            stats.rounds += 1;
            stats.split_sentences += chunks.split_pieces;
            stats.longest_prompt =
                (chunks.tokens.iter().copied()).fold(stats.longest_prompt, usize::max);

            let mut partials = Vec::with_capacity(chunks.texts.len());
            for text in &chunks.texts {
                let ids = self.generate(text)?;
                stats.calls += 1;
                stats.longest_output = stats.longest_output.max(ids.len());
                let summary = self.model.get_tokenizer().decode(&ids, true, true);
                partials.push(summary.trim().to_string());
            }
            if partials.len() == 1 {
                let text = partials.pop().unwrap_or_default();
                return Ok(AbstractiveSummary { text, stats });
            }
            pieces = partials.into_iter().filter(|p| !p.is_empty()).collect();
        }
        Ok(AbstractiveSummary {
            text: String::new(),
            stats,
        })
    }

    /// Token ids the model generates for one prompt (without the prefix).
    fn generate(&self, text: &str) -> Result<Vec<i64>, AbstractiveError> {
        let prompt = [format!("{}{text}", self.prefix)];
        let prompt = Some(prompt.as_slice());
        let outputs = match &self.model {
            SummarizationOption::Bart(model) => model.generate_indices(prompt, None),
            SummarizationOption::T5(model) => model.generate_indices(prompt, None),
            SummarizationOption::LongT5(model) => model.generate_indices(prompt, None),
            SummarizationOption::Pegasus(model) => model.generate_indices(prompt, None),
            SummarizationOption::ProphetNet(model) => model.generate_indices(prompt, None),
        }
        .map_err(|e| AbstractiveError::Generation(e.to_string()))?;
        outputs
            .into_iter()
            .next()
            .map(|output| output.indices)
            .ok_or_else(|| AbstractiveError::Generation("the model returned no sequence".into()))
    }

    /// Tokens of each text's prompt as the model reads it: prefix and special
    /// tokens included, nothing truncated.
    fn count_tokens(&self, texts: &[&str]) -> Result<Vec<usize>, AbstractiveError> {
        // `tokenize_and_pad` is rust-bert's one entry to its tokenizers'
        // `encode_list` that needs no type from rust_tokenizers. It pads to
        // the longest text; a prompt's last id is its end token, never padding.
        const BATCH: usize = 512;
        const NO_LIMIT: usize = 1 << 24;
        let tokenizer = self.model.get_tokenizer();
        let pad = tokenizer.get_pad_id().unwrap_or(-1);
        let mut counts = Vec::with_capacity(texts.len());
        for batch in texts.chunks(BATCH) {
            // An empty text's prompt is the prefix without its trailing space,
            // which would be a token of its own when nothing follows it.
            let prompts: Vec<String> = batch
                .iter()
                .map(|&t| match t {
                    "" => self.prefix.trim_end().to_string(),
                    t => format!("{}{t}", self.prefix),
                })
                .collect();
            let prompts: Vec<&str> = prompts.iter().map(String::as_str).collect();
            let (ids, _) = tokenizer.tokenize_and_pad(&prompts, NO_LIMIT, Device::Cpu);
            let width = ids.size().get(1).copied().unwrap_or(0).max(1) as usize;
            let flat = Vec::<i64>::try_from(&ids.contiguous().view([-1]))
                .map_err(|e| AbstractiveError::Generation(e.to_string()))?;
            counts.extend(
                flat.chunks(width)
                    .map(|row| row.iter().rposition(|&id| id != pad).map_or(0, |p| p + 1)),
            );
        }
        Ok(counts)
    }
}

fn check_config<C: DeserializeOwned>(text: &str) -> Result<(), serde_json::Error> {
    serde_json::from_str::<C>(text).map(drop)
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "rust-bert panicked".into())
}
