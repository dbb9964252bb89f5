//! Choosing the sentences of an extractive summary.
//!
//! Each sentence gets a salience score, a weighted sum of
//! - closeness to the centroid of the document's sentence embeddings,
//! - centrality in the sentence-similarity graph (LexRank over embedding cosine),
//! - keyword density: how much of it is made of the document's recurring words,
//! - a length prior that saturates (short sentences say less), and
//! - a small prior for the opening sentences.
//!
//! Sentences are then picked greedily by maximal marginal relevance (MMR):
//! salience minus similarity to what is already chosen, so that a
//! near-duplicate of a chosen sentence is not chosen again.

use crate::keywords::keyword_density;
use ndarray::{Array1, Array2, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

/// The weights of the selection. Defaults were tuned on news articles and
/// checked on held-out ones; see `examples/bbc_tune.rs`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct SelectionParams {
    /// Weight of the cosine similarity to the document centroid.
    pub centroid: f64,
    /// Weight of the graph centrality (LexRank over embedding cosine),
    /// scaled so that the most central sentence scores 1.
    pub centrality: f64,
    /// Weight of the position prior `1 / (1 + position)^position_decay`.
    pub position: f64,
    pub position_decay: f64,
    /// Weight of the length prior `min(words, length_cap) / length_cap`:
    /// longer sentences carry more content, up to a point.
    pub length: f64,
    pub length_cap: usize,
    /// Weight of keyword density: the share of a sentence made of words
    /// that recur in the document, scaled so the densest scores 1.
    pub keywords: f64,
    /// MMR trade-off: 1 ignores redundancy, 0 ignores salience.
    pub lambda: f64,
    /// Sentences with fewer words than this are only chosen when nothing else is left.
    pub min_words: usize,
    /// Sentences of at most this many words with no closing punctuation
    /// are headings ("Winter company", an essay's title line) and, like
    /// fragments, only chosen when nothing else is left. 0 turns this off.
    pub heading_words: usize,
}

impl Default for SelectionParams {
    fn default() -> Self {
        Self {
            centroid: 1.0,
            centrality: 0.5,
            position: 0.05,
            position_decay: 2.0,
            length: 1.0,
            length_cap: 30,
            keywords: 0.75,
            lambda: 0.8,
            min_words: 4,
            heading_words: 12,
        }
    }
}

/// A way of choosing the sentences of one document's summary.
pub trait Summarizer {
    /// Positions into `texts` of at most `budget` sentences, ascending,
    /// without repeats. `embeddings` has one row per text.
    fn select(&self, texts: &[&str], embeddings: ArrayView2<f32>, budget: usize) -> Vec<usize>;
}

/// The method of this crate: salience, then MMR (see the module docs).
impl Summarizer for SelectionParams {
    fn select(&self, texts: &[&str], embeddings: ArrayView2<f32>, budget: usize) -> Vec<usize> {
        select_sentences_with(texts, embeddings, budget, self)
    }
}

/// The first `budget` sentences: the baseline any method should beat.
///
/// ```
/// use ndarray::Array2;
/// use precis_summarize::{Lead, Summarizer};
/// let chosen = Lead.select(&["a", "b", "c"], Array2::zeros((3, 2)).view(), 2);
/// assert_eq!(chosen, vec![0, 1]);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Lead;

impl Summarizer for Lead {
    fn select(&self, texts: &[&str], _embeddings: ArrayView2<f32>, budget: usize) -> Vec<usize> {
        (0..budget.min(texts.len())).collect()
    }
}

