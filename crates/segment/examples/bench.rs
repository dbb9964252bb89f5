//! Segmentation throughput on one thread.
//!
//! ```text
//! cargo run --release -p precis-segment --example bench -- [FOLDER] [--runs N]
//! ```
//!
//! Reads every `.txt` file under FOLDER (default `../shared/corpora/essays`
//! beside the workspace), segments each file N times (default 20) and
//! prints MB/s, characters/s and sentences/s. Compare the characters/s with
//! `scripts/bench_segment.py` (pySBD) on the same folder.

use precis_segment::Segmenter;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn collect_texts(folder: &Path, texts: &mut Vec<String>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|error| panic!("reading {}: {error}", folder.display()))
        .map(|entry| entry.expect("a folder entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_texts(&path, texts);
        } else if path.extension().is_some_and(|ext| ext == "txt") {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("reading {}: {error}", path.display()));
            texts.push(text);
        }
    }
}

fn main() {
    let mut folder = None;
    let mut runs = 20;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--runs" {
            runs = args.next().and_then(|n| n.parse().ok()).expect("--runs N");
        } else {
            folder = Some(PathBuf::from(arg));
        }
    }
    let folder = folder.unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/essays")
    });
    let mut texts = Vec::new();
    collect_texts(&folder, &mut texts);
    let bytes: usize = texts.iter().map(String::len).sum();
    let chars: usize = texts.iter().map(|t| t.chars().count()).sum();

    let segmenter = Segmenter::new();
    let mut sentences = 0;
    let started = Instant::now();
    for _ in 0..runs {
        for text in &texts {
            sentences += std::hint::black_box(segmenter.segment(text)).len();
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} files, {:.2} MB, {} chars, {} sentences per run, {runs} runs in {seconds:.3} s",
        texts.len(),
        bytes as f64 / 1e6,
        chars,
        sentences / runs.max(1)
    );
    println!(
        "{:.1} MB/s, {:.0} chars/s, {:.0} sentences/s",
        (bytes * runs) as f64 / 1e6 / seconds,
        (chars * runs) as f64 / seconds,
        sentences as f64 / seconds
    );
}
