//! The output folder: where each stage's files live, and how a stage's
//! folder is replaced all at once.

use anyhow::{Context, Result};
use fs_err as fs;
use std::path::{Path, PathBuf};

/// The stages, in the order data flows through them. Each owns one folder.
pub const PIPELINE: [&str; 5] = ["ingest", "segment", "embed", "themes", "summaries"];

/// The folder of the HTML report, made from the stages' files.
pub const REPORT: &str = "report";

/// The output folder of a run (`data/` by default).
#[derive(Debug, Clone)]
pub struct Layout {
    pub root: PathBuf,
}

impl Layout {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn stage(&self, stage: &str) -> PathBuf {
        self.root.join(stage)
    }

    pub fn documents(&self) -> PathBuf {
        self.stage("ingest").join("documents.jsonl")
    }

    pub fn sentences(&self) -> PathBuf {
        self.stage("segment").join("sentences.jsonl")
    }

    pub fn themes(&self) -> PathBuf {
        self.stage("themes").join("themes.json")
    }

    pub fn manifest(&self) -> PathBuf {
        self.root.join("manifest.json")
    }

    /// The theme files of the run in this folder.
    pub fn read_themes(&self) -> Result<precis_themes::ThemeSnapshot> {
        let themes = self.stage("themes");
        if !themes.is_dir() {
            anyhow::bail!(
                "{} has no themes/ folder: pass the --out folder of a finished `precis run`",
                self.root.display()
            );
        }
        let set_path = self.themes();
        let set = serde_json::from_str(&fs::read_to_string(&set_path)?)
            .with_context(|| format!("reading {}", set_path.display()))?;
        Ok(precis_themes::ThemeSnapshot {
            set,
            assignments: read_jsonl(&themes.join("assignments.jsonl"))?,
            documents: read_jsonl(&themes.join("documents.jsonl"))?,
        })
    }

    pub fn lock(&self) -> PathBuf {
        self.root.join(".precis.lock")
    }
}

/// A stage folder being written. Files go into a hidden temporary folder
/// beside the real one; [`commit`](Self::commit) swaps it into place, so a
/// crash leaves either the old complete stage or the new complete stage.
#[derive(Debug)]
pub struct StageWriter {
    target: PathBuf,
    staging: tempfile::TempDir,
}

impl StageWriter {
    pub fn new(layout: &Layout, stage: &str) -> Result<Self> {
        fs::create_dir_all(&layout.root)?;
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{stage}.tmp-"))
            .tempdir_in(&layout.root)
            .with_context(|| format!("creating a temporary folder in {}", layout.root.display()))?;
        Ok(Self {
            target: layout.stage(stage),
            staging,
        })
    }

    /// Writes one file of the stage (relative path, folders created).
    pub fn write(&self, relative: impl AsRef<Path>, bytes: impl AsRef<[u8]>) -> Result<()> {
        let path = self.staging.path().join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, bytes)?;
        Ok(())
    }

    /// Writes one array of the stage as a `.npy` file.
    pub fn write_npy(&self, relative: &str, array: &impl ndarray_npy::WriteNpyExt) -> Result<()> {
        ndarray_npy::write_npy(self.staging.path().join(relative), array)
            .map_err(|error| match error {
                // Its message would repeat that of the I/O error it wraps.
                ndarray_npy::WriteNpyError::Io(io) => anyhow::Error::from(io),
                other => other.into(),
            })
            .with_context(|| format!("writing {}", self.target.join(relative).display()))
    }

    /// Flushes every file to disk and renames the folder into place.
    pub fn commit(self) -> Result<()> {
        sync_tree(self.staging.path())?;
        let staged = self.staging.keep();
        let retired = self
            .target
            .with_extension(format!("old-{}", std::process::id()));
        if self.target.exists() {
            fs::rename(&self.target, &retired)?;
        }
        fs::rename(&staged, &self.target)?;
        if retired.exists() {
            fs::remove_dir_all(&retired)?;
        }
        Ok(())
    }
}

fn sync_tree(dir: &Path) -> Result<()> {
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry?;
        if entry.file_type().is_file() {
            fs::File::open(entry.path())?.sync_all()?;
        }
    }
    Ok(())
}

/// Removes what a killed run left behind: staging folders and retired stages.
pub fn remove_leftovers(layout: &Layout) -> Result<()> {
    let Ok(entries) = fs::read_dir(&layout.root) else {
        return Ok(());
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let staged = name.starts_with('.') && name.contains(".tmp-");
        let retired = PIPELINE
            .iter()
            .chain([&REPORT])
            .any(|stage| name.starts_with(&format!("{stage}.old-")));
        if (staged || retired) && entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())?;
        }
    }
    Ok(())
}

/// Writes one file atomically: a temporary file beside it, renamed over it.
pub fn write_atomically(path: &Path, bytes: impl AsRef<[u8]>) -> Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    let writing = || format!("writing {}", path.display());
    file.write_all(bytes.as_ref()).with_context(writing)?;
    file.as_file().sync_all().with_context(writing)?;
    file.persist(path).with_context(writing)?;
    Ok(())
}

/// The file, in the themes stage, of a facet's themes: `by_<facet>.jsonl`,
/// the name lower-cased and anything but letters, digits, `-` and `_` made
/// `_`, so that any column name is a safe file name.
pub fn facet_file(facet: &str) -> String {
    let name: String = facet
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '-' | '_') => c,
            _ => '_',
        })
        .collect();
    format!("by_{name}.jsonl")
}

/// Serialises values as JSON Lines.
pub fn to_jsonl<T: serde::Serialize>(items: &[T]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    for item in items {
        serde_json::to_writer(&mut out, item)?;
        out.push(b'\n');
    }
    Ok(out)
}

/// Reads a JSON Lines file written by an earlier stage.
pub fn read_jsonl<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>> {
    let text = fs::read_to_string(path)?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| {
            serde_json::from_str(line)
                .with_context(|| format!("{} line {}: not a valid record", path.display(), n + 1))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_the_whole_stage_folder() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        let first = StageWriter::new(&layout, "segment").unwrap();
        first.write("a.txt", "one").unwrap();
        first.write("nested/b.txt", "two").unwrap();
        first.commit().unwrap();
        let second = StageWriter::new(&layout, "segment").unwrap();
        second.write("a.txt", "three").unwrap();
        // Until the commit, readers still see the complete old stage.
        assert_eq!(
            fs::read_to_string(layout.stage("segment").join("a.txt")).unwrap(),
            "one"
        );
        second.commit().unwrap();
        assert_eq!(
            fs::read_to_string(layout.stage("segment").join("a.txt")).unwrap(),
            "three"
        );
        assert!(!layout.stage("segment").join("nested").exists());
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["segment"]);
    }

    #[test]
    fn an_abandoned_stage_leaves_only_leftovers_that_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        let abandoned = StageWriter::new(&layout, "themes").unwrap();
        abandoned.write("themes.json", "{").unwrap();
        // A killed process never runs the TempDir destructor.
        let _ = abandoned.staging.keep();
        fs::create_dir_all(dir.path().join("embed.old-123")).unwrap();
        remove_leftovers(&layout).unwrap();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
