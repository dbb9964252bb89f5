//! The models a command may use, run by the model worker, which starts the
//! first time a stage needs one: a run whose vectors are all kept or cached
//! never loads libtorch.

use anyhow::{Context, Result};
use precis_model::worker::{RemoteEmbedder, RemoteWriter, Worker, WorkerError};
use precis_model::{
    DeviceChoice, ModelFolder, ModelInfo, PrecisionChoice, PrecisionPick, RunsOn,
    SentenceTransformerConfig,
};
use precis_summarize::AbstractiveConfig;
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// The sentence encoder (checked, not loaded), and the worker once started.
#[derive(Debug)]
pub struct Models {
    folder: ModelFolder,
    config: SentenceTransformerConfig,
    /// The precision `config` holds, and why it was picked.
    precision: PrecisionPick,
    /// The encoder's vectors' identity, the dimension left at 0 until known.
    identity: ModelInfo,
    worker: OnceLock<Arc<Worker>>,
    embedder: OnceLock<RemoteEmbedder>,
}

impl Models {
    /// `folder` has been checked by `ModelFolder::open`; its files are
    /// hashed here, once. `precision` is picked here, for where the encoder
    /// will run.
    pub fn new(
        folder: ModelFolder,
        device: DeviceChoice,
        threads: Option<usize>,
        precision: PrecisionChoice,
    ) -> Result<Self> {
        let worker = OnceLock::new();
        let runs_on = match (precision, device) {
            (PrecisionChoice::F32 | PrecisionChoice::Bf16, _) | (_, DeviceChoice::Cpu) => {
                RunsOn::this_cpu()
            }
            (PrecisionChoice::Auto, DeviceChoice::Cuda) => RunsOn::Cuda,
            // libtorch sees a GPU only through a loaded NVIDIA driver, and
            // asking it costs a libtorch start: paid only where it might.
            (PrecisionChoice::Auto, DeviceChoice::Auto) if !nvidia_gpu_present() => {
                RunsOn::this_cpu()
            }
            (PrecisionChoice::Auto, DeviceChoice::Auto) => {
                let on_gpu = started(&worker)?
                    .runs_on_cuda(device)
                    .context("asking the models where they run")?;
                if on_gpu {
                    RunsOn::Cuda
                } else {
                    RunsOn::this_cpu()
                }
            }
        };
        let precision = precision.pick(runs_on);
        let config = SentenceTransformerConfig {
            device,
            threads,
            precision: precision.precision,
        };
        let identity = ModelInfo::of(&folder, config.precision, 0).map_err(crate::model_error)?;
        Ok(Self {
            folder,
            config,
            precision,
            identity,
            worker,
            embedder: OnceLock::new(),
        })
    }

    /// The precision the encoder computes in, and why.
    pub fn precision(&self) -> &PrecisionPick {
        &self.precision
    }

    /// The encoder's folder name, for messages.
    pub fn name(&self) -> &str {
        &self.identity.name
    }

    /// What identifies the encoder's vectors: the key of their cache.
    pub fn vectors_checksum(&self) -> &str {
        &self.identity.checksum
    }

    /// What the encoder's vectors are, each `dimension` long, known without
    /// loading it (the worker reports the same once it has).
    pub fn info(&self, dimension: usize) -> ModelInfo {
        match self.embedder.get() {
            Some(embedder) => precis_model::Embedder::info(embedder).clone(),
            None => ModelInfo {
                dimension,
                ..self.identity.clone()
            },
        }
    }

    /// The encoder, loaded in the worker on first use.
    pub fn embedder(&self) -> Result<&RemoteEmbedder> {
        if let Some(embedder) = self.embedder.get() {
            return Ok(embedder);
        }
        let embedder = load_embedder(self.worker()?, &self.folder, &self.config)?;
        Ok(self.embedder.get_or_init(|| embedder))
    }

    /// Loads the summarisation model in `folder` in the worker.
    pub fn writer(
        &self,
        folder: &Path,
        generation: &AbstractiveConfig,
        device: DeviceChoice,
    ) -> Result<RemoteWriter> {
        self.worker()?
            .load_writer(folder, generation, device)
            .map_err(|error| {
                with_fix(
                    error,
                    "pass --summary-model PATH to a converted BART, T5, LongT5 or Pegasus folder \
                     (docs/ABSTRACTIVE.md); lengths and beams are set under \
                     [summaries.abstractive.generation] in precis.toml",
                )
            })
    }

    /// The worker, started on first use.
    fn worker(&self) -> Result<&Arc<Worker>> {
        started(&self.worker)
    }
}

/// The worker in `slot`, started if it is not yet.
fn started(slot: &OnceLock<Arc<Worker>>) -> Result<&Arc<Worker>> {
    if let Some(worker) = slot.get() {
        return Ok(worker);
    }
    let worker = start_worker()?;
    Ok(slot.get_or_init(|| worker))
}

/// Whether the NVIDIA driver is loaded with at least one GPU.
fn nvidia_gpu_present() -> bool {
    std::fs::read_dir("/proc/driver/nvidia/gpus").is_ok_and(|mut gpus| gpus.next().is_some())
}

/// Starts a model worker.
pub fn start_worker() -> Result<Arc<Worker>> {
    let path = Worker::locate()?;
    Worker::start(&path).context("starting the models")
}

/// Loads the sentence encoder in `folder` in `worker`, which reports what
/// it loaded (`Embedder::info`, its checksum hashed there).
pub fn load_embedder(
    worker: &Arc<Worker>,
    folder: &ModelFolder,
    config: &SentenceTransformerConfig,
) -> Result<RemoteEmbedder> {
    worker.load_embedder(folder, config).map_err(|error| {
        with_fix(
            error,
            "run `just setup` to install the default model, or pass --model PATH to a \
             complete sentence-transformers folder",
        )
    })
}

/// A model the worker could not load gets `fix`; a worker that could not
/// run at all already says what to do.
fn with_fix(error: WorkerError, fix: &str) -> anyhow::Error {
    match error {
        WorkerError::Failed(reason) => anyhow::anyhow!("{reason}\n  fix: {fix}"),
        other => other.into(),
    }
}
