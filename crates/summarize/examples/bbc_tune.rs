//! Tuning loop for the sentence selection on the BBC dev articles.
//!
//! Reads a cache of sentence splits and embeddings made once outside the
//! repository (any splitter and all-MiniLM-L6-v2):
//! - `DIR/docs.jsonl`: `{id, offset, sentences: [..], budget, reference_sentences: [..]}`
//!   per article, where `offset` is the article's first row in the embeddings
//!   and `budget` the number of sentences to pick;
//! - `DIR/embeddings.npy`: float32, one row per sentence of all articles in order.
//!
//! It scores selections with a close copy of ROUGE-1/2/Lsum F1 (tokens as
//! Google's `rouge_score` makes them, Snowball English stems instead of
//! Porter's, so the figures are a proxy; `scripts/eval_summaries.py score`
//! gives the real ones). The articles are split into halves by a hash of
//! the id, the same split as `eval_summaries.py --half`: tune on one,
//! check on the other.
//!
//! ```text
//! cargo run --release --example bbc_tune -- /tmp/bbc                 # default params
//! cargo run --release --example bbc_tune -- /tmp/bbc --set '{"length": 0.5}'
//! cargo run --release --example bbc_tune -- /tmp/bbc --sweep         # coordinate search on half a
//! cargo run --release --example bbc_tune -- /tmp/bbc --out sel.jsonl # {id, selected} lines
//! cargo run --release --example bbc_tune -- /tmp/bbc --lead          # the Lead baseline
//! cargo run --release --example bbc_tune -- /tmp/bbc --themes        # categories as themes
//! ```
//!
//! `--themes` treats each BBC category (`bbc-<category>-NNN` ids) as a theme
//! and prints its theme summary, to read whether the quotes represent the
//! category and come from different articles.

use anyhow::{bail, Context, Result};
use ndarray::{Array2, ArrayView2, Axis, Slice};
use precis_core::Sentence;
use precis_summarize::{summarize_theme, Lead, SelectionParams, Summarizer, SummaryConfig};
use rust_stemmers::{Algorithm, Stemmer};
use serde::Deserialize;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct CachedDoc {
    id: String,
    offset: usize,
    sentences: Vec<String>,
    budget: usize,
    reference_sentences: Vec<String>,
}

/// One article, tokenised once.
struct Article {
    id: String,
    half: char,
    offset: usize,
    sentences: Vec<String>,
    budget: usize,
    /// Tokens of each article sentence.
    tokens: Vec<Vec<String>>,
    /// Tokens of each reference sentence.
    reference: Vec<Vec<String>>,
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().context("usage: bbc_tune CACHE_DIR [options]")?);
    let mut params = SelectionParams::default();
    let mut sweep = false;
    let mut lead = false;
    let mut themes = false;
    let mut out = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--set" => params = with_overrides(&params, &args.next().context("--set JSON")?)?,
            "--sweep" => sweep = true,
            "--lead" => lead = true,
            "--themes" => themes = true,
            "--out" => out = Some(PathBuf::from(args.next().context("--out FILE")?)),
            other => bail!("unknown argument {other}"),
        }
    }
    let (articles, embeddings) = load(&dir)?;
    eprintln!(
        "{} articles, {} sentences",
        articles.len(),
        embeddings.nrows()
    );

    if themes {
        print_themes(&articles, &embeddings, &params);
        return Ok(());
    }
    if lead {
        for half in ['a', 'b'] {
            println!(
                "Lead half {half}: {}",
                show(evaluate(&articles, &embeddings, &Lead, Some(half)))
            );
        }
    }
    if sweep {
        params = coordinate_search(&articles, &embeddings, params);
    }
    println!("params: {}", serde_json::to_string(&params)?);
    for half in ['a', 'b'] {
        let scores = evaluate(&articles, &embeddings, &params, Some(half));
        println!("half {half}: {}", show(scores));
    }
    println!(
        "all:    {}",
        show(evaluate(&articles, &embeddings, &params, None))
    );
    if let Some(out) = out {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&out)?);
        for article in &articles {
            let selected = select(article, &embeddings, &params);
            let id = serde_json::to_string(&article.id)?;
            writeln!(file, "{{\"id\": {id}, \"selected\": {selected:?}}}")?;
        }
        file.flush()?;
        eprintln!("wrote {}", out.display());
    }
    Ok(())
}

