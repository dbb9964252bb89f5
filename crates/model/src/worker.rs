//! The model worker: its protocol, and the client `precis` drives it with.
//!
//! `precis-worker` (the second binary of precis-cli) runs the models;
//! `precis` starts it only when a stage needs vectors the cache lacks, or
//! summaries a model writes, and talks to it over its standard streams:
//!
//! * the worker first writes a [`Reply::Hello`] line naming the code it was
//!   built from; a worker from other sources than the driver's is refused;
//! * then each [`Request`] is one JSON line on its stdin, answered by JSON
//!   [`Reply`] lines on its stdout, in order;
//! * an `Embed` request is answered by `Progress` lines as batches finish,
//!   then a `Vectors` line followed by `rows × dimension` little-endian
//!   `f32`s (a third of the bytes of the same numbers as JSON text, and
//!   nothing to parse);
//! * a request that fails is answered by an `Error` line, and the worker
//!   waits for the next one; the end of its input ends it.
//!
//! Its stderr is the user's terminal, as the models' own warnings were
//! before they moved out of `precis`. The same worker serves both models, so
//! a run that needs both loads libtorch once.

use crate::{
    BatchConfig, DeviceChoice, EmbedError, Embedder, ModelFolder, ModelInfo,
    SentenceTransformerConfig, ABSTRACTIVE_CODE_VERSION, EMBED_CODE_VERSION,
};
use precis_core::Sentence;
use precis_summarize::{AbstractiveConfig, AbstractiveModel, DocumentSummary, ThemeSummary};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};

/// The worker's file name, beside `precis`.
pub const WORKER_NAME: &str = "precis-worker";

/// Overrides where `precis` looks for the worker.
pub const WORKER_VARIABLE: &str = "PRECIS_WORKER";

/// What the driver asks of the worker: one JSON line each.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// Load the sentence encoder; answered by `Embedder`.
    LoadEmbedder {
        folder: PathBuf,
        config: SentenceTransformerConfig,
    },
    /// Load the summarisation model; answered by `Writer`.
    LoadWriter {
        folder: PathBuf,
        generation: AbstractiveConfig,
        device: DeviceChoice,
    },
    /// Where the encoder would run under `device`; answered by `Device`.
    Device { device: DeviceChoice },
    /// One vector per text, in order; answered by `Progress`, then `Vectors`.
    Embed {
        texts: Vec<String>,
        batching: BatchConfig,
    },
    /// A summary of `sentences`, in order, written by the model; answered
    /// by `Text`.
    Summarize { sentences: Vec<String> },
    /// A document's summary (`precis_abstractive::summarize_document`);
    /// answered by `Document`.
    SummarizeDocument {
        sentences: Vec<Sentence>,
        embeddings: Matrix,
        config: precis_summarize::SummaryConfig,
    },
    /// A theme's summary (`precis_abstractive::summarize_theme`); answered
    /// by `Theme`.
    SummarizeTheme {
        theme: u32,
        members: Vec<Sentence>,
        embeddings: Matrix,
        config: precis_summarize::SummaryConfig,
    },
}

/// What the worker answers: one JSON line each (`Vectors` followed by its
/// numbers).
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    /// The first line: the code the worker's models were built from.
    Hello {
        embed_code_version: String,
        abstractive_code_version: String,
    },
    Embedder(ModelInfo),
    Writer(AbstractiveModel),
    /// Whether the models would run on a CUDA GPU.
    Device {
        cuda: bool,
    },
    /// This many more texts are embedded.
    Progress(usize),
    /// `rows × dimension` little-endian `f32`s follow this line.
    Vectors {
        rows: usize,
        dimension: usize,
    },
    Text(String),
    Document(DocumentSummary),
    Theme(ThemeSummary),
    /// The request failed, for this reason (it names the file and the fix).
    Error(String),
}

/// A row-major matrix of `f32`s, as JSON: the embeddings a summary request
/// carries (small beside the text a model writes from).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Matrix {
    pub rows: usize,
    pub columns: usize,
    pub values: Vec<f32>,
}

impl Matrix {
    pub fn view(&self) -> Result<ndarray::ArrayView2<'_, f32>, String> {
        ndarray::ArrayView2::from_shape((self.rows, self.columns), &self.values).map_err(|e| {
            format!(
                "a {}×{} matrix of {} values: {e}",
                self.rows,
                self.columns,
                self.values.len()
            )
        })
    }
}

