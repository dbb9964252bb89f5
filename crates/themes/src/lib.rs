//! Themes: groups of sentences about the same thing, across all documents.
//!
//! [`find_themes`] clusters sentence embeddings with spherical k-means and
//! gives every sentence a theme by its own content (weak members are
//! flagged, never dropped). The number of themes is the one with the best
//! silhouette on a deterministic sample (counting only distances between sentences of
//! different documents), unless [`ThemeConfig::themes`] forces it. Each
//! theme gets c-TF-IDF keywords diversified by MMR, a short label, and
//! representative sentences from as many documents as possible. Given the
//! previous run's [`ThemeSet`], themes that continue keep their ids.
//!
//! # What is clustered
//! Themes are found in two steps, because what finds themes well and what
//! describes a document's mix of themes pull in opposite directions.
//!
//! *Discovery.* A sentence alone says little about which theme a reader
//! would file it under; its document says much more. So:
//! - embeddings are centred (the corpus mean removed), which spreads topics
//!   apart;
//! - each sentence vector is pulled towards its document's vector
//!   ([`ThemeConfig::document_context`]), and each document's vector towards
//!   its nearest documents' ([`ThemeConfig::neighbours`]);
//! - each sentence weighs `1 / (sentences in its document)` in the k-means
//!   objective, so every document counts the same and a long one cannot
//!   claim a theme of its own by length alone.
//!
//! *Assignment.* Clustered that way, nearly all of a document's sentences
//! land in one theme (99% on the BBC set), so theme shares would be
//! one-hot. So each theme's centre is taken back to the sentences' own
//! (centred) vectors, and each sentence goes to the centre nearest its own
//! vector: a document's shares are then what its sentences say. A sentence
//! whose two nearest centres are within [`ThemeConfig::low_confidence_margin`]
//! keeps the theme its document context gave it and is marked
//! low-confidence.
//!
//! On the BBC development set (1,069 articles, 5 categories; see
//! `scripts/eval_themes.py` and `docs/EVAL.md`), with precis's own sentences
//! and embeddings, the NMI of the articles' dominant themes (largest share)
//! against their categories is 0.880 with k = 5 chosen automatically, and
//! an article's largest theme holds 90% of its sentences on average;
//! dominant themes of the discovery step alone give 0.882 with 99%, and
//! k-means on mean document vectors is reported at 0.862.
//!
//! # Determinism
//! The output is byte-identical for the same sentences, whatever the order or
//! names of the documents: points are put in an order derived from their
//! content before clustering, every tie is broken by content, and themes are
//! numbered by size, then centroid.
//!
//! ```
//! use ndarray::Array2;
//! use precis_core::Sentence;
//! use precis_themes::{find_themes, ThemeConfig};
//!
//! let texts = ["Goals win matches.", "The striker scored.", "Markets fell.", "Shares slumped."];
//! let sentences: Vec<Sentence> = texts
//!     .iter()
//!     .enumerate()
//!     .map(|(i, t)| Sentence {
//!         doc_id: format!("doc-{}", i / 2),
//!         index: i % 2,
//!         start: 0,
//!         end: t.chars().count(),
//!         text: t.to_string(),
//!     })
//!     .collect();
//! let embeddings = Array2::from_shape_fn((4, 3), |(i, j)| if (i < 2) == (j == 0) { 1.0 } else { 0.0 });
//! let config = ThemeConfig { themes: Some(2), ..ThemeConfig::default() };
//! let run = find_themes(&sentences, embeddings.view(), None, &config);
//! assert_eq!(run.set.themes.len(), 2);
//! assert_eq!(run.assignments[0].theme, run.assignments[1].theme);
//! assert_ne!(run.assignments[0].theme, run.assignments[2].theme);
//! ```

mod assign;
mod compare;
mod documents;
mod identity;
mod keywords;
mod kmeans;
mod metrics;
mod rng;
mod select_k;
mod similarity;
mod stopwords;

pub use compare::{compare, AlignedTheme, Comparison, DominantChange, ThemeSnapshot, ThemeSummary};
pub use identity::KeptTheme;
pub use metrics::{adjusted_rand_index, normalized_mutual_information};
pub use select_k::KScore;
pub use similarity::similarity_csv;

use documents::{ContextOptions, Documents};
use keywords::{KeywordOptions, PhraseIndex};
use kmeans::{normalize_rows, KMeansOptions};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};
use precis_core::{Sentence, SentenceRef};
use rng::SplitMix64;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// A theme's number, stable across runs where the theme continues.
pub type ThemeId = u32;

