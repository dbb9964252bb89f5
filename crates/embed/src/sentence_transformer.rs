//! The real embedder: a sentence-transformers folder run through rust-bert.
//!
//! rust-bert's own `SentenceEmbeddingsModel::encode` does one batch at a time
//! on libtorch's intra-op thread pool. For a model this small (6 layers,
//! 384 wide) on a few CPU cores that leaves speed on the table: every one of
//! the ~150 operators per forward forks and joins the OpenMP team, the
//! element-wise ones barely parallelise, and when other processes hold a core
//! the spinning barriers stall the whole team. So this embedder keeps rust-bert's
//! model (the same BERT forward, `Pooling`, `Dense` and normalisation) but
//! drives it differently:
//!
//! * one **worker thread per core**, each with its own copy of the model and a
//!   single intra-op thread, taking whole batches from a shared queue
//!   (parallelism across batches instead of inside each operator);
//! * texts are tokenised once, up front, into flat id buffers (no per-sentence
//!   tensors), sorted by **token** length so a batch pads only to its own
//!   longest sentence, and handed out longest first so the workers finish
//!   together;
//! * every forward runs under `no_grad`, in `f32` (or, opted into, with
//!   bf16 linear layers through libtorch's autocast: [`Precision::Bf16`]).
//!
//! The arithmetic per sentence is the same as rust-bert's (and
//! sentence-transformers'): only the batch a sentence shares, and so its
//! padding, changes, which moves vectors by float rounding only.

use precis_model::{
    BatchConfig, DeviceChoice, EmbedError, Embedder, EncoderKind, ModelError, ModelFolder,
    ModelInfo, Precision, SentenceTransformerConfig,
};
use rust_bert::pipelines::common::{ConfigOption, ModelType, TokenizerOption};
use rust_bert::pipelines::sentence_embeddings::layers::{
    Dense, DenseConfig, Pooling, PoolingConfig,
};
use rust_bert::pipelines::sentence_embeddings::{
    SentenceEmbeddingsModulesConfig, SentenceEmbeddingsOption,
    SentenceEmbeddingsSentenceBertConfig, SentenceEmbeddingsTokenizerConfig,
};
use rust_bert::resources::LocalResource;
use rust_bert::Config;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use tch::{nn, Device, Kind, Tensor};

/// The libtorch device `choice` means here, or why there is none.
pub fn device(choice: DeviceChoice) -> Result<Device, String> {
    match choice {
        DeviceChoice::Auto => Ok(Device::cuda_if_available()),
        DeviceChoice::Cpu => Ok(Device::Cpu),
        DeviceChoice::Cuda if tch::Cuda::is_available() => Ok(Device::Cuda(0)),
        DeviceChoice::Cuda => Err("--device cuda was asked for, but libtorch sees no GPU \
             (set up with `just setup-gpu` on a machine with one)"
            .into()),
    }
}

/// rust-bert's name for an encoder architecture.
pub fn model_type(kind: EncoderKind) -> ModelType {
    match kind {
        EncoderKind::Bert => ModelType::Bert,
        EncoderKind::DistilBert => ModelType::DistilBert,
        EncoderKind::Roberta => ModelType::Roberta,
        EncoderKind::Albert => ModelType::Albert,
        EncoderKind::T5 => ModelType::T5,
    }
}

/// A sentence-transformers model loaded from a local folder.
pub struct SentenceTransformer {
    tokenizer: TokenizerOption,
    max_seq_length: usize,
    pad_id: i64,
    workers: Workers,
    info: ModelInfo,
}

impl std::fmt::Debug for SentenceTransformer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SentenceTransformer")
            .field("info", &self.info)
            .field("workers", &self.workers())
            .finish_non_exhaustive()
    }
}

