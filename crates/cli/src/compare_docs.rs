//! `precis compare-docs`: two documents of a finished run, side by side.

use crate::layout::Layout;
use crate::pipeline::Artifact;
use anyhow::{anyhow, Result};
use precis_core::{Document, Sentence};
use precis_themes::SideBySide;

/// Reads the run in `layout` and compares documents `a` and `b`, each named
/// by doc id or by its path inside the input folder.
pub fn side_by_side(layout: &Layout, a: &str, b: &str) -> Result<SideBySide> {
    let themes = layout.read_themes()?;
    let documents: Vec<Document> = layout.read_rows(Artifact::Documents)?;
    let doc_id = |name: &str| -> Result<String> {
        documents
            .iter()
            .find(|d| d.doc_id == name)
            .or_else(|| documents.iter().find(|d| d.source == name))
            .map(|d| d.doc_id.clone())
            .ok_or_else(|| {
                anyhow!(
                    "{} has no document `{name}`: name it by its doc id or its path inside the \
                     input folder, as in {}",
                    layout.root.display(),
                    layout.file(Artifact::Documents).display()
                )
            })
    };
    let (a, b) = (doc_id(a)?, doc_id(b)?);
    let sentences: Vec<Sentence> = layout.read_rows(Artifact::Sentences)?;
    let embeddings = layout.read_embeddings()?;
    if embeddings.nrows() != sentences.len() || themes.assignments.len() != sentences.len() {
        anyhow::bail!(
            "{}: the stage files disagree on the number of sentences; run `precis run` again",
            layout.root.display()
        );
    }
    precis_themes::side_by_side(&a, &b, &themes, &sentences, embeddings.view())
        .map_err(|message| anyhow!("{}: {message}", layout.root.display()))
}
