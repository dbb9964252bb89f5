//! Each essay as a strip of its sentences in order, coloured by theme.

use super::data::EssayText;
use super::Index;
use crate::palette;
use serde::Serialize;

/// One essay as a strip of its sentences in order, coloured by theme.
#[derive(Serialize, Debug)]
pub(super) struct Strip {
    /// The essay's position among the documents: its key in [`Data`].
    position: usize,
    doc_id: String,
    title: String,
    sentences: usize,
    /// Runs of consecutive sentences of one theme, in sentence units.
    runs: Vec<StripRun>,
}

#[derive(Serialize, Debug)]
struct StripRun {
    x: usize,
    width: usize,
    colour: &'static str,
    /// The theme's position, or -1 for none.
    theme: i64,
}

/// The essays as strips, in `order`.
pub(super) fn strips(index: &Index, texts: &[EssayText], order: &[usize]) -> Vec<Strip> {
    order
        .iter()
        .map(|&d| {
            let document = &index.input.documents[d];
            let themes = &texts[d].themes;
            let mut runs: Vec<StripRun> = Vec::new();
            for (i, &theme) in themes.iter().enumerate() {
                match runs.last_mut() {
                    Some(run) if run.theme == theme => run.width += 1,
                    _ => runs.push(StripRun {
                        x: i,
                        width: 1,
                        colour: usize::try_from(theme).map_or(palette::NO_THEME, palette::theme),
                        theme,
                    }),
                }
            }
            Strip {
                position: d,
                doc_id: document.doc_id.clone(),
                title: document.title.clone(),
                sentences: themes.len(),
                runs,
            }
        })
        .collect()
}
