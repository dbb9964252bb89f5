//! Theme summaries: the member sentences that best represent a theme,
//! spread across the documents the theme appears in.

use crate::select::{centroid_similarity, normalised, text_salience};
use crate::{theme_inputs, SummaryConfig, ThemeSummary};
use ndarray::{Array1, ArrayView2};
use precis_core::{Sentence, SentenceRef};
use std::collections::HashMap;

/// Summarises one theme from its member sentences (`embeddings` has one row
/// per member). Picks `config.theme_sentences` sentences by closeness to the
/// theme centroid and the same keyword and length priors as documents get
/// (the theme's recurring words count as keywords), with MMR against
/// redundancy and a penalty of
/// `config.theme_spread` for each sentence already taken from the same
/// document, so that a theme spanning several essays quotes several.
///
/// Themes can hold thousands of sentences, so this never builds the full
/// similarity matrix: only the rows of the chosen sentences.
///
/// # Panics
/// If `embeddings` does not have one row per member.
///
/// ```
/// use ndarray::array;
/// use precis_core::Sentence;
/// use precis_summarize::{summarize_theme, SummaryConfig};
/// let make = |doc: &str, text: &str| Sentence {
///     doc_id: doc.into(), index: 0, start: 0, end: 0, text: text.into(),
/// };
/// let a = make("a", "Courage grows with use.");
/// let b = make("b", "Fear shrinks when faced.");
/// let summary = summarize_theme(7, &[&a, &b], array![[1.0f32, 0.1], [0.9, 0.2]].view(),
///     &SummaryConfig { theme_sentences: 2, ..SummaryConfig::default() });
/// assert_eq!(summary.sentences.len(), 2);
/// ```
pub fn summarize_theme(
    theme: u32,
    members: &[&Sentence],
    embeddings: ArrayView2<f32>,
    config: &SummaryConfig,
) -> ThemeSummary {
    assert_eq!(
        embeddings.nrows(),
        members.len(),
        "one embedding row per member"
    );
    let unit = normalised(embeddings);
    let texts: Vec<&str> = members.iter().map(|m| m.text.as_str()).collect();
    let mut salience = text_salience(&texts, &config.selection);
    salience.scaled_add(config.selection.centroid, &centroid_similarity(&unit));
    let chosen = spread_mmr(&salience, members, &unit, config);
    let texts: Vec<String> = chosen
        .iter()
        .map(|&i| members[i].text.trim().to_string())
        .collect();
    ThemeSummary {
        theme,
        summary: texts.join(" "),
        sentences: chosen
            .iter()
            .map(|&i| SentenceRef {
                doc_id: members[i].doc_id.clone(),
                index: members[i].index,
            })
            .collect(),
        texts,
        written_by: None,
        inputs: theme_inputs(theme, members, embeddings, config),
    }
}

/// MMR with an extra per-document penalty. Ties go to the earlier member.
fn spread_mmr(
    salience: &Array1<f64>,
    members: &[&Sentence],
    unit: &ndarray::Array2<f32>,
    config: &SummaryConfig,
) -> Vec<usize> {
    let n = members.len();
    let budget = config.theme_sentences.min(n);
    let lambda = config.selection.lambda;
    let mut taken = vec![false; n];
    let mut redundancy = vec![0.0f64; n];
    let mut per_document: HashMap<&str, usize> = HashMap::new();
    let mut chosen = Vec::with_capacity(budget);
    while chosen.len() < budget {
        let mut best: Option<(usize, f64)> = None;
        for i in (0..n).filter(|&i| !taken[i]) {
            let repeats = per_document
                .get(members[i].doc_id.as_str())
                .copied()
                .unwrap_or(0);
            let value = lambda * salience[i]
                - (1.0 - lambda) * redundancy[i]
                - config.theme_spread * repeats as f64;
            if !matches!(best, Some((_, v)) if v >= value) {
                best = Some((i, value));
            }
        }
        let Some((pick, _)) = best else { break };
        taken[pick] = true;
        chosen.push(pick);
        *per_document
            .entry(members[pick].doc_id.as_str())
            .or_default() += 1;
        let similarity = unit.dot(&unit.row(pick));
        for (r, s) in redundancy.iter_mut().zip(similarity.iter()) {
            *r = r.max(f64::from(*s));
        }
    }
    chosen
}
