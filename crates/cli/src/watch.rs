//! `precis watch`: one run, then a refresh after every save in the input
//! folder, for as long as the user writes.
//!
//! The watcher holds the output folder's lock throughout, so a second
//! watcher or a `precis run` on the same folder is refused. It keeps the
//! model worker of the first run: a refresh that needs new vectors does not
//! load the model again. Each refresh is an ordinary run (only what the edit
//! touched is redone, as after any edit), so the output folder is always
//! the last complete run's: a refresh that fails or panics leaves it as it
//! was, and so does Ctrl-C, which ends the process like a killed run.

use crate::models::Models;
use crate::progress::{Reporter, Verbosity};
use crate::run::{self, OutputLock, RunConfig, RunOutcome};
use anyhow::{Context, Result};
use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{new_debouncer, DebounceEventResult};
use precis_model::worker::RemoteWriter;
use precis_themes::ThemesStart;
use std::collections::{BTreeMap, BTreeSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

/// How long a file must be quiet before its save counts: an editor's save
/// (write a temporary file, rename it over the old) is then one event.
const SETTLE: Duration = Duration::from_millis(200);

/// The model worker and summary writer a run uses; started again after a
/// refresh fails, in case it was the worker that died.
pub type StartModels<'a> = dyn FnMut() -> Result<(Models, Option<RemoteWriter>)> + 'a;

/// Runs `config` once, then again after each save under its input folder,
/// until the process is stopped. Each refresh prints one line: what
/// changed and how long it took.
pub fn watch(
    config: &RunConfig,
    start_models: &mut StartModels,
    reporter: &Reporter,
) -> Result<()> {
    let context = || format!("precis watch {}", config.input.display());
    let lock = OutputLock::take(&config.out).with_context(context)?;
    let input = fs_err::canonicalize(&config.input).with_context(context)?;
    let (mut models, mut writer) = start_models()?;
    let started = Instant::now();
    let first =
        run::run(config, &lock, &models, writer.as_ref(), reporter).with_context(context)?;
    reporter.result(format!(
        "first run in {:.1} s: {} documents, {} sentences, {} themes",
        started.elapsed().as_secs_f64(),
        first.documents,
        first.sentences,
        first.themes
    ));
    // The first save will need the encoder for its new sentences: load it
    // now, not then.
    models.embedder()?;

    let (saves, events) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(SETTLE, saves).context("starting the file watcher")?;
    debouncer
        .watcher()
        .watch(&input, RecursiveMode::Recursive)
        .with_context(|| format!("watching {}", input.display()))?;
    // The output folder exists by now; the cache may not yet.
    let own = [&config.out, &config.cache].map(|folder| {
        std::fs::canonicalize(folder)
            .or_else(|_| std::path::absolute(folder))
            .ok()
    });
    reporter.result(format!(
        "watching {} for saves; each refreshes {} (Ctrl-C stops)",
        config.input.display(),
        config.out.display()
    ));

    // Refreshes print only their one line; warnings and errors still show.
    let quiet = Reporter::new(Verbosity::Quiet);
    let mut last = Snapshot::of(&input, &own);
    while let Ok(batch) = events.recv() {
        if let Err(error) = batch {
            reporter.warn(format!("the file watcher: {error}"));
        }
        // An event only says where to look: reading a file (as a refresh
        // does) makes events too. What counts is a file whose size or
        // modification time changed, or that came or went. Saves made
        // while the last refresh ran join this one.
        events.try_iter().for_each(drop);
        let now = Snapshot::of(&input, &own);
        let changed = now.changed_since(&last);
        last = now;
        if changed.is_empty() {
            continue;
        }
        let started = Instant::now();
        let refreshed = catch_unwind(AssertUnwindSafe(|| {
            run::run(config, &lock, &models, writer.as_ref(), &quiet)
        }));
        let why = match refreshed {
            Ok(Ok(outcome)) => {
                reporter.result(refresh_line(&changed, &outcome, started.elapsed()));
                continue;
            }
            Ok(Err(error)) => format!("{error:#}"),
            Err(panic) => panic_message(panic.as_ref()),
        };
        reporter.warn(format!(
            "refresh after {} failed: {why}\n  {} still holds the last complete run; watching on",
            names(&changed),
            config.out.display()
        ));
        match start_models() {
            Ok(restarted) => (models, writer) = restarted,
            Err(error) => reporter.warn(format!("starting the models again: {error:#}")),
        }
    }
    Ok(())
}

/// The size and modification time of every file a refresh would read:
/// under the input folder, not hidden (ingest skips those), and not inside
/// the output or cache folder, when those are inside the input.
#[derive(Debug, Default, PartialEq)]
struct Snapshot(BTreeMap<PathBuf, (u64, Option<SystemTime>)>);

impl Snapshot {
    fn of(input: &Path, own: &[Option<PathBuf>]) -> Snapshot {
        let files = walkdir::WalkDir::new(input)
            .into_iter()
            .filter_entry(|entry| {
                let hidden =
                    entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
                !hidden && !own.iter().flatten().any(|folder| entry.path() == folder)
            })
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file())
            .filter_map(|entry| {
                let metadata = entry.metadata().ok()?;
                let inside = entry.path().strip_prefix(input).ok()?.to_owned();
                Some((inside, (metadata.len(), metadata.modified().ok())))
            })
            .collect();
        Snapshot(files)
    }

    /// The files added, removed or changed since `before`.
    fn changed_since(&self, before: &Snapshot) -> BTreeSet<PathBuf> {
        let differs = |a: &Snapshot, b: &Snapshot| {
            a.0.iter()
                .filter(|(path, seen)| b.0.get(*path) != Some(seen))
                .map(|(path, _)| path.clone())
                .collect::<Vec<_>>()
        };
        differs(self, before)
            .into_iter()
            .chain(differs(before, self))
            .collect()
    }
}

