//! What each stage was made from, as one key per stage computed from the
//! files on disk; `precis run` records the keys in the manifest, and
//! `precis status` recomputes them to say which stages are fresh, stale or
//! missing, and why.

use crate::inputs;
use crate::layout::{Layout, PIPELINE};
use crate::manifest::Manifest;
use crate::run::RunConfig;
use anyhow::{Context, Result};
use precis_model::Precision;
use std::collections::BTreeMap;

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

/// The code that shapes `stage`'s output: precis-core's and its own crate's
/// sources, for embed also precis-model's (the vectors' identity), and for
/// summaries precis-abstractive's (see `crates/core/code_version.rs`). The
/// model crates' versions are the hashes precis-model takes of their
/// sources, so the driver knows them without linking libtorch.
fn code_version(stage: &str) -> String {
    let own: &[&str] = match stage {
        "ingest" => &[precis_ingest::CODE_VERSION],
        "segment" => &[precis_segment::CODE_VERSION],
        "embed" => &[precis_model::CODE_VERSION, precis_model::EMBED_CODE_VERSION],
        "themes" => &[precis_themes::CODE_VERSION],
        "summaries" => &[
            precis_summarize::CODE_VERSION,
            precis_model::ABSTRACTIVE_CODE_VERSION,
        ],
        _ => &[],
    };
    std::iter::once(precis_core::CODE_VERSION)
        .chain(own.iter().copied())
        .collect::<Vec<_>>()
        .join("+")
}

/// The settings that shape `stage`'s output, from the run's configuration
/// and the checksum of the vectors the embed stage makes: the one source of
/// them for `precis run` and `precis status`. Taken through JSON text, as
/// the manifest holds them, so that an `f32` such as 0.02 gives the same key
/// both ways.
pub fn stage_settings(
    stage: &str,
    config: &RunConfig,
    vectors_checksum: Option<&str>,
) -> Result<serde_json::Value> {
    match stage {
        "ingest" => as_written(&config.ingest),
        "embed" => Ok(vectors_checksum.map_or(serde_json::Value::Null, Into::into)),
        "themes" => as_written(&config.themes),
        "summaries" => as_written(&config.summaries),
        _ => Ok(serde_json::Value::Null),
    }
}

fn as_written(settings: &impl serde::Serialize) -> Result<serde_json::Value> {
    Ok(serde_json::from_str(&serde_json::to_string(settings)?)?)
}

/// The key of `stage`: a hash of its code, its settings and every upstream
/// file (for ingest, of every input file; for themes, also of the metadata
/// file). Equal keys, equal outputs.
pub fn stage_key(
    layout: &Layout,
    stage: &str,
    config: &RunConfig,
    vectors_checksum: Option<&str>,
) -> Result<String> {
    let mut hasher = blake3::Hasher::new();
    hasher.update(stage.as_bytes());
    hasher.update(b"\n");
    hasher.update(code_version(stage).as_bytes());
    hasher.update(b"\n");
    hasher.update(&serde_json::to_vec(&stage_settings(
        stage,
        config,
        vectors_checksum,
    )?)?);
    if stage == "ingest" {
        for (source, hash) in inputs::fingerprint(&config.input, &config.ingest)? {
            hasher.update(format!("\n{source}\t{hash}").as_bytes());
        }
    }
    // The metadata file's facets are written with the themes.
    if let (Some(metadata), "themes") = (&config.facets.metadata, stage) {
        hasher.update(b"\nmetadata\n");
        let reader = fs_err::File::open(metadata)
            .context("reading the metadata file (fix the path given to --metadata)")?;
        hasher.update_reader(reader)?;
    }
    for file in upstream_files(stage) {
        hasher.update(b"\n");
        hasher.update(file.as_bytes());
        let reader = fs_err::File::open(layout.root.join(file))?;
        hasher.update_reader(reader)?;
    }
    Ok(hasher.finalize().to_hex().to_string())
}

/// A hash of the themes stage's code and settings: themes are warm-started
/// only from themes made with the same (other settings, such as `--themes`,
/// or other code would give other themes).
pub fn themes_method(config: &RunConfig) -> Result<String> {
    let mut hasher = blake3::Hasher::new();
    hasher.update(code_version("themes").as_bytes());
    hasher.update(b"\n");
    hasher.update(&serde_json::to_vec(&stage_settings(
        "themes", config, None,
    )?)?);
    Ok(hasher.finalize().to_hex().to_string())
}

