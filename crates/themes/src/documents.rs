//! The documents of the input: which sentences each has, a name-free key
//! for each, and their theme and group shares.

use crate::{DocumentThemes, GroupId, GroupShare, ThemeId, ThemeShare};
use precis_core::Sentence;
use std::collections::HashMap;

/// Which sentences each document has, and a name-free key for each.
pub(crate) struct Documents<'a> {
    /// Document ids in order of first appearance.
    ids: Vec<&'a str>,
    /// Sentences (input positions) of each document, by sentence index.
    members: Vec<Vec<usize>>,
    /// Hash of each document's sentence texts: identifies it by content.
    keys: Vec<[u8; 32]>,
}

impl<'a> Documents<'a> {
    pub(crate) fn new(sentences: &'a [Sentence]) -> Self {
        let mut position: HashMap<&str, usize> = HashMap::new();
        let mut ids = Vec::new();
        let mut members: Vec<Vec<usize>> = Vec::new();
        for (i, s) in sentences.iter().enumerate() {
            let d = *position.entry(s.doc_id.as_str()).or_insert_with(|| {
                ids.push(s.doc_id.as_str());
                members.push(Vec::new());
                ids.len() - 1
            });
            members[d].push(i);
        }
        for m in &mut members {
            m.sort_by_key(|&i| sentences[i].index);
        }
        let keys = members
            .iter()
            .map(|m| {
                let mut hasher = blake3::Hasher::new();
                for &i in m {
                    hasher.update(sentences[i].text.as_bytes());
                    hasher.update(&[0]);
                }
                *hasher.finalize().as_bytes()
            })
            .collect();
        Self { ids, members, keys }
    }

    /// The number of documents.
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    /// The sentences (input positions) of document `d`, in reading order.
    pub(crate) fn members(&self, d: usize) -> &[usize] {
        &self.members[d]
    }

    /// The documents in an order derived from their content alone (ties,
    /// between documents of identical sentences, by id).
    pub(crate) fn canonical_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.ids.len()).collect();
        order.sort_by(|&a, &b| {
            self.keys[a]
                .cmp(&self.keys[b])
                .then_with(|| self.ids[a].cmp(self.ids[b]))
        });
        order
    }

    /// Theme and group shares of each document, in order of first
    /// appearance; `group_of` gives each theme's group.
    pub(crate) fn shares(
        &self,
        theme_of: &[ThemeId],
        group_of: impl Fn(ThemeId) -> GroupId,
    ) -> Vec<DocumentThemes> {
        self.ids
            .iter()
            .zip(&self.members)
            .map(|(id, members)| {
                let themes = shares(members.iter().map(|&i| theme_of[i]))
                    .into_iter()
                    .map(|(theme, share)| ThemeShare { theme, share })
                    .collect();
                let groups = shares(members.iter().map(|&i| group_of(theme_of[i])))
                    .into_iter()
                    .map(|(group, share)| GroupShare { group, share })
                    .collect();
                DocumentThemes {
                    doc_id: (*id).to_owned(),
                    themes,
                    groups,
                }
            })
            .collect()
    }
}

/// Each label's share of the items, largest first (ties: lower label).
fn shares(labels: impl Iterator<Item = u32>) -> Vec<(u32, f64)> {
    let mut counts: HashMap<u32, usize> = HashMap::new();
    let mut total = 0;
    for label in labels {
        *counts.entry(label).or_default() += 1;
        total += 1;
    }
    let mut out: Vec<(u32, f64)> = counts
        .into_iter()
        .map(|(label, n)| (label, n as f64 / total as f64))
        .collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}
