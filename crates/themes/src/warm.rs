//! Warm starts: after a small edit, the previous run's themes carry on, and
//! only what the edit touched is redone.
//!
//! A sentence is *unchanged* when the previous run had a sentence of the
//! same document with the same text (matched in reading order, so repeated
//! sentences pair up one to one); it keeps its theme and its margin. Every
//! other sentence is *new*. The documents are cut into passages exactly as
//! a fresh run cuts them, and the new sentences of each passage take the
//! theme whose previous centre is nearest the passage's mean vector: a
//! fresh run also gives a passage one theme, and judges it by the whole
//! passage, not by a sentence alone.
//!
//! Themes whose members changed get their centre, size, documents,
//! representatives and keywords recomputed; every theme keeps its id, label
//! and group. A group with a changed theme gets its keywords recomputed the
//! same way, and keeps its id and label. Shares of the whole (`weight`) are
//! recomputed for all.

use crate::documents::Documents;
use crate::keywords::{self, KeywordOptions, PhraseIndex};
use crate::kmeans::normalize_rows;
use crate::{
    assign, cut_passages, identity, mean_direction, own_vectors, representatives, round4,
    Assignment, KeptTheme, Theme, ThemeChanges, ThemeConfig, ThemeDiagnostics, ThemeId, ThemeRun,
    ThemeSet,
};
use ndarray::{Array1, ArrayView1, ArrayView2, Axis};
use precis_core::{Sentence, SentenceRef};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The previous run's themes, with the sentences they were found on.
#[derive(Clone, Copy, Debug)]
pub struct PreviousThemes<'a> {
    pub set: &'a ThemeSet,
    /// The previous run's sentences.
    pub sentences: &'a [Sentence],
    /// The previous run's assignments, one per sentence of `sentences`, in
    /// the same order.
    pub assignments: &'a [Assignment],
}

/// How large an edit is, against the previous run: what decides between a
/// warm start and a fresh clustering.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct EditSize {
    /// This run's sentences the previous run did not have.
    pub new: usize,
    /// The previous run's sentences this run does not have.
    pub removed: usize,
    /// The larger of `new` over this run's sentences and `removed` over the
    /// previous run's, rounded to 4 decimals.
    pub share: f64,
    /// The largest share of a previous theme's members that are gone,
    /// rounded to 4 decimals, and that theme.
    pub largest_loss: f64,
    pub losing_theme: Option<ThemeId>,
}

impl EditSize {
    /// Measures the edit from `previous` to `sentences`. `None` when the
    /// previous assignments do not fit its sentences or name themes its set
    /// lacks (a damaged folder).
    pub fn measure(sentences: &[Sentence], previous: &PreviousThemes) -> Option<EditSize> {
        Some(Matching::new(sentences, previous)?.size)
    }

    /// Whether the edit is small enough to warm-start: under
    /// [`ThemeConfig::warm_changed_share`] of the sentences new or gone,
    /// and no theme losing more than [`ThemeConfig::warm_theme_loss`] of
    /// its members.
    pub fn is_small(&self, config: &ThemeConfig) -> bool {
        self.share < config.warm_changed_share && self.largest_loss <= config.warm_theme_loss
    }

    /// Why the edit is or is not small, in words.
    pub fn describe(&self, config: &ThemeConfig) -> String {
        let changed = format!(
            "{} sentences new and {} gone ({:.2}% changed, limit {:.0}%)",
            self.new,
            self.removed,
            100.0 * self.share,
            100.0 * config.warm_changed_share
        );
        match self.losing_theme {
            Some(theme) if self.largest_loss > 0.0 => format!(
                "{changed}; theme {theme} lost {:.0}% of its members (limit {:.0}%)",
                100.0 * self.largest_loss,
                100.0 * config.warm_theme_loss
            ),
            _ => changed,
        }
    }
}

/// Which previous sentence each sentence continues.
struct Matching {
    /// For each sentence, the position of the previous sentence it
    /// continues.
    previous_of: Vec<Option<usize>>,
    /// For each previous sentence, the sentence continuing it.
    current_of: Vec<Option<usize>>,
    size: EditSize,
}

