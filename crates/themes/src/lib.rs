//! Themes: groups of sentences about the same thing, across all documents,
//! on two levels: themes, and theme groups above them.
//!
//! [`find_themes`] finds the subjects a collection's documents share, at the
//! grain of passages, and gives every sentence a theme. Each theme gets
//! c-TF-IDF keywords diversified by MMR, a short phrase for a label (no two
//! labels share a head word), and representative sentences from as many
//! documents as possible; each theme belongs to one group, labelled the same
//! way. Given the previous run's [`ThemeSet`], themes that continue keep
//! their ids.
//!
//! # Method
//! 1. *Passages* (`passages`). Each document is cut where its subject
//!    changes: TextTiling over the sentence embeddings, with boundaries
//!    moved to nearby paragraph breaks. Text without paragraph breaks is cut
//!    by the embeddings alone.
//! 2. *Context* (`context`). Each passage's mean vector is shrunk towards its
//!    document's, and each document's towards its nearest documents', by
//!    empirical Bayes along each principal axis of their differences: how
//!    much follows from how much passages of one document, and neighbouring
//!    documents, truly differ in this collection along that axis, beyond
//!    what sentence noise alone would show.
//! 3. *Themes*. Passages link to their nearest passages in *other*
//!    documents (`ln` of the number of documents of them, `neighbours`);
//!    the communities of that graph by modularity (`louvain`) are the
//!    themes, so their number follows from the data. `--themes N` instead
//!    clusters the passages by spherical k-means into N.
//! 4. *Groups* (`hierarchy`). Spherical k-means on the passages, the count
//!    chosen by silhouette (which favours a few broad clusters); themes are
//!    nested in groups so the two levels form a tree.
//! 5. *Sentences*. Every sentence takes its passage's theme; so does an
//!    aside that did not shape it (a sentence with more Latin or French
//!    function words than English ones: a quotation in another language). Its `margin`
//!    says how much closer its own vector is to that theme's centre than to
//!    any other's; a sentence that, alone, would go elsewhere is marked
//!    low-confidence. No sentence is left out.
//!
//! Figures on the evaluation sets are in `docs/EVAL.md`.
//!
//! # Warm starts
//! After a small edit, [`begin`] (through the `warm` module) carries the previous run's themes on
//! instead: every unchanged sentence (same document, same text) keeps its
//! theme; the edited documents are cut into passages as above, and each new
//! sentence takes the theme whose previous centre is nearest its passage's
//! mean vector; only the themes whose members changed get their centre,
//! size, documents, representatives and keywords recomputed. Ids, labels
//! and groups hold. "Small" ([`EditSize::is_small`]) is two bounds:
//! - under [`ThemeConfig::warm_changed_share`] (5%) of the sentences new or
//!   gone: a fresh clustering of the 187 essays after a one-paragraph edit
//!   (0.03% of the sentences) already moves a fifth of the rest to another
//!   theme, so clustering afresh buys nothing for small edits, while past
//!   a twentieth of the text the new sentences could hold a subject no
//!   previous theme has;
//! - no theme losing more than [`ThemeConfig::warm_theme_loss`] (a quarter)
//!   of its members: its label and keywords were chosen from them, and once
//!   a quarter is gone the label may no longer say what the theme holds.
//!
//! A warm start is a function of the previous run's themes and the input;
//! [`find_themes`] without a previous set, of the input alone.
//!
//! # Determinism
//! The output is byte-identical for the same sentences, whatever the order or
//! names of the documents: documents are taken in an order derived from
//! their content, every tie is broken by content, and themes are numbered by
//! size, then centroid.
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
//! let paragraphs = [0, 0, 0, 0];
//! let embeddings = Array2::from_shape_fn((4, 3), |(i, j)| if (i < 2) == (j == 0) { 1.0 } else { 0.0 });
//! let config = ThemeConfig { themes: Some(2), ..ThemeConfig::default() };
//! let run = find_themes(&sentences, &paragraphs, embeddings.view(), None, &config);
//! assert_eq!(run.set.themes.len(), 2);
//! assert_eq!(run.assignments[0].theme, run.assignments[1].theme);
//! assert_ne!(run.assignments[0].theme, run.assignments[2].theme);
//! ```