impl SentenceTransformer {
    /// Loads the model in `folder`. Nothing is downloaded: every file must be there.
    pub fn load(
        folder: &ModelFolder,
        config: &SentenceTransformerConfig,
    ) -> Result<Self, ModelError> {
        let load_error = |reason: String| ModelError::Load {
            folder: folder.root.clone(),
            reason,
        };
        let device = device(config.device).map_err(load_error)?;
        let workers = match device {
            Device::Cpu => config.threads.unwrap_or_else(|| {
                std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
            }),
            _ => 1,
        }
        .max(1);

        let path = |p: &std::path::Path| p.to_string_lossy().into_owned();
        let sentence_bert_config =
            SentenceEmbeddingsSentenceBertConfig::from_file(&folder.sentence_bert_config);
        let tokenizer_config =
            SentenceEmbeddingsTokenizerConfig::from_file(&folder.tokenizer_config);
        let tokenizer = TokenizerOption::from_file(
            model_type(folder.model_type),
            &path(&folder.vocab),
            folder.merges.as_deref().map(path).as_deref(),
            tokenizer_config
                .do_lower_case
                .unwrap_or(sentence_bert_config.do_lower_case),
            tokenizer_config.strip_accents,
            tokenizer_config.add_prefix_space,
        )
        .map_err(|e| load_error(e.to_string()))?;
        let pad_id = tokenizer.get_pad_id().unwrap_or(0);

        let workers =
            Workers::start(folder, device, config.precision, workers).map_err(load_error)?;
        let info = ModelInfo::of(folder, config.precision, workers.dimension)?;
        Ok(Self {
            tokenizer,
            max_seq_length: sentence_bert_config.max_seq_length,
            pad_id,
            workers,
            info,
        })
    }

    /// How many worker threads (each with its own model copy) run batches:
    /// one until a call brings more than one batch, then up to one per core.
    pub fn workers(&self) -> usize {
        self.workers
            .handles
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Word pieces the model runs over for each text: truncated to the
    /// model's `max_seq_length`, special tokens included.
    pub fn count_tokens(&self, texts: &[&str]) -> Result<Vec<usize>, EmbedError> {
        Ok(self.tokenize(texts)?.iter().map(Vec::len).collect())
    }

    /// Word-piece ids per text, truncated as rust-bert truncates
    /// (`LongestFirst` to `max_seq_length`), with the special tokens.
    fn tokenize(&self, texts: &[&str]) -> Result<Vec<Vec<i64>>, EmbedError> {
        // `tokenize_and_pad` is the one public entry to rust-bert's
        // `encode_list` that needs no type from rust_tokenizers; it pads each
        // chunk to its longest text, and the padding is cut off again here
        // (a text's last id is always its end token, never padding).
        const CHUNK: usize = 1024;
        let mut ids = Vec::with_capacity(texts.len());
        for chunk in texts.chunks(CHUNK) {
            let (padded, _) =
                self.tokenizer
                    .tokenize_and_pad(chunk, self.max_seq_length, Device::Cpu);
            let width = padded.size().get(1).copied().unwrap_or(0).max(1) as usize;
            let flat = Vec::<i64>::try_from(&padded.contiguous().view([-1]))
                .map_err(|e| EmbedError::Inference(e.to_string()))?;
            ids.extend(flat.chunks(width).map(|row| {
                let len = row
                    .iter()
                    .rposition(|&id| id != self.pad_id)
                    .map_or(0, |p| p + 1);
                row[..len].to_vec()
            }));
        }
        Ok(ids)
    }
}

impl Embedder for SentenceTransformer {
    fn info(&self) -> &ModelInfo {
        &self.info
    }

    fn embed_many(
        &self,
        texts: &[&str],
        batching: BatchConfig,
        on_progress: &mut dyn FnMut(usize),
    ) -> Result<Vec<Vec<f32>>, EmbedError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let tokens = self.tokenize(texts)?;
        let batches = plan_batches(&tokens, batching.batch_size);
        self.workers.start_up_to(batches.len())?;

        // Longest batches first, so the last ones to finish are short.
        let (reply, replies) = channel();
        for (tag, batch) in batches.iter().enumerate().rev() {
            let job = Job {
                batch: TokenBatch::new(batch.iter().map(|&i| tokens[i].as_slice()), self.pad_id),
                tag,
                reply: reply.clone(),
            };
            self.workers.send(job)?;
        }
        drop(reply);

