//! `precis.toml`: settings for every command, read from `--config PATH` or
//! else from `precis.toml` in the working directory if there is one.
//!
//! A flag on the command line beats the file, and the file beats the
//! built-in default; nothing is read from environment variables. Every
//! option, with its default, is documented in the checkout's `precis.toml`
//! (all commented out), and a test keeps that file and these types in step.

use anyhow::{Context, Result};
use precis_summarize::SummaryConfig;
use precis_themes::ThemeConfig;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The name looked for in the working directory.
pub const FILE_NAME: &str = "precis.toml";

/// The whole file. Every section and field may be left out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FileConfig {
    pub run: RunSection,
    pub model: ModelSection,
    pub ingest: IngestSection,
    pub themes: ThemeConfig,
    pub summaries: SummaryConfig,
}

/// `[run]`: where `precis run` reads and writes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RunSection {
    pub input: Option<PathBuf>,
    pub out: Option<PathBuf>,
    pub cache: Option<PathBuf>,
}

/// `[model]`: the embedding model, for `run`, `embed`, `summarize`, `status`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModelSection {
    pub path: Option<PathBuf>,
    pub device: Option<precis_model::DeviceChoice>,
    pub threads: Option<usize>,
    pub batch_size: Option<usize>,
    pub precision: Option<precis_model::PrecisionChoice>,
}

/// `[ingest]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestSection {
    pub max_file_mb: Option<u64>,
}

impl FileConfig {
    /// The file named by `--config`, else `./precis.toml` if it exists,
    /// else the defaults. Relative paths in the file are taken from the
    /// file's own folder, so a config works from wherever precis is run.
    pub fn load(explicit: Option<&Path>) -> Result<(Self, Option<PathBuf>)> {
        let path = match explicit {
            Some(path) => path.to_path_buf(),
            None if Path::new(FILE_NAME).is_file() => PathBuf::from(FILE_NAME),
            None => return Ok((Self::default(), None)),
        };
        let text = fs_err::read_to_string(&path)
            .context("reading the config file (fix the path given to --config)")?;
        let mut config: Self = toml::from_str(&text).map_err(|error| {
            anyhow::anyhow!(
                "{}: {}\n  fix: correct the file; every option and its default is listed in \
                 the precis.toml of the precis checkout",
                path.display(),
                error.to_string().trim_end()
            )
        })?;
        let base = path.parent().unwrap_or(Path::new(""));
        config.resolve_paths(base);
        Ok((config, Some(path)))
    }

    fn resolve_paths(&mut self, base: &Path) {
        let resolve = |path: &mut PathBuf| {
            if path.is_relative() {
                *path = base.join(&*path);
            }
        };
        let run = &mut self.run;
        for path in [
            &mut run.input,
            &mut run.out,
            &mut run.cache,
            &mut self.model.path,
        ]
        .into_iter()
        .flatten()
        {
            resolve(path);
        }
        if let Some(model) = &mut self.summaries.abstractive {
            resolve(&mut model.folder);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checkout's `precis.toml` with its commented-out options switched on.
    fn documented_options() -> String {
        let text = include_str!("../../../precis.toml");
        text.lines()
            .filter_map(|line| line.strip_prefix("# "))
            .filter(|line| line.starts_with('[') || line.contains(" = "))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Every key of a TOML value, as dotted paths.
    fn keys(value: &toml::Value, prefix: &str, out: &mut Vec<String>) {
        if let toml::Value::Table(table) = value {
            for (key, value) in table {
                let path = format!("{prefix}{key}");
                keys(value, &format!("{path}."), out);
                out.push(path);
            }
        }
    }

    #[test]
    fn the_shipped_precis_toml_changes_nothing_as_it_is() {
        let text = include_str!("../../../precis.toml");
        let config: FileConfig = toml::from_str(text).unwrap();
        assert_eq!(config, FileConfig::default());
    }

    #[test]
    fn the_shipped_precis_toml_documents_every_option_with_its_default() {
        let documented: toml::Value = toml::from_str(&documented_options()).unwrap();
        let parsed: FileConfig = documented.clone().try_into().unwrap();
        let mut expected = FileConfig::default();
        // Options whose default the code applies when they are left out.
        expected.model.device = Some(precis_model::DeviceChoice::default());
        expected.model.batch_size = Some(precis_model::BatchConfig::default().batch_size);
        expected.model.precision = Some(precis_model::PrecisionChoice::default());
        expected.ingest.max_file_mb =
            Some(precis_ingest::IngestConfig::default().max_file_bytes >> 20);
        // Options without a default are shown with an example value.
        expected.run = parsed.run.clone();
        expected.model.path = parsed.model.path.clone();
        expected.model.threads = parsed.model.threads;
        expected.themes.themes = parsed.themes.themes;
        expected.themes.groups = parsed.themes.groups;
        expected.summaries.sentences = parsed.summaries.sentences;
        expected.summaries.abstractive = parsed.summaries.abstractive.clone();
        assert_eq!(
            parsed, expected,
            "a documented default differs from the code"
        );
        let examples = [
            parsed.run.input.is_some() && parsed.run.out.is_some() && parsed.run.cache.is_some(),
            parsed.model.path.is_some() && parsed.model.threads.is_some(),
            parsed.themes.themes.is_some()
                && parsed.themes.groups.is_some()
                && parsed.summaries.sentences.is_some(),
            parsed.summaries.abstractive.is_some(),
        ];
        assert!(
            examples.iter().all(|&shown| shown),
            "an option is not shown"
        );

        // And nothing the code knows is missing from the file.
        let mut known = Vec::new();
        keys(&toml::Value::try_from(&expected).unwrap(), "", &mut known);
        let mut listed = Vec::new();
        keys(&documented, "", &mut listed);
        known.retain(|key| !key.ends_with("checksum"));
        known.sort();
        listed.sort();
        assert_eq!(listed, known);
    }

    #[test]
    fn a_misspelt_option_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("precis.toml");
        std::fs::write(&path, "[themes]\ndocument_contxt = 0.5\n").unwrap();
        let error = FileConfig::load(Some(&path)).unwrap_err().to_string();
        assert!(error.contains("precis.toml"), "{error}");
        assert!(error.contains("document_contxt"), "{error}");
    }

    #[test]
    fn relative_paths_are_taken_from_the_files_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("precis.toml");
        std::fs::write(&path, "[run]\ninput = \"essays\"\nout = \"/abs/out\"\n").unwrap();
        let (config, found) = FileConfig::load(Some(&path)).unwrap();
        assert_eq!(found.as_deref(), Some(path.as_path()));
        assert_eq!(config.run.input, Some(dir.path().join("essays")));
        assert_eq!(config.run.out, Some(PathBuf::from("/abs/out")));
    }
}