/// A hash of this crate's sources, made by its build script
/// (`crates/core/code_version.rs`): part of the key of every stage output it
/// shapes, so that output made by other code is never kept.
pub const CODE_VERSION: &str = env!("PRECIS_CODE_VERSION");

mod assign;
mod compare;
mod context;
mod documents;
mod facets;
mod hierarchy;
mod identity;
mod keywords;
mod kmeans;
mod labels;
mod louvain;
mod metrics;
mod neighbours;
mod passages;
mod rng;
mod select_k;
mod side_by_side;
mod similarity;
mod start;
mod stopwords;
mod warm;

pub use compare::{
    compare, AlignedTheme, ComparedTheme, Comparison, DominantChange, ThemeSnapshot,
};
pub use facets::{by_facet, DistinctiveTheme, FacetExample, FacetTheme, FacetThemes};
pub use identity::KeptTheme;
pub use metrics::{adjusted_rand_index, normalized_mutual_information};
pub use select_k::KScore;
pub use side_by_side::{
    closest_pairs, side_by_side, ClosestPair, OwnTheme, PairIndices, SharedTheme, SideBySide,
    ThemePairs, MOST_CLOSEST_PAIRS,
};
pub use similarity::{similarity_csv, DocumentEmbeddings};
pub use start::{begin, drift, paragraph_numbers, Beginning, LastRun, LastThemes, ThemesStart};
pub use stopwords::is_keyword_stop as is_stop_phrase;
pub use warm::EditSize;
#[cfg(test)]
use warm::{warm_start, PreviousThemes};

use context::Passage;
use documents::Documents;
use hierarchy::GroupOptions;
use keywords::{KeywordOptions, PhraseIndex, ThemeWords};
use kmeans::{normalize_rows, KMeansOptions};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};
use passages::DocumentSentences;
use precis_core::{Sentence, SentenceRef};
use rng::SplitMix64;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// A theme's number, stable across runs where the theme continues.
pub type ThemeId = u32;

/// A theme group's number within one run (largest group first).
pub type GroupId = u32;

/// How themes are found. Recorded in the run manifest.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct ThemeConfig {
    /// Forced number of themes (`--themes N`); `None` lets the data decide.
    pub themes: Option<usize>,
    /// Forced number of theme groups (`--groups N`); `None` chooses it.
    pub groups: Option<usize>,
    /// Keywords per theme.
    pub keywords: usize,
    /// Representative sentences per theme.
    pub representatives: usize,
    /// Passages sampled to choose the number of groups (silhouette is
    /// quadratic in this).
    pub sample_size: usize,
    /// k-means++ restarts per clustering; the best is kept.
    pub restarts: usize,
    /// Most Lloyd iterations per clustering.
    pub max_iterations: usize,
    /// Seed of the generator behind k-means++ and sampling.
    pub seed: u64,
    /// Least centroid cosine similarity for a theme to keep a previous id.
    pub match_similarity: f32,
    /// MMR weight of relevance against redundancy among keywords, in [0, 1].
    pub keyword_relevance: f32,
    /// A re-run warm-starts from the previous themes ([`warm_start`]) while
    /// under this share of the sentences is new or gone...
    pub warm_changed_share: f64,
    /// ...and no previous theme loses more than this share of its members.
    pub warm_theme_loss: f64,
}

impl Default for ThemeConfig {
    fn default() -> Self {
        Self {
            themes: None,
            groups: None,
            keywords: 8,
            representatives: 3,
            sample_size: 3000,
            restarts: 4,
            max_iterations: 100,
            seed: 0x7072_6563_6973,
            match_similarity: 0.7,
            keyword_relevance: 0.6,
            warm_changed_share: 0.05,
            warm_theme_loss: 0.25,
        }
    }
}

/// All themes of a run: the content of `themes/themes.json`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct ThemeSet {
    /// Sorted by id.
    pub themes: Vec<Theme>,
    /// The groups the themes belong to, sorted by id.
    #[serde(default)]
    pub groups: Vec<ThemeGroup>,
    /// The id the next new theme will get: above every id ever given in this
    /// line of runs, so a retired id is never reused.
    #[serde(default)]
    pub next_id: ThemeId,
}