/// How themes are found. Recorded in the run manifest.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ThemeConfig {
    /// Forced number of themes (`--themes N`); `None` chooses it.
    pub themes: Option<usize>,
    /// Fewest themes the automatic choice considers.
    pub min_themes: usize,
    /// Most themes the automatic choice considers.
    pub max_themes: usize,
    /// Keywords per theme.
    pub keywords: usize,
    /// Representative sentences per theme.
    pub representatives: usize,
    /// How far each sentence vector is pulled towards its document's mean
    /// vector to discover themes, from 0 (not at all) to 1 (documents only).
    /// Sentences are then assigned by their own vectors, so this shapes the
    /// themes, not how a document's sentences spread over them. On the BBC
    /// set (`--themes 5`), NMI of dominant themes 0.880 at 0.7 and
    /// 0.868–0.870 (by seed) at 0.5.
    pub document_context: f32,
    /// Nearest documents (by mean embedding) that lend each document context.
    pub neighbours: usize,
    /// Weight of the neighbours' mean against the document's own vector.
    pub neighbour_weight: f32,
    /// Sentences sampled to choose k (silhouette is quadratic in this).
    pub sample_size: usize,
    /// k-means++ restarts per clustering; the best is kept.
    pub restarts: usize,
    /// Most Lloyd iterations per clustering.
    pub max_iterations: usize,
    /// Seed of the generator behind k-means++ and sampling.
    pub seed: u64,
    /// Least centroid cosine similarity for a theme to keep a previous id.
    pub match_similarity: f32,
    /// A sentence whose own vector is closer to its nearest theme centre
    /// than to the next nearest by less than this (in cosine similarity)
    /// keeps the theme its document context gives it and is marked
    /// low-confidence.
    ///
    /// The trade-off, measured on the BBC set (`--themes 5`; NMI of dominant
    /// themes / mean share of an article's largest theme / low-confidence
    /// sentences): 0 → 0.866 / 83% / 0%; 0.02 → 0.873 / 86% / 6%;
    /// 0.05 → 0.880 / 90% / 14%; 0.08 → 0.884 / 93% / 21%.
    pub low_confidence_margin: f32,
    /// MMR weight of relevance against redundancy among keywords, in [0, 1].
    pub keyword_relevance: f32,
}

impl Default for ThemeConfig {
    fn default() -> Self {
        Self {
            themes: None,
            min_themes: 2,
            max_themes: 20,
            keywords: 8,
            representatives: 3,
            document_context: 0.7,
            neighbours: 3,
            neighbour_weight: 1.0,
            sample_size: 3000,
            restarts: 4,
            max_iterations: 100,
            seed: 0x7072_6563_6973,
            match_similarity: 0.7,
            low_confidence_margin: 0.05,
            keyword_relevance: 0.6,
        }
    }
}

/// All themes of a run: the content of `themes/themes.json`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct ThemeSet {
    /// Sorted by id.
    pub themes: Vec<Theme>,
    /// The id the next new theme will get: above every id ever given in this
    /// line of runs, so a retired id is never reused.
    #[serde(default)]
    pub next_id: ThemeId,
}

/// One theme.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Theme {
    pub id: ThemeId,
    /// The top keywords, joined by " · ".
    pub label: String,
    /// Distinctive 1–3-word phrases, most telling first.
    pub keywords: Vec<String>,
    /// Number of sentences.
    pub size: usize,
    /// Share of all sentences.
    pub weight: f64,
    /// Number of documents with at least one sentence in the theme.
    pub documents: usize,
    /// Members marked low-confidence.
    pub low_confidence: usize,
    /// Sentences nearest the centroid, from different documents where possible.
    pub representatives: Vec<SentenceRef>,
    /// Unit mean of the members' embeddings, rounded to 6 decimals: what the
    /// next run matches against.
    pub centroid: Vec<f32>,
}

/// The theme of one sentence: a line of `themes/assignments.jsonl`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Assignment {
    pub doc_id: String,
    pub index: usize,
    pub theme: ThemeId,
    /// Cosine similarity of the sentence's own (centred) vector to the
    /// nearest theme centre minus that to the next nearest, rounded to 4
    /// decimals. Below [`ThemeConfig::low_confidence_margin`] the theme is
    /// the one document context gave, which may not be the nearest.
    pub margin: f32,
    /// Whether `margin` is below [`ThemeConfig::low_confidence_margin`].
    pub low_confidence: bool,
}

