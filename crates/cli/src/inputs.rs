//! Finding and reading the documents of an input folder.

use crate::progress::Reporter;
use anyhow::{bail, Result};
use precis_core::{Document, SkippedFile};
use precis_ingest::{Format, IngestConfig};
use std::collections::BTreeMap;
use std::path::Path;

/// The content hash of every readable file of an input folder, by relative
/// path: what the ingest stage's key is made from.
pub type Fingerprint = BTreeMap<String, String>;

/// The documents of a folder, sorted by `doc_id`, and the files skipped.
#[derive(Debug)]
pub struct Inputs {
    pub documents: Vec<Document>,
    pub skipped: Vec<SkippedFile>,
    /// The fingerprint of the bytes the documents were read from, taken in
    /// the same walk, so that the key vouches for exactly what was ingested.
    pub files: Fingerprint,
}

/// Walks `root` (hidden files and folders excluded, symlinks followed with
/// loop detection, in file-name order) and hands `visit` each file's
/// relative path with its bytes, or the reason it cannot be used.
fn walk(
    root: &Path,
    config: &IngestConfig,
    mut visit: impl FnMut(String, Result<Vec<u8>, String>),
) -> Result<()> {
    if !root.is_dir() {
        bail!(
            "input folder {} does not exist (pass the folder of your documents: `precis run PATH`)",
            root.display()
        );
    }
    let walk = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
        });
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let source = error
                    .path()
                    .map(|p| relative(root, p))
                    .unwrap_or_else(|| root.display().to_string());
                let reason = if error.loop_ancestor().is_some() {
                    "symbolic link loop".to_owned()
                } else {
                    // A folder without read permission, a link to nowhere:
                    // worded as for a file that cannot be read.
                    error
                        .io_error()
                        .map_or_else(|| error.to_string(), |e| format!("cannot be read ({e})"))
                };
                visit(source, Err(reason));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let source = relative(root, entry.path());
        if Format::from_path(&source).is_none() {
            visit(
                source,
                Err(precis_ingest::Skip::UnsupportedFormat.to_string()),
            );
            continue;
        }
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        if let Err(too_large) = precis_ingest::check_size(size, config) {
            visit(source, Err(too_large.to_string()));
            continue;
        }
        // std, not fs-err: the warning names the file already.
        let bytes = std::fs::read(entry.path()).map_err(|e| format!("cannot be read ({e})"));
        visit(source, bytes);
    }
    Ok(())
}

/// Ingests every file of `root`. A file that cannot be used is skipped with
/// a warning and listed; the run goes on.
pub fn read_folder(root: &Path, config: &IngestConfig, reporter: &Reporter) -> Result<Inputs> {
    let mut documents: Vec<Document> = Vec::new();
    let mut skipped = Vec::new();
    let mut files = Fingerprint::new();
    let mut skip = |source: String, reason: String| {
        reporter.warn(format!("skipped {source}: {reason}"));
        skipped.push(SkippedFile { source, reason });
    };
    walk(root, config, |source, bytes| {
        let bytes = match bytes {
            Ok(bytes) => bytes,
            Err(reason) => return skip(source, reason),
        };
        files.insert(source.clone(), precis_core::content_hash(&bytes));
        match precis_ingest::ingest(&source, &bytes, config) {
            Ok(ingested) => {
                for notice in &ingested.notices {
                    reporter.warn(format!("{source}: {notice}"));
                }
                documents.push(ingested.document);
            }
            Err(reason) => skip(source, reason.to_string()),
        }
    })?;
    documents.sort_by(|a, b| a.doc_id.cmp(&b.doc_id));
    if let Some(pair) = documents
        .windows(2)
        .find(|pair| pair[0].doc_id == pair[1].doc_id)
    {
        bail!(
            "{} and {} would both be document `{}`: rename one of them",
            pair[0].source,
            pair[1].source,
            pair[0].doc_id
        );
    }
    if documents.is_empty() {
        bail!(
            "no readable documents in {} ({} file(s) skipped; precis reads {})",
            root.display(),
            skipped.len(),
            precis_ingest::SUPPORTED_EXTENSIONS
                .iter()
                .map(|e| format!(".{e}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    Ok(Inputs {
        documents,
        skipped,
        files,
    })
}

/// The fingerprint of `root` as it is now, without ingesting it: what
/// `precis status` compares with the last run's.
pub fn fingerprint(root: &Path, config: &IngestConfig) -> Result<Fingerprint> {
    let mut hashes = Fingerprint::new();
    walk(root, config, |source, bytes| {
        if let Ok(bytes) = bytes {
            hashes.insert(source, precis_core::content_hash(bytes));
        }
    })?;
    Ok(hashes)
}

/// The path under the input folder, with `/` separators whatever the OS.
fn relative(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
