//! What the end-to-end and fault suites share: the real binary, the sample
//! essays, and readers for the stage files.
#![allow(dead_code)] // each suite uses its own subset

use serde_json::Value;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Copies some of the sample essays into a fresh input folder.
pub fn sample_input(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in names {
        let target = dir.path().join(name);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(workspace().join("data/input").join(name), target).unwrap();
    }
    dir
}

pub const ESSAYS: [&str; 5] = [
    "cities-and-cars.md",
    "the-night-bus.txt",
    "what-exams-measure.html",
    "notes/reading-slowly.txt",
    "the-last-boats-out.md",
];

pub const PRECIS: &str = env!("CARGO_BIN_EXE_precis");

pub fn precis_command(args: &[&str]) -> Command {
    let mut command = Command::new(PRECIS);
    command.args(args).current_dir(workspace());
    command
}

/// `precis` started through a wrapper command (`setpriv … --`, `unshare …`).
pub fn wrapped_precis<S: AsRef<OsStr>>(wrapper: &[S], args: &[&str]) -> Output {
    let (program, wrapper_args) = wrapper.split_first().expect("a wrapper command");
    Command::new(program)
        .args(wrapper_args)
        .arg(PRECIS)
        .args(args)
        .current_dir(workspace())
        .output()
        .unwrap()
}

pub fn precis(args: &[&str]) -> Output {
    precis_command(args).output().unwrap()
}

pub fn run_args<'a>(input: &'a Path, out: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "run",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    args
}

/// Runs the pipeline and returns its stderr; panics if it fails.
pub fn run_ok(input: &Path, out: &Path, extra: &[&str]) -> String {
    let output = precis(&run_args(input, out, extra));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "precis run failed:\n{stderr}");
    stderr
}

pub fn jsonl(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

pub fn json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// Every stage file under a run folder with its bytes: all but the cache,
/// the lock, and the manifest and report (which show timings).
pub fn outputs(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        let relative = entry
            .path()
            .strip_prefix(out)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if entry.file_type().is_file()
            && !relative.starts_with("cache")
            && relative != "manifest.json"
            && !relative.starts_with("report")
            && relative != ".precis.lock"
        {
            files.insert(relative, fs::read(entry.path()).unwrap());
        }
    }
    files
}

/// A folder holding the tiny random `bart/` and `t5/` summarisation models
/// that `scripts/make_tiny_models.py` writes with Python 3 alone. What they
/// write is gibberish: enough to test the plumbing.
pub fn tiny_summarizers() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let script = workspace().join("scripts/make_tiny_models.py");
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let status = Command::new(&python)
        .arg(&script)
        .arg(dir.path())
        .status()
        .unwrap_or_else(|e| panic!("running `{python} {}`: {e}", script.display()));
    assert!(status.success(), "{} failed: {status}", script.display());
    dir
}