/// A theme's share of one document.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ThemeShare {
    pub theme: ThemeId,
    /// Fraction of the document's sentences.
    pub share: f64,
}

/// The themes of one document: a line of `themes/documents.jsonl`.
/// Shares sum to 1, largest first (ties: lower theme id first).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct DocumentThemes {
    pub doc_id: String,
    pub themes: Vec<ThemeShare>,
}

impl DocumentThemes {
    /// The theme with the largest share, if the document has sentences.
    pub fn dominant(&self) -> Option<ThemeId> {
        self.themes.first().map(|s| s.theme)
    }
}

/// How this run's themes relate to the previous run's.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct ThemeChanges {
    /// Previous themes that continue, with their centroid similarity.
    pub kept: Vec<KeptTheme>,
    /// Ids first given in this run.
    pub new: Vec<ThemeId>,
    /// Previous ids with no continuation.
    pub retired: Vec<ThemeId>,
}

/// How the number of themes was chosen.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct ThemeDiagnostics {
    /// Themes found.
    pub k: usize,
    /// Whether the count was forced by [`ThemeConfig::themes`].
    pub forced: bool,
    /// Sentences in the sample the silhouette was measured on.
    pub sample_size: usize,
    /// Silhouette of each candidate k (empty when forced).
    pub silhouette: Vec<KScore>,
}

/// Everything [`find_themes`] produces.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ThemeRun {
    pub set: ThemeSet,
    /// One per input sentence, in input order.
    pub assignments: Vec<Assignment>,
    /// One per document, in order of first appearance in the input.
    pub documents: Vec<DocumentThemes>,
    pub changes: ThemeChanges,
    pub diagnostics: ThemeDiagnostics,
}

