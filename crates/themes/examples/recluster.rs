//! Re-clusters the sentences of an existing run folder, for tuning and
//! evaluation without re-embedding:
//!
//! ```text
//! cargo run --release -p precis-themes --example recluster -- RUN_DIR OUT_DIR \
//!     [--themes N] [--context W] [--neighbours N] [--neighbour-weight W]
//!     [--margin M] [--seed N] [--restarts N] [--previous themes.json]
//!     [--compare OTHER_OUT_DIR]
//! ```
//!
//! Reads `RUN_DIR/segment/sentences.jsonl` and `RUN_DIR/embed/embeddings.npy`
//! (float32, C order), writes `OUT_DIR/themes/{themes.json, assignments.jsonl,
//! documents.jsonl, similarity.csv}` as the driver does, and prints the
//! silhouette of each k and the time taken; with `--compare`, also how the
//! themes differ from those already in another output folder.

use ndarray::Array2;
use precis_core::Sentence;
use precis_themes::{compare, find_themes, similarity_csv, ThemeConfig, ThemeSet, ThemeSnapshot};
use serde::de::DeserializeOwned;
use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let usage =
        "usage: recluster RUN_DIR OUT_DIR [--themes N] [--context W] [--previous themes.json]";
    let run_dir = PathBuf::from(args.next().ok_or(usage)?);
    let out_dir = PathBuf::from(args.next().ok_or(usage)?);
    let mut config = ThemeConfig::default();
    let mut previous: Option<ThemeSet> = None;
    let mut other: Option<PathBuf> = None;
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(usage)?;
        match flag.as_str() {
            "--themes" => config.themes = Some(value.parse()?),
            "--context" => config.document_context = value.parse()?,
            "--margin" => config.low_confidence_margin = value.parse()?,
            "--seed" => config.seed = value.parse()?,
            "--restarts" => config.restarts = value.parse()?,
            "--neighbours" => config.neighbours = value.parse()?,
            "--neighbour-weight" => config.neighbour_weight = value.parse()?,
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

    let started = Instant::now();
    let run = find_themes(&sentences, embeddings.view(), previous.as_ref(), &config);
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
        println!("k={:>2} silhouette={:.4}", score.k, score.silhouette);
    }
    for theme in &run.set.themes {
        println!("{:>3} {:>6} {}", theme.id, theme.size, theme.label);
    }
    println!(
        "{} sentences, {} themes in {:.2}s",
        sentences.len(),
        run.set.themes.len(),
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
