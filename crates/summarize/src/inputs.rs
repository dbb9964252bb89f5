//! The `inputs` keys: content hashes over exactly what decides a summary.

use crate::AbstractiveModel;
use crate::{SelectionParams, SummaryConfig};
use ndarray::ArrayView2;
use precis_core::{content_hash, Sentence};
use serde::Serialize;

/// Changes whenever the selection method changes, so that summaries made by
/// an older version are not reused.
const METHOD: &str = "precis-summarize/4";

/// The config fields that decide a document summary.
#[derive(Serialize)]
struct DocumentSettings<'a> {
    sentences: Option<usize>,
    ratio: f64,
    min_sentences: usize,
    max_sentences: usize,
    selection: &'a SelectionParams,
    #[serde(skip_serializing_if = "Option::is_none")]
    abstractive: Option<&'a AbstractiveModel>,
}

/// The config fields that decide a theme summary.
#[derive(Serialize)]
struct ThemeSettings<'a> {
    theme_sentences: usize,
    theme_spread: f64,
    selection: &'a SelectionParams,
    #[serde(skip_serializing_if = "Option::is_none")]
    abstractive: Option<&'a AbstractiveModel>,
}

/// The key of a document summary: a hash of the method version, the config
/// fields that matter, each sentence (document, index, text) and the
/// embedding values. Equal keys give equal summaries, so the driver can
/// compute this first and skip the work when a stored summary has it.
///
/// ```
/// use ndarray::array;
/// use precis_core::Sentence;
/// use precis_summarize::{document_inputs, SummaryConfig};
/// let sentence = Sentence { doc_id: "a".into(), index: 0, start: 0, end: 2, text: "Hi".into() };
/// let key = document_inputs(&[sentence], array![[1.0f32, 0.0]].view(), &SummaryConfig::default());
/// assert_eq!(key.len(), 64);
/// ```
pub fn document_inputs(
    sentences: &[Sentence],
    embeddings: ArrayView2<f32>,
    config: &SummaryConfig,
) -> String {
    let settings = DocumentSettings {
        sentences: config.sentences,
        ratio: config.ratio,
        min_sentences: config.min_sentences,
        max_sentences: config.max_sentences,
        selection: &config.selection,
        abstractive: config.abstractive.as_ref(),
    };
    let mut key = KeyBytes::new("document", &settings);
    for sentence in sentences {
        key.sentence(sentence);
    }
    key.embeddings(embeddings);
    key.finish()
}

/// The key of a theme summary: like [`document_inputs`], over the theme id
/// and its member sentences in the order given.
pub fn theme_inputs(
    theme: u32,
    members: &[&Sentence],
    embeddings: ArrayView2<f32>,
    config: &SummaryConfig,
) -> String {
    let settings = ThemeSettings {
        theme_sentences: config.theme_sentences,
        theme_spread: config.theme_spread,
        selection: &config.selection,
        abstractive: config.abstractive.as_ref(),
    };
    let mut key = KeyBytes::new("theme", &settings);
    key.bytes(&theme.to_le_bytes());
    for sentence in members {
        key.sentence(sentence);
    }
    key.embeddings(embeddings);
    key.finish()
}

/// An unambiguous byte encoding of the key's parts: every variable-length
/// part is prefixed with its length.
struct KeyBytes(Vec<u8>);

impl KeyBytes {
    fn new(kind: &str, settings: &impl Serialize) -> Self {
        let mut key = Self(Vec::new());
        key.bytes(METHOD.as_bytes());
        key.bytes(kind.as_bytes());
        // Serialising plain structs of numbers cannot fail.
        let settings = serde_json::to_vec(settings).unwrap_or_default();
        key.bytes(&settings);
        key
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.0
            .extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        self.0.extend_from_slice(bytes);
    }

    fn sentence(&mut self, sentence: &Sentence) {
        self.bytes(sentence.doc_id.as_bytes());
        self.bytes(&(sentence.index as u64).to_le_bytes());
        self.bytes(sentence.text.as_bytes());
    }

    fn embeddings(&mut self, embeddings: ArrayView2<f32>) {
        self.bytes(&(embeddings.nrows() as u64).to_le_bytes());
        self.bytes(&(embeddings.ncols() as u64).to_le_bytes());
        for value in embeddings.iter() {
            self.0.extend_from_slice(&value.to_le_bytes());
        }
    }

    fn finish(self) -> String {
        content_hash(&self.0)
    }
}