fn with_overrides(params: &SelectionParams, json: &str) -> Result<SelectionParams> {
    let mut value = serde_json::to_value(params)?;
    let overrides: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json)?;
    for (key, v) in overrides {
        value[key] = v;
    }
    Ok(serde_json::from_value(value)?)
}

/// Greedy coordinate search on half `a`: try each value of each knob in
/// turn, keep whatever raises the mean of the three F1 scores, repeat
/// until nothing does.
fn coordinate_search(
    articles: &[Article],
    embeddings: &Array2<f32>,
    start: SelectionParams,
) -> SelectionParams {
    let grid: Vec<(&str, Vec<serde_json::Value>)> = vec![
        // The centroid weight stays at 1: the others are relative to it.
        ("centrality", vec_of(&[0.0, 0.25, 0.5, 0.75, 1.0, 1.5])),
        ("position", vec_of(&[0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5])),
        ("position_decay", vec_of(&[0.25, 0.5, 1.0, 2.0])),
        ("length", vec_of(&[0.0, 0.25, 0.5, 0.75, 1.0, 1.25])),
        ("keywords", vec_of(&[0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0])),
        (
            "length_cap",
            vec_of(&[15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 50.0]),
        ),
        ("lambda", vec_of(&[0.5, 0.6, 0.7, 0.8, 0.9, 1.0])),
        ("min_words", vec_of(&[0.0, 4.0, 6.0, 8.0])),
    ];
    let objective = |p: &SelectionParams| {
        let s = evaluate(articles, embeddings, p, Some('a'));
        (s[0] + s[1] + s[2]) / 3.0
    };
    let mut best = start;
    let mut best_score = objective(&best);
    for round in 1..=4 {
        let mut improved = false;
        for (key, values) in &grid {
            for value in values {
                let mut candidate = serde_json::to_value(&best).expect("params serialise");
                candidate[*key] = if matches!(*key, "length_cap" | "min_words") {
                    serde_json::Value::from(value.as_f64().unwrap_or(0.0) as u64)
                } else {
                    value.clone()
                };
                let candidate: SelectionParams =
                    serde_json::from_value(candidate).expect("grid values fit");
                let score = objective(&candidate);
                if score > best_score + 1e-6 {
                    best_score = score;
                    best = candidate;
                    improved = true;
                }
            }
        }
        eprintln!(
            "round {round}: mean F1 on half a {:.2} with {}",
            best_score * 100.0,
            serde_json::to_string(&best).unwrap_or_default()
        );
        if !improved {
            break;
        }
    }
    best
}

fn vec_of(values: &[f64]) -> Vec<serde_json::Value> {
    values.iter().map(|&v| serde_json::Value::from(v)).collect()
}

fn select(article: &Article, embeddings: &Array2<f32>, method: &dyn Summarizer) -> Vec<usize> {
    let range = article.offset..article.offset + article.sentences.len();
    let rows: ArrayView2<f32> = embeddings.slice_axis(Axis(0), Slice::from(range));
    let texts: Vec<&str> = article.sentences.iter().map(String::as_str).collect();
    method.select(&texts, rows, article.budget)
}

/// One theme per category: its summary, each quote with its article.
fn print_themes(articles: &[Article], embeddings: &Array2<f32>, params: &SelectionParams) {
    let config = SummaryConfig {
        selection: params.clone(),
        ..SummaryConfig::default()
    };
    let mut categories: Vec<&str> = articles.iter().map(|a| category(&a.id)).collect();
    categories.dedup();
    for (theme, name) in categories.iter().enumerate() {
        let mut members = Vec::new();
        let mut rows = Vec::new();
        for article in articles.iter().filter(|a| category(&a.id) == *name) {
            for (index, text) in article.sentences.iter().enumerate() {
                members.push(Sentence {
                    doc_id: article.id.clone(),
                    index,
                    start: 0,
                    end: 0,
                    text: text.clone(),
                });
                rows.push(article.offset + index);
            }
        }
        let refs: Vec<&Sentence> = members.iter().collect();
        let member_rows = embeddings.select(Axis(0), &rows);
        let summary = summarize_theme(theme as u32, &refs, member_rows.view(), &config);
        println!("== {name} ({} sentences)", members.len());
        for (reference, text) in summary.sentences.iter().zip(&summary.texts) {
            println!("  [{}] {text}", reference.doc_id);
        }
    }
}

