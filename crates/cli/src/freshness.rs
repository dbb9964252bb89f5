//! What each stage was made from, as one key per stage computed from the
//! files on disk; `precis run` records the keys in the manifest, and
//! `precis status` recomputes them to say which stages are fresh, stale or
//! missing, and why.

use crate::inputs;
use crate::layout::{Layout, PIPELINE};
use anyhow::Result;
use precis_ingest::IngestConfig;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The upstream files each stage reads, besides its settings.
pub fn upstream_files(stage: &str) -> &'static [&'static str] {
    match stage {
        "segment" => &["ingest/documents.jsonl"],
        "embed" => &["segment/sentences.jsonl"],
        // Paragraph breaks (in the documents) shape the passages themes come from.
        "themes" => &[
            "ingest/documents.jsonl",
            "segment/sentences.jsonl",
            "embed/embeddings.npy",
        ],
        "summaries" => &[
            "ingest/documents.jsonl",
            "segment/sentences.jsonl",
            "embed/embeddings.npy",
            "themes/themes.json",
            "themes/assignments.jsonl",
        ],
        _ => &[],
    }
}

/// The key of `stage`: a hash of its settings and of every upstream file
/// (for ingest, of every input file). Equal keys, equal outputs.
pub fn stage_key(
    layout: &Layout,
    stage: &str,
    input: &Path,
    ingest: &IngestConfig,
    settings: &impl Serialize,
) -> Result<String> {
    let mut hasher = blake3::Hasher::new();
    hasher.update(stage.as_bytes());
    hasher.update(&serde_json::to_vec(settings)?);
    if stage == "ingest" {
        for (source, hash) in inputs::fingerprint(input, ingest)? {
            hasher.update(format!("\n{source}\t{hash}").as_bytes());
        }
    }
    for file in upstream_files(stage) {
        hasher.update(b"\n");
        hasher.update(file.as_bytes());
        let reader = fs_err::File::open(layout.root.join(file))?;
        hasher.update_reader(reader)?;
    }
    Ok(hasher.finalize().to_hex().to_string())
}

/// How the input folder differs from the documents of the last run.
#[derive(Debug, Default)]
pub struct InputChanges {
    pub new: Vec<String>,
    pub edited: Vec<String>,
    pub removed: Vec<String>,
}

impl InputChanges {
    /// `documents`: (source, hash) of the last run's documents; `skipped`:
    /// the sources it skipped (still skipped files are no news).
    pub fn between(
        current: &BTreeMap<String, String>,
        documents: &BTreeMap<String, String>,
        skipped: &[String],
    ) -> Self {
        let mut changes = Self::default();
        for (source, hash) in current {
            match documents.get(source) {
                Some(old) if old != hash => changes.edited.push(source.clone()),
                None if !skipped.contains(source) => changes.new.push(source.clone()),
                _ => {}
            }
        }
        changes.removed = documents
            .keys()
            .filter(|source| !current.contains_key(*source))
            .cloned()
            .collect();
        changes
    }

