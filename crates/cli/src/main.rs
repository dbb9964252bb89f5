//! `precis`: a folder of essays in; sentences, themes and summaries out,
//! one folder per stage.

mod cache;
mod filters;
mod freshness;
mod inputs;
mod layout;
mod progress;
mod report;
mod run;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use precis_embed::{
    BatchConfig, DeviceChoice, ModelFolder, SentenceTransformer, SentenceTransformerConfig,
};
use progress::{Reporter, Verbosity};
use std::io::BufWriter;
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
    ///   themes/                   themes.json, assignments.jsonl, documents.jsonl, similarity.csv
    ///   summaries/                documents.jsonl, themes.jsonl, collection.md, docs/<doc_id>.md
    ///   report/index.html         one self-contained page: theme map, essays x themes, summaries
    ///   manifest.json             inputs, config, model and timings of every stage
    ///   cache/                    embeddings already computed, reused by the next run
    ///
    /// Offsets are Unicode code points. Each stage folder is replaced whole, so an
    /// interrupted run never leaves a half-written stage.
    #[command(verbatim_doc_comment)]
    Run(RunArgs),
    /// Cut text into sentences: JSON Lines filter for scripts and evaluation.
    ///
    /// Reads {"id": …, "text": "…"} lines on stdin; writes
    /// {"id": …, "sentences": ["…"], "spans": [[start, end], …]} (code points), same order.
    #[command(verbatim_doc_comment)]
    Segment(FilterArgs),
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
}

#[derive(Args, Debug)]
struct FilterArgs {
    /// Read JSON Lines on stdin, write JSON Lines on stdout (the only mode so far).
    #[arg(long, required = true)]
    jsonl: bool,
}

#[derive(Args, Debug)]
struct RunArgs {
    /// Folder of documents (.txt, .md, .html; searched recursively).
    #[arg(default_value = "data/input")]
    input: PathBuf,
    /// Output folder: one subfolder per stage, plus manifest.json and cache/.
    #[arg(long, default_value = "data")]
    out: PathBuf,
    /// Embedding cache folder, if not OUT/cache (several output folders may share one).
    #[arg(long, value_name = "DIR")]
    cache: Option<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
    /// Force this many themes instead of choosing the number automatically.
    #[arg(long, value_name = "N")]
    themes: Option<usize>,
    #[command(flatten)]
    summary: SummaryArgs,
    /// Skip input files larger than this many MiB.
    #[arg(long, value_name = "MIB", default_value_t = 20)]
    max_file_mb: u64,
}

#[derive(Args, Debug)]
struct ModelArgs {
    /// A local sentence-transformers model folder (config.json, modules.json,
    /// model.safetensors, tokenizer files, 1_Pooling/). Default: models/all-MiniLM-L6-v2,
    /// installed by `just setup`.
    #[arg(long, value_name = "PATH")]
    model: Option<PathBuf>,
    /// CPU threads for the model (default: all cores).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Where the model runs.
    #[arg(long, value_enum, default_value_t = Device::Auto)]
    device: Device,
    /// Sentences per forward pass.
    #[arg(long, value_name = "N", default_value_t = BatchConfig::default().batch_size)]
    batch_size: usize,
}