impl From<ndarray::ArrayView2<'_, f32>> for Matrix {
    fn from(view: ndarray::ArrayView2<'_, f32>) -> Self {
        Self {
            rows: view.nrows(),
            columns: view.ncols(),
            values: view.iter().copied().collect(),
        }
    }
}

/// Reads the next request; `None` at the end of the input.
pub fn read_request(input: &mut impl BufRead) -> std::io::Result<Option<Result<Request, String>>> {
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    Ok(Some(serde_json::from_str(&line).map_err(|e| {
        format!("a request the worker cannot read: {e}")
    })))
}

/// Writes one reply line.
pub fn write_reply(output: &mut impl Write, reply: &Reply) -> std::io::Result<()> {
    serde_json::to_writer(&mut *output, reply)?;
    output.write_all(b"\n")
}

/// Writes `vectors` (each `dimension` long) as a `Vectors` line and its numbers.
pub fn write_vectors(
    output: &mut impl Write,
    vectors: &[Vec<f32>],
    dimension: usize,
) -> std::io::Result<()> {
    write_reply(
        output,
        &Reply::Vectors {
            rows: vectors.len(),
            dimension,
        },
    )?;
    for vector in vectors {
        for value in vector {
            output.write_all(&value.to_le_bytes())?;
        }
    }
    Ok(())
}

/// Why the worker could not be used. Each names the worker's path.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error(
        "the model worker {0} does not exist\n  fix: build it beside precis with \
         `cargo build --release -p precis-cli` (`just run` does), or set {WORKER_VARIABLE} \
         to its path"
    )]
    Missing(PathBuf),
    #[error("starting the model worker {path}: {source}")]
    Start {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the model worker {path} was built from other sources than this precis \
         ({what})\n  fix: rebuild both with `cargo build --release -p precis-cli`"
    )]
    OtherBuild { path: PathBuf, what: String },
    #[error("the model worker {path} stopped{status}")]
    Stopped { path: PathBuf, status: String },
    #[error("the model worker {path} answered out of turn: {reply}")]
    Protocol { path: PathBuf, reply: String },
    #[error("{0}")]
    Failed(String),
}

/// A running worker. Requests from several threads take turns.
#[derive(Debug)]
pub struct Worker {
    path: PathBuf,
    connection: Mutex<Connection>,
}

#[derive(Debug)]
struct Connection {
    child: Child,
    input: Option<BufWriter<ChildStdin>>,
    output: BufReader<ChildStdout>,
}

impl Worker {
    /// Where the worker is: `$PRECIS_WORKER` if set, else beside the running
    /// executable (or beside the folder above it, for cargo's test binaries
    /// in `target/*/deps`).
    pub fn locate() -> Result<PathBuf, WorkerError> {
        if let Some(path) = std::env::var_os(WORKER_VARIABLE) {
            return Ok(PathBuf::from(path));
        }
        let exe = std::env::current_exe().unwrap_or_default();
        let beside = |dir: Option<&Path>| dir.map(|d| d.join(WORKER_NAME));
        let here = beside(exe.parent()).unwrap_or_else(|| PathBuf::from(WORKER_NAME));
        if here.is_file() {
            return Ok(here);
        }
        match beside(exe.parent().and_then(Path::parent)) {
            Some(above) if above.is_file() => Ok(above),
            _ => Ok(here),
        }
    }

