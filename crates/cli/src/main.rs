//! `precis`: a folder of essays in; sentences, themes and summaries out,
//! one folder per stage.

mod cache;
mod compare_docs;
mod config;
mod facets;
mod filters;
mod freshness;
mod inputs;
mod layout;
mod manifest;
mod models;
mod pipeline;
mod progress;
mod report;
mod run;
mod search;
mod watch;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use config::FileConfig;
use models::Models;
use pipeline::Stage;
use precis_model::worker::RemoteWriter;
use precis_model::{BatchConfig, DeviceChoice, ModelFolder, PrecisionChoice};
use precis_summarize::AbstractiveModel;
use precis_summarize::SummaryConfig;
use progress::{Reporter, Verbosity};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// The model `just setup` installs, found beside the working directory or the
/// checkout this binary was built from.
const DEFAULT_MODEL: &str = "models/all-MiniLM-L6-v2";

#[derive(Parser, Debug)]
#[command(
    name = "precis",
    version,
    about = "Sentences, themes and summaries from a folder of essays.",
    long_about = "precis reads a folder of essays (.txt, .md, .html), cuts every document into \
sentences, embeds them with a local sentence-transformers model, clusters them into themes that \
run through the whole set, and writes summaries per document, per theme and for the collection. \
Every stage writes plain files (JSON Lines, JSON, .npy, Markdown) under the output folder; \
re-running after an edit recomputes only what changed.",
    after_help = "Start with `precis run data/input --out data`. Each subcommand has its own --help."
)]
struct Cli {
    /// Only warnings and errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// More detail about each stage.
    #[arg(long, short, global = true)]
    verbose: bool,
    /// Settings file [default: precis.toml in the working directory, if there is one].
    /// Command-line flags beat it; see the precis.toml of the checkout for every option.
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run every stage on a folder of documents.
    ///
    /// Reads INPUT_DIR (recursively; hidden files skipped) and writes under --out:
    ///   ingest/documents.jsonl    one line per document: {doc_id, source, title, hash, text, paragraphs}
    ///   segment/sentences.jsonl   one line per sentence: {doc_id, index, start, end, text}
    ///   embed/embeddings.npy      float32 N x D, row i = line i of sentences.jsonl; embed/model.json
    ///   themes/                   themes.json, assignments.jsonl, documents.jsonl, similarity.csv,
    ///                             by_<facet>.jsonl (by_folder when INPUT_DIR has subfolders)
    ///   summaries/                documents.jsonl, themes.jsonl, collection.md, docs/<doc_id>.md
    ///   report/index.html         one self-contained page: theme map, essays x themes, summaries
    ///   manifest.json             inputs, config, model and timings of every stage
    ///   cache/                    embeddings already computed, reused by the next run
    ///
    /// Offsets are Unicode code points. Each stage folder is replaced whole, so an
    /// interrupted run never leaves a half-written stage.
    #[command(verbatim_doc_comment)]
    Run(RunArgs),
    /// Run, then refresh the output after every save in the input folder.
    ///
    /// Takes the options of `run`. After a first run it watches INPUT_DIR: when a file
    /// there is saved, added or removed, it waits until the folder has been quiet for
    /// 0.2 s and runs again, redoing only what the edit touched (the model stays loaded),
    /// and prints one line per refresh: what changed and how long it took.
    ///
    /// It holds the output folder's lock while it watches, so a second watch or a
    /// `precis run` on the same --out is refused. A refresh that fails says why and leaves
    /// the output folder as the last complete run left it; watching goes on. Ctrl-C stops
    /// it, and leaves nothing half-written.
    ///
    /// Example:
    ///   precis watch drafts/ --out drafts-precis
    #[command(verbatim_doc_comment)]
    Watch(RunArgs),
    /// Cut text into sentences: JSON Lines filter for scripts and evaluation.
    ///
    /// Reads {"id": …, "text": "…"} lines on stdin; writes
    /// {"id": …, "sentences": ["…"], "spans": [[start, end], …]} (code points), same order.
    #[command(verbatim_doc_comment)]
    Segment {
        #[command(flatten)]
        filter: FilterArgs,
        /// Join hard-wrapped lines: a single line break before a lower-case word is a wrap
        /// inside the sentence when the sentence ends within the next few lines, as in text
        /// copied from a PDF ("a sentence\ncut off in the middle."); lines that never end a
        /// sentence (a list of labels) stay apart. Off by default, as in pySBD: `precis run`
        /// joins wrapped lines at ingest, so a line break it leaves is real. Spans still index
        /// the text as given.
        #[arg(long)]
        clean: bool,
    },
    /// Embed texts: JSON Lines filter.
    ///
    /// Reads {"id": …, "text": "…"} lines on stdin; writes {"id": …, "embedding": [...]}
    /// (L2-normalised), same order.
    #[command(verbatim_doc_comment)]
    Embed {
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Summarise texts extractively: JSON Lines filter.
    ///
    /// Reads {"id": …, "text": "…", "max_sentences": N?} lines on stdin; writes
    /// {"id": …, "summary": "…", "sentences": ["…"]}, same order.
    #[command(verbatim_doc_comment)]
    Summarize {
        #[command(flatten)]
        filter: FilterArgs,
        #[command(flatten)]
        model: ModelArgs,
        #[command(flatten)]
        summary: SummaryArgs,
    },
    /// Rebuild report/index.html from an output folder's stage files, without recomputing.
    Report {
        /// The output folder of a `precis run`.
        #[arg(default_value = "data")]
        dir: PathBuf,
    },
    /// Say which stages of an output folder are fresh, stale or missing, and why.
    ///
    /// Re-hashes the input folder and each stage's upstream files and compares them
    /// with what manifest.json recorded; nothing is recomputed or written.
    Status {
        /// The output folder of a `precis run`.
        #[arg(default_value = "data")]
        dir: PathBuf,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Compare the themes of two runs.
    ///
    /// Reads themes/{themes,assignments,documents}.* under RUN_A and RUN_B (output folders
    /// of `precis run`) and prints the themes aligned by centroid similarity, themes found
    /// in only one run, documents whose dominant theme changed, and the adjusted Rand
    /// index between the two assignments over the sentences both runs share.
    #[command(verbatim_doc_comment)]
    Compare {
        run_a: PathBuf,
        run_b: PathBuf,
        /// Print the comparison as JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Compare two documents of one run by theme.
    ///
    /// Prints the themes DOC_A and DOC_B share (each with its share of both, and the two
    /// sentences, one from each, whose embeddings are closest), then the themes only one
    /// of them has. Documents are named by doc id (themes/documents.jsonl) or by their
    /// path inside the input folder, e.g.
    ///   precis compare-docs data the-night-bus.txt the-commute-as-thinking-time.txt
    #[command(verbatim_doc_comment)]
    CompareDocs {
        /// The output folder of a finished `precis run`.
        run: PathBuf,
        doc_a: String,
        doc_b: String,
        /// Print the comparison as JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Find the sentences closest in meaning to a query, across every essay of a run.
    ///
    /// Embeds QUERY with the model the run's vectors were made with (the folder that
    /// embed/model.json names, checked to be the same files, at the same precision) and
    /// ranks the run's sentences by cosine similarity to it, reading embed/embeddings.npy
    /// in place. Each result gives its rank, its score (the cosine, 1 at most), the essay
    /// (its path inside the input folder), the sentence's theme, and the sentence marked
    /// `>` between the sentences before and after it in its essay.
    ///
    /// QUERY is what to look for, in words (quoted); RUN is the output folder of a
    /// finished `precis run` [default: data, as for status and report]. Narrow the
    /// search with --theme, --doc and --facet: each may be given more than once, and a
    /// sentence passes when it matches one value of every option given.
    ///
    /// Examples:
    ///   precis search "what a garden is for"
    ///   precis search data "the cost of driving into town" -k 3
    ///   precis search /tmp/essays-run "friendship" --facet folder=bacon_essays --json
    ///   precis search data "queues" --doc the-night-bus.txt --theme 2
    #[command(
        verbatim_doc_comment,
        override_usage = "precis search [RUN] <QUERY> [OPTIONS]"
    )]
    Search(SearchArgs),
}

#[derive(Args, Debug)]
struct SearchArgs {
    /// [RUN] QUERY, as the usage line shows them (clap has no optional positional
    /// argument before a required one).
    #[arg(value_names = ["RUN", "QUERY"], num_args = 1..=2, required = true, hide = true)]
    words: Vec<String>,
    /// How many results.
    #[arg(short = 'k', value_name = "N", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..))]
    k: u64,
    /// Only sentences of this theme, named by id or label (themes/themes.json).
    #[arg(long, value_name = "THEME")]
    theme: Vec<String>,
    /// Only sentences of this essay, named by doc id or path inside the input folder.
    #[arg(long, value_name = "DOC")]
    doc: Vec<String>,
    /// Only essays with this value of a facet: a folder of the input (`folder=NAME`), or
    /// a column of the run's --metadata file, as in themes/by_<facet>.jsonl.
    #[arg(long, value_name = "FACET=VALUE", value_parser = facet_filter)]
    facet: Vec<(String, String)>,
    /// The model folder the run's vectors were made with, if it is no longer where
    /// embed/model.json says [default: that folder]
    #[arg(long, value_name = "PATH")]
    model: Option<PathBuf>,
    /// One JSON object per result and line: {rank, score, doc_id, source, title, index,
    /// theme, theme_label, before, text, after} (before and after null at an essay's ends).
    #[arg(long)]
    json: bool,
}

/// `FACET=VALUE`, split at the first `=`.
fn facet_filter(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((facet, value)) if !facet.trim().is_empty() && !value.trim().is_empty() => {
            Ok((facet.trim().to_owned(), value.trim().to_owned()))
        }
        _ => Err(format!(
            "`{text}` is not FACET=VALUE (e.g. folder=bacon_essays or author=Bacon)"
        )),
    }
}

#[derive(Args, Debug)]
struct FilterArgs {
    /// Read JSON Lines on stdin, write JSON Lines on stdout (the only mode so far).
    #[arg(long, required = true)]
    jsonl: bool,
}

#[derive(Args, Debug)]
struct RunArgs {
    /// Folder of documents (.txt, .md, .html; searched recursively) [default: data/input]
    input: Option<PathBuf>,
    /// Output folder: one subfolder per stage, plus manifest.json and cache/ [default: data]
    #[arg(long)]
    out: Option<PathBuf>,
    /// Embedding cache folder, if not OUT/cache (several output folders may share one).
    #[arg(long, value_name = "DIR")]
    cache: Option<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
    /// Force this many themes instead of letting the data decide (themes are
    /// the subjects passages share across documents).
    #[arg(long, value_name = "N")]
    themes: Option<usize>,
    /// Force this many theme groups (the level above themes) instead of
    /// choosing the number by silhouette.
    #[arg(long, value_name = "N")]
    groups: Option<usize>,
    #[command(flatten)]
    summary: SummaryArgs,
    /// Skip input files larger than this many MiB [default: 20]
    #[arg(long, value_name = "MIB")]
    max_file_mb: Option<u64>,
    /// A CSV file of facets to compare documents by: a `path` column (each document's path
    /// inside the input folder) and one column per facet, e.g. `path,author,year`. Each
    /// facet's themes go to themes/by_<facet>.jsonl, as the folder's do (by_folder.jsonl)
    /// whenever the input has subfolders.
    #[arg(long, value_name = "CSV")]
    metadata: Option<PathBuf>,
    /// The facet whose distinctive themes the run prints [default: the first, by name]
    #[arg(long, value_name = "FACET")]
    by: Option<String>,
    /// Cluster the themes afresh from the input alone, even after a small edit (which
    /// otherwise carries the last run's themes on), and keep none of the last run's ids.
    #[arg(long)]
    recluster: bool,
}

#[derive(Args, Debug)]
struct ModelArgs {
    /// A local sentence-transformers model folder (config.json, modules.json,
    /// model.safetensors, tokenizer files, 1_Pooling/) [default: models/all-MiniLM-L6-v2,
    /// installed by `just setup`]
    #[arg(long, value_name = "PATH")]
    model: Option<PathBuf>,
    /// CPU threads for the models [default: all cores]
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Where the models run: `auto` (CUDA if libtorch sees a GPU, else the CPU), `cpu` or
    /// `cuda` [default: auto]
    #[arg(long, value_parser = lowercase_choice::<DeviceChoice>(&["auto", "cpu", "cuda"]))]
    device: Option<DeviceChoice>,
    /// Sentences per forward pass [default: 32]
    #[arg(long, value_name = "N")]
    batch_size: Option<usize>,
    /// Number format of the embedding model: `auto` takes bf16 where the device computes it
    /// natively (a CPU with AVX512-BF16 or AMX, a CUDA GPU) and f32 elsewhere; `f32` gives
    /// sentence-transformers' vectors; `bf16` runs the linear layers in bfloat16 (the rest
    /// stays f32): about twice as fast where native, with vectors within a cosine of about 1e-4
    /// of f32's (cached apart). The run's summary line and manifest say which ran and why
    /// [default: auto]
    #[arg(long, value_parser = lowercase_choice::<PrecisionChoice>(&["auto", "f32", "bf16"]))]
    precision: Option<PrecisionChoice>,
}

/// One of `names`, read as the setting whose serde name it is: the flag
/// takes the very words precis.toml does.
fn lowercase_choice<T>(
    names: &'static [&'static str],
) -> impl clap::builder::TypedValueParser<Value = T>
where
    T: serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
{
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(names).map(|name| {
        serde_json::from_value(serde_json::Value::String(name))
            .expect("every possible value is a serde name of the setting")
    })
}

