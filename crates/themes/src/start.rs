//! How a run's themes begin: warm-started from the last run's after a small
//! edit, else clustered afresh (keeping the last run's ids where themes
//! continue). The choice is a pure function of the last run and the input,
//! so the driver only reads the last run and writes what this returns.

use crate::metrics::adjusted_rand_index;
use crate::warm::{warm_start, EditSize, PreviousThemes};
use crate::{find_themes, Assignment, ThemeConfig, ThemeRun, ThemeSet};
use ndarray::ArrayView2;
use precis_core::{Document, Sentence};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What the last run left to begin from.
#[derive(Clone, Copy, Debug)]
pub enum LastRun<'a> {
    /// There were no themes to begin from, or none could be read.
    Nothing,
    /// The user set them aside (`--recluster`): the themes come from the
    /// input alone.
    SetAside,
    /// Its themes.
    Themes(LastThemes<'a>),
}

/// The last run's themes and what they were found on.
#[derive(Clone, Copy, Debug)]
pub struct LastThemes<'a> {
    pub set: &'a ThemeSet,
    /// The last run's sentences.
    pub sentences: &'a [Sentence],
    /// Its assignments, one per sentence of `sentences`; `None` when they
    /// could not be read.
    pub assignments: Option<&'a [Assignment]>,
    /// Whether the same themes code and settings made them: only then can
    /// they be warm-started from.
    pub same_method: bool,
}

/// Whether themes carried on from the last run's or were clustered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemesStart {
    Warm,
    Fresh,
}

/// Why a first run's themes were clustered afresh.
const NO_PREVIOUS: &str = "no previous themes";

/// How [`begin`] made the themes, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Beginning {
    pub start: ThemesStart,
    /// Why, in words.
    pub why: String,
    /// The edit since the last run, when it was measured.
    pub edit: Option<EditSize>,
    /// Whether the last run's themes shaped these (warm-started from, or
    /// their ids matched): then these depend on them.
    pub from_last: bool,
}

impl Beginning {
    /// The line that tells the user how the themes began; `None` for a
    /// first run, which needs no telling.
    pub fn line(&self) -> Option<String> {
        match self.start {
            ThemesStart::Warm => Some(format!(
                "themes warm-started from the last run's ({})",
                self.why
            )),
            ThemesStart::Fresh if self.why == NO_PREVIOUS => None,
            ThemesStart::Fresh => Some(format!("themes clustered afresh ({})", self.why)),
        }
    }
}

/// The themes of `sentences` (as for [`find_themes`]), begun from `last`:
/// warm-started when the same method made its themes and the edit since is
/// small ([`EditSize::is_small`]), else clustered afresh, matching its ids
/// where it had themes.
///
/// # Panics
/// If `embeddings` or `paragraphs` do not have one row per sentence.
pub fn begin(
    sentences: &[Sentence],
    paragraphs: &[usize],
    embeddings: ArrayView2<f32>,
    last: LastRun,
    config: &ThemeConfig,
) -> (ThemeRun, Beginning) {
    let fresh = |previous: Option<&ThemeSet>| {
        find_themes(sentences, paragraphs, embeddings, previous, config)
    };
    let afresh = |why: &str, edit, from_last| Beginning {
        start: ThemesStart::Fresh,
        why: why.to_owned(),
        edit,
        from_last,
    };
    let last = match last {
        LastRun::Nothing => return (fresh(None), afresh(NO_PREVIOUS, None, false)),
        LastRun::SetAside => {
            let why = "--recluster: from the input alone";
            return (fresh(None), afresh(why, None, false));
        }
        LastRun::Themes(last) => last,
    };
    let why = if !last.same_method {
        "the themes settings or code changed since the last run"
    } else if let Some(assignments) = last.assignments {
        let previous = PreviousThemes {
            set: last.set,
            sentences: last.sentences,
            assignments,
        };
        match warm_start(sentences, paragraphs, embeddings, &previous, config) {
            Ok((run, edit)) => {
                let beginning = Beginning {
                    start: ThemesStart::Warm,
                    why: format!("a small edit: {}", edit.describe(config)),
                    edit: Some(edit),
                    from_last: true,
                };
                return (run, beginning);
            }
            Err(Some(edit)) => {
                let why = format!("the edit is not small: {}", edit.describe(config));
                return (fresh(Some(last.set)), afresh(&why, Some(edit), true));
            }
            Err(None) => "the last run's assignments do not fit its sentences",
        }
    } else {
        "the last run's assignments could not be read"
    };
    (fresh(Some(last.set)), afresh(why, None, true))
}

/// How far warm-started themes (`assignments`) are from a fresh clustering
/// of the same sentences ([`crate::fresh_partition`]): the adjusted Rand
/// index of the two, rounded to 4 decimals (1: the same partition).
pub fn drift(assignments: &[Assignment], fresh: &[usize]) -> f64 {
    let warm: Vec<u32> = assignments.iter().map(|a| a.theme).collect();
    let fresh: Vec<u32> = fresh.iter().map(|&t| t as u32).collect();
    let ari = adjusted_rand_index(&warm, &fresh);
    (ari * 1e4).round() / 1e4
}

/// The paragraph number of every sentence within its document, as
/// [`find_themes`] takes them (0 for a sentence of no listed document).
pub fn paragraph_numbers(documents: &[Document], sentences: &[Sentence]) -> Vec<usize> {
    let by_id: HashMap<&str, &Document> =
        documents.iter().map(|d| (d.doc_id.as_str(), d)).collect();
    sentences
        .iter()
        .map(|s| {
            by_id
                .get(s.doc_id.as_str())
                .map_or(0, |d| d.paragraph_of(s.start))
        })
        .collect()
}
