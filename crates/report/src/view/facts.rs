//! The run facts: input, model, counts, skipped files and stage timings.

use super::text::{round1, seconds_text};
use super::Index;
use precis_core::SkippedFile;
use serde::Serialize;

#[derive(Serialize, Debug)]
pub(super) struct Facts {
    input: String,
    model: String,
    model_checksum: String,
    documents: usize,
    sentences: usize,
    themes: usize,
    embedded: usize,
    from_cache: usize,
    summaries_made: usize,
    summaries_reused: usize,
    themes_origin: Vec<String>,
    skipped: Vec<SkippedFile>,
    stages: Vec<StageRow>,
    total_seconds: String,
    created: Option<String>,
}

#[derive(Serialize, Debug)]
struct StageRow {
    name: String,
    seconds: String,
    /// Bar length in percent of the slowest stage.
    bar: f64,
}

pub(super) fn facts(index: &Index) -> Facts {
    let facts = index.input.facts;
    let slowest = facts
        .stage_seconds
        .iter()
        .map(|(_, s)| *s)
        .fold(0.0f64, f64::max);
    Facts {
        input: facts.input.clone(),
        model: facts.model.clone(),
        model_checksum: facts.model_checksum.clone(),
        documents: facts.documents,
        sentences: facts.sentences,
        themes: index.themes().len(),
        embedded: facts.embedded,
        from_cache: facts.from_cache,
        summaries_made: facts.summaries_made,
        summaries_reused: facts.summaries_reused,
        themes_origin: facts.themes_origin.clone(),
        skipped: facts.skipped.clone(),
        stages: facts
            .stage_seconds
            .iter()
            .map(|(name, seconds)| StageRow {
                name: name.clone(),
                seconds: seconds_text(*seconds),
                bar: if slowest > 0.0 {
                    round1(100.0 * seconds / slowest)
                } else {
                    0.0
                },
            })
            .collect(),
        total_seconds: seconds_text(facts.stage_seconds.iter().map(|(_, s)| s).sum()),
        created: facts.created.clone(),
    }
}