#[derive(Args, Debug)]
struct SummaryArgs {
    /// Sentences per document summary [default: a share of the document, see --summary-ratio]
    #[arg(long, value_name = "N")]
    summary_sentences: Option<usize>,
    /// Share of a document's sentences in its summary, when --summary-sentences is not
    /// given [default: 0.1, at least 3 and at most 8 sentences]
    #[arg(long, value_name = "R")]
    summary_ratio: Option<f64>,
    /// How summaries are made: `extractive` quotes the most representative sentences;
    /// `abstractive` has a local sequence-to-sequence model write them (needs
    /// --summary-model) [default: extractive]
    #[arg(long, value_enum)]
    summarizer: Option<SummarizerKind>,
    /// A local BART, T5, LongT5 or Pegasus folder that writes the summaries (implies
    /// --summarizer abstractive; docs/ABSTRACTIVE.md says how to convert a checkpoint)
    #[arg(long, value_name = "PATH")]
    summary_model: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum SummarizerKind {
    Extractive,
    Abstractive,
}

impl ModelArgs {
    /// Fills in what the command line left out from the config file.
    fn or_file(self, file: &config::ModelSection) -> Self {
        Self {
            model: self.model.or_else(|| file.path.clone()),
            threads: self.threads.or(file.threads),
            device: self.device.or(file.device),
            batch_size: self.batch_size.or(file.batch_size),
            precision: self.precision.or(file.precision),
        }
    }

