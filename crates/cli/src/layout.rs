//! The output folder: where each stage's files live, and how a stage's
//! folder is replaced all at once.

use crate::pipeline::{Artifact, Stage};
use anyhow::{Context, Result};
use fs_err as fs;
use std::path::{Path, PathBuf};

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

    /// The folder of `stage`.
    pub fn dir(&self, stage: Stage) -> PathBuf {
        self.root.join(stage.name())
    }

    /// Where `artifact` lives.
    pub fn file(&self, artifact: Artifact) -> PathBuf {
        self.dir(artifact.stage()).join(artifact.file_name())
    }

    /// The folder of the HTML report.
    pub fn report_dir(&self) -> PathBuf {
        self.root.join(REPORT)
    }

    /// The rows of a JSON Lines artifact.
    pub fn read_rows<T: serde::de::DeserializeOwned>(&self, artifact: Artifact) -> Result<Vec<T>> {
        read_jsonl(&self.file(artifact))
    }

    /// A JSON artifact.
    pub fn read_json<T: serde::de::DeserializeOwned>(&self, artifact: Artifact) -> Result<T> {
        let path = self.file(artifact);
        serde_json::from_str(&fs::read_to_string(&path)?)
            .with_context(|| format!("reading {}", path.display()))
    }

    /// The sentence vectors.
    pub fn read_embeddings(&self) -> Result<ndarray::Array2<f32>> {
        let path = self.file(Artifact::Embeddings);
        ndarray_npy::read_npy(&path).with_context(|| format!("reading {}", path.display()))
    }

    /// The sentence vectors, memory-mapped rather than read: a command that
    /// scores every row once (`precis search`) pays for no copy of them.
    pub fn map_embeddings(&self) -> Result<MappedEmbeddings> {
        let path = self.file(Artifact::Embeddings);
        let file = fs::File::open(&path).with_context(|| {
            format!(
                "{} has no sentence vectors: pass the --out folder of a finished `precis run`",
                self.root.display()
            )
        })?;
        // SAFETY: a stage file is never written in place: a run writes its
        // stage in a folder beside it and renames that over it
        // (`StageWriter::commit`), which leaves the file mapped here whole
        // until the map is dropped.
        #[allow(unsafe_code)]
        let map = unsafe { memmap2::Mmap::map(file.file()) }
            .with_context(|| format!("mapping {}", path.display()))?;
        Ok(MappedEmbeddings { path, map })
    }

    pub fn manifest(&self) -> PathBuf {
        self.root.join("manifest.json")
    }

    /// The theme files of the run in this folder.
    pub fn read_themes(&self) -> Result<precis_themes::ThemeSnapshot> {
        if !self.dir(Stage::Themes).is_dir() {
            anyhow::bail!(
                "{} has no themes/ folder: pass the --out folder of a finished `precis run`",
                self.root.display()
            );
        }
        Ok(precis_themes::ThemeSnapshot {
            set: self.read_json(Artifact::Themes)?,
            assignments: self.read_rows(Artifact::Assignments)?,
            documents: self.read_rows(Artifact::DocumentThemes)?,
        })
    }

    /// The document of this run that `name` names: by doc id, or by its
    /// path inside the input folder.
    pub fn document_named<'a>(
        &self,
        documents: &'a [precis_core::Document],
        name: &str,
    ) -> Result<&'a precis_core::Document> {
        documents
            .iter()
            .find(|d| d.doc_id == name)
            .or_else(|| documents.iter().find(|d| d.source == name))
            .with_context(|| {
                format!(
                    "{} has no document `{name}`: name it by its doc id or its path inside the \
                     input folder, as in {}",
                    self.root.display(),
                    self.file(Artifact::Documents).display()
                )
            })
    }

    /// Fails unless every one of `counts` (the rows of the vectors, of the
    /// assignments, …) is the number of sentences, as row `i` of each is
    /// sentence `i`.
    pub fn check_rows(&self, sentences: usize, counts: &[usize]) -> Result<()> {
        if counts.iter().any(|&count| count != sentences) {
            anyhow::bail!(
                "{}: the stage files disagree on the number of sentences; run `precis run` again",
                self.root.display()
            );
        }
        Ok(())
    }

    pub fn lock(&self) -> PathBuf {
        self.root.join(".precis.lock")
    }
}

