//! `report/index.html`: rendered from the stage files on disk, so
//! `precis report` shows exactly what `precis run` wrote.

use crate::layout::{read_jsonl, Layout, StageWriter, PIPELINE, REPORT};
use anyhow::{bail, Context, Result};
use precis_report::{ReportInput, RunFacts};
use serde_json::Value;
use std::path::Path;

/// Renders the report of the run in `layout` and writes it atomically.
pub fn write(layout: &Layout) -> Result<()> {
    for stage in PIPELINE {
        if !layout.stage(stage).is_dir() {
            bail!(
                "{} has no {stage}/ folder: run `precis run` with --out {} first",
                layout.root.display(),
                layout.root.display()
            );
        }
    }
    let read_json = |relative: &str| -> Result<Value> {
        let path = layout.root.join(relative);
        serde_json::from_str(&fs_err::read_to_string(&path)?)
            .with_context(|| format!("reading {}", path.display()))
    };
    let manifest = read_json("manifest.json")?;
    let documents = read_jsonl(&layout.stage("ingest").join("documents.jsonl"))?;
    let sentences = read_jsonl(&layout.stage("segment").join("sentences.jsonl"))?;
    let embeddings_path = layout.stage("embed").join("embeddings.npy");
    let embeddings: ndarray::Array2<f32> = ndarray_npy::read_npy(&embeddings_path)
        .with_context(|| format!("reading {}", embeddings_path.display()))?;
    let themes = serde_json::from_value(read_json("themes/themes.json")?)?;
    let assignments = read_jsonl(&layout.stage("themes").join("assignments.jsonl"))?;
    let document_themes = read_jsonl(&layout.stage("themes").join("documents.jsonl"))?;
    let document_summaries = read_jsonl(&layout.stage("summaries").join("documents.jsonl"))?;
    let theme_summaries = read_jsonl(&layout.stage("summaries").join("themes.jsonl"))?;
    let facts = facts(&manifest, &layout.stage(REPORT));
    let page = precis_report::render(&ReportInput {
        documents: &documents,
        sentences: &sentences,
        embeddings: embeddings.view(),
        themes: &themes,
        assignments: &assignments,
        document_themes: &document_themes,
        document_summaries: &document_summaries,
        theme_summaries: &theme_summaries,
        facts: &facts,
    });
    let stage = StageWriter::new(layout, REPORT)?;
    stage.write("index.html", page)?;
    stage.commit()
}

/// The run facts the page shows, from the manifest.
fn facts(manifest: &Value, report_dir: &Path) -> RunFacts {
    let count =
        |stage: &str, fact: &str| manifest["stages"][stage][fact].as_u64().unwrap_or(0) as usize;
    let input = manifest["config"]["input"].as_str().unwrap_or_default();
    // Links from the page to the essays: relative, so the folder can move.
    let absolute_input = std::path::absolute(input).unwrap_or_else(|_| input.into());
    let absolute_report = std::path::absolute(report_dir).unwrap_or_else(|_| report_dir.into());
    let source_prefix = pathdiff::diff_paths(&absolute_input, &absolute_report)
        .map(|p| format!("{}/", p.display()))
        .unwrap_or_default();
    RunFacts {
        input: input.to_owned(),
        source_prefix,
        model: manifest["model"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        model_checksum: manifest["model"]["checksum"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        documents: manifest["documents"].as_u64().unwrap_or(0) as usize,
        sentences: manifest["sentences"].as_u64().unwrap_or(0) as usize,
        embedded: count("embed", "computed"),
        from_cache: count("embed", "from_cache"),
        summaries_made: count("summaries", "made"),
        summaries_reused: count("summaries", "reused"),
        skipped: serde_json::from_value(manifest["skipped"].clone()).unwrap_or_default(),
        stage_seconds: PIPELINE
            .iter()
            .filter_map(|stage| {
                Some((
                    stage.to_string(),
                    manifest["stages"][stage]["seconds"].as_f64()?,
                ))
            })
            .collect(),
        created: None,
    }
}