/// One theme.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Theme {
    pub id: ThemeId,
    /// A short phrase naming the theme; no two themes' labels share a head word.
    pub label: String,
    /// Distinctive 1–3-word phrases, most telling first.
    pub keywords: Vec<String>,
    /// The group the theme belongs to.
    #[serde(default)]
    pub group: GroupId,
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

/// A group of themes: the level above themes.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ThemeGroup {
    pub id: GroupId,
    /// A short phrase naming the group.
    pub label: String,
    /// Distinctive phrases of the group's sentences.
    pub keywords: Vec<String>,
    /// The group's themes, largest first.
    pub themes: Vec<ThemeId>,
    /// Number of sentences.
    pub size: usize,
    /// Share of all sentences.
    pub weight: f64,
}

/// The theme of one sentence: a line of `themes/assignments.jsonl`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Assignment {
    pub doc_id: String,
    pub index: usize,
    pub theme: ThemeId,
    /// Cosine similarity of the sentence's own (centred) vector to its
    /// theme's centre minus that to the nearest other centre, rounded to 4
    /// decimals. Negative when the sentence alone would go elsewhere.
    pub margin: f32,
    /// Whether `margin` is negative: the theme is its passage's, not the
    /// one its own words are nearest.
    pub low_confidence: bool,
}

/// A theme's share of one document.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ThemeShare {
    pub theme: ThemeId,
    /// Fraction of the document's sentences.
    pub share: f64,
}

/// A theme group's share of one document.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct GroupShare {
    pub group: GroupId,
    /// Fraction of the document's sentences.
    pub share: f64,
}

/// The themes of one document: a line of `themes/documents.jsonl`.
/// Shares sum to 1, largest first (ties: lower id first).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct DocumentThemes {
    pub doc_id: String,
    pub themes: Vec<ThemeShare>,
    #[serde(default)]
    pub groups: Vec<GroupShare>,
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