fn category(id: &str) -> &str {
    id.split('-').nth(1).unwrap_or(id)
}

/// Mean ROUGE-1, ROUGE-2, ROUGE-Lsum F1 over the articles of one half (or all).
fn evaluate(
    articles: &[Article],
    embeddings: &Array2<f32>,
    method: &dyn Summarizer,
    half: Option<char>,
) -> [f64; 3] {
    let mut totals = [0.0; 3];
    let mut count = 0;
    for article in articles
        .iter()
        .filter(|a| half.map_or(true, |h| a.half == h))
    {
        let chosen = select(article, embeddings, method);
        let predicted: Vec<&[String]> = chosen
            .iter()
            .map(|&i| article.tokens[i].as_slice())
            .collect();
        let reference: Vec<&[String]> = article.reference.iter().map(Vec::as_slice).collect();
        let scores = rouge(&predicted, &reference);
        for (total, score) in totals.iter_mut().zip(scores) {
            *total += score;
        }
        count += 1;
    }
    totals.map(|t| t / count.max(1) as f64)
}

fn show(scores: [f64; 3]) -> String {
    format!(
        "R1 {:.2}  R2 {:.2}  RLsum {:.2}",
        scores[0] * 100.0,
        scores[1] * 100.0,
        scores[2] * 100.0
    )
}

// ---- ROUGE, after google-research/rouge/rouge_scorer.py ----

fn tokenize(text: &str, stemmer: &Stemmer) -> Vec<String> {
    let lower = text.to_lowercase();
    let cleaned: String = lower
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                c
            } else {
                ' '
            }
        })
        .collect();
    cleaned
        .split_whitespace()
        .map(|t| {
            if t.len() > 3 {
                stemmer.stem(t).into_owned()
            } else {
                t.to_string()
            }
        })
        .collect()
}

fn f1(hits: usize, predicted: usize, reference: usize) -> f64 {
    if hits == 0 || predicted == 0 || reference == 0 {
        return 0.0;
    }
    let p = hits as f64 / predicted as f64;
    let r = hits as f64 / reference as f64;
    2.0 * p * r / (p + r)
}

