//! Embedding throughput, to set beside `scripts/bench_embed_st.py`.
//!
//! ```text
//! cargo run --release -p precis-embed --example bench -- \
//!     --sentences FILE.jsonl [--threads N] [--limit N] [--batch-size N] \
//!     [--model DIR] [--baseline] [--bf16]
//! ```
//!
//! Reads a JSONL file with a `text` field per line (the `segment/sentences.jsonl`
//! of a `precis run` is one), embeds the first `--limit` texts after a warm-up,
//! and prints one JSON line:
//! `{"tool": "precis", "sentences", "tokens", "seconds", "sentences_per_s", "tokens_per_s", ...}`.
//! `tokens` counts word pieces after truncation, special tokens included, as
//! the sentence-transformers script does.
//!
//! `--baseline` times what precis did before: rust-bert's own
//! `SentenceEmbeddingsModel::encode` on batches of `--batch-size` sorted by
//! character length, with `--threads` libtorch intra-op threads. `--bf16`
//! times the opt-in mixed-precision encoder (`Precision::Bf16`).

use precis_embed::{
    embed_all, BatchConfig, Embedder, ModelFolder, Precision, SentenceTransformer,
    SentenceTransformerConfig,
};
use std::path::PathBuf;
use std::time::Instant;

/// Texts embedded before timing starts. Workers past the first load their
/// model copies once a call brings more than one batch; this is enough
/// batches, on one core, to outlast that load (under a second), so every
/// worker is running when the clock starts.
const WARMUP: usize = 2048;

struct Args {
    sentences: PathBuf,
    threads: Option<usize>,
    limit: Option<usize>,
    batch_size: usize,
    model: PathBuf,
    baseline: bool,
    precision: Precision,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        sentences: PathBuf::new(),
        threads: None,
        limit: None,
        batch_size: BatchConfig::default().batch_size,
        model: PathBuf::from("models/all-MiniLM-L6-v2"),
        baseline: false,
        precision: Precision::F32,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        let number = |v: String| v.parse::<usize>().map_err(|e| format!("{v}: {e}"));
        match flag.as_str() {
            "--sentences" => args.sentences = PathBuf::from(value()?),
            "--threads" => args.threads = Some(number(value()?)?),
            "--limit" => args.limit = Some(number(value()?)?),
            "--batch-size" => args.batch_size = number(value()?)?.max(1),
            "--model" => args.model = PathBuf::from(value()?),
            "--baseline" => args.baseline = true,
            "--bf16" => args.precision = Precision::Bf16,
            _ => return Err(format!("unknown argument {flag}")),
        }
    }
    if args.sentences.as_os_str().is_empty() {
        return Err("--sentences FILE is required".into());
    }
    Ok(args)
}

fn read_texts(args: &Args) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(&args.sentences)
        .map_err(|e| format!("{}: {e}", args.sentences.display()))?;
    let mut texts = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| format!("{}:{}: {e}", args.sentences.display(), number + 1))?;
        let text = value["text"].as_str().ok_or_else(|| {
            format!(
                "{}:{}: no `text` field",
                args.sentences.display(),
                number + 1
            )
        })?;
        texts.push(text.to_string());
        if args.limit.is_some_and(|limit| texts.len() >= limit) {
            break;
        }
    }
    Ok(texts)
}

fn main() {
    if let Err(message) = run() {
        eprintln!("bench: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let texts = read_texts(&args)?;
    if texts.is_empty() {
        return Err("no sentences".into());
    }
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let folder = ModelFolder::open(&args.model).map_err(|e| e.to_string())?;
    let config = SentenceTransformerConfig {
        threads: args.threads,
        precision: args.precision,
        ..SentenceTransformerConfig::default()
    };
    // The new embedder also counts tokens for the baseline (it tokenises as
    // rust-bert does); with --baseline it is dropped before timing.
    let model = SentenceTransformer::load(&folder, &config).map_err(|e| e.to_string())?;
    let tokens: usize = model
        .count_tokens(&texts)
        .map_err(|e| e.to_string())?
        .iter()
        .sum();
    let batching = BatchConfig {
        batch_size: args.batch_size,
    };
    let warmup = &texts[..texts.len().min(WARMUP)];

    let (seconds, workers) = if args.baseline {
        drop(model);
        baseline(&folder, &args, &texts, warmup)?
    } else {
        embed_all(&model, warmup, batching, |_| {}).map_err(|e| e.to_string())?;
        let start = Instant::now();
        let vectors = embed_all(&model, &texts, batching, |_| {}).map_err(|e| e.to_string())?;
        let seconds = start.elapsed().as_secs_f64();
        assert_eq!(vectors.len(), texts.len());
        assert!(vectors.iter().all(|v| v.len() == model.info().dimension));
        (seconds, model.workers())
    };

    let json = serde_json::json!({
        "tool": match (args.baseline, args.precision) {
            (true, _) => "precis-baseline",
            (false, Precision::F32) => "precis",
            (false, Precision::Bf16) => "precis-bf16",
        },
        "sentences": texts.len(),
        "tokens": tokens,
        "seconds": round(seconds, 4),
        "sentences_per_s": round(texts.len() as f64 / seconds, 2),
        "tokens_per_s": round(tokens as f64 / seconds, 1),
        "threads": args.threads,
        "workers": workers,
        "batch_size": args.batch_size,
        "model": folder.name(),
    });
    println!("{json}");
    Ok(())
}

/// rust-bert's `encode` on char-length-sorted batches: precis before this change.
fn baseline(
    folder: &ModelFolder,
    args: &Args,
    texts: &[&str],
    warmup: &[&str],
) -> Result<(f64, usize), String> {
    use rust_bert::pipelines::sentence_embeddings::{
        SentenceEmbeddingsConfig, SentenceEmbeddingsModel,
    };
    use rust_bert::resources::LocalResource;
    if let Some(threads) = args.threads {
        tch::set_num_threads(threads.max(1) as i32);
    }
    let local =
        |path: &std::path::Path| -> Box<LocalResource> { Box::new(path.to_path_buf().into()) };
    let model = SentenceEmbeddingsModel::new(SentenceEmbeddingsConfig {
        modules_config_resource: local(&folder.modules),
        transformer_type: precis_embed::model_type(folder.model_type),
        transformer_config_resource: local(&folder.transformer_config),
        transformer_weights_resource: local(&folder.weights),
        pooling_config_resource: local(&folder.pooling_config),
        dense_config_resource: folder.dense.as_ref().map(|(c, _)| local(c) as _),
        dense_weights_resource: folder.dense.as_ref().map(|(_, w)| local(w) as _),
        sentence_bert_config_resource: local(&folder.sentence_bert_config),
        tokenizer_config_resource: local(&folder.tokenizer_config),
        tokenizer_vocab_resource: local(&folder.vocab),
        tokenizer_merges_resource: folder.merges.as_deref().map(|m| local(m) as _),
        device: tch::Device::Cpu,
        kind: None,
    })
    .map_err(|e| e.to_string())?;
    let run = |texts: &[&str]| -> Result<usize, String> {
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| (texts[i].len(), i));
        let mut done = 0;
        for chunk in order.chunks(args.batch_size) {
            let batch: Vec<&str> = chunk.iter().map(|&i| texts[i]).collect();
            done += model.encode(&batch).map_err(|e| e.to_string())?.len();
        }
        Ok(done)
    };
    run(warmup)?;
    let start = Instant::now();
    let done = run(texts)?;
    assert_eq!(done, texts.len());
    Ok((start.elapsed().as_secs_f64(), 1))
}

fn round(x: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (x * scale).round() / scale
}
