//! The fault suite: bad input, bad setup, killed runs and concurrent runs
//! lose nothing and say clearly what happened.

mod common;

use common::{
    json, jsonl, outputs, precis, precis_command, run_args, run_ok, sample_input, workspace,
    wrapped_precis, ESSAYS,
};
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
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

/// Reasons from the manifest's `skipped` list, by source.
fn skipped(out: &Path) -> BTreeMap<String, String> {
    json(&out.join("manifest.json"))["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["source"].as_str().unwrap().to_owned(),
                s["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The warning lines of a run that name `source`.
fn warnings_about<'a>(stderr: &'a str, source: &str) -> Vec<&'a str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("warning: ") && l.contains(source))
        .collect()
}

#[test]
fn bad_files_are_skipped_or_read_with_a_warning_and_the_run_finishes() {
    let input = sample_input(&ESSAYS[..2]);
    write_bad_files(input.path());
    let out = tempfile::tempdir().unwrap();
    let stderr = run_ok(input.path(), out.path(), &["--max-file-mb", "1"]);

    let skipped = skipped(out.path());
    let reason = |source: &str| {
        skipped
            .get(source)
            .cloned()
            .unwrap_or_else(|| panic!("{source} not listed as skipped: {skipped:?}"))
    };
    assert!(reason("picture.png").contains("unsupported"));
    assert!(reason("program.txt").contains("binary"));
    assert!(reason("broken-utf8.txt").contains("UTF-8"));
    assert!(reason("empty.md").contains("empty"));
    assert!(reason("blank.txt").contains("empty"));
    assert!(
        reason("notes.pdf").contains("damaged PDF"),
        "{}",
        reason("notes.pdf")
    );
    assert!(reason("too-big.txt").contains("too large"));
    assert!(reason("loop").contains("loop"), "{}", reason("loop"));
    assert!(
        reason("dangling.txt").contains("No such file"),
        "{}",
        reason("dangling.txt")
    );
    // Each skip is one warning line naming the file.
    for (source, reason) in &skipped {
        assert_eq!(
            warnings_about(&stderr, source),
            [format!("warning: skipped {source}: {reason}")],
            "{stderr}"
        );
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

/// A way to break a model folder: its name, what it does to a copy of the
/// folder, and what the error must name.
type BrokenModel = (&'static str, fn(&Path), &'static str);

/// A broken model folder: an error naming the folder or file and the fix,
/// a non-zero exit, and no stage folder touched.
#[test]
fn a_broken_model_folder_is_refused_before_any_stage() {
    let model = workspace().join("models/all-MiniLM-L6-v2");
    let input = sample_input(&ESSAYS[..1]);
    let cases: [BrokenModel; 3] = [
        (
            "missing tokenizer",
            |dir| fs::remove_file(dir.join("vocab.txt")).unwrap(),
            "vocab.txt",
        ),
        (
            "truncated weights",
            |dir| {
                let weights = dir.join("model.safetensors");
                let bytes = fs::read(&weights).unwrap();
                fs::write(&weights, &bytes[..bytes.len() / 2]).unwrap();
            },
            "truncated",
        ),
        (
            "wrong model type",
            |dir| {
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

/// Copies a folder's contents, following links (the model folder may be one).
fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).follow_links(true) {
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
    let lock = fs::File::create(out.path().join(".precis.lock")).unwrap();
    lock.try_lock().unwrap();
    let output = precis(&run_args(input.path(), out.path(), &[]));
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("another precis run or watch is writing to"),
        "{stderr}"
    );
    drop(lock);
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

/// A 50 MB essay is over the default limit (20 MiB): skipped before it is
/// read, named in one warning and in the manifest. With the limit raised,
/// ingest and the segmenter take it whole. (A whole run is not tried: the
/// summaries stage would need a 566k × 566k similarity matrix for it; see
/// docs/RELIABILITY.md.)
#[test]
fn a_50_mb_file_is_skipped_by_default_and_ingested_when_allowed() {
    let input = sample_input(&ESSAYS[..1]);
    let essay = fs::read_to_string(workspace().join("data/input/the-night-bus.txt")).unwrap();
    let huge = essay.repeat(50_000_000 / essay.len() + 1);
    fs::write(input.path().join("huge.txt"), &huge).unwrap();
    let out = tempfile::tempdir().unwrap();
    let stderr = run_ok(input.path(), out.path(), &[]);

    let reason = &skipped(out.path())["huge.txt"];
    assert_eq!(reason, "too large (47.7 MiB > limit 20.0 MiB)");
    assert_eq!(
        warnings_about(&stderr, "huge.txt"),
        [format!("warning: skipped huge.txt: {reason}")]
    );
    assert_eq!(jsonl(&out.path().join("ingest/documents.jsonl")).len(), 1);

    let config = precis_ingest::IngestConfig {
        max_file_bytes: 64 << 20,
    };
    let document = precis_ingest::ingest("huge.txt", huge.as_bytes(), &config)
        .unwrap()
        .document;
    precis_ingest::check_document(&document).unwrap();
    let spans = precis_segment::Segmenter::new().segment(&document.text);
    precis_segment::check_spans(&document.text, &spans).unwrap();
    let per_copy = precis_segment::Segmenter::new().segment(&essay).len();
    assert!(spans.len() >= per_copy * (huge.len() / essay.len()) / 2);
}

/// The command prefix under which `precis` is held to file permission bits:
/// nothing for an ordinary user; for root, `setpriv` without the
/// capabilities that override them (root's capabilities after `exec` are
/// its bounding set). Found by trying to read a file of mode 000. `None`,
/// with the reason printed, where neither works.
fn permissions_binding() -> Option<Vec<&'static str>> {
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("locked");
    fs::write(&locked, "secret").unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let candidates: [&[&str]; 2] = [
        &[],
        &[
            "setpriv",
            "--bounding-set",
            "-dac_override,-dac_read_search",
            "--",
        ],
    ];
    let found = candidates.into_iter().find(|prefix| {
        let mut words = prefix.to_vec();
        words.extend(["cat", locked.to_str().unwrap()]);
        Command::new(words[0])
            .args(&words[1..])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| !status.success())
    });
    if found.is_none() {
        eprintln!("skipped: mode 000 does not stop this user, and setpriv cannot drop the capabilities that override it");
    }
    found.map(<[&str]>::to_vec)
}

fn set_mode(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// `precis` under `prefix`, with the lines it wrote to stderr.
fn precis_under(prefix: &[&str], args: &[&str]) -> (Output, String) {
    let output = if prefix.is_empty() {
        precis(args)
    } else {
        wrapped_precis(prefix, args)
    };
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output, stderr)
}

#[test]
fn unreadable_files_and_folders_are_skipped_with_the_reason() {
    let Some(prefix) = permissions_binding() else {
        return;
    };
    let input = sample_input(&ESSAYS[..1]);
    let locked = input.path().join("locked.txt");
    fs::write(&locked, "Locked away. Nobody reads this.").unwrap();
    let private = input.path().join("private");
    fs::create_dir(&private).unwrap();
    fs::write(
        private.join("diary.md"),
        "# Diary\n\nNobody reads this either.",
    )
    .unwrap();
    set_mode(&locked, 0o000);
    set_mode(&private, 0o000);
    let out = tempfile::tempdir().unwrap();
    let (output, stderr) = precis_under(&prefix, &run_args(input.path(), out.path(), &[]));
    set_mode(&locked, 0o644);
    set_mode(&private, 0o755);

    assert!(output.status.success(), "{stderr}");
    let skipped = skipped(out.path());
    for source in ["locked.txt", "private"] {
        let reason = &skipped[source];
        assert_eq!(reason, "cannot be read (Permission denied (os error 13))");
        assert_eq!(
            warnings_about(&stderr, source),
            [format!("warning: skipped {source}: {reason}")]
        );
    }
    assert_eq!(jsonl(&out.path().join("ingest/documents.jsonl")).len(), 1);
}

/// Every file and folder under `dir`, hidden ones and the cache included,
/// with the bytes of each file (`None` for a folder).
fn tree(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    if !dir.exists() {
        return BTreeMap::new();
    }
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(Result::unwrap)
        .map(|entry| {
            let relative = entry.path().strip_prefix(dir).unwrap().to_owned();
            let bytes = entry
                .file_type()
                .is_file()
                .then(|| fs::read(entry.path()).unwrap());
            (relative, bytes)
        })
        .collect()
}

/// The one line of a failed `--quiet` run.
fn the_error(output: &Output, stderr: &str) -> String {
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "not one line: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    lines[0].to_owned()
}

/// A read-only output folder, empty or holding a run: a one-line error
/// naming it, and the folder exactly as it was. Made writable again, the
/// next run completes and equals a run that was never refused.
#[test]
fn a_read_only_output_folder_is_refused_and_left_as_it_was() {
    let Some(prefix) = permissions_binding() else {
        return;
    };
    let before = sample_input(&ESSAYS[..1]);
    let input = sample_input(&ESSAYS[..2]);
    for previous_run in [false, true] {
        let out = tempfile::tempdir().unwrap();
        let reference = tempfile::tempdir().unwrap();
        if previous_run {
            run_ok(before.path(), out.path(), &[]);
            copy_dir(out.path(), reference.path());
        }
        let was = tree(out.path());
        set_mode(out.path(), 0o555);
        let (output, stderr) =
            precis_under(&prefix, &run_args(input.path(), out.path(), &["--quiet"]));
        set_mode(out.path(), 0o755);
        let error = the_error(&output, &stderr);
        assert!(
            error.contains(out.path().to_str().unwrap()) && error.contains("Permission denied"),
            "{error}"
        );
        assert!(
            tree(out.path()) == was,
            "changed (previous run: {previous_run})"
        );

        run_ok(input.path(), out.path(), &[]);
        run_ok(input.path(), reference.path(), &[]);
        assert_eq!(outputs(out.path()), outputs(reference.path()));
    }
}

/// The command prefix that runs `sh -c SCRIPT sh ARGS…` in a private mount
/// namespace, where the script may mount file systems no other process
/// sees: as root, or as an ordinary user mapped to root in a user namespace.
/// `None`, with the reason printed, where the machine allows neither.
fn private_mounts(script: &str) -> Option<Vec<String>> {
    let probe = tempfile::tempdir().unwrap();
    let candidates: [&[&str]; 2] = [
        &["unshare", "--mount"],
        &["unshare", "--mount", "--map-root-user"],
    ];
    let found = candidates.into_iter().find(|unshare| {
        Command::new(unshare[0])
            .args(&unshare[1..])
            .args(["mount", "-t", "tmpfs", "-o", "size=4k", "probe"])
            .arg(probe.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    });
    if found.is_none() {
        eprintln!("skipped: cannot mount a tmpfs in a private mount namespace (unshare)");
    }
    let mut prefix: Vec<String> = found?.iter().map(|word| word.to_string()).collect();
    prefix.extend(["sh", "-c", script, "sh"].map(str::to_owned));
    Some(prefix)
}

/// What the files at or under `path` take on a tmpfs: whole pages.
fn disk_usage(path: &Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.metadata().unwrap().len().div_ceil(4096) * 4096)
        .sum()
}

/// What a run writes, in order, each a folder or file of the output folder.
const WRITTEN: [&str; 8] = [
    "ingest",
    "segment",
    "cache",
    "embed",
    "themes",
    "summaries",
    "manifest.json",
    "report",
];

/// Checks a folder a failed run left: every stage is the previous run's
/// (perhaps none) or the new run's (as in `reference`), whole; so are the
/// manifest and the report; nothing temporary is left.
fn check_whole_stages(out: &Path, previous: &Path, reference: &Path) {
    let files = |root: &Path, stage: &str| tree(&root.join(stage));
    for stage in ["ingest", "segment", "embed", "themes", "summaries"] {
        let found = files(out, stage);
        assert!(
            found == files(previous, stage) || found == files(reference, stage),
            "{stage} is neither the previous run's nor the new run's"
        );
    }
    // The report shows timings, so a new one is checked for its end only.
    let report = files(out, "report");
    let page = report.get(Path::new("index.html")).cloned().flatten();
    assert!(
        report == files(previous, "report") || page.is_some_and(|page| page.ends_with(b"</html>")),
        "half a report"
    );
    if out.join("manifest.json").exists() {
        json(&out.join("manifest.json"));
    }
    for entry in fs::read_dir(out).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            WRITTEN.contains(&name.as_str()) || name == ".precis.lock",
            "left behind: {name}"
        );
    }
}

/// The disk fills up halfway through writing each stage in turn (a tmpfs of
/// just that size, mounted as the output folder), on a first run and on a
/// run over an earlier one: each run stops with a one-line error naming the
/// file and "No space left on device", leaving only whole stages, and the
/// next run, with room, completes and equals a run that never ran out.
#[test]
fn a_full_disk_stops_the_run_cleanly_and_the_next_run_completes() {
    // Mounts the tmpfs, copies the earlier run in, runs precis, and copies
    // what it left to where the test can see it.
    let script = r#"out=$1 size=$2 previous=$3 saved=$4; shift 4
        mount -t tmpfs -o "size=$size" precis-full "$out" && cp -R "$previous/." "$out/" || exit 125
        "$@"; status=$?
        cp -R "$out/." "$saved/" || exit 125
        exit $status"#;
    let Some(prefix) = private_mounts(script) else {
        return;
    };
    let input = sample_input(&ESSAYS[..3]);
    let first_run = tempfile::tempdir().unwrap();
    let earlier_run = tempfile::tempdir().unwrap();
    run_ok(sample_input(&ESSAYS[..2]).path(), earlier_run.path(), &[]);
    for previous in [first_run.path(), earlier_run.path()] {
        let reference = tempfile::tempdir().unwrap();
        copy_dir(previous, reference.path());
        run_ok(input.path(), reference.path(), &[]);
        let expected = outputs(reference.path());

        let sizes = filling_sizes(previous, reference.path());
        if previous == first_run.path() {
            // Everything a first run writes can be what fills the disk.
            assert_eq!(
                sizes.iter().map(|(place, _)| *place).collect::<Vec<_>>(),
                WRITTEN
            );
        }
        for (place, size) in sizes {
            let out = tempfile::tempdir().unwrap();
            let saved = tempfile::tempdir().unwrap();
            // But where the cache is to fill the disk, it is kept elsewhere,
            // so that the sizes of the stage files alone decide.
            let cache = tempfile::tempdir().unwrap();
            if previous.join("cache").exists() {
                copy_dir(&previous.join("cache"), cache.path());
            }
            let size = size.to_string();
            let mut command: Vec<&str> = prefix.iter().map(String::as_str).collect();
            command.extend([
                out.path().to_str().unwrap(),
                &size,
                previous.to_str().unwrap(),
                saved.path().to_str().unwrap(),
            ]);
            let mut args = run_args(input.path(), out.path(), &["--quiet"]);
            if place != "cache" {
                args.extend(["--cache", cache.path().to_str().unwrap()]);
            }
            let (output, stderr) = precis_under(&command, &args);
            let error = the_error(&output, &stderr);
            let named = [
                format!("/{place}/"),
                format!("/.{place}.tmp-"),
                format!("/{place}:"),
            ];
            assert!(
                error.contains(out.path().to_str().unwrap())
                    && named.iter().any(|name| error.contains(name.as_str()))
                    && error.contains("No space left on device (os error 28)"),
                "disk full in {place}: {error}"
            );
            check_whole_stages(saved.path(), previous, reference.path());
            if place != "cache" {
                fs::remove_dir_all(saved.path().join("cache")).ok();
                copy_dir(cache.path(), &saved.path().join("cache"));
            }
            run_ok(input.path(), saved.path(), &[]);
            assert_eq!(outputs(saved.path()), expected, "disk full in {place}");
            // The cache kept what the earlier run embedded.
            if previous == earlier_run.path() {
                let manifest = json(&saved.path().join("manifest.json"));
                assert!(manifest["stages"]["embed"]["from_cache"].as_u64() > Some(0));
            }
        }
    }
}

/// For each place a run writes (in [`WRITTEN`]), a disk size that fills up
/// halfway through writing it, given the folder before the run and after
/// it. A new stage stands beside the old one until it replaces it. The
/// cache grows, and is counted only where it is the place. A place that
/// needs less room than one written before it cannot be what fills the disk.
fn filling_sizes(before: &Path, after: &Path) -> Vec<(&'static str, u64)> {
    let mut used = disk_usage(before);
    let mut peak = used;
    let mut sizes = Vec::new();
    for place in WRITTEN {
        let (old, new) = (
            disk_usage(&before.join(place)),
            disk_usage(&after.join(place)),
        );
        let writing = if place == "cache" { new - old } else { new };
        let needs = used + writing;
        if needs > peak {
            sizes.push((place, peak + (needs - peak) / 2 / 4096 * 4096));
        }
        if place != "cache" {
            peak = peak.max(needs);
            used = used + new - old;
        }
    }
    sizes
}

/// Without libtorch only the model worker fails to start (the dynamic
/// loader's exit 127, the library named on stderr), and precis says so with
/// the fix. The libraries are hidden by an empty tmpfs mounted over their
/// folder in a private mount namespace.
#[test]
fn without_libtorch_only_the_model_worker_fails_and_the_run_says_so() {
    // libtorch hidden behind an empty mount: `precis` links none of it, so it
    // starts, ingests and segments; the model worker cannot start, and the
    // run stops naming it, with the loader's reason, vouching for nothing.
    let script = r#"mount -t tmpfs -o size=4k empty "$1" || exit 125; shift; exec "$@""#;
    let Some(mut prefix) = private_mounts(script) else {
        return;
    };
    let worker = env!("CARGO_BIN_EXE_precis-worker");
    let ldd = Command::new("ldd").arg(worker).output().unwrap();
    let ldd = String::from_utf8(ldd.stdout).unwrap();
    let torch = ldd
        .lines()
        .find_map(|line| line.trim().strip_prefix("libtorch_cpu.so => "))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("precis-worker does not link libtorch_cpu.so: {ldd}"));
    prefix.push(
        Path::new(torch)
            .parent()
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned(),
    );
    let prefix: Vec<&str> = prefix.iter().map(String::as_str).collect();
    let input = sample_input(&ESSAYS[..1]);
    let out = tempfile::tempdir().unwrap();
    let run = out.path().join("run");
    let (output, stderr) = precis_under(&prefix, &run_args(input.path(), &run, &[]));
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error while loading shared libraries: lib")
            && stderr.contains(&format!("the model worker {worker} stopped"))
            && stderr.contains("fix: run `just setup`"),
        "{stderr}"
    );
    assert!(run.join("segment/sentences.jsonl").is_file(), "{stderr}");
    assert!(!run.join("manifest.json").exists());
    assert!(!run.join("embed").exists());
    // Commands that need no model work without libtorch.
    let (status, stderr) = precis_under(&prefix, &["status", run.to_str().unwrap()]);
    assert!(status.status.success(), "{stderr}");
    assert!(String::from_utf8_lossy(&status.stdout).contains("missing"));
}