    /// Starts the worker at `path` and checks it was built from the same
    /// model code as this driver.
    pub fn start(path: &Path) -> Result<Arc<Self>, WorkerError> {
        if !path.is_file() {
            return Err(WorkerError::Missing(path.to_path_buf()));
        }
        let mut child = Command::new(path)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|source| WorkerError::Start {
                path: path.to_path_buf(),
                source,
            })?;
        let connection = Connection {
            input: child.stdin.take().map(BufWriter::new),
            output: BufReader::new(child.stdout.take().expect("stdout is piped")),
            child,
        };
        let worker = Arc::new(Self {
            path: path.to_path_buf(),
            connection: Mutex::new(connection),
        });
        let hello = worker.lock().read_reply(&worker.path)?;
        match hello {
            Reply::Hello {
                embed_code_version,
                abstractive_code_version,
            } => {
                let differ = |name: &str, theirs: &str, ours: &str| {
                    (theirs != ours).then(|| format!("{name} {theirs}, here {ours}"))
                };
                let what: Vec<String> = [
                    differ("precis-embed", &embed_code_version, EMBED_CODE_VERSION),
                    differ(
                        "precis-abstractive",
                        &abstractive_code_version,
                        ABSTRACTIVE_CODE_VERSION,
                    ),
                ]
                .into_iter()
                .flatten()
                .collect();
                if what.is_empty() {
                    Ok(worker)
                } else {
                    Err(WorkerError::OtherBuild {
                        path: worker.path.clone(),
                        what: what.join("; "),
                    })
                }
            }
            other => Err(worker.out_of_turn(&other)),
        }
    }

    /// Loads the sentence encoder in `folder`.
    pub fn load_embedder(
        self: &Arc<Self>,
        folder: &ModelFolder,
        config: &SentenceTransformerConfig,
    ) -> Result<RemoteEmbedder, WorkerError> {
        let request = Request::LoadEmbedder {
            folder: folder.root.clone(),
            config: config.clone(),
        };
        match self.ask(&request)? {
            Reply::Embedder(info) => Ok(RemoteEmbedder {
                worker: Arc::clone(self),
                info,
            }),
            other => Err(self.out_of_turn(&other)),
        }
    }

    /// Whether the encoder would run on a CUDA GPU under `device`: what
    /// libtorch sees, which only the worker can ask.
    pub fn runs_on_cuda(&self, device: DeviceChoice) -> Result<bool, WorkerError> {
        match self.ask(&Request::Device { device })? {
            Reply::Device { cuda } => Ok(cuda),
            other => Err(self.out_of_turn(&other)),
        }
    }

    /// Loads the summarisation model in `folder`.
    pub fn load_writer(
        self: &Arc<Self>,
        folder: &Path,
        generation: &AbstractiveConfig,
        device: DeviceChoice,
    ) -> Result<RemoteWriter, WorkerError> {
        let request = Request::LoadWriter {
            folder: folder.to_path_buf(),
            generation: generation.clone(),
            device,
        };
        match self.ask(&request)? {
            Reply::Writer(description) => Ok(RemoteWriter {
                worker: Arc::clone(self),
                description,
            }),
            other => Err(self.out_of_turn(&other)),
        }
    }

    /// Sends `request` and reads its one reply (an `Error` reply is an error).
    fn ask(&self, request: &Request) -> Result<Reply, WorkerError> {
        let mut connection = self.lock();
        connection.send(&self.path, request)?;
        connection.read_reply(&self.path)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves the stream mid-reply; the
        // next read then fails with a protocol error, which is the truth.
        self.connection
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn out_of_turn(&self, reply: &Reply) -> WorkerError {
        let mut text = format!("{reply:?}");
        text.truncate(200);
        WorkerError::Protocol {
            path: self.path.clone(),
            reply: text,
        }
    }
}

impl Connection {
    fn send(&mut self, path: &Path, request: &Request) -> Result<(), WorkerError> {
        let sent = self.input.as_mut().map(|input| {
            serde_json::to_writer(&mut *input, request)
                .map_err(std::io::Error::from)
                .and_then(|()| input.write_all(b"\n"))
                .and_then(|()| input.flush())
        });
        match sent {
            Some(Ok(())) => Ok(()),
            _ => Err(self.stopped(path)),
        }
    }

    /// The next reply; an `Error` reply becomes `WorkerError::Failed`.
    fn read_reply(&mut self, path: &Path) -> Result<Reply, WorkerError> {
        let mut line = String::new();
        match self.output.read_line(&mut line) {
            Ok(0) | Err(_) => return Err(self.stopped(path)),
            Ok(_) => {}
        }
        match serde_json::from_str(&line) {
            Ok(Reply::Error(message)) => Err(WorkerError::Failed(message)),
            Ok(reply) => Ok(reply),
            Err(_) => Err(WorkerError::Protocol {
                path: path.to_path_buf(),
                reply: line.chars().take(200).collect(),
            }),
        }
    }

    fn read_vectors(
        &mut self,
        path: &Path,
        rows: usize,
        dimension: usize,
    ) -> Result<Vec<Vec<f32>>, WorkerError> {
        let mut bytes = vec![0u8; rows * dimension * 4];
        self.output
            .read_exact(&mut bytes)
            .map_err(|_| self.stopped(path))?;
        let values: Vec<f32> = bytes
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect();
        Ok(values
            .chunks(dimension.max(1))
            .take(rows)
            .map(<[f32]>::to_vec)
            .collect())
    }

