//! The fault suite: bad input, bad setup, killed runs and concurrent runs
//! lose nothing and say clearly what happened.

mod common;

use common::{
    json, jsonl, outputs, precis, precis_command, run_args, run_ok, sample_input, workspace, ESSAYS,
};
use std::fs;
use std::path::Path;
use std::time::Duration;

/// Every kind of file a folder nobody curated may hold, beside two good essays.
fn write_bad_files(dir: &Path) {
    let put = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    };
    put("picture.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01");
    put(
        "program.txt",
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0",
    );
    put(
        "broken-utf8.txt",
        b"Valid start \xff\xfe\xfd\x80\x81 then \xc3\x28 nonsense \x90\x9d.",
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "Written in UTF-16. It has a byte order mark."
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    put("utf16.txt", &utf16);
    put(
        "latin1.txt",
        b"A caf\xe9 on the corner sells cr\xe8me br\xfbl\xe9e. It is open late.",
    );
    put("empty.md", b"");
    put("blank.txt", b"  \n\t\n   \n");
    put("one-long-line.txt", "word ".repeat(200_000).as_bytes());
    put(
        "nested.html",
        format!(
            "<html><body>{}<p>Deep inside the nest. It still reads.",
            "<div>".repeat(20_000)
        )
        .as_bytes(),
    );
    put(
        "unclosed.html",
        b"<html><body><article><h1>Unclosed</h1><p>An unclosed paragraph. <b>Bold and <i>italic",
    );
    put(
        "tables.md",
        format!(
            "# Tables\n\n| a | b |\n|---|---|\n{}\n```\n{}```\n\nAfter the code. A closing line.\n",
            "| cell | cell |\n".repeat(5_000),
            "let x = 1;\n".repeat(5_000)
        )
        .as_bytes(),
    );
    put(
        "names with spaces é.md",
        "# Ünïcode name\n\nA file name with spaces and accents. It is read.".as_bytes(),
    );
    put("notes.pdf", b"%PDF-1.7\n");
    put("too-big.txt", &b"Big. ".repeat(300_000)); // 1.5 MB, over --max-file-mb 1
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir, dir.join("loop")).unwrap();
        std::os::unix::fs::symlink(dir.join("missing-target.txt"), dir.join("dangling.txt"))
            .unwrap();
    }
}