/// How the themes and groups were found.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct ThemeDiagnostics {
    /// Themes found.
    pub k: usize,
    /// Whether the count was forced by [`ThemeConfig::themes`].
    pub forced: bool,
    /// Groups found.
    pub groups: usize,
    /// Whether the group count was forced by [`ThemeConfig::groups`].
    pub groups_forced: bool,
    /// Passages the documents were cut into.
    pub passages: usize,
    /// Nearest passages of other documents each passage links to.
    pub neighbours: usize,
    /// Variance of sentences about their passage's mean, and of passages
    /// and documents about their context beyond noise (summed over
    /// dimensions): what sets how much context each passage takes.
    pub sentence_spread: f64,
    pub passage_spread: f64,
    pub document_spread: f64,
    /// Passages in the sample the group silhouette was measured on.
    pub sample_size: usize,
    /// Silhouette of each candidate number of groups (empty when forced).
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
/// `embeddings` (same order). `paragraphs` numbers each sentence's
/// paragraph within its document (any numbering that changes exactly at
/// paragraph breaks; all equal where breaks are unknown). `previous` is the
/// last run's set, whose ids continuing themes keep. See the crate docs for
/// the method.
///
/// # Panics
/// If `embeddings` or `paragraphs` do not have one row per sentence.
pub fn find_themes(
    sentences: &[Sentence],
    paragraphs: &[usize],
    embeddings: ArrayView2<f32>,
    previous: Option<&ThemeSet>,
    config: &ThemeConfig,
) -> ThemeRun {
    assert_eq!(
        sentences.len(),
        embeddings.nrows(),
        "one embedding row per sentence"
    );
    assert_eq!(
        sentences.len(),
        paragraphs.len(),
        "one paragraph per sentence"
    );
    let documents = Documents::new(sentences);
    // The stage holds this one copy of the vectors beside the caller's,
    // reused below for the unit vectors: at 1.5 KB a sentence, each copy
    // counts.
    let mut own = own_vectors(embeddings);
    let Discovery {
        passages,
        passage_theme,
        group_of,
        silhouette,
        neighbours,
        spread,
    } = discover(sentences, paragraphs, own.view(), &documents, config);
    let k = group_of.len();
    let label_of = theme_of_sentences(&passages, &passage_theme, sentences.len());
    // Sentences in canonical order: by passage.
    let canonical: Vec<usize> = passages
        .iter()
        .flat_map(|p| p.rows.iter().chain(&p.asides).copied())
        .collect();
    permute_rows(&mut own, &canonical);
    let labels: Vec<usize> = canonical.iter().map(|&i| label_of[i]).collect();
    let margins = assign::margins(own.view(), &labels, k);
    let mut unit = own;
    for (mut row, &i) in unit.axis_iter_mut(Axis(0)).zip(&canonical) {
        row.assign(&embeddings.row(i));
    }
    normalize_rows(&mut unit);

    // Members of each theme, in canonical order.
    let members = members_of(&labels, k);
    let clusters = by_size_then_centroid(unit.view(), &members);
    let centroids: Vec<Vec<f32>> = clusters
        .iter()
        .map(|(_, c)| c.iter().map(|&x| identity::round6(x)).collect())
        .collect();
    let (ids, changes, next_id) =
        identity::assign_ids(&centroids, previous, config.match_similarity);
    let mut id_of_label = vec![0; k];
    for ((label, _), &id) in clusters.iter().zip(&ids) {
        id_of_label[*label] = id;
    }

    // Groups: numbered by size, then centroid.
    let group_count = group_of.iter().max().map_or(0, |g| g + 1);
    let group_members: Vec<Vec<usize>> = (0..group_count)
        .map(|g| {
            let mut m: Vec<usize> = (0..labels.len())
                .filter(|&p| group_of[labels[p]] == g)
                .collect();
            m.sort_unstable();
            m
        })
        .collect();
    let group_order = by_size_then_centroid(unit.view(), &group_members);
    let mut group_id = vec![0 as GroupId; group_count];
    for (rank, (g, _)) in group_order.iter().enumerate() {
        group_id[*g] = rank as GroupId;
    }

    // Words: keywords and labels of themes, then of groups.
    let index = PhraseIndex::build(canonical.iter().map(|&i| sentences[i].text.as_str()));
    let keyword_options = KeywordOptions {
        count: config.keywords,
        relevance_weight: config.keyword_relevance,
    };
    let theme_members: Vec<Vec<usize>> =
        clusters.iter().map(|(l, _)| members[*l].clone()).collect();
    let theme_centroids: Vec<Array1<f32>> = clusters.iter().map(|(_, c)| c.clone()).collect();
    let theme_words = keywords::theme_keywords(
        &index,
        &theme_members,
        unit.view(),
        &theme_centroids,
        keyword_options,
    );
    let theme_labels = labels::distinct(&theme_words);
    let ordered_group_members: Vec<Vec<usize>> = group_order
        .iter()
        .map(|(g, _)| group_members[*g].clone())
        .collect();
    let group_centroids: Vec<Array1<f32>> = group_order.iter().map(|(_, c)| c.clone()).collect();
    let group_words: Vec<ThemeWords> = keywords::theme_keywords(
        &index,
        &ordered_group_members,
        unit.view(),
        &group_centroids,
        keyword_options,
    );
    let group_labels = labels::distinct(&group_words);

    let total = sentences.len();
    let low = |m: f32| m < 0.0;
    let mut themes: Vec<Theme> = clusters
        .iter()
        .zip(&ids)
        .zip(theme_words)
        .zip(theme_labels)
        .zip(centroids)
        .map(|(((((label, centroid), &id), words), name), rounded)| {
            let members = &members[*label];
            let docs: std::collections::HashSet<&str> = members
                .iter()
                .map(|&p| sentences[canonical[p]].doc_id.as_str())
                .collect();
            Theme {
                id,
                label: name,
                keywords: words.keywords,
                group: group_id[group_of[*label]],
                size: members.len(),
                weight: members.len() as f64 / total as f64,
                documents: docs.len(),
                low_confidence: members.iter().filter(|&&p| low(margins[p])).count(),
                representatives: representatives(
                    members,
                    unit.view(),
                    centroid,
                    &canonical,
                    sentences,
                    config.representatives,
                ),
                centroid: rounded,
            }
        })
        .collect();
    let groups: Vec<ThemeGroup> = group_order
        .iter()
        .zip(group_words)
        .zip(group_labels)
        .enumerate()
        .map(|(rank, (((g, _), words), name))| ThemeGroup {
            id: rank as GroupId,
            label: name,
            keywords: words.keywords,
            // `themes` is sorted by size already.
            themes: themes
                .iter()
                .filter(|t| t.group == group_id[*g])
                .map(|t| t.id)
                .collect(),
            size: group_members[*g].len(),
            weight: group_members[*g].len() as f64 / total as f64,
        })
        .collect();
    themes.sort_by_key(|t| t.id);

    // Back to input order.
    let mut theme_of = vec![0; total];
    let mut margin_of = vec![0f32; total];
    for (position, &input) in canonical.iter().enumerate() {
        theme_of[input] = id_of_label[labels[position]];
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
            low_confidence: low(margin_of[i]),
        })
        .collect();
    let group_of_theme: std::collections::HashMap<ThemeId, GroupId> =
        themes.iter().map(|t| (t.id, t.group)).collect();
    let documents = documents.shares(&theme_of, |t| group_of_theme[&t]);
    let diagnostics = ThemeDiagnostics {
        k: themes.len(),
        forced: config.themes.is_some(),
        groups: groups.len(),
        groups_forced: config.groups.is_some(),
        passages: passages.len(),
        neighbours,
        sentence_spread: round4(spread.sentence as f32).into(),
        passage_spread: round4(spread.passage as f32).into(),
        document_spread: round4(spread.document as f32).into(),
        sample_size: config.sample_size.min(passages.len()),
        silhouette,
    };

    ThemeRun {
        set: ThemeSet {
            themes,
            groups,
            next_id,
        },
        assignments,
        documents,
        changes,
        diagnostics,
    }
}