/// The line a refresh prints, e.g. `refreshed in 1.4 s: a.txt changed; 3
/// sentences embedded, themes warm-started, 1 summary made`.
fn refresh_line(changed: &BTreeSet<PathBuf>, outcome: &RunOutcome, took: Duration) -> String {
    let themes = match outcome.themes_start {
        Some(ThemesStart::Warm) => "themes warm-started",
        Some(ThemesStart::Fresh) => "themes clustered afresh",
        None => "themes kept",
    };
    format!(
        "refreshed in {:.1} s: {} changed; {} embedded, {themes}, {} made",
        took.as_secs_f64(),
        names(changed),
        counted(outcome.embedded, "sentence", "sentences"),
        counted(outcome.summaries_made, "summary", "summaries"),
    )
}

fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Up to three of `changed`, and how many more.
fn names(changed: &BTreeSet<PathBuf>) -> String {
    const SHOWN: usize = 3;
    let mut names: Vec<String> = changed
        .iter()
        .take(SHOWN)
        .map(|p| p.display().to_string())
        .collect();
    if changed.len() > SHOWN {
        names.push(format!("{} more", changed.len() - SHOWN));
    }
    names.join(", ")
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_owned());
    format!("precis panicked ({message}); this is a bug, please report it")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_a_file_that_came_went_or_changed_outside_hidden_files_and_precis_own_folders() {
        let input = tempfile::tempdir().unwrap();
        let file = |name: &str, text: &str| {
            let path = input.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        file("bacon/of-truth.txt", "What is truth?");
        file("gone.txt", "Soon gone.");
        file("out/summaries/collection.md", "made by precis");
        let own = [Some(input.path().join("out")), None];
        let before = Snapshot::of(input.path(), &own);
        assert_eq!(
            Snapshot::of(input.path(), &own),
            before,
            "reading changes nothing"
        );

        file("bacon/of-truth.txt", "What is truth? said jesting Pilate.");
        file("new.md", "# New");
        std::fs::remove_file(input.path().join("gone.txt")).unwrap();
        file(".of-truth.txt.swp", "an editor's");
        file(".git/index", "a repository's");
        file("out/summaries/collection.md", "made again");
        let changed = Snapshot::of(input.path(), &own).changed_since(&before);
        let names: Vec<&str> = changed.iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(names, ["bacon/of-truth.txt", "gone.txt", "new.md"]);
    }

    #[test]
    fn a_refresh_names_what_changed_and_what_it_redid() {
        let changed: BTreeSet<PathBuf> = ["d.txt", "a.txt", "c.txt", "b.txt"]
            .into_iter()
            .map(PathBuf::from)
            .collect();
        let outcome = RunOutcome {
            documents: 4,
            sentences: 40,
            themes: 3,
            embedded: 2,
            cached: 38,
            skipped: 0,
            themes_start: Some(ThemesStart::Warm),
            summaries_made: 1,
        };
        assert_eq!(
            refresh_line(&changed, &outcome, Duration::from_millis(1440)),
            "refreshed in 1.4 s: a.txt, b.txt, c.txt, 1 more changed; 2 sentences embedded, \
             themes warm-started, 1 summary made"
        );
    }
}
