//! `report/index.html`: rendered from the stage files on disk, so
//! `precis report` shows exactly what `precis run` wrote.

use crate::layout::{read_jsonl, Layout, StageWriter};
use crate::manifest::Manifest;
use crate::pipeline::{self, Artifact, Stage};
use anyhow::{bail, Context, Result};
use precis_report::{ReportInput, RunFacts};
use std::path::Path;

/// Renders the report of the run in `layout` and writes it atomically.
pub fn write(layout: &Layout) -> Result<()> {
    for stage in Stage::ALL {
        if !layout.dir(stage).is_dir() {
            bail!(
                "{} has no {stage}/ folder: run `precis run` with --out {} first",
                layout.root.display(),
                layout.root.display()
            );
        }
    }
    let manifest = Manifest::read(layout)?.with_context(|| {
        format!(
            "{} has no manifest.json: run `precis run` with --out {} first",
            layout.root.display(),
            layout.root.display()
        )
    })?;
    let documents = layout.read_rows(Artifact::Documents)?;
    let sentences = layout.read_rows(Artifact::Sentences)?;
    let embeddings = layout.read_embeddings()?;
    let themes = layout.read_themes()?;
    let document_summaries = layout.read_rows(Artifact::DocumentSummaries)?;
    let theme_summaries = layout.read_rows(Artifact::ThemeSummaries)?;
    let facets = read_facets(layout)?;
    let closest_pairs: Option<Vec<precis_themes::ThemePairs>> =
        layout.read_json(Artifact::ClosestPairs)?;
    let facts = facts(&manifest, &layout.report_dir());
    let page = precis_report::render(&ReportInput {
        documents: &documents,
        sentences: &sentences,
        embeddings: embeddings.view(),
        themes: &themes.set,
        assignments: &themes.assignments,
        document_themes: &themes.documents,
        document_summaries: &document_summaries,
        theme_summaries: &theme_summaries,
        facets: &facets,
        closest_pairs: closest_pairs.as_deref(),
        facts: &facts,
    });
    let stage = StageWriter::report(layout)?;
    stage.write("index.html", page)?;
    stage.commit()
}

/// Every `themes/by_<facet>.jsonl`, facet by facet in file-name order.
fn read_facets(layout: &Layout) -> Result<Vec<precis_themes::FacetThemes>> {
    let mut files: Vec<_> = fs_err::read_dir(layout.dir(Stage::Themes))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(pipeline::is_facet_file)
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
    let stage = |stage| manifest.record(stage).cloned().unwrap_or_default();
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
        embedded: stage(Stage::Embed).computed.unwrap_or(0),
        from_cache: stage(Stage::Embed).from_cache.unwrap_or(0),
        summaries_made: stage(Stage::Summaries).made.unwrap_or(0),
        summaries_reused: stage(Stage::Summaries).reused.unwrap_or(0),
        themes_origin: manifest
            .themes_origin()
            .map(|origin| origin.describe())
            .unwrap_or_default(),
        skipped: manifest.skipped.clone(),
        stage_seconds: Stage::ALL
            .iter()
            .filter_map(|&stage| Some((stage.name().to_owned(), manifest.record(stage)?.seconds)))
            .collect(),
        created: None,
    }
}
