//! The settings of abstractive summaries: which local model writes them and
//! how it generates. Plain data, recorded in [`crate::SummaryConfig`] and in
//! every summary's key; the model itself runs in `precis-abstractive`, the
//! only summary crate that links libtorch.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// How summaries are generated. `max_length` and `min_length` bound each
/// call to the model, so every partial summary of a long input too.
///
/// ```
/// use precis_summarize::AbstractiveConfig;
/// let config = AbstractiveConfig { num_beams: 1, ..AbstractiveConfig::default() };
/// assert_eq!(config.max_length, 142);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AbstractiveConfig {
    /// Most tokens generated per call, the decoder's start token included.
    pub max_length: usize,
    /// Fewest tokens generated per call before the end token may come.
    pub min_length: usize,
    /// Beam search width; 1 is greedy decoding.
    pub num_beams: usize,
}

impl Default for AbstractiveConfig {
    /// rust-bert's (and `bart-large-cnn`'s) lengths, 3 beams.
    fn default() -> Self {
        Self {
            max_length: 142,
            min_length: 56,
            num_beams: 3,
        }
    }
}

/// The model that writes a run's summaries, as recorded in
/// [`crate::SummaryConfig::abstractive`] and in every summary's `inputs` key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AbstractiveModel {
    /// The local model folder (`--summary-model PATH`).
    pub folder: PathBuf,
    /// `AbstractiveSummarizer::checksum` (precis-abstractive); set when the model is loaded
    /// (one in a config file is replaced), and read back from the manifest.
    #[serde(default)]
    pub checksum: String,
    /// Lengths and beams of each call to the model.
    #[serde(default)]
    pub generation: AbstractiveConfig,
}