        let dimension = self.info.dimension;
        let mut vectors: Vec<Vec<f32>> = vec![Vec::new(); texts.len()];
        for _ in 0..batches.len() {
            let (tag, result) = replies.recv().map_err(|_| {
                EmbedError::Inference("an embedding worker stopped without answering".into())
            })?;
            let flat = result.map_err(EmbedError::Inference)?;
            let batch = &batches[tag];
            if flat.len() != batch.len() * dimension {
                return Err(EmbedError::Inference(format!(
                    "the model returned {} values for {} texts of dimension {dimension}",
                    flat.len(),
                    batch.len()
                )));
            }
            for (&i, vector) in batch.iter().zip(flat.chunks_exact(dimension)) {
                vectors[i] = vector.to_vec();
            }
            on_progress(batch.len());
        }
        Ok(vectors)
    }
}

/// Groups text indices into batches of at most `batch_size`, by ascending
/// token length (ties in input order), so each batch pads to its own longest.
/// No batch mixes texts shorter than `MIN_MIXED_PRECISION_TOKENS` with longer
/// ones, so that a batch's width decides its precision for every text in it.
fn plan_batches(tokens: &[Vec<i64>], batch_size: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..tokens.len()).collect();
    order.sort_by_key(|&i| (tokens[i].len(), i));
    let short = order.partition_point(|&i| (tokens[i].len() as i64) < MIN_MIXED_PRECISION_TOKENS);
    let (short, long) = order.split_at(short);
    [short, long]
        .into_iter()
        .flat_map(|group| group.chunks(batch_size.max(1)))
        .map(<[usize]>::to_vec)
        .collect()
}

/// Token ids and attention mask of one batch, row-major `[rows, width]`,
/// padded to the longest row.
struct TokenBatch {
    ids: Vec<i64>,
    mask: Vec<i64>,
    rows: i64,
    width: i64,
}

impl TokenBatch {
    fn new<'a>(rows: impl ExactSizeIterator<Item = &'a [i64]> + Clone, pad_id: i64) -> Self {
        let count = rows.len();
        let width = rows.clone().map(<[i64]>::len).max().unwrap_or(0);
        let mut ids = Vec::with_capacity(count * width);
        let mut mask = Vec::with_capacity(count * width);
        for row in rows {
            ids.extend_from_slice(row);
            ids.resize(ids.len() + width - row.len(), pad_id);
            mask.resize(mask.len() + row.len(), 1);
            mask.resize(mask.len() + width - row.len(), 0);
        }
        Self {
            ids,
            mask,
            rows: count as i64,
            width: width as i64,
        }
    }
}

struct Job {
    batch: TokenBatch,
    tag: usize,
    reply: Sender<(usize, Result<Vec<f32>, String>)>,
}

/// Worker threads, each owning a model copy, fed from one queue. One is
/// started with the model; the rest only when a call brings more than one
/// batch, so a re-run that embeds a sentence or two loads one copy, not one
/// per core.
struct Workers {
    queue: Option<Sender<Job>>,
    jobs: Arc<Mutex<Receiver<Job>>>,
    folder: ModelFolder,
    device: Device,
    precision: Precision,
    /// How many workers there may be.
    most: usize,
    handles: Mutex<Vec<JoinHandle<()>>>,
    dimension: usize,
}

impl Workers {
    fn start(
        folder: &ModelFolder,
        device: Device,
        precision: Precision,
        most: usize,
    ) -> Result<Self, String> {
        let (queue, jobs) = channel::<Job>();
        let mut workers = Self {
            queue: Some(queue),
            jobs: Arc::new(Mutex::new(jobs)),
            folder: folder.clone(),
            device,
            precision,
            most,
            handles: Mutex::new(Vec::with_capacity(most)),
            dimension: 0,
        };
        let (ready, started) = channel::<Result<usize, String>>();
        {
            let mut handles = workers
                .handles
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            workers.spawn(&mut handles, ready)?;
        }
        workers.dimension = match started.recv() {
            Ok(Ok(dimension)) => dimension,
            Ok(Err(reason)) => return Err(reason),
            Err(_) => return Err("an embedding worker stopped while loading".into()),
        };
        Ok(workers)
    }

