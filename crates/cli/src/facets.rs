//! Facets of the documents: what a reader compares collections by (a
//! folder, an author, a year). A document's folder is a facet whenever the
//! input has subfolders; a Markdown file's front matter gives a facet per
//! single-valued field that groups documents (`author: Bacon`, given by
//! two essays or named by `--by`); `--metadata FILE` adds a facet
//! per column of a CSV file that maps each document's path to its values.
//! Where two sources give one document a value for the same facet, the
//! file wins over front matter, and front matter over the folder.

use anyhow::{bail, Context, Result};
use precis_core::{Document, SkippedFile};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where facets come from, and which one `precis run` shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FacetConfig {
    /// A CSV file with a `path` column (relative to the input folder) and
    /// one column per facet.
    pub metadata: Option<PathBuf>,
    /// The facet the run's summary shows (`--by`).
    pub by: Option<String>,
}

/// The column of the metadata file that names the document.
const PATH_COLUMN: &str = "path";

/// Every facet's value for every document that has one: facet, then doc id.
pub type Facets = BTreeMap<String, BTreeMap<String, String>>;

/// The facets of `documents`, from their folders, their front matter and
/// the metadata file.
/// A path in the file that names no document is an error naming its row,
/// unless the run skipped that file; an empty cell gives the document no
/// value for that facet.
pub fn read(
    documents: &[Document],
    skipped: &[SkippedFile],
    config: &FacetConfig,
) -> Result<Facets> {
    let mut facets = Facets::new();
    if documents.iter().any(|d| d.source.contains('/')) {
        let folders = documents
            .iter()
            .map(|d| {
                let folder = match d.source.rsplit_once('/') {
                    Some((folder, _)) => folder.to_string(),
                    None => ".".to_string(),
                };
                (d.doc_id.clone(), folder)
            })
            .collect();
        facets.insert("folder".into(), folders);
    }
    // Each source's values win over the ones before, document by document.
    for (facet, values) in front_matter_facets(documents, config.by.as_deref()) {
        facets.entry(facet).or_default().extend(values);
    }
    if let Some(path) = &config.metadata {
        for (facet, values) in read_metadata(path, documents, skipped)? {
            facets.entry(facet).or_default().extend(values);
        }
    }
    let mut files = BTreeMap::new();
    for facet in facets.keys() {
        if let Some(other) = files.insert(crate::pipeline::facet_file(facet), facet) {
            bail!("facets `{other}` and `{facet}` would share one file: rename one of the columns");
        }
    }
    if let Some(by) = &config.by {
        if !facets.contains_key(by) {
            let known: Vec<&str> = facets.keys().map(String::as_str).collect();
            bail!(
                "--by {by}: no such facet; {}",
                if known.is_empty() {
                    "this input has no subfolders, no front matter fields and no --metadata file, so it \
                     has none".into()
                } else {
                    format!("the facets are {}", known.join(", "))
                }
            );
        }
    }
    Ok(facets)
}

/// The front matter fields that group documents: those with a value two
/// documents share, and the one `--by` names. A field whose every value is
/// its document's own (a subtitle, a date) would only compare each essay
/// with the rest.
fn front_matter_facets(documents: &[Document], by: Option<&str>) -> Facets {
    let mut fields = Facets::new();
    for document in documents {
        for (field, value) in &document.metadata {
            fields
                .entry(field.clone())
                .or_default()
                .insert(document.doc_id.clone(), value.clone());
        }
    }
    fields.retain(|field, values| {
        let mut seen = std::collections::BTreeSet::new();
        by == Some(field.as_str()) || values.values().any(|value| !seen.insert(value))
    });
    fields
}

fn read_metadata(path: &Path, documents: &[Document], skipped: &[SkippedFile]) -> Result<Facets> {
    let shown = path.display();
    let mut reader = csv::Reader::from_path(path).with_context(|| {
        format!("reading the metadata file {shown} (fix the path given to --metadata)")
    })?;
    let headers: Vec<String> = reader
        .headers()
        .with_context(|| format!("{shown}: reading the header row"))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let Some(path_column) = headers.iter().position(|h| h == PATH_COLUMN) else {
        bail!(
            "{shown}: the header row has no `{PATH_COLUMN}` column (it has {}); the file needs \
             `{PATH_COLUMN}` (each document's path inside the input folder) and one column per facet",
            headers.join(", ")
        );
    };
    for (i, header) in headers.iter().enumerate() {
        if header.is_empty() {
            bail!("{shown}: column {} of the header row has no name", i + 1);
        }
        if headers[..i].contains(header) {
            bail!("{shown}: the header row names `{header}` twice");
        }
    }
    let doc_of: BTreeMap<&str, &str> = documents
        .iter()
        .map(|d| (d.source.as_str(), d.doc_id.as_str()))
        .collect();
    let mut facets: Facets = headers
        .iter()
        .filter(|h| *h != PATH_COLUMN)
        .map(|h| (h.clone(), BTreeMap::new()))
        .collect();
    let mut seen = BTreeMap::new();
    for (i, record) in reader.records().enumerate() {
        // Row 1 is the header.
        let row = i + 2;
        let record = record.with_context(|| format!("{shown}, row {row}"))?;
        let source = record
            .get(path_column)
            .unwrap_or("")
            .trim()
            .replace('\\', "/");
        let source = source.trim_start_matches("./").to_string();
        if let Some(first) = seen.insert(source.clone(), row) {
            bail!("{shown}, row {row}: `{source}` is already given in row {first}");
        }
        let Some(&doc_id) = doc_of.get(source.as_str()) else {
            if skipped.iter().any(|s| s.source == source) {
                continue;
            }
            bail!(
                "{shown}, row {row}: no document `{source}` in the input folder (paths are \
                 relative to it, as in ingest/documents.jsonl's `source`)"
            );
        };
        for (column, value) in record.iter().enumerate() {
            let value = value.trim();
            if column != path_column && !value.is_empty() {
                if let Some(values) = facets.get_mut(&headers[column]) {
                    values.insert(doc_id.to_string(), value.to_string());
                }
            }
        }
    }
    Ok(facets)
}
