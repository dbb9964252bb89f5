//! `report/index.html`: rendered from the stage files on disk, so
//! `precis report` shows exactly what `precis run` wrote.

use crate::layout::{read_jsonl, Layout, StageWriter, PIPELINE, REPORT};
use crate::manifest::Manifest;
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
    let manifest = Manifest::read(layout)?.with_context(|| {
        format!(
            "{} has no manifest.json: run `precis run` with --out {} first",
            layout.root.display(),
            layout.root.display()
        )
    })?;
    let documents = read_jsonl(&layout.documents())?;
    let sentences = read_jsonl(&layout.sentences())?;
    let embeddings_path = layout.stage("embed").join("embeddings.npy");
    let embeddings: ndarray::Array2<f32> = ndarray_npy::read_npy(&embeddings_path)
        .with_context(|| format!("reading {}", embeddings_path.display()))?;
    let themes = serde_json::from_value(read_json("themes/themes.json")?)?;
    let assignments = read_jsonl(&layout.stage("themes").join("assignments.jsonl"))?;
    let document_themes = read_jsonl(&layout.stage("themes").join("documents.jsonl"))?;
    let document_summaries = read_jsonl(&layout.stage("summaries").join("documents.jsonl"))?;
    let theme_summaries = read_jsonl(&layout.stage("summaries").join("themes.jsonl"))?;
    let facets = read_facets(layout)?;
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
        facets: &facets,
        facts: &facts,
    });
    let stage = StageWriter::new(layout, REPORT)?;
    stage.write("index.html", page)?;
    stage.commit()
}

/// Every `themes/by_<facet>.jsonl`, facet by facet in file-name order.
fn read_facets(layout: &Layout) -> Result<Vec<precis_themes::FacetThemes>> {
    let themes = layout.stage("themes");
    let mut files: Vec<_> = fs_err::read_dir(&themes)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("by_") && n.ends_with(".jsonl"))
        })
        .collect();
    files.sort();
    let mut lines = Vec::new();
    for file in files {
        lines.extend(read_jsonl(&file)?);
    }
    Ok(lines)
}

/// The run facts the page shows, from the manifest.
fn facts(manifest: &Manifest, report_dir: &Path) -> RunFacts {
    let stage = |name: &str| manifest.stages.get(name).cloned().unwrap_or_default();
    let input = &manifest.config.input;
    // Links from the page to the essays: relative, so the folder can move.
    let absolute_input = std::path::absolute(input).unwrap_or_else(|_| input.clone());
    let absolute_report = std::path::absolute(report_dir).unwrap_or_else(|_| report_dir.into());
    let source_prefix = pathdiff::diff_paths(&absolute_input, &absolute_report)
        .map(|p| format!("{}/", p.display()))
        .unwrap_or_default();
    RunFacts {
        input: input.display().to_string(),
        source_prefix,
        model: manifest.model.name.clone(),
        model_checksum: manifest.model.checksum.clone(),
        documents: manifest.documents,
        sentences: manifest.sentences,
        embedded: stage("embed").computed.unwrap_or(0),
        from_cache: stage("embed").from_cache.unwrap_or(0),
        summaries_made: stage("summaries").made.unwrap_or(0),
        summaries_reused: stage("summaries").reused.unwrap_or(0),
        skipped: manifest.skipped.clone(),
        stage_seconds: PIPELINE
            .iter()
            .filter_map(|name| Some((name.to_string(), manifest.stages.get(*name)?.seconds)))
            .collect(),
        created: None,
    }
}