/// What discovery finds afresh, before any words or ids: the passages, the
/// theme of every passage and the group of every theme.
struct Discovery {
    passages: Vec<Passage>,
    passage_theme: Vec<usize>,
    group_of: Vec<usize>,
    silhouette: Vec<KScore>,
    neighbours: usize,
    spread: context::Spread,
}

/// Cuts the passages and clusters them into themes and groups (`own`: the
/// sentence vectors as [`own_vectors`] gives them).
fn discover(
    sentences: &[Sentence],
    paragraphs: &[usize],
    own: ArrayView2<f32>,
    documents: &Documents,
    config: &ThemeConfig,
) -> Discovery {
    let passages = cut_passages(sentences, paragraphs, own, documents);
    let neighbours = neighbours::count(documents.len());
    let (points, spread) = context::passage_vectors(own, &passages, documents.len(), neighbours);
    let mut shaping_rows = vec![0usize; documents.len()];
    for p in &passages {
        shaping_rows[p.document] += p.rows.len();
    }
    // Every document weighs the same, shared among its passages by length:
    // a long document cannot claim a theme by length alone.
    let weights: Vec<f32> = passages
        .iter()
        .map(|p| p.rows.len() as f32 / shaping_rows[p.document] as f32)
        .collect();
    let passage_documents: Vec<usize> = passages.iter().map(|p| p.document).collect();

    let mut rng = SplitMix64::new(config.seed);
    let kmeans_options = KMeansOptions {
        restarts: config.restarts,
        max_iterations: config.max_iterations,
    };
    let distinct = hierarchy::distinct_rows(points.view());
    let group_options = |themes: usize| GroupOptions {
        forced: config.groups,
        most: themes / 2,
        sample_size: config.sample_size,
        kmeans: kmeans_options,
    };
    // Theme of every passage, group of every theme, and the silhouettes.
    let (passage_theme, group_of, silhouette) = if passages.is_empty() {
        (Vec::new(), Vec::new(), Vec::new())
    } else if let Some(k) = config.themes {
        let k = k.clamp(1, distinct);
        let fit = kmeans::fit(points.view(), &weights, k, kmeans_options, &mut rng);
        let labels = compact(fit.labels);
        let count = labels.iter().max().map_or(0, |t| t + 1);
        let members = members_of(&labels, count);
        let mut centroids = Array2::<f32>::zeros((count, points.ncols()));
        for (t, m) in members.iter().enumerate() {
            centroids
                .row_mut(t)
                .assign(&weighted_direction(points.view(), &weights, m));
        }
        let sizes: Vec<f32> = members
            .iter()
            .map(|m| m.iter().map(|&p| weights[p]).sum())
            .collect();
        let groups = hierarchy::find(
            centroids.view(),
            &sizes,
            None,
            &group_options(count),
            &mut rng,
        );
        (labels, groups.labels, groups.silhouette)
    } else {
        let nearest = neighbours::nearest(points.view(), Some(&passage_documents), neighbours);
        let communities = louvain::communities(&neighbours::graph(&nearest));
        let count = communities.iter().max().map_or(0, |t| t + 1);
        let groups = hierarchy::find(
            points.view(),
            &weights,
            Some(&passage_documents),
            &group_options(count),
            &mut rng,
        );
        let (themes, group_of) = hierarchy::nest(
            points.view(),
            &weights,
            communities,
            &groups.labels,
            config.max_iterations,
        );
        (themes, group_of, groups.silhouette)
    };

    Discovery {
        passages,
        passage_theme,
        group_of,
        silhouette,
        neighbours,
        spread,
    }
}