    fn batching(&self) -> BatchConfig {
        BatchConfig {
            batch_size: self
                .batch_size
                .unwrap_or(BatchConfig::default().batch_size)
                .max(1),
        }
    }

    fn folder(&self) -> Result<ModelFolder> {
        let path = self.model.clone().unwrap_or_else(default_model);
        ModelFolder::open(&path).map_err(model_error)
    }

    /// The checksum of the model folder, without loading the model.
    fn checksum(&self) -> Result<String> {
        self.folder()?.checksum().map_err(model_error)
    }

    /// The models these settings name, checked but not loaded: the worker
    /// loads the encoder when a stage first needs it.
    fn models(&self) -> Result<Models> {
        Models::new(
            self.folder()?,
            self.device.unwrap_or_default(),
            self.threads,
            self.precision.unwrap_or_default(),
        )
    }
}

impl SummaryArgs {
    /// The config file's summary settings with the flags applied.
    fn config(&self, file: &SummaryConfig) -> Result<SummaryConfig> {
        let mut config = file.clone();
        config.sentences = self.summary_sentences.or(config.sentences);
        if let Some(ratio) = self.summary_ratio {
            config.ratio = ratio;
        }
        if let Some(folder) = &self.summary_model {
            let generation = config
                .abstractive
                .map(|model| model.generation)
                .unwrap_or_default();
            config.abstractive = Some(AbstractiveModel {
                folder: folder.clone(),
                checksum: String::new(),
                generation,
            });
        }
        match self.summarizer {
            Some(SummarizerKind::Extractive) => config.abstractive = None,
            Some(SummarizerKind::Abstractive) if config.abstractive.is_none() => bail!(
                "--summarizer abstractive needs a model: pass --summary-model PATH (a local \
                 BART, T5, LongT5 or Pegasus folder; see docs/ABSTRACTIVE.md)"
            ),
            _ => {}
        }
        Ok(config)
    }
}

/// Loads the model that writes the summaries, if `config` names one, and
/// records its checksum in `config` (it is part of every summary's key, so
/// it is loaded even when no summary is then written).
fn load_writer(
    config: &mut SummaryConfig,
    model: &ModelArgs,
    models: &Models,
) -> Result<Option<RemoteWriter>> {
    let Some(chosen) = &mut config.abstractive else {
        return Ok(None);
    };
    let writer = models.writer(
        &chosen.folder,
        &chosen.generation,
        model.device.unwrap_or_default(),
    )?;
    *chosen = writer.description().clone();
    Ok(Some(writer))
}

/// `models/all-MiniLM-L6-v2` under the working directory if there, else
/// under the checkout this binary was built from.
fn default_model() -> PathBuf {
    let here = PathBuf::from(DEFAULT_MODEL);
    if here.is_dir() {
        return here;
    }
    let built_from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(DEFAULT_MODEL);
    if built_from.is_dir() {
        built_from
    } else {
        here
    }
}

fn model_error(error: precis_model::ModelError) -> anyhow::Error {
    anyhow::anyhow!(
        "{error}\n  fix: run `just setup` to install the default model into {DEFAULT_MODEL}, \
         or pass --model PATH to a complete sentence-transformers folder"
    )
}

fn main() -> ExitCode {
    precis_ingest::quiet_contained_panics();
    let cli = Cli::parse();
    let verbosity = if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    let reporter = Reporter::new(verbosity);
    let outcome = FileConfig::load(cli.config.as_deref()).and_then(|(file, found)| {
        if let Some(path) = found {
            reporter.detail(format!("settings from {}", path.display()));
        }
        dispatch(cli.command, &file, &reporter)
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if is_closed_stdout(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(command: Command, file: &FileConfig, reporter: &Reporter) -> Result<()> {
    let stdin = || std::io::stdin().lock();
    let stdout = || BufWriter::new(std::io::stdout().lock());
    match command {
        Command::Run(args) => run_all(args, file, reporter),
        Command::Watch(args) => watch_folder(args, file, reporter),
        Command::Segment { clean, .. } => filters::segment(stdin(), stdout(), clean),
        Command::Embed { model, .. } => {
            let model = model.or_file(&file.model);
            let models = model.models()?;
            filters::embed(stdin(), stdout(), models.embedder()?, model.batching())
        }
        Command::Report { dir } => {
            report::write(&layout::Layout::new(&dir))?;
            reporter.result(format!("wrote {}", dir.join("report/index.html").display()));
            Ok(())
        }
        Command::Status { dir, model } => {
            let model = model.or_file(&file.model);
            let checksum = model.checksum().ok();
            let layout = layout::Layout::new(&dir);
            let mut out = stdout();
            for (stage, state) in freshness::status(
                &layout,
                checksum.as_deref(),
                model.precision.and_then(PrecisionChoice::named),
            )? {
                match state {
                    freshness::Freshness::Fresh => writeln!(out, "{stage:>9}  fresh")?,
                    freshness::Freshness::Stale(why) => writeln!(out, "{stage:>9}  stale: {why}")?,
                    freshness::Freshness::Missing(why) => {
                        writeln!(out, "{stage:>9}  missing: {why}")?
                    }
                }
            }
            let manifest = manifest::Manifest::read(&layout)?;
            let embed = manifest.as_ref().and_then(|m| m.record(Stage::Embed));
            if let Some(pick) = embed.and_then(|record| record.precision.as_ref()) {
                let precision = pick.precision.name();
                writeln!(out, "{:>9}  {precision}, {}", "vectors", pick.why)?;
            }
            if let Some(origin) = manifest
                .as_ref()
                .and_then(manifest::Manifest::themes_origin)
            {
                for line in origin.describe() {
                    writeln!(out, "           {line}")?;
                }
            }
            out.flush()?;
            Ok(())
        }
        Command::Compare { run_a, run_b, json } => {
            let comparison = precis_themes::compare(
                &layout::Layout::new(&run_a).read_themes()?,
                &layout::Layout::new(&run_b).read_themes()?,
            );
            print_result(&comparison, json)
        }
        Command::CompareDocs {
            run,
            doc_a,
            doc_b,
            json,
        } => {
            let comparison =
                compare_docs::side_by_side(&layout::Layout::new(&run), &doc_a, &doc_b)?;
            print_result(&comparison, json)
        }
        Command::Search(args) => {
            let mut words = args.words.into_iter();
            let (run, text) = match (words.next(), words.next()) {
                (Some(run), Some(text)) => (PathBuf::from(run), text),
                (Some(text), None) => (PathBuf::from("data"), text),
                _ => bail!("precis search needs a query"),
            };
            if text.trim().is_empty() {
                bail!("the query is empty: say in words what to look for, e.g. precis search \"what a garden is for\"");
            }
            let query = search::Query {
                text,
                k: usize::try_from(args.k).unwrap_or(usize::MAX),
                themes: args.theme,
                documents: args.doc,
                facets: args.facet,
                model: args.model,
            };
            let results = search::search(&layout::Layout::new(&run), &query)?;
            let mut out = stdout();
            if args.json {
                out.write_all(&layout::to_jsonl(&results)?)?;
            } else {
                search::write_text(&mut out, &results)?;
            }
            out.flush()?;
            Ok(())
        }
        Command::Summarize { model, summary, .. } => {
            let model = model.or_file(&file.model);
            let models = model.models()?;
            let mut config = summary.config(&file.summaries)?;
            let writer = load_writer(&mut config, &model, &models)?;
            let method = match &writer {
                Some(writer) => filters::SummaryMethod::Abstractive(writer),
                None => filters::SummaryMethod::Extractive(models.embedder()?, model.batching()),
            };
            filters::summarize(stdin(), stdout(), &method, &config)
        }
    }
}

/// A comparison on stdout, as pretty JSON or as text.
fn print_result(result: &(impl serde::Serialize + std::fmt::Display), json: bool) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(result)?)?;
    } else {
        write!(out, "{result}")?;
    }
    Ok(())
}

/// Whether `error` is stdout closed by its reader, as by `precis status | head`:
/// the reader has all it wanted, so it is no failure.
fn is_closed_stdout(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// What `precis run` and `precis watch` need: the run's settings, from the
/// flags and the config file, and the models they name (checked, not yet
/// loaded).
struct PreparedRun {
    config: run::RunConfig,
    model: ModelArgs,
    models: Models,
    writer: Option<RemoteWriter>,
}

fn prepare_run(args: RunArgs, file: &FileConfig) -> Result<PreparedRun> {
    let input = args
        .input
        .or_else(|| file.run.input.clone())
        .unwrap_or_else(|| PathBuf::from("data/input"));
    let out = args
        .out
        .or_else(|| file.run.out.clone())
        .unwrap_or_else(|| PathBuf::from("data"));
    let model = args.model.or_file(&file.model);
    let mut summaries = args.summary.config(&file.summaries)?;
    // The models are checked before any stage folder is touched; the
    // encoder loads only if a stage needs vectors the cache lacks.
    let models = model.models()?;
    let writer = load_writer(&mut summaries, &model, &models)?;
    let config = run::RunConfig {
        cache: args
            .cache
            .or_else(|| file.run.cache.clone())
            .unwrap_or_else(|| out.join("cache")),
        input,
        out,
        ingest: match args.max_file_mb.or(file.ingest.max_file_mb) {
            Some(mib) => precis_ingest::IngestConfig {
                max_file_bytes: mib.saturating_mul(1 << 20),
            },
            None => precis_ingest::IngestConfig::default(),
        },
        batching: model.batching(),
        themes: precis_themes::ThemeConfig {
            themes: args.themes.or(file.themes.themes),
            groups: args.groups.or(file.themes.groups),
            ..file.themes.clone()
        },
        summaries,
        facets: facets::FacetConfig {
            // Absolute, as the manifest records it: `precis search --facet` reads
            // the file again, from whatever folder it is run in.
            metadata: args
                .metadata
                .map(|path| std::path::absolute(&path).unwrap_or(path)),
            by: args.by,
        },
        recluster: args.recluster,
    };
    Ok(PreparedRun {
        config,
        model,
        models,
        writer,
    })
}

/// The line that opens a run or a watch.
fn announce(prepared: &PreparedRun, reporter: &Reporter) {
    let config = &prepared.config;

    reporter.line(format!(
        "precis: {} -> {} (model {}{})",
        config.input.display(),
        config.out.display(),
        prepared.models.name(),
        match &config.summaries.abstractive {
            Some(writer) => format!(", summaries by {}", writer.folder.display()),
            None => String::new(),
        }
    ));
}

fn run_all(args: RunArgs, file: &FileConfig, reporter: &Reporter) -> Result<()> {
    let started = Instant::now();
    let prepared = prepare_run(args, file)?;
    announce(&prepared, reporter);
    let PreparedRun {
        config,
        models,
        writer,
        ..
    } = &prepared;
    let context = || format!("precis run {}", config.input.display());
    let lock = run::OutputLock::take(&config.out).with_context(context)?;
    let outcome =
        run::run(config, &lock, models, writer.as_ref(), reporter).with_context(context)?;
    let outputs = config.out.display();
    let summary = format!(
        "{} documents, {} sentences, {} themes in {:.1}s ({} embedded, {} from cache; {}, {}{})\n\
         outputs: {outputs}/report/index.html, {outputs}/summaries/collection.md, {outputs}/themes/themes.json",
        outcome.documents,
        outcome.sentences,
        outcome.themes,
        started.elapsed().as_secs_f64(),
        outcome.embedded,
        outcome.cached,
        models.precision().precision.name(),
        models.precision().why,
        if outcome.skipped > 0 {
            format!(", {} files skipped: see manifest.json", outcome.skipped)
        } else {
            String::new()
        }
    );
    reporter.result(summary);
    Ok(())
}

fn watch_folder(args: RunArgs, file: &FileConfig, reporter: &Reporter) -> Result<()> {
    let prepared = prepare_run(args, file)?;
    announce(&prepared, reporter);
    let PreparedRun {
        config,
        model,
        models,
        writer,
    } = prepared;
    let mut first = Some((models, writer));
    let mut summaries = config.summaries.clone();
    let mut start_models = || -> Result<(Models, Option<RemoteWriter>)> {
        if let Some(started) = first.take() {
            return Ok(started);
        }
        let models = model.models()?;
        let writer = load_writer(&mut summaries, &model, &models)?;
        Ok((models, writer))
    };
    watch::watch(&config, &mut start_models, reporter)
}