/// `embed/embeddings.npy`, mapped into memory ([`Layout::map_embeddings`]).
#[derive(Debug)]
pub struct MappedEmbeddings {
    path: PathBuf,
    map: memmap2::Mmap,
}

impl MappedEmbeddings {
    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The vectors, row `i` for sentence `i`, read in place.
    pub fn view(&self) -> Result<ndarray::ArrayView2<'_, f32>> {
        use ndarray_npy::ViewNpyExt;
        ndarray::ArrayView2::view_npy(&self.map).with_context(|| {
            format!(
                "{} is not a float32 matrix: run `precis run` again to remake it",
                self.path.display()
            )
        })
    }
}

/// A stage folder being written. Files go into a hidden temporary folder
/// beside the real one; [`commit`](Self::commit) swaps it into place, so a
/// crash leaves either the old complete stage or the new complete stage.
#[derive(Debug)]
pub struct StageWriter {
    /// The stage, or `None` for the report.
    stage: Option<Stage>,
    target: PathBuf,
    staging: tempfile::TempDir,
}

impl StageWriter {
    /// Starts writing `stage`'s folder.
    pub fn new(layout: &Layout, stage: Stage) -> Result<Self> {
        Self::folder(layout, Some(stage), stage.name())
    }

    /// Starts writing the report's folder.
    pub fn report(layout: &Layout) -> Result<Self> {
        Self::folder(layout, None, REPORT)
    }

    fn folder(layout: &Layout, stage: Option<Stage>, name: &str) -> Result<Self> {
        fs::create_dir_all(&layout.root)?;
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.tmp-"))
            .tempdir_in(&layout.root)
            .with_context(|| format!("creating a temporary folder in {}", layout.root.display()))?;
        Ok(Self {
            stage,
            target: layout.root.join(name),
            staging,
        })
    }

    /// Writes one of the stage's fixed files.
    pub fn write_artifact(&self, artifact: Artifact, bytes: impl AsRef<[u8]>) -> Result<()> {
        debug_assert_eq!(
            Some(artifact.stage()),
            self.stage,
            "{artifact:?} written elsewhere"
        );
        self.write(artifact.file_name(), bytes)
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
    pub fn write_npy(
        &self,
        artifact: Artifact,
        array: &impl ndarray_npy::WriteNpyExt,
    ) -> Result<()> {
        debug_assert_eq!(
            Some(artifact.stage()),
            self.stage,
            "{artifact:?} written elsewhere"
        );
        let relative = artifact.file_name();
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
        let retired = Stage::ALL
            .iter()
            .map(|stage| stage.name())
            .chain([REPORT])
            .any(|folder| name.starts_with(&format!("{folder}.old-")));
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
        let first = StageWriter::new(&layout, Stage::Segment).unwrap();
        first.write("a.txt", "one").unwrap();
        first.write("nested/b.txt", "two").unwrap();
        first.commit().unwrap();
        let second = StageWriter::new(&layout, Stage::Segment).unwrap();
        second.write("a.txt", "three").unwrap();
        // Until the commit, readers still see the complete old stage.
        assert_eq!(
            fs::read_to_string(layout.dir(Stage::Segment).join("a.txt")).unwrap(),
            "one"
        );
        second.commit().unwrap();
        assert_eq!(
            fs::read_to_string(layout.dir(Stage::Segment).join("a.txt")).unwrap(),
            "three"
        );
        assert!(!layout.dir(Stage::Segment).join("nested").exists());
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
        let abandoned = StageWriter::new(&layout, Stage::Themes).unwrap();
        abandoned.write_artifact(Artifact::Themes, "{").unwrap();
        // A killed process never runs the TempDir destructor.
        let _ = abandoned.staging.keep();
        fs::create_dir_all(dir.path().join("embed.old-123")).unwrap();
        remove_leftovers(&layout).unwrap();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