fn ngram_counts<'a>(tokens: &'a [&'a String], n: usize) -> HashMap<&'a [&'a String], usize> {
    let mut map: HashMap<&[&String], usize> = HashMap::new();
    for gram in tokens.windows(n) {
        *map.entry(gram).or_default() += 1;
    }
    map
}

fn ngram_f1(predicted: &[&String], reference: &[&String], n: usize) -> f64 {
    let p = ngram_counts(predicted, n);
    let r = ngram_counts(reference, n);
    let hits = p
        .iter()
        .map(|(gram, &c)| c.min(r.get(gram).copied().unwrap_or(0)))
        .sum();
    f1(
        hits,
        predicted.len().saturating_sub(n - 1),
        reference.len().saturating_sub(n - 1),
    )
}

fn rouge(predicted: &[&[String]], reference: &[&[String]]) -> [f64; 3] {
    let flat_p: Vec<&String> = predicted.iter().flat_map(|s| s.iter()).collect();
    let flat_r: Vec<&String> = reference.iter().flat_map(|s| s.iter()).collect();
    [
        ngram_f1(&flat_p, &flat_r, 1),
        ngram_f1(&flat_p, &flat_r, 2),
        lsum_f1(predicted, reference, &flat_p, &flat_r),
    ]
}

/// Summary-level LCS: for each reference sentence, the union of its LCS
/// with every predicted sentence, counted at most as often as each token
/// occurs on both sides.
fn lsum_f1(
    predicted: &[&[String]],
    reference: &[&[String]],
    flat_p: &[&String],
    flat_r: &[&String],
) -> f64 {
    let mut left_p: HashMap<&String, usize> = HashMap::new();
    for t in flat_p {
        *left_p.entry(t).or_default() += 1;
    }
    let mut left_r: HashMap<&String, usize> = HashMap::new();
    for t in flat_r {
        *left_r.entry(t).or_default() += 1;
    }
    let mut hits = 0;
    for r in reference {
        let mut union: Vec<usize> = predicted.iter().flat_map(|p| lcs_positions(r, p)).collect();
        union.sort_unstable();
        union.dedup();
        for i in union {
            let token = &r[i];
            let (Some(cp), Some(cr)) = (left_p.get_mut(token), left_r.get_mut(token)) else {
                continue;
            };
            if *cp > 0 && *cr > 0 {
                *cp -= 1;
                *cr -= 1;
                hits += 1;
            }
        }
    }
    f1(hits, flat_p.len(), flat_r.len())
}

/// Positions in `r` of one longest common subsequence with `p`.
fn lcs_positions(r: &[String], p: &[String]) -> Vec<usize> {
    let (m, n) = (r.len(), p.len());
    let mut table = vec![vec![0u32; n + 1]; m + 1];
    for i in 1..=m {
        for j in 1..=n {
            table[i][j] = if r[i - 1] == p[j - 1] {
                table[i - 1][j - 1] + 1
            } else {
                table[i - 1][j].max(table[i][j - 1])
            };
        }
    }
    let (mut i, mut j) = (m, n);
    let mut positions = Vec::new();
    while i > 0 && j > 0 {
        if r[i - 1] == p[j - 1] {
            positions.push(i - 1);
            i -= 1;
            j -= 1;
        } else if table[i - 1][j] > table[i][j - 1] {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    positions
}

// ---- loading ----

fn half_of(id: &str) -> char {
    let mut h: u32 = 0x811C_9DC5;
    for byte in id.bytes() {
        h = (h ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    if (h >> 16) & 1 == 0 {
        'a'
    } else {
        'b'
    }
}

fn load(dir: &Path) -> Result<(Vec<Article>, Array2<f32>)> {
    let stemmer = Stemmer::create(Algorithm::English);
    let docs_path = dir.join("docs.jsonl");
    let text = std::fs::read_to_string(&docs_path)
        .with_context(|| format!("reading {}", docs_path.display()))?;
    let mut articles = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let doc: CachedDoc = serde_json::from_str(line)?;
        articles.push(Article {
            half: half_of(&doc.id),
            tokens: doc
                .sentences
                .iter()
                .map(|s| tokenize(s, &stemmer))
                .collect(),
            reference: doc
                .reference_sentences
                .iter()
                .map(|s| tokenize(s, &stemmer))
                .collect(),
            id: doc.id,
            offset: doc.offset,
            sentences: doc.sentences,
            budget: doc.budget,
        });
    }
    let embeddings = read_npy_f32(&dir.join("embeddings.npy"))?;
    if let Some(last) = articles.last() {
        if last.offset + last.sentences.len() != embeddings.nrows() {
            bail!("embeddings.npy does not have one row per cached sentence");
        }
    }
    Ok((articles, embeddings))
}

/// A 2-d little-endian float32 `.npy` file in C order.
fn read_npy_f32(path: &Path) -> Result<Array2<f32>> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
        bail!("{} is not a .npy file", path.display());
    }
    let (header_len, start) = if bytes[6] == 1 {
        (usize::from(u16::from_le_bytes([bytes[8], bytes[9]])), 10)
    } else {
        let len = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
        (len as usize, 12)
    };
    let header = std::str::from_utf8(&bytes[start..start + header_len])?;
    if !header.contains("'descr': '<f4'") || header.contains("'fortran_order': True") {
        bail!("expected C-order float32, got {header}");
    }
    let shape = header
        .split("'shape': (")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .context("no shape")?;
    let dims: Vec<usize> = shape
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse())
        .collect::<Result<_, _>>()?;
    let [rows, cols] = dims[..] else {
        bail!("expected 2 dimensions, got {shape}")
    };
    let data: Vec<f32> = bytes[start + header_len..]
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    Ok(Array2::from_shape_vec((rows, cols), data)?)
}