    pub fn describe(&self) -> String {
        let list = |label: &str, items: &[String]| match items.len() {
            0 => None,
            1..=3 => Some(format!("{label} {}", items.join(", "))),
            n => Some(format!("{n} {label}")),
        };
        [
            list("new:", &self.new),
            list("edited:", &self.edited),
            list("removed:", &self.removed),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("; ")
    }
}

/// The state of one stage of an output folder.
#[derive(Debug, PartialEq, Eq)]
pub enum Freshness {
    Fresh,
    Stale(String),
    Missing(String),
}

/// Says, for each stage of the run in `layout`, whether re-running would
/// change it. `model_checksum` is that of the model a re-run would use
/// (`None` if its folder is unusable).
pub fn status(
    layout: &Layout,
    model_checksum: Option<&str>,
) -> Result<Vec<(&'static str, Freshness)>> {
    let manifest_path = layout.manifest();
    let Ok(text) = fs_err::read_to_string(&manifest_path) else {
        let why = format!(
            "no {}: run `precis run --out {}`",
            manifest_path.display(),
            layout.root.display()
        );
        return Ok(PIPELINE
            .iter()
            .map(|&stage| (stage, Freshness::Missing(why.clone())))
            .collect());
    };
    let manifest: serde_json::Value = serde_json::from_str(&text)?;
    let config = &manifest["config"];
    let input = Path::new(config["input"].as_str().unwrap_or_default());
    let ingest: IngestConfig = serde_json::from_value(config["ingest"].clone()).unwrap_or_default();
    let mut states = Vec::new();
    let mut stale_upstream: Option<&str> = None;
    for &stage in PIPELINE.iter() {
        let recorded = manifest["stages"][stage]["inputs"].as_str();
        let state = if !layout.stage(stage).is_dir() || recorded.is_none() {
            Freshness::Missing(format!("{stage}/ has not been written"))
        } else if let Some(upstream) = stale_upstream {
            Freshness::Stale(format!("made from an earlier {upstream}"))
        } else {
            let settings = match stage {
                "segment" => env!("CARGO_PKG_VERSION").into(),
                "embed" => match model_checksum {
                    Some(checksum) => checksum.into(),
                    None => serde_json::Value::Null,
                },
                _ => config[stage].clone(),
            };
            match stage_key(layout, stage, input, &ingest, &settings) {
                Ok(key) if Some(key.as_str()) == recorded => Freshness::Fresh,
                Ok(_) => Freshness::Stale(stale_reason(
                    layout,
                    stage,
                    input,
                    &ingest,
                    &manifest,
                    model_checksum,
                )),
                Err(error) => Freshness::Stale(format!("its inputs cannot be read ({error:#})")),
            }
        };
        if state != Freshness::Fresh && stale_upstream.is_none() {
            stale_upstream = Some(stage);
        }
        states.push((stage, state));
    }
    Ok(states)
}

fn stale_reason(
    layout: &Layout,
    stage: &str,
    input: &Path,
    ingest: &IngestConfig,
    manifest: &serde_json::Value,
    model_checksum: Option<&str>,
) -> String {
    match stage {
        "ingest" => {
            let current = inputs::fingerprint(input, ingest).unwrap_or_default();
            let documents: BTreeMap<String, String> =
                crate::layout::read_jsonl::<precis_core::Document>(
                    &layout.stage("ingest").join("documents.jsonl"),
                )
                .unwrap_or_default()
                .into_iter()
                .map(|d| (d.source, d.hash))
                .collect();
            let skipped: Vec<String> = manifest["skipped"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s["source"].as_str().map(str::to_owned))
                .collect();
            let changes = InputChanges::between(&current, &documents, &skipped).describe();
            if changes.is_empty() {
                "the input folder or the ingest settings changed".to_owned()
            } else {
                format!("the input folder changed ({changes})")
            }
        }
        "segment" => "precis was upgraded since".to_owned(),
        "embed" if model_checksum.is_none() => "the model folder is missing or broken".to_owned(),
        "embed" if manifest["model"]["checksum"].as_str() != model_checksum => {
            "the model changed".to_owned()
        }
        _ => "its inputs or settings changed".to_owned(),
    }
}

/// The stage keys the last run recorded in its manifest; empty if there is
/// no readable manifest (every stage is then made afresh).
pub fn recorded_keys(layout: &Layout) -> BTreeMap<String, String> {
    let Ok(text) = fs_err::read_to_string(layout.manifest()) else {
        return BTreeMap::new();
    };
    let Ok(manifest) = serde_json::from_str::<serde_json::Value>(&text) else {
        return BTreeMap::new();
    };
    PIPELINE
        .iter()
        .filter_map(|&stage| {
            let key = manifest["stages"][stage]["inputs"].as_str()?;
            Some((stage.to_owned(), key.to_owned()))
        })
        .collect()
}
