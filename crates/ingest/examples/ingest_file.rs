//! Ingests the files named on the command line and prints, for each, the
//! time ingest took (reading the file not included), its paragraphs, words
//! and title, or why it was skipped. With `--text`, also the text.
//!
//! `cargo run --release -p precis-ingest --example ingest_file -- FILE...`

use precis_ingest::{ingest, IngestConfig};
use std::time::Instant;

fn main() {
    precis_ingest::quiet_contained_panics();
    let mut print_text = false;
    let mut paths = Vec::new();
    for argument in std::env::args().skip(1) {
        match argument.as_str() {
            "--text" => print_text = true,
            _ => paths.push(argument),
        }
    }
    if paths.is_empty() {
        eprintln!("usage: ingest_file [--text] FILE...");
        std::process::exit(2);
    }
    let config = IngestConfig::default();
    for path in paths {
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) => {
                eprintln!("{path}: cannot be read ({error})");
                continue;
            }
        };
        let started = Instant::now();
        let result = ingest(&path, &bytes, &config);
        let elapsed = started.elapsed();
        match result {
            Ok(ingested) => {
                let document = &ingested.document;
                println!(
                    "{path}: {:.3} s, {} paragraphs, {} words, title {:?}",
                    elapsed.as_secs_f64(),
                    document.paragraphs.len(),
                    document.text.split_whitespace().count(),
                    document.title
                );
                for notice in &ingested.notices {
                    println!("{path}: {notice}");
                }
                if print_text {
                    println!("{}", document.text);
                }
            }
            Err(skip) => println!("{path}: {:.3} s, skipped: {skip}", elapsed.as_secs_f64()),
        }
    }
}
