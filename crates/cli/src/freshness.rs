//! What each stage was made from, as one key per stage computed from the
//! files on disk; `precis run` records the keys in the manifest, and
//! `precis status` recomputes them to say which stages are fresh, stale or
//! missing, and why.

use crate::inputs::{self, Fingerprint};
use crate::layout::Layout;
use crate::manifest::Manifest;
use crate::pipeline::{Artifact, Stage};
use crate::run::RunConfig;
use anyhow::{Context, Result};
use precis_model::Precision;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

/// What a stage's key is made from besides the output folder's files.
#[derive(Debug, Clone, Copy)]
pub struct KeyInputs<'a> {
    pub config: &'a RunConfig,
    /// The checksum of the vectors the embed stage makes (`None`: the model
    /// folder is unusable).
    pub vectors_checksum: Option<&'a str>,
    /// The content hash of every input file, for ingest.
    pub input_files: &'a Fingerprint,
    /// The digests of the stage files taken so far.
    pub digests: &'a FileDigests,
}

/// The digest of each stage file, taken once: several stages' keys hash the
/// same upstream files (the sentences three times), and the vectors run to
/// tens of megabytes. A file is digested only after the stage that writes it
/// has finished, and no stage is written twice in one run.
#[derive(Debug, Default)]
pub struct FileDigests(RefCell<HashMap<Artifact, blake3::Hash>>);

impl FileDigests {
    fn of(&self, layout: &Layout, artifact: Artifact) -> Result<blake3::Hash> {
        if let Some(digest) = self.0.borrow().get(&artifact) {
            return Ok(*digest);
        }
        // Mapped and hashed on every core, as the model's weights are.
        let path = layout.file(artifact);
        let digest = blake3::Hasher::new()
            .update_mmap_rayon(&path)
            .with_context(|| format!("reading {}", path.display()))?
            .finalize();
        self.0.borrow_mut().insert(artifact, digest);
        Ok(digest)
    }
}

/// The key of `stage`: a hash of its name, code, settings and every
/// upstream file (for ingest, of every input file; for themes, also of the
/// metadata file). Equal keys, equal outputs.
pub fn stage_key(layout: &Layout, stage: Stage, inputs: KeyInputs) -> Result<String> {
    let KeyInputs {
        config,
        vectors_checksum,
        input_files,
        digests,
    } = inputs;
    let mut hasher = blake3::Hasher::new();
    hasher.update(stage.name().as_bytes());
    hasher.update(b"\n");
    hasher.update(stage.code_version().as_bytes());
    hasher.update(b"\n");
    hasher.update(&serde_json::to_vec(
        &stage.settings(config, vectors_checksum)?,
    )?);
    if stage == Stage::Ingest {
        for (source, hash) in input_files {
            hasher.update(format!("\n{source}\t{hash}").as_bytes());
        }
    }
    // The metadata file's facets are written with the themes.
    if let (Some(metadata), Stage::Themes) = (&config.facets.metadata, stage) {
        hasher.update(b"\nmetadata\n");
        let reader = fs_err::File::open(metadata)
            .context("reading the metadata file (fix the path given to --metadata)")?;
        hasher.update_reader(reader)?;
    }
    for &artifact in stage.upstream() {
        hasher.update(b"\n");
        hasher.update(artifact.relative().as_bytes());
        hasher.update(b"\t");
        hasher.update(digests.of(layout, artifact)?.as_bytes());
    }
    Ok(hasher.finalize().to_hex().to_string())
}

/// A hash of the themes stage's code and settings: themes are warm-started
/// only from themes made with the same (other settings, such as `--themes`,
/// or other code would give other themes).
pub fn themes_method(config: &RunConfig) -> Result<String> {
    let mut hasher = blake3::Hasher::new();
    hasher.update(Stage::Themes.code_version().as_bytes());
    hasher.update(b"\n");
    hasher.update(&serde_json::to_vec(&Stage::Themes.settings(config, None)?)?);
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
        current: &Fingerprint,
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
) -> Result<Vec<(Stage, Freshness)>> {
    let Some(manifest) = Manifest::read(layout)? else {
        let why = format!(
            "no {}: run `precis run --out {}`",
            layout.manifest().display(),
            layout.root.display()
        );
        return Ok(Stage::ALL
            .iter()
            .map(|&stage| (stage, Freshness::Missing(why.clone())))
            .collect());
    };
    let precision =
        precision.unwrap_or_else(|| Precision::of_vectors_checksum(&manifest.model.checksum));
    let vectors_checksum = folder_checksum.map(|folder| precision.vectors_checksum(folder));
    // Walked only if an ingest key is to be computed.
    let mut input_files: Option<Result<Fingerprint>> = None;
    let digests = FileDigests::default();
    let mut states = Vec::new();
    let mut stale_upstream: Option<Stage> = None;
    for stage in Stage::ALL {
        let recorded = manifest.key(stage);
        let state = if !layout.dir(stage).is_dir() || recorded.is_none() {
            Freshness::Missing(format!("{stage}/ has not been written"))
        } else if let Some(upstream) = stale_upstream {
            Freshness::Stale(format!("made from an earlier {upstream}"))
        } else {
            let from = manifest.themes_origin().and_then(|o| o.from.as_deref());
            let input_files = input_files.get_or_insert_with(|| {
                let config = &manifest.config;
                inputs::fingerprint(&config.input, &config.ingest)
            });
            let key = match input_files {
                Ok(input_files) => stage_key(
                    layout,
                    stage,
                    KeyInputs {
                        config: &manifest.config,
                        vectors_checksum: vectors_checksum.as_deref(),
                        input_files,
                        digests: &digests,
                    },
                ),
                Err(error) => Err(anyhow::anyhow!("{error:#}")),
            }
            .map(|key| match stage {
                Stage::Themes => themes_key(key, from),
                _ => key,
            });
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
    stage: Stage,
    manifest: &Manifest,
    vectors_checksum: Option<&str>,
) -> String {
    let config = &manifest.config;
    match stage {
        Stage::Ingest => {
            let current = inputs::fingerprint(&config.input, &config.ingest).unwrap_or_default();
            let documents: BTreeMap<String, String> = layout
                .read_rows::<precis_core::Document>(Artifact::Documents)
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
        Stage::Embed if vectors_checksum.is_none() => {
            "the model folder is missing or broken".to_owned()
        }
        Stage::Embed if Some(manifest.model.checksum.as_str()) != vectors_checksum => {
            "the model or the precision changed".to_owned()
        }
        _ => "its inputs, settings or code changed (precis was upgraded)".to_owned(),
    }
}