/// Picks up to `budget` sentences with the default [`SelectionParams`].
///
/// `embeddings` has one row per text (L2-normalised, as the embed stage
/// writes them; rows are normalised again here, so scale does not matter).
/// Returns positions into `texts`, ascending, without repeats.
///
/// # Panics
/// If `embeddings` does not have one row per text.
///
/// ```
/// use ndarray::array;
/// let texts = ["Cats purr.", "Cats purr loudly.", "Stocks fell today."];
/// let embeddings = array![[1.0f32, 0.0], [0.99, 0.14], [0.0, 1.0]];
/// let chosen = precis_summarize::select_sentences(&texts, embeddings.view(), 2);
/// assert_eq!(chosen.len(), 2);
/// assert!(chosen.windows(2).all(|w| w[0] < w[1]));
/// ```
pub fn select_sentences(texts: &[&str], embeddings: ArrayView2<f32>, budget: usize) -> Vec<usize> {
    select_sentences_with(texts, embeddings, budget, &SelectionParams::default())
}

/// [`select_sentences`] with explicit weights.
pub fn select_sentences_with(
    texts: &[&str],
    embeddings: ArrayView2<f32>,
    budget: usize,
    params: &SelectionParams,
) -> Vec<usize> {
    assert_eq!(
        embeddings.nrows(),
        texts.len(),
        "one embedding row per sentence"
    );
    let n = texts.len();
    let budget = budget.min(n);
    if budget == 0 {
        return Vec::new();
    }
    if n > MAX_GRAPH {
        return select_from_most_salient(texts, embeddings, budget, params);
    }
    let unit = normalised(embeddings);
    let similarity = unit.dot(&unit.t());
    let salience = salience(texts, &unit, &similarity, params);
    let mut chosen = mmr(&salience, &similarity, budget, params.lambda);
    chosen.sort_unstable();
    chosen
}

/// The most sentences whose similarity graph (n² entries) a summary builds:
/// 16 MB of f32 here, where a 50,000-sentence document would need 10 GB.
const MAX_GRAPH: usize = 2000;

/// [`select_sentences_with`] for a document longer than [`MAX_GRAPH`]: the
/// graph is built over the `MAX_GRAPH` sentences that score best on what
/// costs O(n) (centroid closeness, keywords, length), in document order.
fn select_from_most_salient(
    texts: &[&str],
    embeddings: ArrayView2<f32>,
    budget: usize,
    params: &SelectionParams,
) -> Vec<usize> {
    let mut first_pass = text_salience(texts, params);
    first_pass.scaled_add(
        params.centroid,
        &centroid_similarity(&normalised(embeddings)),
    );
    let mut kept: Vec<usize> = (0..texts.len()).collect();
    kept.sort_by(|&a, &b| first_pass[b].total_cmp(&first_pass[a]).then(a.cmp(&b)));
    kept.truncate(MAX_GRAPH);
    kept.sort_unstable();
    let kept_texts: Vec<&str> = kept.iter().map(|&i| texts[i]).collect();
    let kept_embeddings = embeddings.select(Axis(0), &kept);
    select_sentences_with(&kept_texts, kept_embeddings.view(), budget, params)
        .into_iter()
        .map(|i| kept[i])
        .collect()
}

/// Rows scaled to unit length (zero rows stay zero), widened to f64 later.
pub(crate) fn normalised(embeddings: ArrayView2<f32>) -> Array2<f32> {
    let mut unit = embeddings.to_owned();
    for mut row in unit.axis_iter_mut(Axis(0)) {
        let norm = row.dot(&row).sqrt();
        if norm > 0.0 {
            row /= norm;
        }
    }
    unit
}

/// The salience of each sentence, before redundancy is considered.
fn salience(
    texts: &[&str],
    unit: &Array2<f32>,
    similarity: &Array2<f32>,
    params: &SelectionParams,
) -> Array1<f64> {
    let centrality = lexrank(similarity);
    let top = centrality.iter().cloned().fold(f64::MIN, f64::max);
    let mut score = text_salience(texts, params);
    score.scaled_add(params.centroid, &centroid_similarity(unit));
    score.scaled_add(params.centrality / top, &centrality);
    for (i, s) in score.iter_mut().enumerate() {
        *s += params.position / (1.0 + i as f64).powf(params.position_decay);
    }
    score
}