    /// Starts workers until there are `wanted` (at most `most`). They load
    /// their copies while the running ones take jobs. The first copy loaded,
    /// so one of these failing (out of memory, say) costs only speed: it
    /// ends, and the jobs go to the workers that did load.
    fn start_up_to(&self, wanted: usize) -> Result<(), EmbedError> {
        // One lock over the count and the spawning, so that calls at once
        // do not start more than `most`.
        let mut handles = self.handles.lock().unwrap_or_else(PoisonError::into_inner);
        while handles.len() < wanted.min(self.most) {
            let (ready, _) = channel();
            self.spawn(&mut handles, ready)
                .map_err(EmbedError::Inference)?;
        }
        Ok(())
    }

    fn spawn(
        &self,
        handles: &mut Vec<JoinHandle<()>>,
        ready: Sender<Result<usize, String>>,
    ) -> Result<(), String> {
        let (folder, device, precision) = (self.folder.clone(), self.device, self.precision);
        let jobs = Arc::clone(&self.jobs);
        let handle = std::thread::Builder::new()
            .name(format!("precis-embed-{}", handles.len()))
            .spawn(move || worker(&folder, device, precision, &jobs, &ready))
            .map_err(|e| format!("starting an embedding worker: {e}"))?;
        handles.push(handle);
        Ok(())
    }

    fn send(&self, job: Job) -> Result<(), EmbedError> {
        self.queue
            .as_ref()
            .and_then(|queue| queue.send(job).ok())
            .ok_or_else(|| EmbedError::Inference("the embedding workers have stopped".into()))
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        // Closing the queue ends each worker's loop.
        self.queue = None;
        let handles = self
            .handles
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        for handle in handles.drain(..) {
            let _ = handle.join();
        }
    }
}

/// Under `Precision::Bf16`, batches whose longest text is shorter than this
/// (special tokens included: "No man." is 5) still run in f32. Mean pooling
/// over so few tokens does not average bf16 rounding out: such texts were the
/// ones furthest from the reference (docs/EVAL.md), and they cost little
/// (0.55% of the essays' tokens).
const MIN_MIXED_PRECISION_TOKENS: i64 = 8;

fn worker(
    folder: &ModelFolder,
    device: Device,
    precision: Precision,
    jobs: &Mutex<Receiver<Job>>,
    ready: &Sender<Result<usize, String>>,
) {
    if device == Device::Cpu {
        // libtorch keeps the intra-op thread count per thread (OpenMP and MKL
        // settings are thread-local once a thread has touched them), so this
        // makes this worker's operators run inline on this thread.
        tch::set_num_threads(1);
    }
    let _no_grad = tch::no_grad_guard();
    let model = match catch_unwind(|| Model::load(folder, device)) {
        Ok(Ok(model)) => model,
        Ok(Err(reason)) => {
            let _ = ready.send(Err(reason));
            return;
        }
        Err(panic) => {
            let _ = ready.send(Err(panic_message(&*panic)));
            return;
        }
    };
    let mixed = precision == Precision::Bf16;
    if mixed {
        // Off until a batch asks for it; this checks that libtorch takes it.
        if let Err(reason) = crate::autocast::bf16_weight_products(device, false) {
            let _ = ready.send(Err(reason));
            return;
        }
    }
    // Nobody waits for a worker started after the first.
    let _ = ready.send(Ok(model.dimension));
    loop {
        let job = match jobs.lock() {
            Ok(jobs) => jobs.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else { return };
        let result = catch_unwind(AssertUnwindSafe(|| {
            if mixed {
                let long = job.batch.width >= MIN_MIXED_PRECISION_TOKENS;
                crate::autocast::bf16_weight_products(device, long)?;
            }
            model.forward(&job.batch)
        }))
        .unwrap_or_else(|panic| Err(panic_message(&*panic)));
        let _ = job.reply.send((job.tag, result));
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_string()))
        .unwrap_or_else(|| "the model panicked".into())
}

/// rust-bert's sentence-embeddings model, piece by piece, as
/// `SentenceEmbeddingsModel::new` builds it, minus the tokenizer.
struct Model {
    _var_store: nn::VarStore,
    transformer: SentenceEmbeddingsOption,
    pooling: Pooling,
    dense: Option<Dense>,
    normalize: bool,
    dimension: usize,
    device: Device,
}

