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
        Ok(layout.document_named(&documents, name)?.doc_id.clone())
    };
    let (a, b) = (doc_id(a)?, doc_id(b)?);
    let sentences: Vec<Sentence> = layout.read_rows(Artifact::Sentences)?;
    let embeddings = layout.read_embeddings()?;
    layout.check_rows(
        sentences.len(),
        &[embeddings.nrows(), themes.assignments.len()],
    )?;
    precis_themes::side_by_side(&a, &b, &themes, &sentences, embeddings.view())
        .map_err(|message| anyhow!("{}: {message}", layout.root.display()))
}