/// The theme of every sentence (input positions), by its passage.
fn theme_of_sentences(passages: &[Passage], passage_theme: &[usize], total: usize) -> Vec<usize> {
    let mut theme_of = vec![0usize; total];
    for (passage, &theme) in passages.iter().zip(passage_theme) {
        for &r in passage.rows.iter().chain(&passage.asides) {
            theme_of[r] = theme;
        }
    }
    theme_of
}

/// The theme of every sentence (input order) in a fresh clustering,
/// numbered arbitrarily: only the partition, without the words, ids and
/// representatives [`find_themes`] adds (a quarter of its time), which is
/// all that measuring a warm start's drift needs.
pub fn fresh_partition(
    sentences: &[Sentence],
    paragraphs: &[usize],
    embeddings: ArrayView2<f32>,
    config: &ThemeConfig,
) -> Vec<usize> {
    let documents = Documents::new(sentences);
    let own = own_vectors(embeddings);
    let found = discover(sentences, paragraphs, own.view(), &documents, config);
    theme_of_sentences(&found.passages, &found.passage_theme, sentences.len())
}

/// The passages of every document, in canonical order: documents by
/// content, then reading order. Asides (a quotation in Latin or French) do
/// not shape them: each joins the passage it stands in.
pub(crate) fn cut_passages(
    sentences: &[Sentence],
    paragraphs: &[usize],
    own: ArrayView2<f32>,
    documents: &Documents,
) -> Vec<Passage> {
    let aside: Vec<bool> = sentences
        .iter()
        .map(|s| stopwords::is_aside(&s.text))
        .collect();
    let order = documents.canonical_order();
    let in_reading_order: Vec<DocumentSentences> = order
        .iter()
        .map(|&d| {
            let all = documents.members(d);
            let shaping: Vec<usize> = all.iter().copied().filter(|&r| !aside[r]).collect();
            // A document of asides only is read as it is.
            let rows = if shaping.is_empty() {
                all.to_vec()
            } else {
                shaping
            };
            let breaks = (0..rows.len())
                .map(|j| j > 0 && paragraphs[rows[j]] != paragraphs[rows[j - 1]])
                .collect();
            DocumentSentences { rows, breaks }
        })
        .collect();
    let lengths = passages::cut(own, &in_reading_order);
    let mut passages: Vec<Passage> = Vec::new();
    for (rank, (document, lengths)) in in_reading_order.iter().zip(&lengths).enumerate() {
        let first = passages.len();
        let mut start = 0;
        for &len in lengths {
            passages.push(Passage {
                document: rank,
                rows: document.rows[start..start + len].to_vec(),
                asides: Vec::new(),
            });
            start += len;
        }
        // Each aside joins the passage of the sentence before it (the
        // first passage when it comes first).
        for &r in documents.members(order[rank]) {
            if !aside[r] || document.rows.contains(&r) {
                continue;
            }
            let index = sentences[r].index;
            let host = (first..passages.len())
                .rev()
                .find(|&p| sentences[passages[p].rows[0]].index < index)
                .unwrap_or(first);
            passages[host].asides.push(r);
        }
    }
    passages
}

