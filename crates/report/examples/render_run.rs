//! Renders the report of an existing output folder, for looking at the page
//! while working on it (the `precis report` command is the real way):
//!
//! ```text
//! cargo run -p precis-report --example render_run -- OUT_DIR PAGE.html
//! ```

use ndarray::Array2;
use precis_core::SkippedFile;
use precis_report::{render, ReportInput, RunFacts};
use precis_themes::ThemePairs;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::path::Path;

fn lines<T: DeserializeOwned>(path: &Path) -> Vec<T> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("one JSON value a line"))
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out, page] = &args[..] else {
        eprintln!("usage: render_run OUT_DIR PAGE.html");
        std::process::exit(2);
    };
    let out = Path::new(out);
    let documents = lines(&out.join("ingest/documents.jsonl"));
    let sentences = lines(&out.join("segment/sentences.jsonl"));
    let embeddings: Array2<f32> =
        ndarray_npy::read_npy(out.join("embed/embeddings.npy")).expect("embeddings.npy");
    let themes = serde_json::from_str(
        &std::fs::read_to_string(out.join("themes/themes.json")).expect("themes.json"),
    )
    .expect("themes.json parses");
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("manifest.json")).expect("manifest.json"),
    )
    .expect("manifest.json parses");
    let stages = &manifest["stages"];
    let count = |v: &Value| v.as_u64().unwrap_or(0) as usize;
    let facts = RunFacts {
        input: manifest["config"]["input"].as_str().unwrap_or("").into(),
        source_prefix: "../input/".into(),
        model: manifest["model"]["name"].as_str().unwrap_or("").into(),
        model_checksum: manifest["model"]["checksum"].as_str().unwrap_or("").into(),
        documents: count(&manifest["documents"]),
        sentences: count(&manifest["sentences"]),
        embedded: count(&stages["embed"]["computed"]),
        from_cache: count(&stages["embed"]["from_cache"]),
        summaries_made: count(&stages["summaries"]["made"]),
        summaries_reused: count(&stages["summaries"]["reused"]),
        themes_origin: Vec::new(),
        skipped: serde_json::from_value::<Vec<SkippedFile>>(manifest["skipped"].clone())
            .unwrap_or_default(),
        stage_seconds: ["ingest", "segment", "embed", "themes", "summaries"]
            .iter()
            .map(|s| (s.to_string(), stages[s]["seconds"].as_f64().unwrap_or(0.0)))
            .collect(),
        created: None,
    };
    // The folder facet, written when the input has subfolders.
    let by_folder = out.join("themes/by_folder.jsonl");
    let folders = if by_folder.exists() {
        lines(&by_folder)
    } else {
        Vec::new()
    };
    let closest_pairs: Option<Vec<ThemePairs>> = serde_json::from_str(
        &std::fs::read_to_string(out.join("themes/closest_pairs.json"))
            .expect("reading themes/closest_pairs.json"),
    )
    .expect("parsing themes/closest_pairs.json");
    let input = ReportInput {
        documents: &documents,
        sentences: &sentences,
        embeddings: embeddings.view(),
        themes: &themes,
        assignments: &lines(&out.join("themes/assignments.jsonl")),
        document_themes: &lines(&out.join("themes/documents.jsonl")),
        document_summaries: &lines(&out.join("summaries/documents.jsonl")),
        theme_summaries: &lines(&out.join("summaries/themes.jsonl")),
        facets: &folders,
        closest_pairs: closest_pairs.as_deref(),
        facts: &facts,
    };
    std::fs::write(page, render(&input)).expect("writing the page");
}