    /// The worker's end, with its exit status if it has one.
    fn stopped(&mut self, path: &Path) -> WorkerError {
        self.input = None;
        let status = match self.child.wait() {
            Ok(status) if status.success() => String::new(),
            // The dynamic loader's code: the worker never ran, and the
            // loader has named the library on stderr.
            Ok(status) if status.code() == Some(127) => format!(
                " ({status}: a library it links is missing)\n  fix: run `just setup` to install \
                 libtorch into the checkout, then rebuild"
            ),
            Ok(status) => format!(" ({status})"),
            Err(error) => format!(" ({error})"),
        };
        WorkerError::Stopped {
            path: path.to_path_buf(),
            status,
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        // Closing its input ends the worker's loop.
        self.input = None;
        let _ = self.child.wait();
    }
}

/// The sentence encoder, loaded in a worker.
#[derive(Debug)]
pub struct RemoteEmbedder {
    worker: Arc<Worker>,
    info: ModelInfo,
}

impl Embedder for RemoteEmbedder {
    fn info(&self) -> &ModelInfo {
        &self.info
    }

    /// The worker batches as the transformer does; its progress comes back
    /// as it goes.
    fn embed_many(
        &self,
        texts: &[&str],
        batching: BatchConfig,
        on_progress: &mut dyn FnMut(usize),
    ) -> Result<Vec<Vec<f32>>, EmbedError> {
        let failed = |error: WorkerError| EmbedError::Inference(error.to_string());
        let path = &self.worker.path;
        let mut connection = self.worker.lock();
        let request = Request::Embed {
            texts: texts.iter().map(|t| (*t).to_owned()).collect(),
            batching,
        };
        connection.send(path, &request).map_err(failed)?;
        loop {
            match connection.read_reply(path).map_err(failed)? {
                Reply::Progress(done) => on_progress(done),
                Reply::Vectors { rows, dimension } if rows == texts.len() => {
                    return connection
                        .read_vectors(path, rows, dimension)
                        .map_err(failed)
                }
                other => return Err(failed(self.worker.out_of_turn(&other))),
            }
        }
    }
}

/// The summarisation model, loaded in a worker.
#[derive(Debug)]
pub struct RemoteWriter {
    worker: Arc<Worker>,
    description: AbstractiveModel,
}

impl RemoteWriter {
    /// What `SummaryConfig::abstractive` records of the model (its checksum
    /// is part of every summary's key).
    pub fn description(&self) -> &AbstractiveModel {
        &self.description
    }

    /// A summary of `sentences`, in order.
    pub fn summarize(&self, sentences: &[&str]) -> Result<String, WorkerError> {
        let request = Request::Summarize {
            sentences: sentences.iter().map(|s| (*s).to_owned()).collect(),
        };
        match self.worker.ask(&request)? {
            Reply::Text(text) => Ok(text),
            other => Err(self.worker.out_of_turn(&other)),
        }
    }
}

/// Summaries written by the model, one request each.
impl precis_summarize::SummaryWriter for RemoteWriter {
    type Error = WorkerError;

    fn document(
        &self,
        sentences: &[Sentence],
        embeddings: ndarray::ArrayView2<f32>,
        config: &precis_summarize::SummaryConfig,
    ) -> Result<DocumentSummary, WorkerError> {
        let request = Request::SummarizeDocument {
            sentences: sentences.to_vec(),
            embeddings: embeddings.into(),
            config: config.clone(),
        };
        match self.worker.ask(&request)? {
            Reply::Document(summary) => Ok(summary),
            other => Err(self.worker.out_of_turn(&other)),
        }
    }

    fn theme(
        &self,
        theme: u32,
        members: &[&Sentence],
        embeddings: ndarray::ArrayView2<f32>,
        config: &precis_summarize::SummaryConfig,
    ) -> Result<ThemeSummary, WorkerError> {
        let request = Request::SummarizeTheme {
            theme,
            members: members.iter().map(|s| (*s).clone()).collect(),
            embeddings: embeddings.into(),
            config: config.clone(),
        };
        match self.worker.ask(&request)? {
            Reply::Theme(summary) => Ok(summary),
            other => Err(self.worker.out_of_turn(&other)),
        }
    }
}