#[derive(Args, Debug)]
struct SummaryArgs {
    /// Sentences per document summary (default: a share of the document, see --summary-ratio).
    #[arg(long, value_name = "N")]
    summary_sentences: Option<usize>,
    /// Share of a document's sentences in its summary, when --summary-sentences is not given.
    #[arg(long, value_name = "R")]
    summary_ratio: Option<f64>,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
enum Device {
    /// CUDA if libtorch sees a GPU, else the CPU.
    Auto,
    Cpu,
    Cuda,
}

impl ModelArgs {
    fn batching(&self) -> BatchConfig {
        BatchConfig {
            batch_size: self.batch_size.max(1),
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

    fn load(&self) -> Result<SentenceTransformer> {
        let folder = self.folder()?;
        let config = SentenceTransformerConfig {
            device: match self.device {
                Device::Auto => DeviceChoice::Auto,
                Device::Cpu => DeviceChoice::Cpu,
                Device::Cuda => DeviceChoice::Cuda,
            },
            threads: self.threads,
        };
        SentenceTransformer::load(&folder, &config).map_err(model_error)
    }
}

impl SummaryArgs {
    fn config(&self) -> precis_summarize::SummaryConfig {
        let mut config = precis_summarize::SummaryConfig::default();
        config.sentences = self.summary_sentences.or(config.sentences);
        if let Some(ratio) = self.summary_ratio {
            config.ratio = ratio;
        }
        config
    }
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

fn model_error(error: precis_embed::ModelError) -> anyhow::Error {
    anyhow::anyhow!(
        "{error}\n  fix: run `just setup` to install the default model into {DEFAULT_MODEL}, \
         or pass --model PATH to a complete sentence-transformers folder"
    )
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let verbosity = if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    let reporter = Reporter::new(verbosity);
    match dispatch(cli.command, &reporter) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch(command: Command, reporter: &Reporter) -> Result<()> {
    let stdin = || std::io::stdin().lock();
    let stdout = || BufWriter::new(std::io::stdout().lock());
    match command {
        Command::Run(args) => run_all(args, reporter),
        Command::Segment(_) => filters::segment(stdin(), stdout()),
        Command::Embed { model, .. } => {
            let embedder = model.load()?;
            filters::embed(stdin(), stdout(), &embedder, model.batching())
        }
        Command::Report { dir } => {
            report::write(&layout::Layout::new(&dir))?;
            reporter.result(format!("wrote {}", dir.join("report/index.html").display()));
            Ok(())
        }
        Command::Status { dir, model } => {
            let checksum = model.checksum().ok();
            for (stage, state) in
                freshness::status(&layout::Layout::new(&dir), checksum.as_deref())?
            {
                match state {
                    freshness::Freshness::Fresh => println!("{stage:>9}  fresh"),
                    freshness::Freshness::Stale(why) => println!("{stage:>9}  stale: {why}"),
                    freshness::Freshness::Missing(why) => println!("{stage:>9}  missing: {why}"),
                }
            }
            Ok(())
        }
        Command::Compare { run_a, run_b, json } => {
            let comparison = precis_themes::compare(
                &layout::Layout::new(&run_a).read_themes()?,
                &layout::Layout::new(&run_b).read_themes()?,
            );
            if json {
                println!("{}", serde_json::to_string_pretty(&comparison)?);
            } else {
                print!("{comparison}");
            }
            Ok(())
        }
        Command::Summarize { model, summary, .. } => {
            let embedder = model.load()?;
            filters::summarize(
                stdin(),
                stdout(),
                &embedder,
                model.batching(),
                &summary.config(),
            )
        }
    }
}

fn run_all(args: RunArgs, reporter: &Reporter) -> Result<()> {
    let started = Instant::now();
    // The model is checked and loaded before any stage folder is touched.
    let embedder = args.model.load()?;
    let config = run::RunConfig {
        input: args.input.clone(),
        out: args.out.clone(),
        cache: args.cache.clone().unwrap_or_else(|| args.out.join("cache")),
        ingest: precis_ingest::IngestConfig {
            max_file_bytes: args.max_file_mb.saturating_mul(1 << 20),
        },
        batching: args.model.batching(),
        themes: precis_themes::ThemeConfig {
            themes: args.themes,
            ..Default::default()
        },
        summaries: args.summary.config(),
    };
    reporter.line(format!(
        "precis: {} -> {} (model {})",
        args.input.display(),
        args.out.display(),
        precis_embed::Embedder::info(&embedder).name
    ));
    let outcome = run::run(&config, &embedder, reporter)
        .with_context(|| format!("precis run {}", args.input.display()))?;
    report::write(&layout::Layout::new(&args.out)).context("writing the report")?;
    let outputs = args.out.display();
    let summary = format!(
        "{} documents, {} sentences, {} themes in {:.1}s ({} embedded, {} from cache{})\n\
         outputs: {outputs}/report/index.html, {outputs}/summaries/collection.md, {outputs}/themes/themes.json",
        outcome.documents,
        outcome.sentences,
        outcome.themes,
        started.elapsed().as_secs_f64(),
        outcome.embedded,
        outcome.cached,
        if outcome.skipped > 0 {
            format!(", {} files skipped: see manifest.json", outcome.skipped)
        } else {
            String::new()
        }
    );
    reporter.result(summary);
    Ok(())
}
