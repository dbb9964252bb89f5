//! End to end: the real `precis` binary, the real model, the project's own
//! sample essays. Checks the stage contract of ARCHITECTURE.md.

mod common;

use common::{json, jsonl, outputs, precis, run_ok, sample_input, ESSAYS, PRECIS};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

fn read_npy_shape_and_rows(path: &Path) -> (usize, usize, Vec<Vec<f32>>) {
    let array: ndarray::Array2<f32> = ndarray_npy::read_npy(path).unwrap();
    let (rows, cols) = array.dim();
    (rows, cols, array.outer_iter().map(|r| r.to_vec()).collect())
}

/// Slices a string by code points, as Python does.
fn char_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

#[test]
fn the_pipeline_honours_the_stage_contract() {
    let input = sample_input(&ESSAYS);
    let out = tempfile::tempdir().unwrap();
    run_ok(input.path(), out.path(), &[]);
    let first = out.path();

    // Ingest: one line per readable document, ids derived from paths.
    let documents = jsonl(&first.join("ingest/documents.jsonl"));
    assert_eq!(documents.len(), ESSAYS.len());
    let texts: BTreeMap<String, String> = documents
        .iter()
        .map(|d| {
            (
                d["doc_id"].as_str().unwrap().to_owned(),
                d["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for document in &documents {
        let text = document["text"].as_str().unwrap();
        for span in document["paragraphs"].as_array().unwrap() {
            let (start, end) = (
                span[0].as_u64().unwrap() as usize,
                span[1].as_u64().unwrap() as usize,
            );
            assert!(start < end && end <= text.chars().count());
        }
    }

    // Segment: offsets slice the document text back exactly.
    let sentences = jsonl(&first.join("segment/sentences.jsonl"));
    assert!(sentences.len() > 100, "only {} sentences", sentences.len());
    for sentence in &sentences {
        let text = &texts[sentence["doc_id"].as_str().unwrap()];
        let (start, end) = (
            sentence["start"].as_u64().unwrap() as usize,
            sentence["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            char_slice(text, start, end),
            sentence["text"].as_str().unwrap()
        );
    }

    // Embed: one L2-normalised row per sentence.
    let (rows, dimension, vectors) = read_npy_shape_and_rows(&first.join("embed/embeddings.npy"));
    assert_eq!((rows, dimension), (sentences.len(), 384));
    for vector in &vectors {
        let norm: f32 = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "norm {norm}");
    }
    assert_eq!(json(&first.join("embed/model.json"))["dimension"], 384);

    // Themes: every sentence has a theme that exists; shares sum to 1.
    let themes = json(&first.join("themes/themes.json"));
    let theme_ids: BTreeSet<u64> = themes["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_u64().unwrap())
        .collect();
    assert!(theme_ids.len() >= 2, "themes: {themes}");
    let assignments = jsonl(&first.join("themes/assignments.jsonl"));
    assert_eq!(assignments.len(), sentences.len());
    for (assignment, sentence) in assignments.iter().zip(&sentences) {
        assert_eq!(assignment["doc_id"], sentence["doc_id"]);
        assert_eq!(assignment["index"], sentence["index"]);
        assert!(theme_ids.contains(&assignment["theme"].as_u64().unwrap()));
    }
    for document in jsonl(&first.join("themes/documents.jsonl")) {
        for level in ["themes", "groups"] {
            let total: f64 = document[level]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["share"].as_f64().unwrap())
                .sum();
            assert!((total - 1.0).abs() < 1e-9, "{level} shares sum to {total}");
        }
    }
    // Two levels: every theme sits in one listed group, which lists it back.
    let groups = themes["groups"].as_array().unwrap();
    assert!(!groups.is_empty(), "groups: {themes}");
    for theme in themes["themes"].as_array().unwrap() {
        let group = groups
            .iter()
            .find(|g| g["id"] == theme["group"])
            .unwrap_or_else(|| panic!("theme {} names no listed group", theme["id"]));
        assert!(group["themes"].as_array().unwrap().contains(&theme["id"]));
    }
    let grouped: usize = groups
        .iter()
        .map(|g| g["themes"].as_array().unwrap().len())
        .sum();
    assert_eq!(grouped, theme_ids.len());
    // Labels: short, and no two alike.
    let labels: BTreeSet<&str> = themes["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels.len(), theme_ids.len(), "labels: {labels:?}");
    assert!(labels
        .iter()
        .all(|l| !l.is_empty() && l.split(' ').count() <= 4));

    // Summaries quote real sentences of their own document.
    let by_doc: BTreeMap<(String, u64), String> = sentences
        .iter()
        .map(|s| {
            (
                (
                    s["doc_id"].as_str().unwrap().to_owned(),
                    s["index"].as_u64().unwrap(),
                ),
                s["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let summaries = jsonl(&first.join("summaries/documents.jsonl"));
    assert_eq!(summaries.len(), documents.len());
    for summary in &summaries {
        let doc_id = summary["doc_id"].as_str().unwrap();
        let chosen = summary["sentences"].as_array().unwrap();
        assert!(!chosen.is_empty());
        for index in chosen {
            let sentence = &by_doc[&(doc_id.to_owned(), index.as_u64().unwrap())];
            assert!(summary["summary"]
                .as_str()
                .unwrap()
                .contains(sentence.as_str()));
        }
        assert!(first.join(format!("summaries/docs/{doc_id}.md")).is_file());
    }
    let report = fs::read_to_string(first.join("report/index.html")).unwrap();
    assert!(report.contains("id=\"theme-map\"") && report.contains("id=\"heatmap\""));
    assert!(fs::read_to_string(first.join("summaries/collection.md"))
        .unwrap()
        .starts_with('#'));
    let manifest = json(&first.join("manifest.json"));
    for stage in ["ingest", "segment", "embed", "themes", "summaries"] {
        assert!(
            manifest["stages"][stage]["seconds"].is_number(),
            "manifest lacks {stage}"
        );
    }

    // The same input again: byte-identical outputs, nothing re-embedded.
    let before = outputs(out.path());
    let second = run_ok(input.path(), out.path(), &[]);
    assert!(second.contains("0 computed"), "{second}");
    assert_eq!(before, outputs(out.path()));
}

/// The number of stages `precis status` calls fresh.
fn fresh_stages(out: &Path, extra: &[&str]) -> usize {
    let mut args = vec!["status", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let status = precis(&args);
    assert!(status.status.success(), "{status:?}");
    String::from_utf8_lossy(&status.stdout)
        .matches("fresh")
        .count()
}

#[test]
fn status_agrees_with_the_run_whatever_options_made_it() {
    let input = sample_input(&ESSAYS[..2]);
    for extra in [
        &["--precision", "bf16"][..],
        &["--themes", "2", "--groups", "1"],
        &["--summary-sentences", "1", "--max-file-mb", "1"],
    ] {
        let out = tempfile::tempdir().unwrap();
        run_ok(input.path(), out.path(), extra);
        assert_eq!(
            fresh_stages(out.path(), &[]),
            5,
            "after a run with {extra:?}"
        );
    }
    // Told the precision a re-run would use, status says what it would remake.
    let out = tempfile::tempdir().unwrap();
    run_ok(input.path(), out.path(), &["--precision", "bf16"]);
    assert_eq!(fresh_stages(out.path(), &["--precision", "bf16"]), 5);
    let status = precis(&["status", out.path().to_str().unwrap(), "--precision", "f32"]);
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.contains("embed  stale: the model or the precision changed"),
        "{status}"
    );
}

#[test]
fn by_default_the_vectors_are_bf16_exactly_where_the_cpu_computes_it_and_the_run_says_why() {
    // The flags the kernel reports, read apart from the CPUID probe precis uses.
    let native = fs::read_to_string("/proc/cpuinfo")
        .unwrap()
        .split_whitespace()
        .any(|flag| flag == "avx512_bf16");
    let input = sample_input(&ESSAYS[..1]);
    let out = tempfile::tempdir().unwrap();
    // The run's last line, on standard output.
    let said = |extra: &[&str]| {
        let mut args = vec!["--device", "cpu"];
        args.extend_from_slice(extra);
        let output = precis(&common::run_args(input.path(), out.path(), &args));
        assert!(output.status.success(), "{output:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let line = said(&[]);
    let picked = if native { "bf16" } else { "f32" };
    let recorded = &json(&out.path().join("manifest.json"))["stages"]["embed"]["precision"];
    assert_eq!(recorded["precision"], picked, "{recorded}");
    let why = recorded["why"].as_str().unwrap();
    assert!(why.starts_with("auto: this CPU"), "{why}");
    assert_eq!(why.contains("AVX512-BF16"), native, "{why}");
    assert!(
        line.contains(&format!("from cache; {picked}, {why}")),
        "{line}"
    );
    let status = precis(&["status", out.path().to_str().unwrap()]);
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.contains(&format!("vectors  {picked}, {why}")),
        "{status}"
    );

    // A named precision is taken as it is, and said to be asked for.
    let other = if native { "f32" } else { "bf16" };
    let line = said(&["--precision", other]);
    assert!(
        line.contains(&format!("from cache; {other}, asked for")),
        "{line}"
    );
    let recorded = &json(&out.path().join("manifest.json"))["stages"]["embed"]["precision"];
    assert_eq!(recorded["precision"], other, "{recorded}");
}

#[test]
fn a_stage_recorded_with_another_key_is_made_again_and_memory_matches_disk() {
    // As after an upgrade whose segmentation rules changed: the manifest
    // holds another segment key, and the folder holds other sentences.
    let input = sample_input(&ESSAYS[..3]);
    let out = tempfile::tempdir().unwrap();
    run_ok(input.path(), out.path(), &[]);
    let fresh = outputs(out.path());
    let manifest_path = out.path().join("manifest.json");
    let mut manifest = json(&manifest_path);
    manifest["stages"]["segment"]["inputs"] = "0".repeat(64).into();
    fs::write(
        &manifest_path,
        serde_json::to_vec_pretty(&manifest).unwrap(),
    )
    .unwrap();
    let sentences_path = out.path().join("segment/sentences.jsonl");
    let sentences = fs::read_to_string(&sentences_path).unwrap();
    let older: String = sentences
        .lines()
        .skip(1)
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(&sentences_path, older).unwrap();

    let status = precis(&["status", out.path().to_str().unwrap()]);
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(status.contains("segment  stale"), "{status}");
    assert!(
        status.contains("embed  stale: made from an earlier segment"),
        "{status}"
    );

    run_ok(input.path(), out.path(), &[]);
    // Segment is made again, and every later stage is what a fresh run makes.
    assert_eq!(fresh, outputs(out.path()));
    assert_eq!(fresh_stages(out.path(), &[]), 5);
    let report = precis(&["report", out.path().to_str().unwrap()]);
    assert!(report.status.success(), "{report:?}");
}

#[test]
fn an_edit_re_embeds_only_the_new_sentences() {
    let input = sample_input(&ESSAYS[..3]);
    let out = tempfile::tempdir().unwrap();
    run_ok(input.path(), out.path(), &[]);
    let path = input.path().join("the-night-bus.txt");
    let mut text = fs::read_to_string(&path).unwrap();
    text.push_str("\nA brand new closing thought about late buses and tired drivers.\n");
    fs::write(&path, text).unwrap();
    let status = precis(&["status", out.path().to_str().unwrap()]);
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.contains("ingest  stale: the input folder changed (edited: the-night-bus.txt)"),
        "{status}"
    );
    assert!(
        status.contains("summaries  stale: made from an earlier ingest"),
        "{status}"
    );
    let before = jsonl(&out.path().join("summaries/documents.jsonl"));
    let again = run_ok(input.path(), out.path(), &[]);
    assert!(again.contains(": 1 computed"), "{again}");
    let status = precis(&["status", out.path().to_str().unwrap()]);
    assert_eq!(
        String::from_utf8_lossy(&status.stdout)
            .matches("fresh")
            .count(),
        5
    );

    // Only the edited essay's summary is made again; the others are reused as they were.
    let after = jsonl(&out.path().join("summaries/documents.jsonl"));
    for (old, new) in before.iter().zip(&after) {
        if old["doc_id"] != "the-night-bus" {
            assert_eq!(old, new);
        }
    }
    let summaries = &common::json(&out.path().join("manifest.json"))["stages"]["summaries"];
    assert!(summaries["reused"].as_u64().unwrap() >= 2, "{summaries}");
    assert!(summaries["made"].as_u64().unwrap() >= 1, "{summaries}");
}

#[test]
fn a_missing_model_fails_before_touching_any_stage() {
    let input = sample_input(&ESSAYS[..1]);
    let out = tempfile::tempdir().unwrap();
    let output = precis(&[
        "run",
        input.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--model",
        "/nonexistent/model-folder",
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("/nonexistent/model-folder") && stderr.contains("just setup"),
        "{stderr}"
    );
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn the_model_worker_starts_only_for_vectors_the_cache_lacks_and_its_end_is_reported() {
    let input = sample_input(&ESSAYS[..2]);
    let out = tempfile::tempdir().unwrap();
    run_ok(input.path(), out.path(), &[]);
    let run_with_worker = |worker: &Path, out: &Path, extra: &[&str]| {
        common::precis_command(&common::run_args(input.path(), out, extra))
            .env("PRECIS_WORKER", worker)
            .output()
            .unwrap()
    };
    // No worker can start, and none is needed: not for a re-run without
    // changes, nor for a new output folder whose vectors are all cached.
    let absent = Path::new("/nonexistent/precis-worker");
    let rerun = run_with_worker(absent, out.path(), &[]);
    assert!(rerun.status.success(), "{rerun:?}");
    let elsewhere = tempfile::tempdir().unwrap();
    let cache = out.path().join("cache");
    let cached = run_with_worker(
        absent,
        elsewhere.path(),
        &["--cache", cache.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&cached.stderr);
    assert!(cached.status.success(), "{stderr}");
    assert!(stderr.contains(": 0 computed"), "{stderr}");
    assert_eq!(
        fs::read(out.path().join("embed/embeddings.npy")).unwrap(),
        fs::read(elsewhere.path().join("embed/embeddings.npy")).unwrap()
    );
    assert_eq!(
        fs::read(out.path().join("embed/model.json")).unwrap(),
        fs::read(elsewhere.path().join("embed/model.json")).unwrap()
    );

    // A new sentence needs the model: the error names the worker and the fix.
    let path = input.path().join("the-night-bus.txt");
    let mut text = fs::read_to_string(&path).unwrap();
    text.push_str("\nA sentence no cache has seen, about a conductor's last shift.\n");
    fs::write(&path, text).unwrap();
    let missing = run_with_worker(absent, out.path(), &[]);
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(!missing.status.success());
    assert!(
        stderr.contains("/nonexistent/precis-worker does not exist")
            && stderr.contains("cargo build --release -p precis-cli"),
        "{stderr}"
    );
    // A worker that ends before answering is named, with its exit status.
    let dir = tempfile::tempdir().unwrap();
    let quitter = dir.path().join("quitting-worker");
    fs::write(&quitter, "#!/bin/sh\nexit 3\n").unwrap();
    let mut permissions = fs::metadata(&quitter).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    fs::set_permissions(&quitter, permissions).unwrap();
    let stopped = run_with_worker(&quitter, out.path(), &[]);
    let stderr = String::from_utf8_lossy(&stopped.stderr);
    assert!(!stopped.status.success());
    assert!(
        stderr.contains(&format!("the model worker {} stopped", quitter.display()))
            && stderr.contains("exit status: 3"),
        "{stderr}"
    );
    // The real worker then finishes the job.
    let again = run_ok(input.path(), out.path(), &[]);
    assert!(again.contains(": 1 computed"), "{again}");
}

#[test]
fn the_segment_filter_returns_code_point_spans() {
    use std::io::Write;
    let mut child = common::precis_command(&["segment", "--jsonl"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            "{\"id\": 7, \"text\": \"Café first. Dr. Smith came at 5 p.m. Then he left.\"}\n"
                .as_bytes(),
        )
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let line: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(line["id"], 7);
    assert_eq!(
        line["sentences"],
        serde_json::json!(["Café first.", "Dr. Smith came at 5 p.m.", "Then he left."])
    );
    assert_eq!(line["spans"][1], serde_json::json!([12, 36]));
}

/// Themes depend on content only: renaming and reordering the input files
/// changes nothing but the document ids.
#[test]
fn renaming_and_shuffling_inputs_changes_no_theme_output() {
    let original = sample_input(&ESSAYS);
    let renamed = tempfile::tempdir().unwrap();
    // Reversed alphabetical order, different folders and extensions kept.
    let new_names: Vec<String> = ESSAYS
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let extension = Path::new(name).extension().unwrap().to_str().unwrap();
            format!("z{}/essay-{}.{extension}", i % 2, ESSAYS.len() - i)
        })
        .collect();
    for (name, new_name) in ESSAYS.iter().zip(&new_names) {
        let target = renamed.path().join(new_name);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(original.path().join(name), target).unwrap();
    }
    let (out_a, out_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    run_ok(original.path(), out_a.path(), &[]);
    run_ok(renamed.path(), out_b.path(), &[]);

    // Map ids of run B back to run A's through the document hashes.
    let ids = |out: &Path| -> BTreeMap<String, String> {
        jsonl(&out.join("ingest/documents.jsonl"))
            .iter()
            .map(|d| {
                (
                    d["hash"].as_str().unwrap().to_owned(),
                    d["doc_id"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let (ids_a, ids_b) = (ids(out_a.path()), ids(out_b.path()));
    let b_to_a: BTreeMap<String, String> = ids_b
        .iter()
        .map(|(hash, b)| (b.clone(), ids_a[hash].clone()))
        .collect();
    let rename = |value: &mut Value| rename_doc_ids(value, &b_to_a);

    let mut themes_b = json(&out_b.path().join("themes/themes.json"));
    rename(&mut themes_b);
    assert_eq!(json(&out_a.path().join("themes/themes.json")), themes_b);
    for file in ["themes/assignments.jsonl", "themes/documents.jsonl"] {
        let key = |v: &Value| format!("{}/{}", v["doc_id"], v.get("index").unwrap_or(&Value::Null));
        let mut a = jsonl(&out_a.path().join(file));
        let mut b = jsonl(&out_b.path().join(file));
        b.iter_mut().for_each(&rename);
        a.sort_by_key(key);
        b.sort_by_key(key);
        assert_eq!(a, b, "{file}");
    }
}

/// Replaces every `doc_id` string in a JSON value through `map`.
fn rename_doc_ids(value: &mut Value, map: &BTreeMap<String, String>) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields.iter_mut() {
                match (key.as_str(), &field) {
                    ("doc_id", Value::String(id)) => *field = Value::String(map[id].clone()),
                    _ => rename_doc_ids(field, map),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rename_doc_ids(item, map)),
        _ => {}
    }
}

#[test]
fn a_rerun_without_changes_keeps_the_stage_folders_it_would_remake_identically() {
    use std::os::unix::fs::MetadataExt;
    let input = sample_input(&ESSAYS[..3]);
    let out = tempfile::tempdir().unwrap();
    run_ok(input.path(), out.path(), &[]);
    let before = outputs(out.path());
    // A replaced stage folder is a new directory: its inode changes.
    let inodes = || -> Vec<u64> {
        ["ingest", "segment", "embed", "themes", "summaries"]
            .iter()
            .map(|stage| fs::metadata(out.path().join(stage)).unwrap().ino())
            .collect()
    };
    let first = inodes();

    let again = run_ok(input.path(), out.path(), &[]);
    assert_eq!(
        again.matches("(unchanged since the last run)").count(),
        2,
        "embed and themes should say they were kept:\n{again}"
    );
    assert_eq!(
        inodes(),
        first,
        "an unchanged stage was rewritten:\n{again}"
    );
    assert_eq!(outputs(out.path()), before);

    // A theme setting changes only the themes (and what follows them).
    run_ok(input.path(), out.path(), &["--themes", "2"]);
    let third = inodes();
    assert_eq!(third[..3], first[..3]);
    assert_ne!(
        third[3], first[3],
        "the themes were not made again for --themes 2"
    );
    let themes = json(&out.path().join("themes/themes.json"));
    assert_eq!(themes["themes"].as_array().unwrap().len(), 2);
}

#[test]
fn a_local_model_writes_the_summaries_when_asked_and_they_are_reused() {
    let input = sample_input(&ESSAYS[..2]);
    let models = common::tiny_summarizers();
    let bart = models.path().join("bart");
    let out = tempfile::tempdir().unwrap();
    // The tiny models' window is 64 tokens: generation lengths must fit it.
    let config = models.path().join("precis.toml");
    fs::write(
        &config,
        format!(
            "[summaries.abstractive]\nfolder = {:?}\n\n[summaries.abstractive.generation]\n\
             max_length = 12\nmin_length = 4\nnum_beams = 2\n",
            bart.to_str().unwrap()
        ),
    )
    .unwrap();
    let abstractive = ["--config", config.to_str().unwrap()];
    run_ok(input.path(), out.path(), &abstractive);
    // The model's checksum is in the summaries' key, and read back by status.
    assert_eq!(fresh_stages(out.path(), &[]), 5);
    let documents = jsonl(&out.path().join("summaries/documents.jsonl"));
    assert_eq!(documents.len(), 2);
    for summary in &documents {
        assert_eq!(summary["written_by"], "bart", "{summary}");
        assert!(!summary["summary"].as_str().unwrap().trim().is_empty());
        assert_eq!(summary["sentences"], serde_json::json!([]));
    }
    for summary in jsonl(&out.path().join("summaries/themes.jsonl")) {
        assert_eq!(summary["written_by"], "bart", "{summary}");
        assert!(
            !summary["texts"].as_array().unwrap().is_empty(),
            "{summary}"
        );
    }
    let collection = fs::read_to_string(out.path().join("summaries/collection.md")).unwrap();
    assert!(collection.contains("*Written by bart from these quotations:*"));
    let manifest = json(&out.path().join("manifest.json"));
    let recorded = &manifest["config"]["summaries"]["abstractive"];
    assert_eq!(
        recorded["checksum"].as_str().unwrap().len(),
        64,
        "{recorded}"
    );

    // Nothing changed: nothing is generated again.
    run_ok(input.path(), out.path(), &abstractive);
    let summaries = &json(&out.path().join("manifest.json"))["stages"]["summaries"];
    assert_eq!(summaries["made"], 0, "{summaries}");

    // Another model (T5) changes every summary's key.
    let t5 = models.path().join("t5");
    run_ok(
        input.path(),
        out.path(),
        &[
            abstractive[0],
            abstractive[1],
            "--summary-model",
            t5.to_str().unwrap(),
        ],
    );
    let summaries = &json(&out.path().join("manifest.json"))["stages"]["summaries"];
    assert_eq!(summaries["reused"], 0, "{summaries}");
    let documents = jsonl(&out.path().join("summaries/documents.jsonl"));
    assert!(documents.iter().all(|d| d["written_by"] == "t5"));

    // Back to quoting sentences.
    run_ok(
        input.path(),
        out.path(),
        &[abstractive[0], abstractive[1], "--summarizer", "extractive"],
    );
    for summary in jsonl(&out.path().join("summaries/documents.jsonl")) {
        assert!(summary.get("written_by").is_none(), "{summary}");
        assert!(!summary["sentences"].as_array().unwrap().is_empty());
    }
}

#[test]
fn a_bad_summary_model_fails_before_touching_any_stage() {
    let input = sample_input(&ESSAYS[..1]);
    let out = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 2] = [
        (
            &["--summarizer", "abstractive"],
            "needs a model: pass --summary-model PATH",
        ),
        (
            &["--summary-model", "models/all-MiniLM-L6-v2"],
            "not a supported summarization model",
        ),
    ];
    for (extra, expected) in cases {
        let output = precis(&common::run_args(input.path(), out.path(), extra));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
        assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0, "{stderr}");
    }
}

#[test]
fn a_config_file_sets_options_and_flags_beat_it() {
    let input = sample_input(&ESSAYS[..3]);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("settings.toml");
    fs::write(
        &config,
        "[run]\nout = \"from-config\"\n\n[themes]\nthemes = 2\n\n[summaries]\nsentences = 2\n",
    )
    .unwrap();
    let config_arg = ["--config", config.to_str().unwrap()];
    let run = |extra: &[&str]| {
        let mut args = vec!["run", input.path().to_str().unwrap()];
        args.extend(config_arg);
        args.extend(extra);
        let output = precis(&args);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    // `out` is relative to the config file's folder.
    run(&[]);
    let out = dir.path().join("from-config");
    let themes = json(&out.join("themes/themes.json"));
    assert_eq!(themes["themes"].as_array().unwrap().len(), 2);
    for summary in jsonl(&out.join("summaries/documents.jsonl")) {
        assert_eq!(summary["sentences"].as_array().unwrap().len(), 2);
    }
    run(&["--themes", "3"]);
    let themes = json(&out.join("themes/themes.json"));
    assert_eq!(themes["themes"].as_array().unwrap().len(), 3);

    fs::write(&config, "[themes]\nthemes = \"two\"\n").unwrap();
    let mut args = vec!["run", input.path().to_str().unwrap()];
    args.extend(config_arg);
    let output = precis(&args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("settings.toml") && stderr.contains("themes"),
        "{stderr}"
    );
}

/// The sample essays in two subfolders, with a metadata file (in a folder of
/// its own) that gives all but one of them an author.
fn faceted_input() -> (tempfile::TempDir, tempfile::TempDir, std::path::PathBuf) {
    let input = tempfile::tempdir().unwrap();
    let beside = tempfile::tempdir().unwrap();
    let placed = [
        ("cities-and-cars.md", "streets/cities-and-cars.md", "Ames"),
        ("the-night-bus.txt", "streets/the-night-bus.txt", "Ames"),
        (
            "the-commute-as-thinking-time.txt",
            "streets/commute.txt",
            "Bell",
        ),
        (
            "what-exams-measure.html",
            "school/what-exams-measure.html",
            "Bell",
        ),
        ("notes/reading-slowly.txt", "school/reading-slowly.txt", ""),
    ];
    let mut csv = String::from("path,author\n");
    for (from, to, author) in placed {
        let target = input.path().join(to);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(common::workspace().join("data/input").join(from), target).unwrap();
        csv.push_str(&format!("{to},{author}\n"));
    }
    let metadata = beside.path().join("metadata.csv");
    fs::write(&metadata, csv).unwrap();
    (input, beside, metadata)
}

#[test]
fn front_matter_fields_that_group_essays_are_facets_and_the_metadata_file_wins_over_them() {
    let input = tempfile::tempdir().unwrap();
    let essays = [
        (
            "the-night-bus.txt",
            "author: Ames\nsubtitle: After midnight",
        ),
        (
            "the-commute-as-thinking-time.txt",
            "author: Ames\nyear: 2024",
        ),
        ("notes/reading-slowly.txt", "author: Bell\nyear: 2024"),
        ("a-harbour-town-in-winter.txt", "author: Bell\nyear: 2025"),
    ];
    for (from, front_matter) in essays {
        let body = fs::read_to_string(common::workspace().join("data/input").join(from)).unwrap();
        let from = from.rsplit('/').next().unwrap();
        let name = from.rsplit_once('.').unwrap().0.to_owned() + ".md";
        fs::write(
            input.path().join(name),
            format!("---\n{front_matter}\n---\n{body}"),
        )
        .unwrap();
    }
    let beside = tempfile::tempdir().unwrap();
    let metadata = beside.path().join("metadata.csv");
    fs::write(&metadata, "path,author\nthe-night-bus.md,Cole\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    run_ok(
        input.path(),
        out.path(),
        &["--metadata", metadata.to_str().unwrap()],
    );
    let documents = jsonl(&out.path().join("ingest/documents.jsonl"));
    let bus = documents
        .iter()
        .find(|d| d["source"] == "the-night-bus.md")
        .unwrap();
    assert_eq!(bus["metadata"]["subtitle"], "After midnight", "{bus}");
    assert_eq!(bus["metadata"]["author"], "Ames", "{bus}");

    let counts = |facet: &str| -> BTreeMap<String, u64> {
        jsonl(&out.path().join(format!("themes/by_{facet}.jsonl")))
            .iter()
            .map(|v| {
                (
                    v["value"].as_str().unwrap().to_owned(),
                    v["documents"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    // The file's Cole wins over the night bus's own Ames.
    let expected: BTreeMap<String, u64> =
        [("Ames".into(), 1), ("Bell".into(), 2), ("Cole".into(), 1)].into();
    assert_eq!(counts("author"), expected);
    let expected: BTreeMap<String, u64> = [("2024".into(), 2), ("2025".into(), 1)].into();
    assert_eq!(counts("year"), expected);
    // A field no two essays share compares nothing, unless asked for by name.
    assert!(!out.path().join("themes/by_subtitle.jsonl").exists());
    let stderr = run_ok(input.path(), out.path(), &["--by", "subtitle"]);
    assert!(stderr.contains("by subtitle: 1 value"), "{stderr}");
    assert_eq!(counts("subtitle").len(), 1);
}

#[test]
fn facets_give_each_value_its_themes_and_the_distinctive_ones_with_their_sentences() {
    let (input, _beside, metadata) = faceted_input();
    let out = tempfile::tempdir().unwrap();
    let stderr = run_ok(
        input.path(),
        out.path(),
        &["--metadata", metadata.to_str().unwrap(), "--by", "author"],
    );
    assert!(stderr.contains("by author: 2 values"), "{stderr}");
    let sentences = jsonl(&out.path().join("segment/sentences.jsonl"));
    let assignments = jsonl(&out.path().join("themes/assignments.jsonl"));
    let theme_of: BTreeMap<(String, u64), u64> = assignments
        .iter()
        .map(|a| {
            let key = (
                a["doc_id"].as_str().unwrap().to_owned(),
                a["index"].as_u64().unwrap(),
            );
            (key, a["theme"].as_u64().unwrap())
        })
        .collect();
    let themes = json(&out.path().join("themes/themes.json"))["themes"]
        .as_array()
        .unwrap()
        .len();

    // doc id -> (folder, author) from the documents' sources.
    let documents = jsonl(&out.path().join("ingest/documents.jsonl"));
    let facet_of = |source: &str| -> (String, Option<&str>) {
        let folder = source.split('/').next().unwrap().to_owned();
        let author = match source {
            "streets/cities-and-cars.md" | "streets/the-night-bus.txt" => Some("Ames"),
            "streets/commute.txt" | "school/what-exams-measure.html" => Some("Bell"),
            _ => None,
        };
        (folder, author)
    };
    let values: BTreeMap<String, (String, Option<&str>)> = documents
        .iter()
        .map(|d| {
            (
                d["doc_id"].as_str().unwrap().to_owned(),
                facet_of(d["source"].as_str().unwrap()),
            )
        })
        .collect();

    for (file, facet) in [("by_folder.jsonl", "folder"), ("by_author.jsonl", "author")] {
        let table = jsonl(&out.path().join("themes").join(file));
        let expected: BTreeSet<&str> = match facet {
            "folder" => ["school", "streets"].into(),
            _ => ["Ames", "Bell"].into(),
        };
        let found: BTreeSet<&str> = table.iter().map(|v| v["value"].as_str().unwrap()).collect();
        assert_eq!(found, expected, "{file}");
        for value in &table {
            let name = value["value"].as_str().unwrap();
            let members: BTreeSet<&String> = values
                .iter()
                .filter(|(_, (folder, author))| match facet {
                    "folder" => folder == name,
                    _ => *author == Some(name),
                })
                .map(|(doc, _)| doc)
                .collect();
            assert_eq!(
                value["documents"].as_u64().unwrap() as usize,
                members.len(),
                "{file} {name}"
            );
            let own: Vec<&Value> = sentences
                .iter()
                .filter(|s| members.contains(&s["doc_id"].as_str().unwrap().to_owned()))
                .collect();
            assert_eq!(
                value["sentences"].as_u64().unwrap() as usize,
                own.len(),
                "{file} {name}"
            );
            // Every theme is listed, and the counts are this value's sentences in it.
            let entries = value["themes"].as_array().unwrap();
            assert_eq!(entries.len(), themes, "{file} {name}");
            for entry in entries {
                let theme = entry["theme"].as_u64().unwrap();
                let count = own
                    .iter()
                    .filter(|s| {
                        let key = (
                            s["doc_id"].as_str().unwrap().to_owned(),
                            s["index"].as_u64().unwrap(),
                        );
                        theme_of[&key] == theme
                    })
                    .count();
                assert_eq!(
                    entry["sentences"].as_u64().unwrap() as usize,
                    count,
                    "{file} {name} theme {theme}"
                );
            }
            // A distinctive theme is one the value uses more than the rest, and its
            // examples are the value's own sentences in that theme.
            for distinctive in value["distinctive"].as_array().unwrap() {
                let theme = distinctive["theme"].as_u64().unwrap();
                assert!(distinctive["z"].as_f64().unwrap() > 1.96);
                let entry = entries.iter().find(|e| e["theme"] == theme).unwrap();
                assert!(entry["log_odds"].as_f64().unwrap() > 0.0);
                let examples = distinctive["examples"].as_array().unwrap();
                assert!(!examples.is_empty());
                for example in examples {
                    let key = (
                        example["doc_id"].as_str().unwrap().to_owned(),
                        example["index"].as_u64().unwrap(),
                    );
                    assert!(members.contains(&key.0), "{file} {name}: {example}");
                    assert_eq!(theme_of[&key], theme);
                }
            }
        }
    }
    // Four essays on streets and schools against each other: something stands out.
    let by_folder = jsonl(&out.path().join("themes/by_folder.jsonl"));
    assert!(by_folder
        .iter()
        .any(|v| !v["distinctive"].as_array().unwrap().is_empty()));

    // The metadata file is part of the themes stage's key: status sees an edit of it
    // (themes stale, and summaries, downstream of them), and the next run rewrites the
    // facet.
    assert_eq!(fresh_stages(out.path(), &[]), 5);
    let edited = fs::read_to_string(&metadata)
        .unwrap()
        .replace(",Bell", ",Cole");
    fs::write(&metadata, edited).unwrap();
    assert_eq!(fresh_stages(out.path(), &[]), 3);
    run_ok(
        input.path(),
        out.path(),
        &["--metadata", metadata.to_str().unwrap()],
    );
    let authors: BTreeSet<String> = jsonl(&out.path().join("themes/by_author.jsonl"))
        .iter()
        .map(|v| v["value"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(authors, ["Ames".to_string(), "Cole".to_string()].into());
}

#[test]
fn a_bad_metadata_file_or_facet_is_refused_with_the_row_or_the_facets_named() {
    let (input, _beside, metadata) = faceted_input();
    let out = tempfile::tempdir().unwrap();
    let metadata_arg = metadata.to_str().unwrap();
    let failure = |extra: &[&str]| {
        let output = precis(&common::run_args(input.path(), out.path(), extra));
        assert!(!output.status.success());
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let stderr = failure(&["--by", "decade"]);
    assert!(
        stderr.contains("--by decade") && stderr.contains("the facets are folder"),
        "{stderr}"
    );
    let stderr = failure(&["--metadata", metadata_arg, "--by", "decade"]);
    assert!(stderr.contains("the facets are author, folder"), "{stderr}");

    let mut text = fs::read_to_string(&metadata).unwrap();
    text.push_str("streets/no-such-essay.txt,Ames\n");
    fs::write(&metadata, text).unwrap();
    let stderr = failure(&["--metadata", metadata_arg]);
    assert!(
        stderr.contains("row 7") && stderr.contains("streets/no-such-essay.txt"),
        "{stderr}"
    );

    fs::write(&metadata, "file,author\nstreets/commute.txt,Bell\n").unwrap();
    let stderr = failure(&["--metadata", metadata_arg]);
    assert!(stderr.contains("no `path` column"), "{stderr}");
    assert!(
        !out.path().join("themes").exists(),
        "no themes were written"
    );
}

#[test]
fn compare_docs_gives_shared_themes_with_their_closest_pair_and_each_ones_own() {
    let input = sample_input(&ESSAYS);
    let out = tempfile::tempdir().unwrap();
    run_ok(input.path(), out.path(), &[]);
    let run = out.path().to_str().unwrap();
    let (a, b) = ("cities-and-cars.md", "the-night-bus.txt");
    let output = precis(&["compare-docs", run, a, b, "--json"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let comparison: Value = serde_json::from_slice(&output.stdout).unwrap();

    let shares = |doc: &str| -> BTreeMap<u64, f64> {
        jsonl(&out.path().join("themes/documents.jsonl"))
            .iter()
            .find(|d| d["doc_id"] == doc)
            .unwrap()["themes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["theme"].as_u64().unwrap(), s["share"].as_f64().unwrap()))
            .collect()
    };
    let (id_a, id_b) = (
        comparison["a"].as_str().unwrap(),
        comparison["b"].as_str().unwrap(),
    );
    let (shares_a, shares_b) = (shares(id_a), shares(id_b));
    let sentences = jsonl(&out.path().join("segment/sentences.jsonl"));
    let text_of = |doc: &str, index: &Value| -> String {
        sentences
            .iter()
            .find(|s| s["doc_id"] == doc && s["index"] == *index)
            .unwrap()["text"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // The pair the themes stage wrote for the report, for the two documents
    // in doc-id order: (index in the earlier one, in the later one, cosine).
    let written: Value = serde_json::from_str(
        &fs::read_to_string(out.path().join("themes/closest_pairs.json")).unwrap(),
    )
    .unwrap();
    let written_pair = |theme: u64| -> (u64, u64, f64) {
        let pairs = written
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["theme"] == theme)
            .unwrap();
        let documents: Vec<&str> = pairs["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap())
            .collect();
        let (first, second) = (id_a.min(id_b), id_a.max(id_b));
        let x = documents.iter().position(|&d| d == first).unwrap();
        let y = documents.iter().position(|&d| d == second).unwrap();
        let n = documents.len();
        // Pairs run (0, 1), (0, 2), … (1, 2), …
        let pair = &pairs["closest"][x * (2 * n - x - 1) / 2 + (y - x - 1)];
        let (index_first, index_second) = (
            pair["index_first"].as_u64().unwrap(),
            pair["index_second"].as_u64().unwrap(),
        );
        let (index_a, index_b) = if id_a < id_b {
            (index_first, index_second)
        } else {
            (index_second, index_first)
        };
        (index_a, index_b, pair["similarity"].as_f64().unwrap())
    };
    let mut listed = BTreeSet::new();
    for shared in comparison["shared"].as_array().unwrap() {
        let theme = shared["theme"].as_u64().unwrap();
        listed.insert(theme);
        assert_eq!(shared["share_a"].as_f64(), shares_a.get(&theme).copied());
        assert_eq!(shared["share_b"].as_f64(), shares_b.get(&theme).copied());
        let pair = &shared["closest"];
        let (index_a, index_b, similarity) = written_pair(theme);
        assert_eq!(pair["index_a"].as_u64(), Some(index_a), "theme {theme}");
        assert_eq!(pair["index_b"].as_u64(), Some(index_b), "theme {theme}");
        assert!(
            (pair["similarity"].as_f64().unwrap() - similarity).abs() < 1e-6,
            "theme {theme}"
        );
        assert_eq!(
            pair["text_a"].as_str().unwrap(),
            text_of(id_a, &pair["index_a"])
        );
        assert_eq!(
            pair["text_b"].as_str().unwrap(),
            text_of(id_b, &pair["index_b"])
        );
    }
    for (side, own, other) in [
        ("only_a", &shares_a, &shares_b),
        ("only_b", &shares_b, &shares_a),
    ] {
        let themes: BTreeSet<u64> = comparison[side]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["theme"].as_u64().unwrap())
            .collect();
        let expected: BTreeSet<u64> = own
            .keys()
            .filter(|t| !other.contains_key(t))
            .copied()
            .collect();
        assert_eq!(themes, expected, "{side}");
    }
    let both: BTreeSet<u64> = shares_a
        .keys()
        .filter(|t| shares_b.contains_key(t))
        .copied()
        .collect();
    assert_eq!(listed, both);

    let text = precis(&["compare-docs", run, a, b]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("shared themes"));
    let missing = precis(&["compare-docs", run, a, "no-such.txt"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no document `no-such.txt`"));
}

#[test]
fn a_folder_of_every_format_reads_each_file_as_an_essay() {
    let input = sample_input(&[
        "the-night-bus.txt",
        "cities-and-cars.md",
        "what-exams-measure.html",
        "keeping-bees.docx",
        "mending-clothes.pdf",
    ]);
    let fixtures = common::workspace().join("crates/ingest/tests/fixtures");
    for name in ["the-repair-cafe.odt", "a-year-of-walking.epub"] {
        fs::copy(fixtures.join(name), input.path().join(name)).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    run_ok(input.path(), out.path(), &[]);
    let manifest = json(&out.path().join("manifest.json"));
    assert_eq!(manifest["skipped"], serde_json::json!([]), "{manifest}");
    let documents = jsonl(&out.path().join("ingest/documents.jsonl"));
    let sources: BTreeSet<&str> = documents
        .iter()
        .map(|d| d["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources.len(), 7, "{sources:?}");
    let sentences = jsonl(&out.path().join("segment/sentences.jsonl"));
    for document in &documents {
        let doc_id = &document["doc_id"];
        let source = document["source"].as_str().unwrap();
        let text = document["text"].as_str().unwrap();
        let own: Vec<&Value> = sentences
            .iter()
            .filter(|s| s["doc_id"] == *doc_id)
            .collect();
        assert!(own.len() >= 10, "{source}: {} sentences", own.len());
        for s in own {
            let (start, end) = (
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                char_slice(text, start, end),
                s["text"].as_str().unwrap(),
                "{source}"
            );
        }
        assert!(!document["title"].as_str().unwrap().is_empty(), "{source}");
    }
    // Words of each essay's own come through: the binary formats are read, not guessed at.
    let text_of = |source: &str| {
        documents.iter().find(|d| d["source"] == source).unwrap()["text"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(text_of("keeping-bees.docx").contains("honey"));
    assert!(text_of("mending-clothes.pdf").contains("darn"));
}

#[test]
fn a_pdf_the_pdf_crates_panic_on_is_skipped_quietly_and_the_rest_is_read() {
    let input = sample_input(&["the-night-bus.txt"]);
    let fixture = common::workspace().join("crates/ingest/tests/fixtures/damaged-fonts.pdf");
    fs::copy(fixture, input.path().join("damaged.pdf")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let stderr = run_ok(input.path(), out.path(), &[]);
    assert!(
        stderr.contains("skipped damaged.pdf: damaged PDF"),
        "{stderr}"
    );
    // The panic inside the PDF crate is contained and said as a skip, not as a crash.
    assert!(!stderr.contains("panicked"), "{stderr}");
    let manifest = json(&out.path().join("manifest.json"));
    assert_eq!(manifest["skipped"][0]["source"], "damaged.pdf");
    assert_eq!(jsonl(&out.path().join("ingest/documents.jsonl")).len(), 1);
}

/// The lines of a JSON Lines file whose `doc_id` is not `doc_id`.
fn lines_not_of(path: &Path, doc_id: &str) -> Vec<String> {
    let needle = format!("\"doc_id\":\"{doc_id}\"");
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|line| !line.contains(&needle))
        .map(str::to_owned)
        .collect()
}

/// The theme of every sentence, by document and text.
fn themes_by_text(out: &Path) -> BTreeMap<(String, String), Vec<u64>> {
    let sentences = jsonl(&out.join("segment/sentences.jsonl"));
    let assignments = jsonl(&out.join("themes/assignments.jsonl"));
    let mut themes: BTreeMap<(String, String), Vec<u64>> = BTreeMap::new();
    for (s, a) in sentences.iter().zip(&assignments) {
        themes
            .entry((
                s["doc_id"].as_str().unwrap().to_owned(),
                s["text"].as_str().unwrap().to_owned(),
            ))
            .or_default()
            .push(a["theme"].as_u64().unwrap());
    }
    themes
}

#[test]
fn a_small_edit_warm_starts_the_themes_and_recluster_gives_a_new_runs_themes() {
    let input = sample_input(&ESSAYS);
    let out = tempfile::tempdir().unwrap();
    run_ok(input.path(), out.path(), &[]);
    let before = themes_by_text(out.path());
    let themes_before = json(&out.path().join("themes/themes.json"));
    let file = |name: &str| out.path().join(name);
    let documents_before = lines_not_of(&file("themes/documents.jsonl"), "the-night-bus");
    let summaries_before = lines_not_of(&file("summaries/documents.jsonl"), "the-night-bus");
    let page = |out: &Path| fs::read(out.join("summaries/docs/cities-and-cars.md")).unwrap();
    let page_before = page(out.path());

    // One paragraph of one essay replaced.
    let path = input.path().join("the-night-bus.txt");
    let text = fs::read_to_string(&path).unwrap();
    let mut paragraphs: Vec<&str> = text.split("\n\n").collect();
    paragraphs[2] = "The timetable at the stop was printed in a font too small to read in the \
                     rain. Nobody trusted it. We watched the road instead, and guessed.";
    fs::write(&path, paragraphs.join("\n\n")).unwrap();
    let stderr = run_ok(input.path(), out.path(), &[]);
    assert!(stderr.contains("themes warm-started"), "{stderr}");
    let manifest = json(&file("manifest.json"));
    let origin = &manifest["stages"]["themes"]["origin"];
    assert_eq!(origin["start"], "warm", "{origin}");
    assert!(origin["edit"]["new"].as_u64().unwrap() >= 2, "{origin}");
    let drift = origin["drift_ari"].as_f64().unwrap();
    assert!((-1.0..=1.0).contains(&drift), "{origin}");
    let status = precis(&["status", out.path().to_str().unwrap()]);
    let status = String::from_utf8_lossy(&status.stdout);
    assert_eq!(status.matches("fresh").count(), 5, "{status}");
    assert!(status.contains("drift: ARI"), "{status}");
    // The report says so too, as status does.
    let report = fs::read_to_string(file("report/index.html")).unwrap();
    assert!(
        report.contains("themes warm-started from the last run") && report.contains("drift: ARI"),
        "the report's run table tells how the themes began"
    );

    // Untouched sentences keep their themes; ids and labels hold.
    let after = themes_by_text(out.path());
    for (key, themes) in &before {
        if let Some(now) = after.get(key) {
            assert_eq!(themes, now, "{key:?}");
        }
    }
    let themes_after = json(&file("themes/themes.json"));
    let names = |set: &Value| -> Vec<(Value, Value)> {
        set["themes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["id"].clone(), t["label"].clone()))
            .collect()
    };
    assert_eq!(names(&themes_before), names(&themes_after));
    // Untouched documents' lines and pages are byte for byte as they were.
    assert_eq!(
        documents_before,
        lines_not_of(&file("themes/documents.jsonl"), "the-night-bus")
    );
    assert_eq!(
        summaries_before,
        lines_not_of(&file("summaries/documents.jsonl"), "the-night-bus")
    );
    assert_eq!(page_before, page(out.path()));

    // Past the drift threshold, status suggests --recluster.
    let mut tampered = manifest.clone();
    tampered["stages"]["themes"]["origin"]["drift_ari"] = 0.5.into();
    fs::write(
        file("manifest.json"),
        serde_json::to_vec_pretty(&tampered).unwrap(),
    )
    .unwrap();
    let status = precis(&["status", out.path().to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&status.stdout).contains("precis run --recluster"),
        "{status:?}"
    );
    fs::write(
        file("manifest.json"),
        serde_json::to_vec_pretty(&manifest).unwrap(),
    )
    .unwrap();

    // --recluster gives exactly what a run into an empty folder gives (with
    // the same cache: vectors embedded in other batches differ in the last
    // bits).
    let stderr = run_ok(input.path(), out.path(), &["--recluster"]);
    assert!(stderr.contains("clustered afresh (--recluster"), "{stderr}");
    let new = tempfile::tempdir().unwrap();
    let cache = file("cache");
    run_ok(
        input.path(),
        new.path(),
        &["--cache", cache.to_str().unwrap()],
    );
    let themes_files = |out: &Path| -> BTreeMap<String, String> {
        outputs(out)
            .into_iter()
            .filter(|(name, _)| name.starts_with("themes/"))
            .map(|(name, bytes)| (name, String::from_utf8(bytes).unwrap()))
            .collect()
    };
    assert_eq!(themes_files(out.path()), themes_files(new.path()));
    let origin = &json(&file("manifest.json"))["stages"]["themes"]["origin"];
    assert_eq!(origin["start"], "fresh", "{origin}");
    assert!(origin.get("from").is_none(), "{origin}");
    assert_eq!(fresh_stages(out.path(), &[]), 5);
    // And it is kept, as any stage whose inputs did not change.
    let stderr = run_ok(input.path(), out.path(), &["--recluster"]);
    assert!(stderr.contains("themes (unchanged"), "{stderr}");
}

#[test]
fn a_reader_that_stops_early_is_no_failure() {
    // As `precis status DIR | head -1`: the reader has gone before precis
    // writes (the subshell closes its stdin at once; precis takes longer to
    // start), so the write fails with a broken pipe.
    let dir = tempfile::tempdir().unwrap();
    let script = format!(
        "{{ '{PRECIS}' status '{}'; echo \"exit $?\" >&2; }} | (exec 0<&-; sleep 1)",
        dir.path().display()
    );
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(&script)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim(), "exit 0", "{stderr}");
}

/// The outline's sections as (depth, heading), in order, and each with the
/// index of its sentence.
fn outline_rows(sections: &Value, depth: usize, rows: &mut Vec<(usize, String, Option<u64>)>) {
    for section in sections.as_array().unwrap() {
        rows.push((
            depth,
            section["heading"].as_str().unwrap().to_owned(),
            section["index"].as_u64(),
        ));
        outline_rows(&section["children"], depth + 1, rows);
    }
}

#[test]
fn essays_with_sections_get_an_outline_of_headings_and_a_sentence_from_each() {
    let input = sample_input(&["the-night-bus.txt"]);
    let fixtures = common::workspace().join("tests/fixtures/outline");
    for name in ["the-tool-library.txt", "river-swimming.md"] {
        fs::copy(fixtures.join(name), input.path().join(name)).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    run_ok(input.path(), out.path(), &[]);
    let documents = jsonl(&out.path().join("ingest/documents.jsonl"));
    let sentences = jsonl(&out.path().join("segment/sentences.jsonl"));
    let summaries = jsonl(&out.path().join("summaries/documents.jsonl"));
    let find = |lines: &[Value], doc_id: &str| -> Value {
        lines
            .iter()
            .find(|l| l["doc_id"] == doc_id)
            .unwrap()
            .clone()
    };

    let expected: [(&str, &[(usize, &str)]); 2] = [
        (
            "the-tool-library",
            &[
                (0, "Why it works"),
                (1, "Most tools are used for minutes in their whole lives."),
                (1, "Volunteers stay because they are needed."),
                (1, "A shop on the high street earns trust."),
                (0, "What it still lacks"),
                (1, "Money runs out every winter."),
                (1, "Broken tools come back without a word."),
                (1, "The members are not yet the whole street."),
            ],
        ),
        (
            "river-swimming",
            &[
                (0, "Why people go"),
                (1, "The cold"),
                (1, "The company"),
                (0, "What the risks are"),
                (0, "Who should decide"),
            ],
        ),
    ];
    for (doc_id, sections) in expected {
        let document = find(&documents, doc_id);
        let paragraphs: Vec<(u64, u64)> = document["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s[0].as_u64().unwrap(), s[1].as_u64().unwrap()))
            .collect();
        let text = document["text"].as_str().unwrap();
        // Each heading's paragraph and level, by its text.
        let headings: Vec<(String, usize, u64)> = document["headings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                let p = h["paragraph"].as_u64().unwrap() as usize;
                let (start, end) = paragraphs[p];
                (
                    char_slice(text, start as usize, end as usize),
                    p,
                    h["level"].as_u64().unwrap(),
                )
            })
            .collect();
        let mut rows = Vec::new();
        outline_rows(&find(&summaries, doc_id)["outline"], 0, &mut rows);
        let shape: Vec<(usize, &str)> = rows.iter().map(|(d, h, _)| (*d, h.as_str())).collect();
        assert_eq!(shape, sections, "{doc_id}");

        let mut quoted = BTreeSet::new();
        for (_, heading, index) in &rows {
            // The section: from its heading to the next heading of its level
            // or a shallower one.
            let at = headings.iter().position(|h| &h.0 == heading).unwrap();
            let (_, first, level) = headings[at];
            let end = headings[at + 1..]
                .iter()
                .find(|h| h.2 <= level)
                .map_or(paragraphs.len(), |h| h.1);
            let index = index.unwrap_or_else(|| panic!("{doc_id}: {heading} has no sentence"));
            assert!(
                quoted.insert(index),
                "{doc_id}: sentence {index} quoted twice"
            );
            let sentence = sentences
                .iter()
                .find(|s| s["doc_id"] == doc_id && s["index"] == index)
                .unwrap();
            let start = sentence["start"].as_u64().unwrap();
            let paragraph = paragraphs.partition_point(|p| p.0 <= start) - 1;
            assert!(
                paragraph > first && paragraph < end,
                "{doc_id}: the sentence of {heading:?} is in paragraph {paragraph}, outside {first}..{end}"
            );
            assert!(
                headings.iter().all(|h| h.1 != paragraph),
                "{doc_id}: {heading:?} quotes a heading"
            );
        }
        let page =
            fs::read_to_string(out.path().join(format!("summaries/docs/{doc_id}.md"))).unwrap();
        assert!(page.contains("## Outline\n\n- **"), "{page}");
    }

    // Without sections, nothing changes: no headings, no outline.
    let plain = find(&documents, "the-night-bus");
    assert!(plain.get("headings").is_none(), "{plain}");
    assert!(find(&summaries, "the-night-bus").get("outline").is_none());
    let page = fs::read_to_string(out.path().join("summaries/docs/the-night-bus.md")).unwrap();
    assert!(!page.contains("## Outline"));
    // The report carries the outlines for the essays' pages.
    let report = fs::read_to_string(out.path().join("report/index.html")).unwrap();
    assert!(report.contains("\"outline\":[{\"heading\":\"Why it works\""));
}

/// `precis search` on `run`, as JSON Lines; panics if it fails.
fn search_json(run: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["search", run.to_str().unwrap()];
    all.extend(args);
    all.push("--json");
    let output = precis(&all);
    assert!(
        output.status.success(),
        "precis {all:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// `precis search` that must fail; its stderr.
fn search_error(args: &[&str]) -> String {
    let mut all = vec!["search"];
    all.extend(args);
    let output = precis(&all);
    assert!(!output.status.success(), "precis {all:?} succeeded");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn search_finds_the_essay_a_query_is_about_with_context_and_filters() {
    let (input, _beside, metadata) = faceted_input();
    let out = tempfile::tempdir().unwrap();
    // The metadata file named relative to the folder the run is made in: the
    // searches below, made elsewhere, still find it.
    let name = metadata.file_name().unwrap().to_str().unwrap();
    let ran = common::precis_command(&common::run_args(
        input.path(),
        out.path(),
        &["--metadata", name],
    ))
    .current_dir(metadata.parent().unwrap())
    .output()
    .unwrap();
    assert!(
        ran.status.success(),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let run = out.path();
    let sentences = jsonl(&run.join("segment/sentences.jsonl"));
    let assignments = jsonl(&run.join("themes/assignments.jsonl"));
    let labels: BTreeMap<u64, String> = json(&run.join("themes/themes.json"))["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["id"].as_u64().unwrap(),
                t["label"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let row_of = |doc: &Value, index: u64| {
        sentences
            .iter()
            .position(|s| s["doc_id"] == *doc && s["index"] == index)
    };
    let text_at = |row: Option<usize>| match row {
        Some(row) => sentences[row]["text"].clone(),
        None => Value::Null,
    };

    let query = "an invigilator pacing between rows of desks while pupils sit an exam";
    let results = search_json(run, &[query, "-k", "5"]);
    assert_eq!(results.len(), 5);
    assert_eq!(results[0]["source"], "school/what-exams-measure.html");
    let fields: BTreeSet<&str> = [
        "rank",
        "score",
        "doc_id",
        "source",
        "title",
        "index",
        "theme",
        "theme_label",
        "before",
        "text",
        "after",
    ]
    .into();
    let mut last_score = f64::INFINITY;
    for (n, result) in results.iter().enumerate() {
        let keys: BTreeSet<&str> = result
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        assert_eq!(keys, fields);
        assert_eq!(result["rank"].as_u64(), Some(n as u64 + 1));
        let score = result["score"].as_f64().unwrap();
        assert!(score <= last_score && score <= 1.0, "{results:?}");
        last_score = score;
        // The sentence, its theme, and the sentences either side in its essay.
        let index = result["index"].as_u64().unwrap();
        let row = row_of(&result["doc_id"], index).expect("a sentence of the run");
        assert_eq!(result["text"], sentences[row]["text"]);
        assert_eq!(result["theme"], assignments[row]["theme"]);
        assert_eq!(
            result["theme_label"].as_str().unwrap(),
            labels[&result["theme"].as_u64().unwrap()]
        );
        let before = index
            .checked_sub(1)
            .and_then(|i| row_of(&result["doc_id"], i));
        assert_eq!(result["before"], text_at(before));
        assert_eq!(
            result["after"],
            text_at(row_of(&result["doc_id"], index + 1))
        );
    }
    assert!(
        results
            .iter()
            .any(|r| r["before"].is_string() && r["after"].is_string()),
        "{results:?}"
    );
    // The same query gives the same list, and people read it with the sentence marked.
    assert_eq!(search_json(run, &[query, "-k", "5"]), results);
    let text = precis(&["search", run.to_str().unwrap(), query, "-k", "1"]);
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.starts_with(" 1. "), "{text}");
    assert!(text.contains("school/what-exams-measure.html"), "{text}");
    let marked = format!("    > {}\n", results[0]["text"].as_str().unwrap());
    assert!(text.contains(&marked), "{text}");

    // Filters: a document (by path or doc id), a theme (by id or label), facet values.
    let bus = search_json(run, &[query, "--doc", "streets/the-night-bus.txt"]);
    assert_eq!(bus.len(), 10);
    assert!(bus
        .iter()
        .all(|r| r["source"] == "streets/the-night-bus.txt"));
    let doc_id = bus[0]["doc_id"].as_str().unwrap();
    assert_eq!(search_json(run, &[query, "--doc", doc_id]), bus);
    let theme = results[0]["theme"].as_u64().unwrap();
    let in_theme = search_json(run, &[query, "--theme", &theme.to_string(), "-k", "50"]);
    assert!(!in_theme.is_empty());
    assert!(in_theme.iter().all(|r| r["theme"] == theme));
    let members = assignments.iter().filter(|a| a["theme"] == theme).count();
    assert_eq!(in_theme.len(), members.min(50));
    assert_eq!(
        search_json(run, &[query, "--theme", &labels[&theme], "-k", "50"]),
        in_theme
    );
    let ames = search_json(run, &[query, "--facet", "author=Ames", "-k", "50"]);
    assert!(!ames.is_empty());
    assert!(ames.iter().all(|r| matches!(
        r["source"].as_str().unwrap(),
        "streets/cities-and-cars.md" | "streets/the-night-bus.txt"
    )));
    let school = search_json(run, &[query, "--facet", "folder=school"]);
    assert_eq!(school[0], results[0]);
    assert!(school
        .iter()
        .all(|r| r["source"].as_str().unwrap().starts_with("school/")));
    // All filters hold at once: no school essay is Ames's.
    assert!(search_json(
        run,
        &[query, "--facet", "folder=school", "--facet", "author=Ames"]
    )
    .is_empty());

    // Unknown values are refused with the known ones named.
    let run_arg = run.to_str().unwrap();
    let stderr = search_error(&[run_arg, query, "--theme", "9999"]);
    assert!(
        stderr.contains("--theme 9999") && stderr.contains(&labels[&theme]),
        "{stderr}"
    );
    let stderr = search_error(&[run_arg, query, "--doc", "no-such.txt"]);
    assert!(stderr.contains("no document `no-such.txt`"), "{stderr}");
    let stderr = search_error(&[run_arg, query, "--facet", "decade=1600s"]);
    assert!(
        stderr.contains("no facet `decade`") && stderr.contains("its facets are author, folder"),
        "{stderr}"
    );
    let stderr = search_error(&[run_arg, query, "--facet", "author=Cole"]);
    assert!(stderr.contains("the values are Ames, Bell"), "{stderr}");
}

#[test]
fn search_refuses_a_missing_run_and_a_model_the_vectors_were_not_made_with() {
    let missing = tempfile::tempdir().unwrap();
    let stderr = search_error(&[missing.path().to_str().unwrap(), "buses at night"]);
    assert!(
        stderr.contains("embed/embeddings.npy is missing") && stderr.contains("fix: precis run"),
        "{stderr}"
    );

    let input = sample_input(&["the-night-bus.txt"]);
    let out = tempfile::tempdir().unwrap();
    run_ok(input.path(), out.path(), &[]);
    let run = out.path().to_str().unwrap();
    assert_eq!(
        search_json(out.path(), &["buses at night", "-k", "1"]).len(),
        1
    );
    // As if the model folder had changed since the run: its checksum is not the vectors'.
    let model_json = out.path().join("embed/model.json");
    let mut model = json(&model_json);
    model["checksum"] = Value::from("0".repeat(64));
    fs::write(&model_json, serde_json::to_string(&model).unwrap()).unwrap();
    let stderr = search_error(&[run, "buses at night"]);
    assert!(
        stderr.contains("is not the one") && stderr.contains("fix: re-run `precis run"),
        "{stderr}"
    );
    let folder = model["path"].as_str().unwrap();
    let rerun = format!(
        "re-run `precis run {} --out {run} --model {folder}`",
        input.path().display()
    );
    assert!(stderr.contains(&rerun), "{stderr}");
}

/// The lines a running `precis watch` prints, on both streams, as they come.
struct Watcher {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Watcher {
    fn start(input: &Path, out: &Path) -> Watcher {
        use std::io::BufRead;
        use std::process::Stdio;
        let mut child = common::precis_command(&[
            "watch",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
        let (send, lines) = std::sync::mpsc::channel();
        let stdout: Box<dyn std::io::Read + Send> = Box::new(child.stdout.take().unwrap());
        let stderr: Box<dyn std::io::Read + Send> = Box::new(child.stderr.take().unwrap());
        for stream in [stdout, stderr] {
            let send = send.clone();
            std::thread::spawn(move || {
                for line in std::io::BufReader::new(stream).lines() {
                    let Ok(line) = line else { return };
                    if send.send(line).is_err() {
                        return;
                    }
                }
            });
        }
        Watcher {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits (five minutes at most: a debug build under load is slow) for a
    /// line holding `text`, and returns it.
    fn wait_for(&mut self, text: &str) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(text) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "no line with {text:?} from precis watch:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn watch_refreshes_after_a_save_holds_the_folder_survives_a_failed_refresh_and_stops_cleanly() {
    let input = sample_input(&ESSAYS[..3]);
    let out = tempfile::tempdir().unwrap();
    let mut watcher = Watcher::start(input.path(), out.path());
    watcher.wait_for("watching");

    // The output folder is the watcher's: a run or a second watch is refused.
    let second_run = precis(&common::run_args(input.path(), out.path(), &[]));
    let mut second_watch = common::precis_command(&[
        "watch",
        input.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    for refused in [second_run, second_watch.output().unwrap()] {
        assert!(!refused.status.success());
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(
            stderr.contains("another precis run or watch is writing to"),
            "{stderr}"
        );
    }

    // A save refreshes what it touched: the new sentence is in, warm-started.
    let bus = input.path().join("the-night-bus.txt");
    let mut text = fs::read_to_string(&bus).unwrap();
    text.push_str("\n\nThe driver waved at the last passenger and switched off the lights.\n");
    fs::write(&bus, &text).unwrap();
    let line = watcher.wait_for("refreshed in");
    assert!(line.contains("the-night-bus.txt changed"), "{line}");
    assert!(line.contains("1 sentence embedded"), "{line}");
    let sentences = fs::read_to_string(out.path().join("segment/sentences.jsonl")).unwrap();
    assert!(sentences.contains("switched off the lights"));
    assert_eq!(
        json(&out.path().join("manifest.json"))["stages"]["themes"]["origin"]["start"],
        "warm"
    );

    // A refresh that fails (nothing left to read) says so, leaves the output
    // folder as it was, and watching goes on.
    let before = outputs(out.path());
    let aside = tempfile::tempdir().unwrap();
    for name in &ESSAYS[..3] {
        let from = input.path().join(name);
        let to = aside.path().join(name.replace('/', "_"));
        fs::rename(&from, &to).unwrap();
    }
    let line = watcher.wait_for("refresh after");
    assert!(line.contains("failed"), "{line}");
    watcher.wait_for("still holds the last complete run; watching on");
    assert_eq!(outputs(out.path()), before);
    for name in &ESSAYS[..3] {
        let to = input.path().join(name);
        fs::rename(aside.path().join(name.replace('/', "_")), &to).unwrap();
    }
    let line = watcher.wait_for("refreshed in");
    assert!(line.contains("0 sentences embedded"), "{line}");

    // Ctrl-C stops it, and the folder is a complete, fresh run.
    let killed = std::process::Command::new("kill")
        .args(["-INT", &watcher.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let _ = watcher.child.wait().unwrap();
    let status = precis(&["status", out.path().to_str().unwrap()]);
    let status = String::from_utf8_lossy(&status.stdout);
    assert_eq!(status.matches("fresh").count(), 5, "{status}");
    run_ok(input.path(), out.path(), &[]);
}