impl Model {
    fn load(folder: &ModelFolder, device: Device) -> Result<Self, String> {
        let text = |e: rust_bert::RustBertError| e.to_string();
        let modules = SentenceEmbeddingsModulesConfig::from_file(&folder.modules)
            .validate()
            .map_err(text)?;
        let mut var_store = nn::VarStore::new(device);
        let config =
            ConfigOption::from_file(model_type(folder.model_type), &folder.transformer_config);
        let transformer =
            SentenceEmbeddingsOption::new(model_type(folder.model_type), var_store.root(), &config)
                .map_err(text)?;
        let weights = LocalResource::from(folder.weights.clone());
        rust_bert::resources::load_weights(&weights, &mut var_store, None, device).map_err(text)?;
        let pooling_config = PoolingConfig::from_file(&folder.pooling_config);
        let mut dimension = pooling_config.word_embedding_dimension;
        let pooling = Pooling::new(pooling_config);
        let dense = match (modules.dense_module(), &folder.dense) {
            (Some(_), Some((config, weights))) => {
                let config = DenseConfig::from_file(config);
                dimension = config.out_features;
                Some(Dense::new(config, weights, device).map_err(text)?)
            }
            (Some(_), None) => return Err("modules.json lists a Dense module without files".into()),
            (None, _) => None,
        };
        // Only BERT-family encoders take (ids, mask) alone; the folder check
        // already refused anything else.
        debug_assert!(matches!(
            model_type(folder.model_type),
            ModelType::Bert
                | ModelType::DistilBert
                | ModelType::Roberta
                | ModelType::Albert
                | ModelType::T5
        ));
        Ok(Self {
            _var_store: var_store,
            transformer,
            pooling,
            dense,
            normalize: modules.has_normalization(),
            dimension: dimension as usize,
            device,
        })
    }

    /// The vectors of one batch, row after row.
    fn forward(&self, batch: &TokenBatch) -> Result<Vec<f32>, String> {
        let shape = [batch.rows, batch.width];
        let ids = Tensor::from_slice(&batch.ids).view(shape).to(self.device);
        let mask = Tensor::from_slice(&batch.mask).view(shape).to(self.device);
        let (hidden, _) = self
            .transformer
            .forward(&ids, &mask)
            .map_err(|e| e.to_string())?;
        let mut vectors = self.pooling.forward(hidden, &mask);
        if let Some(dense) = &self.dense {
            vectors = dense.forward(&vectors);
        }
        if self.normalize {
            // As rust-bert (and sentence-transformers' Normalize) do it.
            let norm = vectors
                .norm_scalaropt_dim(2, [1], true)
                .clamp_min(1e-12)
                .expand_as(&vectors);
            vectors /= norm;
        }
        let vectors = vectors
            .to_kind(Kind::Float)
            .to(Device::Cpu)
            .contiguous()
            .view([-1]);
        Vec::<f32>::try_from(&vectors).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_sort_by_token_length_and_pad_to_their_longest() {
        let tokens = vec![vec![1, 2, 3], vec![1], vec![1, 2, 3, 4], vec![1, 2]];
        let batches = plan_batches(&tokens, 2);
        assert_eq!(batches, vec![vec![1, 3], vec![0, 2]]);
        let batch = TokenBatch::new(batches[0].iter().map(|&i| tokens[i].as_slice()), 0);
        assert_eq!((batch.rows, batch.width), (2, 2));
        assert_eq!(batch.ids, vec![1, 0, 1, 2]);
        assert_eq!(batch.mask, vec![1, 0, 1, 1]);
    }

    #[test]
    fn short_texts_never_share_a_batch_and_so_a_precision_with_long_ones() {
        let long = vec![1; MIN_MIXED_PRECISION_TOKENS as usize];
        let tokens = vec![long.clone(), vec![1, 2], long];
        assert_eq!(plan_batches(&tokens, 4), vec![vec![1], vec![0, 2]]);
    }
}
