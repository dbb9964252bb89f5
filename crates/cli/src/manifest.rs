//! `manifest.json`: what each stage of a run was made from, what it counted
//! and how long it took. `precis run` writes it; `precis status`, the next
//! run and `precis report` read it back through the same types, so a renamed
//! field is a compile error rather than a silent zero.

use crate::layout::Layout;
use crate::pipeline::Stage;
use crate::run::RunConfig;
use anyhow::{Context, Result};
use precis_core::SkippedFile;
use precis_model::ModelInfo;
pub use precis_themes::ThemesStart;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub precis_version: String,
    pub config: RunConfig,
    pub model: ModelInfo,
    pub documents: usize,
    pub sentences: usize,
    pub skipped: Vec<SkippedFile>,
    /// By stage name (`Stage::name`).
    pub stages: BTreeMap<String, StageRecord>,
}

/// One stage of a run. The counts are those the stage has (`None` for the
/// others), and are left out of the file when absent.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StageRecord {
    /// The stage's key: a hash of its code, settings and upstream files.
    pub inputs: String,
    pub seconds: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documents: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentences: Option<usize>,
    /// Sentences embedded by the model, and read from the cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computed: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_cache: Option<usize>,
    /// For embed: the precision the vectors were computed at, and why; what
    /// `precis status` shows instead of probing the hardware.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<precis_model::PrecisionPick>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub themes: Option<usize>,
    /// Summaries written afresh, and kept from the previous run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reused: Option<usize>,
    /// For themes: whether they were warm-started or clustered afresh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<ThemesOrigin>,
}

/// How a run's themes began.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemesOrigin {
    pub start: ThemesStart,
    /// Why, in words.
    pub why: String,
    /// A hash of the themes code and settings that made them
    /// (`freshness::themes_method`): a later run warm-starts from these
    /// themes only with the same.
    #[serde(default)]
    pub method: String,
    /// The key of the previous themes stage this one was made from (its ids
    /// matched, or warm-started); `None` when made from the input alone.
    /// Part of this stage's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The edit since that stage, when it was measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit: Option<precis_themes::EditSize>,
    /// For a warm start: the adjusted Rand index between its themes and a
    /// fresh clustering of the same sentences (1: the same partition).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drift_ari: Option<f64>,
}

/// Below this adjusted Rand index against a new clustering of the same
/// sentences, `precis status` and the report suggest `--recluster`.
/// Clustering itself is only so stable: on the 187 essays, the clusterings
/// before and after a one-paragraph edit agree to an ARI of 0.83
/// (docs/BENCHMARKS.md), and so does a warm start with either. 0.7 leaves
/// that noise room, and is still well above what unrelated partitions give
/// (near 0).
const DRIFT_LIMIT: f64 = 0.7;

impl ThemesOrigin {
    /// How the themes began, in lines for `precis status` and the report,
    /// from the manifest alone (the drift is the figure the run recorded,
    /// not recomputed). Says "afresh" nowhere: the word "fresh" is kept for
    /// the stages' state.
    pub fn describe(&self) -> Vec<String> {
        match self.start {
            ThemesStart::Warm => {
                let mut lines = vec![format!(
                    "themes warm-started from the last run's ({})",
                    self.why
                )];
                if let Some(ari) = self.drift_ari {
                    lines.push(format!(
                        "drift: ARI {ari:.3} against a new clustering of the same sentences"
                    ));
                    if ari < DRIFT_LIMIT {
                        lines.push(format!(
                            "below {DRIFT_LIMIT}: run `precis run --recluster` to cluster them anew"
                        ));
                    }
                }
                lines
            }
            ThemesStart::Fresh => vec![format!("themes clustered ({})", self.why)],
        }
    }
}

impl Manifest {
    /// The manifest of the run in `layout`; `Ok(None)` when there is none.
    pub fn read(layout: &Layout) -> Result<Option<Manifest>> {
        let path = layout.manifest();
        let text = match fs_err::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(error.into()),
        };
        let manifest = serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a manifest this precis wrote: run `precis run` again",
                path.display()
            )
        })?;
        Ok(Some(manifest))
    }

    /// How the recorded themes began, if the run recorded it.
    pub fn themes_origin(&self) -> Option<&ThemesOrigin> {
        self.record(Stage::Themes).and_then(|r| r.origin.as_ref())
    }

    /// What the run recorded of `stage`, if it got that far.
    pub fn record(&self, stage: Stage) -> Option<&StageRecord> {
        self.stages.get(stage.name())
    }

    /// The key recorded for `stage`, if the run got that far.
    pub fn key(&self, stage: Stage) -> Option<&str> {
        self.record(stage).map(|record| record.inputs.as_str())
    }
}
