//! Filter modes for scripting and evaluation: JSON Lines on stdin, one
//! result line per input line on stdout, in the same order.

use anyhow::{Context, Result};
use precis_core::CharIndex;
use precis_model::worker::RemoteWriter;
use precis_model::{BatchConfig, Embedder};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Write};

#[derive(Deserialize)]
struct TextLine {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    max_sentences: Option<usize>,
}

fn read_lines(input: impl BufRead) -> impl Iterator<Item = Result<TextLine>> {
    input
        .lines()
        .enumerate()
        .filter_map(|(n, line)| match line {
            Ok(line) if line.trim().is_empty() => None,
            Ok(line) => Some(serde_json::from_str(&line).with_context(|| {
                format!(
                    "stdin line {}: expected {{\"id\": …, \"text\": \"…\"}}",
                    n + 1
                )
            })),
            Err(e) => Some(Err(e).context("reading stdin")),
        })
}

fn write_line(out: &mut impl Write, value: &impl Serialize) -> Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// `precis segment --jsonl`: `{id, text}` → `{id, sentences, spans}` (code points).
/// With `clean`, a single line break before a lower-case word is a wrap
/// inside the sentence (text that has not been through ingest, PDF lines);
/// the spans still index the text as given.
pub fn segment(input: impl BufRead, mut out: impl Write, clean: bool) -> Result<()> {
    #[derive(Serialize)]
    struct Segmented<'a> {
        id: serde_json::Value,
        sentences: Vec<&'a str>,
        spans: Vec<precis_core::Span>,
    }
    let segmenter = if clean {
        precis_segment::Segmenter::new().with_wrapped_lines()
    } else {
        precis_segment::Segmenter::new()
    };
    for line in read_lines(input) {
        let line = line?;
        let ranges = segmenter.segment(&line.text);
        let index = CharIndex::new(&line.text);
        write_line(
            &mut out,
            &Segmented {
                id: line.id,
                sentences: ranges.iter().map(|r| &line.text[r.clone()]).collect(),
                spans: ranges.iter().map(|r| index.span(r.clone())).collect(),
            },
        )?;
    }
    Ok(())
}

/// `precis embed --jsonl`: `{id, text}` → `{id, embedding}`.
pub fn embed(
    input: impl BufRead,
    mut out: impl Write,
    embedder: &dyn Embedder,
    batching: BatchConfig,
) -> Result<()> {
    #[derive(Serialize)]
    struct Embedded<'a> {
        id: &'a serde_json::Value,
        embedding: &'a [f32],
    }
    let lines: Vec<TextLine> = read_lines(input).collect::<Result<_>>()?;
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    let vectors = precis_model::embed_all(embedder, &texts, batching, |_| {})?;
    for (line, vector) in lines.iter().zip(&vectors) {
        write_line(
            &mut out,
            &Embedded {
                id: &line.id,
                embedding: vector,
            },
        )?;
    }
    Ok(())
}

/// How `precis summarize` makes its summaries.
pub enum SummaryMethod<'a> {
    /// Quotes the most representative sentences, chosen from their embeddings.
    Extractive(&'a dyn Embedder, BatchConfig),
    /// A local sequence-to-sequence model writes the summary.
    Abstractive(&'a RemoteWriter),
}

/// `precis summarize --jsonl`: `{id, text, max_sentences?}` → `{id, summary, sentences}`.
/// `sentences` are the quoted sentences; empty when a model wrote the summary.
pub fn summarize(
    input: impl BufRead,
    mut out: impl Write,
    method: &SummaryMethod,
    config: &precis_summarize::SummaryConfig,
) -> Result<()> {
    #[derive(Serialize)]
    struct Summarised<'a> {
        id: &'a serde_json::Value,
        summary: String,
        sentences: Vec<&'a str>,
    }
    let segmenter = precis_segment::Segmenter::new();
    let lines: Vec<TextLine> = read_lines(input).collect::<Result<_>>()?;
    let split: Vec<Vec<&str>> = lines
        .iter()
        .map(|line| {
            segmenter
                .segment(&line.text)
                .into_iter()
                .map(|r| &line.text[r])
                .collect()
        })
        .collect();
    let (embedder, batching) = match method {
        SummaryMethod::Abstractive(writer) => {
            for (line, texts) in lines.iter().zip(&split) {
                let summary = writer
                    .summarize(texts)
                    .with_context(|| format!("summarising input {}", line.id))?;
                write_line(
                    &mut out,
                    &Summarised {
                        id: &line.id,
                        summary,
                        sentences: Vec::new(),
                    },
                )?;
            }
            return Ok(());
        }
        SummaryMethod::Extractive(embedder, batching) => (*embedder, *batching),
    };
    // All sentences of all inputs are embedded together: batches fill up
    // even when each text is short.
    let all: Vec<&str> = split.iter().flatten().copied().collect();
    let vectors = precis_model::embed_all(embedder, &all, batching, |_| {})?;
    let dimension = embedder.info().dimension;
    let mut offset = 0;
    for (line, texts) in lines.iter().zip(&split) {
        let flat: Vec<f32> = vectors[offset..offset + texts.len()].concat();
        offset += texts.len();
        let matrix = ndarray::ArrayView2::from_shape((texts.len(), dimension), &flat)?;
        let budget = line
            .max_sentences
            .unwrap_or_else(|| precis_summarize::budget(texts.len(), config));
        let chosen =
            precis_summarize::select_sentences_with(texts, matrix, budget, &config.selection);
        let sentences: Vec<&str> = chosen.iter().map(|&i| texts[i]).collect();
        write_line(
            &mut out,
            &Summarised {
                id: &line.id,
                summary: sentences.join(" "),
                sentences,
            },
        )?;
    }
    Ok(())
}