/// The non-empty member lists (by index) with their unit mean, in content
/// order: larger first, then by centroid.
fn by_size_then_centroid(
    unit: ArrayView2<f32>,
    members: &[Vec<usize>],
) -> Vec<(usize, Array1<f32>)> {
    let mut order: Vec<(usize, Array1<f32>)> = members
        .iter()
        .enumerate()
        .filter(|(_, m)| !m.is_empty())
        .map(|(i, m)| (i, mean_direction(unit, m)))
        .collect();
    order.sort_by(|a, b| {
        members[b.0]
            .len()
            .cmp(&members[a.0].len())
            .then_with(|| compare_rows(a.1.view(), b.1.view()))
    });
    order
}

/// Labels renumbered from 0 in order of first appearance, none unused.
fn compact(labels: Vec<usize>) -> Vec<usize> {
    let mut number = std::collections::HashMap::new();
    labels
        .into_iter()
        .map(|l| {
            let next = number.len();
            *number.entry(l).or_insert(next)
        })
        .collect()
}

/// The positions holding each label, in order.
pub(crate) fn members_of(labels: &[usize], count: usize) -> Vec<Vec<usize>> {
    let mut members = vec![Vec::new(); count];
    for (p, &l) in labels.iter().enumerate() {
        members[l].push(p);
    }
    members
}

/// Unit weighted mean of some rows.
fn weighted_direction(rows: ArrayView2<f32>, weights: &[f32], which: &[usize]) -> Array1<f32> {
    let mut sum = Array1::<f32>::zeros(rows.ncols());
    for &r in which {
        sum.scaled_add(weights[r], &rows.row(r));
    }
    let norm = sum.dot(&sum).sqrt();
    if norm > 0.0 {
        sum.mapv_inplace(|x| x / norm);
    }
    sum
}

/// What each sentence says by itself: its unit vector less the unit
/// vectors' mean, made unit again. Sentence embeddings share a
/// large common direction (Ethayarajh 2019; Mu & Viswanath 2018): removing
/// it spreads topics apart. (Removing the next main directions too, as their
/// "all-but-the-top" does, was tried and ruins topic clusters: on news those
/// directions *are* the topics.)
pub(crate) fn own_vectors(embeddings: ArrayView2<f32>) -> Array2<f32> {
    let mut rows = embeddings.to_owned();
    normalize_rows(&mut rows);
    center(&mut rows);
    normalize_rows(&mut rows);
    rows
}

/// Subtracts the rows' mean from each row, in place.
fn center(rows: &mut Array2<f32>) {
    // Summed in the order of the rows' values, so the mean is independent of
    // input order (equal rows are interchangeable).
    let mut order: Vec<usize> = (0..rows.nrows()).collect();
    order.sort_by(|&a, &b| compare_rows(rows.row(a), rows.row(b)));
    let mut mean = Array1::<f32>::zeros(rows.ncols());
    for &i in &order {
        mean.scaled_add(1.0, &rows.row(i));
    }
    mean.mapv_inplace(|x| x / rows.nrows().max(1) as f32);
    *rows -= &mean;
}

/// Reorders `rows` in place so that row `i` becomes what row `order[i]`
/// was (`order` a permutation of the rows): what `select` gives, without a
/// second matrix.
fn permute_rows(rows: &mut Array2<f32>, order: &[usize]) {
    assert_eq!(order.len(), rows.nrows(), "a permutation of the rows");
    let mut placed = vec![false; order.len()];
    let mut held = Array1::<f32>::zeros(rows.ncols());
    let mut moving = Array1::<f32>::zeros(rows.ncols());
    for start in 0..order.len() {
        if placed[start] {
            continue;
        }
        // Follow the cycle through `start`: each row takes its source's
        // values, and the last takes the first's, held aside.
        held.assign(&rows.row(start));
        let mut at = start;
        loop {
            placed[at] = true;
            let from = order[at];
            if from == start {
                rows.row_mut(at).assign(&held);
                break;
            }
            moving.assign(&rows.row(from));
            rows.row_mut(at).assign(&moving);
            at = from;
        }
    }
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
pub(crate) fn representatives(
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

pub(crate) fn round4(x: f32) -> f32 {
    ((f64::from(x) * 1e4).round() / 1e4) as f32
}

#[cfg(test)]
mod tests;