impl Matching {
    fn new(sentences: &[Sentence], previous: &PreviousThemes) -> Option<Self> {
        if previous.sentences.len() != previous.assignments.len() {
            return None;
        }
        let ids: HashSet<ThemeId> = previous.set.themes.iter().map(|t| t.id).collect();
        let fits = previous
            .sentences
            .iter()
            .zip(previous.assignments)
            .all(|(s, a)| s.doc_id == a.doc_id && s.index == a.index && ids.contains(&a.theme));
        if !fits {
            return None;
        }
        // Previous positions of each (document, text), in reading order.
        let mut queue: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        let mut order: Vec<usize> = (0..previous.sentences.len()).collect();
        order.sort_by_key(|&p| std::cmp::Reverse(previous.sentences[p].index));
        for p in order {
            let s = &previous.sentences[p];
            queue
                .entry((s.doc_id.as_str(), s.text.as_str()))
                .or_default()
                .push(p);
        }
        let mut reading: Vec<usize> = (0..sentences.len()).collect();
        reading.sort_by_key(|&i| sentences[i].index);
        let mut previous_of = vec![None; sentences.len()];
        let mut current_of = vec![None; previous.sentences.len()];
        for i in reading {
            let s = &sentences[i];
            if let Some(p) = queue
                .get_mut(&(s.doc_id.as_str(), s.text.as_str()))
                .and_then(Vec::pop)
            {
                previous_of[i] = Some(p);
                current_of[p] = Some(i);
            }
        }
        let new = previous_of.iter().filter(|p| p.is_none()).count();
        let removed = current_of.iter().filter(|c| c.is_none()).count();
        let mut sizes: BTreeMap<ThemeId, (usize, usize)> = BTreeMap::new();
        for (a, c) in previous.assignments.iter().zip(&current_of) {
            let entry = sizes.entry(a.theme).or_default();
            entry.0 += 1;
            entry.1 += usize::from(c.is_none());
        }
        let (losing_theme, largest_loss) = sizes
            .iter()
            .map(|(&theme, &(size, lost))| (theme, lost as f64 / size as f64))
            .fold((None, 0.0), |best, (theme, loss)| {
                if loss > best.1 {
                    (Some(theme), loss)
                } else {
                    best
                }
            });
        let share = (new as f64 / sentences.len().max(1) as f64)
            .max(removed as f64 / previous.sentences.len().max(1) as f64);
        Some(Self {
            previous_of,
            current_of,
            size: EditSize {
                new,
                removed,
                share: (share * 1e4).round() / 1e4,
                largest_loss: (largest_loss * 1e4).round() / 1e4,
                losing_theme,
            },
        })
    }
}