/// Finds the themes of `sentences`, whose embeddings are the rows of
/// `embeddings` (same order). `previous` is the last run's set, whose ids
/// continuing themes keep. See the crate docs for the method.
///
/// # Panics
/// If `embeddings` does not have one row per sentence.
pub fn find_themes(
    sentences: &[Sentence],
    embeddings: ArrayView2<f32>,
    previous: Option<&ThemeSet>,
    config: &ThemeConfig,
) -> ThemeRun {
    assert_eq!(
        sentences.len(),
        embeddings.nrows(),
        "one embedding row per sentence"
    );
    let documents = Documents::new(sentences);
    let mut unit = embeddings.to_owned();
    normalize_rows(&mut unit);
    // What each sentence says by itself: its centred unit vector.
    let mut own = centered(unit.view());
    normalize_rows(&mut own);
    let points = documents.context_vectors(
        own.view(),
        ContextOptions {
            document: config.document_context,
            neighbours: config.neighbours,
            neighbour_weight: config.neighbour_weight,
        },
    );
    let weights = documents.sentence_weights();

    // Canonical order: by clustering vector, then text, then the document's
    // content. Nothing here depends on document names or input order.
    let mut order: Vec<usize> = (0..sentences.len()).collect();
    order.sort_by(|&a, &b| {
        compare_rows(points.row(a), points.row(b))
            .then_with(|| sentences[a].text.cmp(&sentences[b].text))
            .then_with(|| documents.key_of(a).cmp(documents.key_of(b)))
            .then_with(|| sentences[a].index.cmp(&sentences[b].index))
            .then_with(|| sentences[a].doc_id.cmp(&sentences[b].doc_id))
    });
    let points = points.select(Axis(0), &order);
    let unit = unit.select(Axis(0), &order);
    let own = own.select(Axis(0), &order);
    let weights: Vec<f32> = order.iter().map(|&i| weights[i]).collect();
    let groups: Vec<usize> = order.iter().map(|&i| documents.index_of(i)).collect();
    let distinct = 1 + points
        .outer_iter()
        .zip(points.outer_iter().skip(1))
        .filter(|(a, b)| a != b)
        .count();

    let (fit, diagnostics) = if sentences.is_empty() {
        (None, ThemeDiagnostics::default())
    } else {
        let (fit, diagnostics) = cluster(points.view(), &weights, &groups, distinct, config);
        (Some(fit), diagnostics)
    };
    let k = fit.as_ref().map_or(0, |f| f.centroids.nrows());
    let (labels, margins) = match &fit {
        Some(fit) => assign::by_content(
            own.view(),
            &weights,
            &fit.labels,
            k,
            config.low_confidence_margin,
        ),
        None => (Vec::new(), Vec::new()),
    };

    // Members of each cluster, in canonical order; empty clusters dropped.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (position, &label) in labels.iter().enumerate() {
        members[label].push(position);
    }
    let mut clusters: Vec<(Vec<usize>, Array1<f32>)> = members
        .into_iter()
        .filter(|m| !m.is_empty())
        .map(|m| {
            let centroid = mean_direction(unit.view(), &m);
            (m, centroid)
        })
        .collect();
    // Content order: larger first, then by centroid.
    clusters.sort_by(|a, b| {
        b.0.len()
            .cmp(&a.0.len())
            .then_with(|| compare_rows(a.1.view(), b.1.view()))
    });

    let centroids: Vec<Vec<f32>> = clusters
        .iter()
        .map(|(_, c)| c.iter().map(|&x| identity::round6(x)).collect())
        .collect();
    let (ids, changes, next_id) =
        identity::assign_ids(&centroids, previous, config.match_similarity);

    let index = PhraseIndex::build(order.iter().map(|&i| sentences[i].text.as_str()));
    let cluster_members: Vec<Vec<usize>> = clusters.iter().map(|(m, _)| m.clone()).collect();
    let cluster_centroids: Vec<Array1<f32>> = clusters.iter().map(|(_, c)| c.clone()).collect();
    let keywords = keywords::theme_keywords(
        &index,
        &cluster_members,
        unit.view(),
        &cluster_centroids,
        KeywordOptions {
            count: config.keywords,
            relevance_weight: config.keyword_relevance,
        },
    );

    let total = sentences.len();
    let low = |m: &f32| *m < config.low_confidence_margin;
    let mut themes: Vec<Theme> = clusters
        .iter()
        .zip(&ids)
        .zip(keywords)
        .zip(centroids)
        .map(|((((members, centroid), &id), keywords), rounded)| {
            let docs: std::collections::HashSet<&str> = members
                .iter()
                .map(|&p| sentences[order[p]].doc_id.as_str())
                .collect();
            Theme {
                id,
                label: keywords
                    .iter()
                    .take(3)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" · "),
                keywords,
                size: members.len(),
                weight: members.len() as f64 / total as f64,
                documents: docs.len(),
                low_confidence: members.iter().filter(|&&p| low(&margins[p])).count(),
                representatives: representatives(
                    members,
                    unit.view(),
                    centroid,
                    &order,
                    sentences,
                    config.representatives,
                ),
                centroid: rounded,
            }
        })
        .collect();
    themes.sort_by_key(|t| t.id);

    // Back to input order.
    let mut theme_of = vec![0; total];
    let mut margin_of = vec![0f32; total];
    for (position, &input) in order.iter().enumerate() {
        theme_of[input] = ids[cluster_rank(&clusters, position)];
        margin_of[input] = margins[position];
    }
    let assignments = sentences
        .iter()
        .enumerate()
        .map(|(i, s)| Assignment {
            doc_id: s.doc_id.clone(),
            index: s.index,
            theme: theme_of[i],
            margin: round4(margin_of[i]),
            low_confidence: low(&margin_of[i]),
        })
        .collect();
    let documents = documents.shares(&theme_of);

    ThemeRun {
        set: ThemeSet { themes, next_id },
        assignments,
        documents,
        changes,
        diagnostics,
    }
}

/// The clustering of the canonical points, and how k was chosen.
fn cluster(
    points: ArrayView2<f32>,
    weights: &[f32],
    groups: &[usize],
    distinct: usize,
    config: &ThemeConfig,
) -> (kmeans::KMeansFit, ThemeDiagnostics) {
    let mut rng = SplitMix64::new(config.seed);
    let options = KMeansOptions {
        restarts: config.restarts,
        max_iterations: config.max_iterations,
    };
    let rows = select_k::sample_rows(points.nrows(), config.sample_size.max(2), &mut rng);
    let sample = points.select(Axis(0), &rows);
    let sample_weights: Vec<f32> = rows.iter().map(|&r| weights[r]).collect();
    let sample_groups: Vec<usize> = rows.iter().map(|&r| groups[r]).collect();

    let whole = rows.len() == points.nrows();
    let (fit, silhouette) = match config.themes {
        Some(k) => {
            let k = k.clamp(1, distinct.min(sample.nrows()));
            (
                kmeans::fit(sample.view(), &sample_weights, k, options, &mut rng),
                Vec::new(),
            )
        }
        None => {
            let high = config
                .max_themes
                .min(distinct)
                .min(sample.nrows().saturating_sub(1));
            let low = config.min_themes.max(2);
            if high < low {
                let k = distinct.min(config.min_themes.max(1));
                (
                    kmeans::fit(sample.view(), &sample_weights, k, options, &mut rng),
                    Vec::new(),
                )
            } else {
                let (scores, fit) = select_k::best_k(
                    sample.view(),
                    &sample_weights,
                    Some(&sample_groups),
                    low..=high,
                    options,
                    &mut rng,
                );
                (fit, scores)
            }
        }
    };
    let fit = if whole {
        fit
    } else {
        kmeans::lloyd(points, weights, fit.centroids, config.max_iterations)
    };
    let diagnostics = ThemeDiagnostics {
        k: fit.centroids.nrows(),
        forced: config.themes.is_some(),
        sample_size: rows.len(),
        silhouette,
    };
    (fit, diagnostics)
}

