//! The theme tree, the theme cards and the essay cards, and the theme chips
//! they (and the facet tables) show.

use super::text::{link_path, percent};
use super::Index;
use crate::palette;
use precis_summarize::{DocumentSummary, OutlineSection};
use precis_themes::ThemeId;
use serde::Serialize;
use std::collections::HashMap;

/// Least share shown as a theme of an essay.
const TOP_THEME_SHARE: f64 = 0.05;

/// Most themes listed on an essay.
const TOP_THEMES: usize = 4;

/// A theme group and its themes: one branch of the report's theme tree.
#[derive(Serialize, Debug)]
pub(super) struct GroupNode {
    id: u32,
    label: String,
    percent: String,
    keywords: Vec<String>,
    themes: Vec<ThemeChip>,
}

#[derive(Serialize, Debug)]
pub(super) struct ThemeCard {
    id: ThemeId,
    label: String,
    group: Option<String>,
    colour: &'static str,
    text: &'static str,
    size: usize,
    percent: String,
    documents: usize,
    keywords: Vec<String>,
    summary: Option<String>,
    representatives: Vec<Quote>,
}

#[derive(Serialize, Debug)]
struct Quote {
    text: String,
    doc_id: String,
    title: String,
}

#[derive(Serialize, Debug)]
pub(super) struct EssayCard {
    doc_id: String,
    title: String,
    source: String,
    href: String,
    sentences: usize,
    summary: Option<String>,
    /// The essay's outline when it has sections, for its page; left out of
    /// the page's data when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    outline: Vec<OutlineSection>,
    themes: Vec<ThemeChip>,
}

#[derive(Serialize, Debug)]
pub(super) struct ThemeChip {
    pub(super) id: ThemeId,
    pub(super) label: String,
    pub(super) percent: String,
    pub(super) colour: &'static str,
    pub(super) text: &'static str,
}

/// The theme tree: every group with its themes, largest first.
pub(super) fn group_nodes(index: &Index) -> Vec<GroupNode> {
    index
        .input
        .themes
        .groups
        .iter()
        .map(|group| GroupNode {
            id: group.id,
            label: group.label.clone(),
            percent: percent(group.weight),
            keywords: group.keywords.iter().take(5).cloned().collect(),
            themes: group
                .themes
                .iter()
                .filter_map(|&id| {
                    let theme = index.themes().get(*index.theme.get(&id)?)?;
                    index.chip(id, theme.weight)
                })
                .collect(),
        })
        .collect()
}

pub(super) fn theme_cards(index: &Index) -> Vec<ThemeCard> {
    let input = index.input;
    let sentence: HashMap<(&str, usize), &str> = input
        .sentences
        .iter()
        .map(|s| ((s.doc_id.as_str(), s.index), s.text.as_str()))
        .collect();
    let summary: HashMap<ThemeId, &str> = input
        .theme_summaries
        .iter()
        .map(|s| (s.theme, s.summary.as_str()))
        .collect();
    index
        .themes()
        .iter()
        .enumerate()
        .map(|(position, theme)| ThemeCard {
            id: theme.id,
            label: theme.label.clone(),
            group: input
                .themes
                .groups
                .iter()
                .find(|g| g.id == theme.group)
                .map(|g| g.label.clone()),
            colour: palette::theme(position),
            text: palette::theme_text(position),
            size: theme.size,
            percent: percent(theme.weight),
            documents: theme.documents,
            keywords: theme.keywords.clone(),
            summary: summary
                .get(&theme.id)
                .filter(|s| !s.trim().is_empty())
                .map(|s| s.trim().to_string()),
            representatives: theme
                .representatives
                .iter()
                .filter_map(|r| {
                    let text = sentence.get(&(r.doc_id.as_str(), r.index))?;
                    Some(Quote {
                        text: text.trim().to_string(),
                        doc_id: r.doc_id.clone(),
                        title: index
                            .document(&r.doc_id)
                            .map_or_else(|| r.doc_id.clone(), |d| d.title.clone()),
                    })
                })
                .collect(),
        })
        .collect()
}

pub(super) fn essay_cards(index: &Index) -> Vec<EssayCard> {
    let input = index.input;
    let summary: HashMap<&str, &DocumentSummary> = input
        .document_summaries
        .iter()
        .map(|s| (s.doc_id.as_str(), s))
        .collect();
    let themes: HashMap<&str, &precis_themes::DocumentThemes> = input
        .document_themes
        .iter()
        .map(|d| (d.doc_id.as_str(), d))
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for s in input.sentences {
        *counts.entry(s.doc_id.as_str()).or_default() += 1;
    }
    let prefix = link_path(&input.facts.source_prefix);
    input
        .documents
        .iter()
        .map(|doc| EssayCard {
            doc_id: doc.doc_id.clone(),
            title: doc.title.clone(),
            source: doc.source.clone(),
            href: format!("{prefix}{}", link_path(&doc.source)),
            sentences: counts.get(doc.doc_id.as_str()).copied().unwrap_or(0),
            summary: summary
                .get(doc.doc_id.as_str())
                .map(|s| s.summary.trim())
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            outline: summary
                .get(doc.doc_id.as_str())
                .map(|s| s.outline.clone())
                .unwrap_or_default(),
            themes: themes
                .get(doc.doc_id.as_str())
                .map(|d| {
                    d.themes
                        .iter()
                        .filter(|s| s.share >= TOP_THEME_SHARE)
                        .take(TOP_THEMES)
                        .filter_map(|s| index.chip(s.theme, s.share))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect()
}