/// Themes for `sentences` carried on from `previous`, when the edit between
/// them is small ([`EditSize::is_small`]); otherwise `Err` with its size,
/// or `Err(None)` when `previous` does not fit together. Arguments are as
/// for [`crate::find_themes`]. The result is a function of `previous` and
/// the input: see the module docs for what is kept and what is redone.
///
/// # Panics
/// If `embeddings` or `paragraphs` do not have one row per sentence.
pub fn warm_start(
    sentences: &[Sentence],
    paragraphs: &[usize],
    embeddings: ArrayView2<f32>,
    previous: &PreviousThemes,
    config: &ThemeConfig,
) -> Result<(ThemeRun, EditSize), Option<EditSize>> {
    assert_eq!(sentences.len(), embeddings.nrows(), "one row per sentence");
    assert_eq!(
        sentences.len(),
        paragraphs.len(),
        "one paragraph per sentence"
    );
    let matching = Matching::new(sentences, previous).ok_or(None)?;
    if !matching.size.is_small(config) {
        return Err(Some(matching.size));
    }
    let old = previous.set;
    let position: HashMap<ThemeId, usize> = old
        .themes
        .iter()
        .enumerate()
        .map(|(t, theme)| (theme.id, t))
        .collect();
    let documents = Documents::new(sentences);
    let mut unit = embeddings.to_owned();
    normalize_rows(&mut unit);
    let own = own_vectors(embeddings);

    // Unchanged sentences keep their theme; each passage's new sentences take
    // the theme whose centre is nearest the passage's mean.
    let mut label: Vec<Option<usize>> = matching
        .previous_of
        .iter()
        .map(|p| p.map(|p| position[&previous.assignments[p].theme]))
        .collect();
    let passages = cut_passages(sentences, paragraphs, own.view(), &documents);
    for passage in &passages {
        let all: Vec<usize> = passage
            .rows
            .iter()
            .chain(&passage.asides)
            .copied()
            .collect();
        if all.iter().all(|&r| label[r].is_some()) {
            continue;
        }
        let mean = mean_direction(unit.view(), &passage.rows);
        let nearest = nearest_centre(&mean, old);
        for r in all {
            label[r].get_or_insert(nearest);
        }
    }
    let label: Vec<usize> = label
        .into_iter()
        .map(|l| l.expect("every sentence is in a passage"))
        .collect();

    // Canonical order: documents by content, then reading order.
    let canonical: Vec<usize> = documents
        .canonical_order()
        .into_iter()
        .flat_map(|d| documents.members(d).to_vec())
        .collect();
    let k = old.themes.len();
    let labels: Vec<usize> = canonical.iter().map(|&i| label[i]).collect();
    let fresh_margins = assign::margins(own.select(Axis(0), &canonical).view(), &labels, k);
    let mut margin = vec![0f32; sentences.len()];
    for (position, &i) in canonical.iter().enumerate() {
        margin[i] = match matching.previous_of[i] {
            Some(p) => previous.assignments[p].margin,
            None => round4(fresh_margins[position]),
        };
    }
    let unit = unit.select(Axis(0), &canonical);
    let members = crate::members_of(&labels, k);
    let changed: Vec<bool> = (0..k)
        .map(|t| {
            let id = old.themes[t].id;
            let gained = members[t]
                .iter()
                .any(|&p| matching.previous_of[canonical[p]].is_none());
            let lost = previous
                .assignments
                .iter()
                .zip(&matching.current_of)
                .any(|(a, c)| a.theme == id && c.is_none());
            gained || lost
        })
        .collect();

    // Keywords by c-TF-IDF against every theme, as in a fresh run; taken
    // only for the themes that changed.
    let any_changed = changed.iter().any(|&c| c);
    let centroids: Vec<Array1<f32>> = (0..k)
        .map(|t| {
            if changed[t] {
                mean_direction(unit.view(), &members[t])
            } else {
                Array1::from(old.themes[t].centroid.clone())
            }
        })
        .collect();
    // Groups keep their ids and labels; the keywords of a group whose
    // themes changed are recomputed as a fresh run computes them: c-TF-IDF
    // of the group's members against every group.
    let group_members: Vec<Vec<usize>> = old
        .groups
        .iter()
        .map(|g| {
            let mut m: Vec<usize> = (0..k)
                .filter(|&t| old.themes[t].group == g.id)
                .flat_map(|t| members[t].iter().copied())
                .collect();
            m.sort_unstable();
            m
        })
        .collect();
    let group_changed: Vec<bool> = old
        .groups
        .iter()
        .map(|g| (0..k).any(|t| changed[t] && old.themes[t].group == g.id))
        .collect();
    let (words, group_words) = if any_changed {
        let index = PhraseIndex::build(canonical.iter().map(|&i| sentences[i].text.as_str()));
        let options = KeywordOptions {
            count: config.keywords,
            relevance_weight: config.keyword_relevance,
        };
        let group_centroids: Vec<Array1<f32>> = group_members
            .iter()
            .map(|m| mean_direction(unit.view(), m))
            .collect();
        (
            keywords::theme_keywords(&index, &members, unit.view(), &centroids, options),
            keywords::theme_keywords(
                &index,
                &group_members,
                unit.view(),
                &group_centroids,
                options,
            ),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let total = sentences.len();
    let moved = |r: &SentenceRef| {
        let p = previous
            .sentences
            .iter()
            .position(|s| s.doc_id == r.doc_id && s.index == r.index)
            .and_then(|p| matching.current_of[p])
            .expect("an unchanged theme's members are all unchanged");
        SentenceRef {
            doc_id: sentences[p].doc_id.clone(),
            index: sentences[p].index,
        }
    };
    let mut kept = Vec::new();
    let themes: Vec<Theme> = old
        .themes
        .iter()
        .enumerate()
        .map(|(t, theme)| {
            let weight = members[t].len() as f64 / total as f64;
            if !changed[t] {
                kept.push(KeptTheme {
                    id: theme.id,
                    similarity: 1.0,
                });
                return Theme {
                    weight,
                    representatives: theme.representatives.iter().map(moved).collect(),
                    ..theme.clone()
                };
            }
            let rounded: Vec<f32> = centroids[t].iter().map(|&x| identity::round6(x)).collect();
            kept.push(KeptTheme {
                id: theme.id,
                similarity: identity::round6(identity::cosine(&theme.centroid, &rounded)),
            });
            let docs: HashSet<&str> = members[t]
                .iter()
                .map(|&p| sentences[canonical[p]].doc_id.as_str())
                .collect();
            Theme {
                id: theme.id,
                label: theme.label.clone(),
                keywords: words[t].keywords.clone(),
                group: theme.group,
                size: members[t].len(),
                weight,
                documents: docs.len(),
                low_confidence: members[t]
                    .iter()
                    .filter(|&&p| margin[canonical[p]] < 0.0)
                    .count(),
                representatives: representatives(
                    &members[t],
                    unit.view(),
                    &centroids[t],
                    &canonical,
                    sentences,
                    config.representatives,
                ),
                centroid: rounded,
            }
        })
        .collect();

    // Sizes follow the themes; keywords follow them where they changed.
    let groups = old
        .groups
        .iter()
        .zip(&group_changed)
        .enumerate()
        .map(|(g_at, (g, &changed))| {
            let mut own: Vec<&Theme> = themes.iter().filter(|t| t.group == g.id).collect();
            // Largest first; ties in the group's previous order.
            own.sort_by_key(|t| {
                let was = g.themes.iter().position(|&id| id == t.id);
                (std::cmp::Reverse(t.size), was)
            });
            let size = own.iter().map(|t| t.size).sum::<usize>();
            crate::ThemeGroup {
                themes: own.iter().map(|t| t.id).collect(),
                size,
                weight: size as f64 / total as f64,
                keywords: if changed {
                    group_words[g_at].keywords.clone()
                } else {
                    g.keywords.clone()
                },
                ..g.clone()
            }
        })
        .collect();

    let theme_of: Vec<ThemeId> = label.iter().map(|&t| old.themes[t].id).collect();
    let assignments = sentences
        .iter()
        .enumerate()
        .map(|(i, s)| Assignment {
            doc_id: s.doc_id.clone(),
            index: s.index,
            theme: theme_of[i],
            margin: margin[i],
            low_confidence: margin[i] < 0.0,
        })
        .collect();
    let group_of: HashMap<ThemeId, crate::GroupId> =
        themes.iter().map(|t| (t.id, t.group)).collect();
    let shares = documents.shares(&theme_of, |t| group_of[&t]);
    let diagnostics = ThemeDiagnostics {
        k,
        forced: config.themes.is_some(),
        groups: old.groups.len(),
        groups_forced: config.groups.is_some(),
        passages: passages.len(),
        ..ThemeDiagnostics::default()
    };
    let run = ThemeRun {
        set: ThemeSet {
            themes,
            groups,
            next_id: old.next_id,
        },
        assignments,
        documents: shares,
        changes: ThemeChanges {
            kept,
            new: Vec::new(),
            retired: Vec::new(),
        },
        diagnostics,
    };
    Ok((run, matching.size))
}

/// The position of the theme whose centre is nearest `direction` (ties: the
/// earlier theme).
fn nearest_centre(direction: &Array1<f32>, set: &ThemeSet) -> usize {
    let mut best = (0, f32::NEG_INFINITY);
    for (t, theme) in set.themes.iter().enumerate() {
        let similarity = direction.dot(&ArrayView1::from(theme.centroid.as_slice()));
        if similarity > best.1 {
            best = (t, similarity);
        }
    }
    best.0
}