/// Position in `clusters` of the cluster holding canonical point `position`.
fn cluster_rank(clusters: &[(Vec<usize>, Array1<f32>)], position: usize) -> usize {
    clusters
        .iter()
        .position(|(m, _)| m.binary_search(&position).is_ok())
        .expect("every point is in a cluster")
}

/// The rows less their mean (not renormalised). Sentence embeddings share a
/// large common direction (Ethayarajh 2019; Mu & Viswanath 2018): removing
/// it spreads topics apart. (Removing the next main directions too, as their
/// "all-but-the-top" does, was tried and ruins topic clusters: on news those
/// directions *are* the topics.)
fn centered(unit: ArrayView2<f32>) -> Array2<f32> {
    // Summed in the order of the rows' values, so the mean is independent of
    // input order (equal rows are interchangeable).
    let mut order: Vec<usize> = (0..unit.nrows()).collect();
    order.sort_by(|&a, &b| compare_rows(unit.row(a), unit.row(b)));
    let mut mean = Array1::<f32>::zeros(unit.ncols());
    for &i in &order {
        mean.scaled_add(1.0, &unit.row(i));
    }
    mean.mapv_inplace(|x| x / unit.nrows().max(1) as f32);
    &unit - &mean
}

/// Unit mean of some rows (summed in the given order).
pub(crate) fn mean_direction(rows: ArrayView2<f32>, which: &[usize]) -> Array1<f32> {
    let mut sum = Array1::<f32>::zeros(rows.ncols());
    for &r in which {
        sum.scaled_add(1.0, &rows.row(r));
    }
    let norm = sum.dot(&sum).sqrt();
    if norm > 0.0 {
        sum.mapv_inplace(|x| x / norm);
    }
    sum
}

/// The members nearest the centroid, one per document while documents last,
/// then the nearest of the rest.
fn representatives(
    members: &[usize],
    unit: ArrayView2<f32>,
    centroid: &Array1<f32>,
    order: &[usize],
    sentences: &[Sentence],
    count: usize,
) -> Vec<SentenceRef> {
    let mut ranked: Vec<(f32, usize)> = members
        .iter()
        .map(|&p| (unit.row(p).dot(centroid), p))
        .collect();
    // Nearest first; ties in canonical order.
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<usize> = Vec::new();
    for &(_, p) in &ranked {
        if chosen.len() == count {
            break;
        }
        let doc = &sentences[order[p]].doc_id;
        if !chosen.iter().any(|&c| &sentences[order[c]].doc_id == doc) {
            chosen.push(p);
        }
    }
    for &(_, p) in &ranked {
        if chosen.len() == count {
            break;
        }
        if !chosen.contains(&p) {
            chosen.push(p);
        }
    }
    chosen
        .into_iter()
        .map(|p| {
            let s = &sentences[order[p]];
            SentenceRef {
                doc_id: s.doc_id.clone(),
                index: s.index,
            }
        })
        .collect()
}

/// Lexicographic order of float rows (total order, so it sorts anything).
pub(crate) fn compare_rows(a: ArrayView1<f32>, b: ArrayView1<f32>) -> Ordering {
    for (x, y) in a.iter().zip(b.iter()) {
        match x.total_cmp(y) {
            Ordering::Equal => continue,
            other => return other,
        }
    }
    a.len().cmp(&b.len())
}

fn round4(x: f32) -> f32 {
    ((f64::from(x) * 1e4).round() / 1e4) as f32
}

#[cfg(test)]
mod tests;