/// The key of a themes stage made from `from`, the key of the previous
/// themes stage it carried on (`None`: from the input alone, whose key is
/// the plain `key`): a warm-started run's output depends on the themes it
/// started from, not only on its inputs.
pub fn themes_key(key: String, from: Option<&str>) -> String {
    match from {
        None => key,
        Some(from) => {
            let mut hasher = blake3::Hasher::new();
            hasher.update(b"themes from\n");
            hasher.update(key.as_bytes());
            hasher.update(b"\n");
            hasher.update(from.as_bytes());
            hasher.finalize().to_hex().to_string()
        }
    }
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
/// change it. `folder_checksum` is that of the model folder a re-run would
/// use (`None` if it is unusable), `precision` the precision it would use
/// (`None`: the one the run was made at).
pub fn status(
    layout: &Layout,
    folder_checksum: Option<&str>,
    precision: Option<Precision>,
) -> Result<Vec<(&'static str, Freshness)>> {
    let Some(manifest) = Manifest::read(layout)? else {
        let why = format!(
            "no {}: run `precis run --out {}`",
            layout.manifest().display(),
            layout.root.display()
        );
        return Ok(PIPELINE
            .iter()
            .map(|&stage| (stage, Freshness::Missing(why.clone())))
            .collect());
    };
    let precision =
        precision.unwrap_or_else(|| Precision::of_vectors_checksum(&manifest.model.checksum));
    let vectors_checksum = folder_checksum.map(|folder| precision.vectors_checksum(folder));
    let mut states = Vec::new();
    let mut stale_upstream: Option<&str> = None;
    for &stage in PIPELINE.iter() {
        let recorded = manifest.key(stage);
        let state = if !layout.stage(stage).is_dir() || recorded.is_none() {
            Freshness::Missing(format!("{stage}/ has not been written"))
        } else if let Some(upstream) = stale_upstream {
            Freshness::Stale(format!("made from an earlier {upstream}"))
        } else {
            let from = manifest.themes_origin().and_then(|o| o.from.as_deref());
            let key = stage_key(layout, stage, &manifest.config, vectors_checksum.as_deref()).map(
                |key| match stage {
                    "themes" => themes_key(key, from),
                    _ => key,
                },
            );
            match key {
                Ok(key) if Some(key.as_str()) == recorded => Freshness::Fresh,
                Ok(_) => Freshness::Stale(stale_reason(
                    layout,
                    stage,
                    &manifest,
                    vectors_checksum.as_deref(),
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
    manifest: &Manifest,
    vectors_checksum: Option<&str>,
) -> String {
    let config = &manifest.config;
    match stage {
        "ingest" => {
            let current = inputs::fingerprint(&config.input, &config.ingest).unwrap_or_default();
            let documents: BTreeMap<String, String> =
                crate::layout::read_jsonl::<precis_core::Document>(
                    &layout.stage("ingest").join("documents.jsonl"),
                )
                .unwrap_or_default()
                .into_iter()
                .map(|d| (d.source, d.hash))
                .collect();
            let skipped: Vec<String> = manifest.skipped.iter().map(|s| s.source.clone()).collect();
            let changes = InputChanges::between(&current, &documents, &skipped).describe();
            if changes.is_empty() {
                "the input folder, the ingest settings or the ingest code changed".to_owned()
            } else {
                format!("the input folder changed ({changes})")
            }
        }
        "embed" if vectors_checksum.is_none() => "the model folder is missing or broken".to_owned(),
        "embed" if Some(manifest.model.checksum.as_str()) != vectors_checksum => {
            "the model or the precision changed".to_owned()
        }
        _ => "its inputs, settings or code changed (precis was upgraded)".to_owned(),
    }
}

/// The stage keys the last run recorded in its manifest; empty if there is
/// no readable manifest (every stage is then made afresh).
pub fn recorded_keys(layout: &Layout) -> BTreeMap<String, String> {
    let Ok(Some(manifest)) = Manifest::read(layout) else {
        return BTreeMap::new();
    };
    manifest
        .stages
        .into_iter()
        .map(|(stage, record)| (stage, record.inputs))
        .collect()
}
