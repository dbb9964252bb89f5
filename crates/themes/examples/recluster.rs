//! Re-clusters the sentences of an existing run folder, for tuning and
//! evaluation without re-embedding:
//!
//! ```text
//! cargo run --release -p precis-themes --example recluster -- RUN_DIR OUT_DIR \
//!     [--themes N] [--groups N] [--seed N] [--restarts N] [--previous themes.json]
//!     [--no-paragraphs] [--compare OTHER_OUT_DIR]
//! ```
//!
//! Reads `RUN_DIR/ingest/documents.jsonl` (for paragraphs; `--no-paragraphs`
//! ignores them, as for text without paragraph breaks),
//! `RUN_DIR/segment/sentences.jsonl` and `RUN_DIR/embed/embeddings.npy`
//! (float32, C order), writes `OUT_DIR/themes/{themes.json, assignments.jsonl,
//! documents.jsonl, similarity.csv}` as the driver does, and prints the
//! silhouette of each k and the time taken; with `--compare`, also how the
//! themes differ from those already in another output folder.

use ndarray::Array2;
use precis_core::{Document, Sentence};
use precis_themes::{compare, find_themes, similarity_csv, ThemeConfig, ThemeSet, ThemeSnapshot};
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: recluster RUN_DIR OUT_DIR [--themes N] [--groups N] [--seed N] \
                 [--restarts N] [--previous themes.json] [--no-paragraphs] [--compare DIR]";
    let run_dir = PathBuf::from(args.next().ok_or(usage)?);
    let out_dir = PathBuf::from(args.next().ok_or(usage)?);
    let mut config = ThemeConfig::default();
    let mut previous: Option<ThemeSet> = None;
    let mut other: Option<PathBuf> = None;
    let mut use_paragraphs = true;
    while let Some(flag) = args.next() {
        if flag == "--no-paragraphs" {
            use_paragraphs = false;
            continue;
        }
        let value = args.next().ok_or(usage)?;
        match flag.as_str() {
            "--themes" => config.themes = Some(value.parse()?),
            "--groups" => config.groups = Some(value.parse()?),
            "--seed" => config.seed = value.parse()?,
            "--restarts" => config.restarts = value.parse()?,
            "--compare" => other = Some(PathBuf::from(value)),
            "--previous" => {
                previous = Some(serde_json::from_str(&std::fs::read_to_string(value)?)?)
            }
            _ => return Err(usage.into()),
        }
    }

    let sentences: Vec<Sentence> =
        std::fs::read_to_string(run_dir.join("segment/sentences.jsonl"))?
            .lines()
            .map(serde_json::from_str)
            .collect::<Result<_, _>>()?;
    let embeddings = read_npy_f32(&run_dir.join("embed/embeddings.npy"))?;
    let documents: HashMap<String, Document> =
        read_jsonl::<Document>(&run_dir.join("ingest/documents.jsonl"))?
            .into_iter()
            .map(|d| (d.doc_id.clone(), d))
            .collect();
    let paragraphs: Vec<usize> = sentences
        .iter()
        .map(|s| match (use_paragraphs, documents.get(&s.doc_id)) {
            (true, Some(d)) => d.paragraph_of(s.start),
            _ => 0,
        })
        .collect();

    let started = Instant::now();
    let run = find_themes(
        &sentences,
        &paragraphs,
        embeddings.view(),
        previous.as_ref(),
        &config,
    );
    let elapsed = started.elapsed();
    let csv = similarity_csv(&run, embeddings.view(), &sentences);

    let themes_dir = out_dir.join("themes");
    std::fs::create_dir_all(&themes_dir)?;
    std::fs::write(
        themes_dir.join("themes.json"),
        serde_json::to_string_pretty(&run.set)?,
    )?;
    let lines = |items: Vec<String>| items.into_iter().map(|l| l + "\n").collect::<String>();
    std::fs::write(
        themes_dir.join("assignments.jsonl"),
        lines(
            run.assignments
                .iter()
                .map(|a| serde_json::to_string(a).unwrap())
                .collect(),
        ),
    )?;
    std::fs::write(
        themes_dir.join("documents.jsonl"),
        lines(
            run.documents
                .iter()
                .map(|d| serde_json::to_string(d).unwrap())
                .collect(),
        ),
    )?;
    std::fs::write(themes_dir.join("similarity.csv"), csv)?;

    for score in &run.diagnostics.silhouette {
        println!("groups={:>2} silhouette={:.4}", score.k, score.silhouette);
    }
    for group in &run.set.groups {
        println!("group {:>2} {:>6} {}", group.id, group.size, group.label);
        for id in &group.themes {
            let theme = run.set.themes.iter().find(|t| t.id == *id).ok_or("theme")?;
            println!(
                "  {:>3} {:>6} {:>4} docs  {}  [{}]",
                theme.id,
                theme.size,
                theme.documents,
                theme.label,
                theme.keywords.join(", ")
            );
        }
    }
    let d = &run.diagnostics;
    println!(
        "{} sentences, {} passages, {} neighbours, spreads {:.3}/{:.3}/{:.3}: {} themes in {} groups in {:.2}s",
        sentences.len(),
        d.passages,
        d.neighbours,
        d.sentence_spread,
        d.passage_spread,
        d.document_spread,
        run.set.themes.len(),
        run.set.groups.len(),
        elapsed.as_secs_f64()
    );
    if let Some(other) = other {
        let themes = other.join("themes");
        let a = ThemeSnapshot {
            set: serde_json::from_str(&std::fs::read_to_string(themes.join("themes.json"))?)?,
            assignments: read_jsonl(&themes.join("assignments.jsonl"))?,
            documents: read_jsonl(&themes.join("documents.jsonl"))?,
        };
        let b = ThemeSnapshot {
            set: run.set,
            assignments: run.assignments,
            documents: run.documents,
        };
        println!("\n{}", compare(&a, &b));
    }
    Ok(())
}

fn read_jsonl<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>, Box<dyn Error>> {
    Ok(std::fs::read_to_string(path)?
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?)
}

/// A 2-d little-endian float32 `.npy` in C order.
fn read_npy_f32(path: &Path) -> Result<Array2<f32>, Box<dyn Error>> {
    let bytes = std::fs::read(path)?;
    if !bytes.starts_with(b"\x93NUMPY") {
        return Err("not a .npy file".into());
    }
    let (header_len, start) = match bytes[6] {
        1 => (usize::from(u16::from_le_bytes([bytes[8], bytes[9]])), 10),
        _ => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
    };
    let header = std::str::from_utf8(&bytes[start..start + header_len])?;
    if !header.contains("'<f4'") || header.contains("'fortran_order': True") {
        return Err(format!("unsupported .npy header {header}").into());
    }
    let shape = header
        .split("'shape': (")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .ok_or("no shape")?;
    let dims: Vec<usize> = shape
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let [rows, cols] = dims[..] else {
        return Err("not 2-d".into());
    };
    let data: Vec<f32> = bytes[start + header_len..]
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    Ok(Array2::from_shape_vec((rows, cols), data)?)
}