#[test]
fn bad_files_are_skipped_or_read_with_a_warning_and_the_run_finishes() {
    let input = sample_input(&ESSAYS[..2]);
    write_bad_files(input.path());
    let out = tempfile::tempdir().unwrap();
    let stderr = run_ok(input.path(), out.path(), &["--max-file-mb", "1"]);

    let manifest = json(&out.path().join("manifest.json"));
    let skipped: Vec<(String, String)> = manifest["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["source"].as_str().unwrap().to_owned(),
                s["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let reason = |source: &str| {
        skipped
            .iter()
            .find(|(s, _)| s == source)
            .map(|(_, r)| r.clone())
            .unwrap_or_else(|| panic!("{source} not listed as skipped: {skipped:?}"))
    };
    assert!(reason("picture.png").contains("unsupported"));
    assert!(reason("program.txt").contains("binary"));
    assert!(reason("broken-utf8.txt").contains("UTF-8"));
    assert!(reason("empty.md").contains("empty"));
    assert!(reason("blank.txt").contains("empty"));
    assert!(reason("notes.pdf").contains("unsupported"));
    assert!(reason("too-big.txt").contains("too large"));
    assert!(reason("loop").contains("loop"), "{}", reason("loop"));
    assert!(
        reason("dangling.txt").contains("No such file"),
        "{}",
        reason("dangling.txt")
    );
    // Each skip is one warning line naming the file.
    for (source, _) in &skipped {
        let lines = stderr
            .lines()
            .filter(|l| l.starts_with("warning: skipped ") && l.contains(source.as_str()));
        assert_eq!(lines.count(), 1, "{source}: {stderr}");
    }

    let documents = jsonl(&out.path().join("ingest/documents.jsonl"));
    let sources: Vec<&str> = documents
        .iter()
        .map(|d| d["source"].as_str().unwrap())
        .collect();
    for readable in [
        "utf16.txt",
        "latin1.txt",
        "one-long-line.txt",
        "nested.html",
        "unclosed.html",
        "tables.md",
        "names with spaces é.md",
    ] {
        assert!(
            sources.contains(&readable),
            "{readable} not ingested: {sources:?}"
        );
    }
    let latin1 = documents
        .iter()
        .find(|d| d["source"] == "latin1.txt")
        .unwrap();
    assert!(latin1["text"].as_str().unwrap().contains("café"));
    assert!(
        stderr.contains("latin1.txt: not UTF-8; read as windows-1252"),
        "{stderr}"
    );
}

#[test]
fn a_folder_with_nothing_readable_is_an_error() {
    let input = tempfile::tempdir().unwrap();
    fs::write(input.path().join("empty.txt"), "").unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = precis(&run_args(input.path(), out.path(), &[]));
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no readable documents"), "{stderr}");
}

/// A broken model folder: an error naming the folder or file and the fix,
/// a non-zero exit, and no stage folder touched.
#[test]
fn a_broken_model_folder_is_refused_before_any_stage() {
    let model = workspace().join("models/all-MiniLM-L6-v2");
    let input = sample_input(&ESSAYS[..1]);
    let cases: [(&str, &dyn Fn(&Path), &str); 3] = [
        (
            "missing tokenizer",
            &|dir| fs::remove_file(dir.join("vocab.txt")).unwrap(),
            "vocab.txt",
        ),
        (
            "truncated weights",
            &|dir| {
                let weights = dir.join("model.safetensors");
                let bytes = fs::read(&weights).unwrap();
                fs::write(&weights, &bytes[..bytes.len() / 2]).unwrap();
            },
            "truncated",
        ),
        (
            "wrong model type",
            &|dir| {
                let config = fs::read_to_string(dir.join("config.json")).unwrap();
                fs::write(
                    dir.join("config.json"),
                    config.replace("\"bert\"", "\"gpt2\""),
                )
                .unwrap();
            },
            "gpt2",
        ),
    ];
    for (case, damage, expected) in cases {
        let broken = tempfile::tempdir().unwrap();
        copy_dir(&model, broken.path());
        damage(broken.path());
        let out = tempfile::tempdir().unwrap();
        let output = precis(&run_args(
            input.path(),
            out.path(),
            &["--model", broken.path().to_str().unwrap()],
        ));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{case}");
        assert!(
            stderr.contains(expected) && stderr.contains("just setup"),
            "{case}: {stderr}"
        );
        assert_eq!(
            fs::read_dir(out.path()).unwrap().count(),
            0,
            "{case}: output touched"
        );
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn a_second_run_on_the_same_folder_refuses_while_the_first_holds_the_lock() {
    let input = sample_input(&ESSAYS[..1]);
    let out = tempfile::tempdir().unwrap();
    let lock_file = fs::File::create(out.path().join(".precis.lock")).unwrap();
    let mut lock = fd_lock::RwLock::new(lock_file);
    let guard = lock.try_write().unwrap();
    let output = precis(&run_args(input.path(), out.path(), &[]));
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("another precis run is writing to"),
        "{stderr}"
    );
    drop(guard);
    // Released (as the OS does when a process dies): the next run goes ahead.
    run_ok(input.path(), out.path(), &[]);
}

/// `kill -9` at seeded random moments of a run; the next run completes, and
/// its outputs equal those of a run that was never interrupted, byte for byte.
#[test]
fn runs_killed_at_random_points_leave_nothing_half_written() {
    let input = sample_input(&ESSAYS[..3]);
    let clean = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    run_ok(input.path(), clean.path(), &[]);
    let full_run = started.elapsed();
    let expected = outputs(clean.path());

    let iterations: u64 = std::env::var("PRECIS_KILL_ITERATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(4);
    let mut seed: u64 = 0x5eed;
    let out = tempfile::tempdir().unwrap();
    for _ in 0..iterations {
        // xorshift: reproducible kill points spread over a whole run.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = full_run.mul_f64((seed % 1000) as f64 / 1000.0);
        let mut child = precis_command(&run_args(input.path(), out.path(), &["--quiet"]))
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay.max(Duration::from_millis(50)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        // Whatever stage folders exist are complete ones.
        for stage in ["ingest", "segment", "embed", "themes", "summaries"] {
            let dir = out.path().join(stage);
            if dir.exists() {
                assert!(fs::read_dir(&dir).unwrap().count() > 0, "{stage} is empty");
            }
        }
    }
    run_ok(input.path(), out.path(), &[]);
    assert_eq!(outputs(out.path()), expected);
}
