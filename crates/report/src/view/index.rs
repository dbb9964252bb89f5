//! Lookups shared by the parts of the page.

use super::cards::ThemeChip;
use super::text::percent;
use crate::palette;
use crate::ReportInput;
use ndarray::Array2;
use precis_core::Document;
use precis_themes::{Theme, ThemeId};
use std::collections::HashMap;

/// Lookups shared by the parts of the page.
pub(super) struct Index<'a> {
    pub(super) input: ReportInput<'a>,
    /// Position of each document by id.
    pub(super) document: HashMap<&'a str, usize>,
    /// Position of each theme (by id order) by id.
    pub(super) theme: HashMap<ThemeId, usize>,
}

impl<'a> Index<'a> {
    pub(super) fn new(input: ReportInput<'a>) -> Self {
        Self {
            input,
            document: input
                .documents
                .iter()
                .enumerate()
                .map(|(i, d)| (d.doc_id.as_str(), i))
                .collect(),
            theme: input
                .themes
                .themes
                .iter()
                .enumerate()
                .map(|(i, t)| (t.id, i))
                .collect(),
        }
    }

    pub(super) fn themes(&self) -> &'a [Theme] {
        &self.input.themes.themes
    }

    pub(super) fn document(&self, doc_id: &str) -> Option<&'a Document> {
        self.document.get(doc_id).map(|&i| &self.input.documents[i])
    }

    pub(super) fn chip(&self, id: ThemeId, share: f64) -> Option<ThemeChip> {
        let position = *self.theme.get(&id)?;
        Some(ThemeChip {
            id,
            label: self.themes()[position].label.clone(),
            percent: percent(share),
            colour: palette::theme(position),
            text: palette::theme_text(position),
        })
    }

    /// Each document's share of each theme: documents × themes.
    pub(super) fn shares(&self) -> Array2<f64> {
        let mut shares = Array2::zeros((self.input.documents.len(), self.themes().len()));
        for doc in self.input.document_themes {
            let Some(&d) = self.document.get(doc.doc_id.as_str()) else {
                continue;
            };
            for share in &doc.themes {
                if let Some(&t) = self.theme.get(&share.theme) {
                    shares[[d, t]] = share.share;
                }
            }
        }
        shares
    }
}