/// The part of the salience that comes from the words alone, weighted:
/// keyword density, the length prior, and a penalty that puts fragments
/// (fewer than `min_words` words) and headings below every full sentence
/// while keeping them ordered among themselves.
pub(crate) fn text_salience(texts: &[&str], params: &SelectionParams) -> Array1<f64> {
    let mut score = Array1::zeros(texts.len());
    if params.keywords != 0.0 {
        score.scaled_add(params.keywords, &Array1::from(keyword_density(texts)));
    }
    for (s, text) in score.iter_mut().zip(texts) {
        let words = word_count(text);
        let length = words.min(params.length_cap) as f64 / params.length_cap.max(1) as f64;
        *s += params.length * length;
        if words < params.min_words || (words <= params.heading_words && is_unpunctuated(text)) {
            *s -= 10.0;
        }
    }
    score
}

/// Cosine similarity of each row to the mean of the rows.
pub(crate) fn centroid_similarity(unit: &Array2<f32>) -> Array1<f64> {
    let Some(mean) = unit.mean_axis(Axis(0)) else {
        return Array1::zeros(0);
    };
    let norm = mean.dot(&mean).sqrt();
    let scores = unit.dot(&mean).mapv(f64::from);
    if norm > 0.0 {
        scores / f64::from(norm)
    } else {
        scores
    }
}

/// Stationary distribution of a random walk on the similarity graph
/// (negative similarities dropped, no self loops), with teleportation.
/// Computed in f32: the matrix of a long essay is the largest allocation
/// of this crate.
pub(crate) fn lexrank(similarity: &Array2<f32>) -> Array1<f64> {
    const DAMPING: f32 = 0.85;
    let n = similarity.nrows();
    if n == 0 {
        return Array1::zeros(0);
    }
    let mut weights = similarity.mapv(|s| s.max(0.0));
    weights.diag_mut().fill(0.0);
    for mut row in weights.axis_iter_mut(Axis(0)) {
        let sum = row.sum();
        if sum > 0.0 {
            row /= sum;
        } else {
            row.fill(1.0 / n as f32);
        }
    }
    let mut rank = Array1::from_elem(n, 1.0 / n as f32);
    for _ in 0..100 {
        let next = weights.t().dot(&rank) * DAMPING + (1.0 - DAMPING) / n as f32;
        let change: f32 = (&next - &rank).mapv(f32::abs).sum();
        rank = next;
        if change < 1e-7 {
            break;
        }
    }
    rank.mapv(f64::from)
}

/// Greedy maximal marginal relevance: each step takes the sentence with the
/// best `lambda * salience - (1 - lambda) * (max similarity to the chosen)`.
/// Ties go to the earlier sentence, so the result is deterministic.
pub(crate) fn mmr(
    salience: &Array1<f64>,
    similarity: &Array2<f32>,
    budget: usize,
    lambda: f64,
) -> Vec<usize> {
    let n = salience.len();
    let mut chosen = Vec::with_capacity(budget);
    let mut taken = vec![false; n];
    let mut redundancy = vec![f64::MIN; n];
    while chosen.len() < budget.min(n) {
        let mut best: Option<(usize, f64)> = None;
        for i in (0..n).filter(|&i| !taken[i]) {
            let penalty = if chosen.is_empty() {
                0.0
            } else {
                redundancy[i]
            };
            let value = lambda * salience[i] - (1.0 - lambda) * penalty;
            if !matches!(best, Some((_, v)) if v >= value) {
                best = Some((i, value));
            }
        }
        let Some((pick, _)) = best else { break };
        taken[pick] = true;
        chosen.push(pick);
        for i in 0..n {
            redundancy[i] = redundancy[i].max(f64::from(similarity[[pick, i]]));
        }
    }
    chosen
}

/// Whether `text` ends without the punctuation that closes a sentence
/// (looking through closing quotes and brackets), as headings and titles do.
fn is_unpunctuated(text: &str) -> bool {
    let closing = |c: char| matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '*' | '_');
    !text
        .trim_end()
        .trim_end_matches(closing)
        .ends_with(['.', '!', '?', '…', ':', ';'])
}

pub(crate) fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}
