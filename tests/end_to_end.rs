//! End to end: the real `precis` binary, the real model, the project's own
//! sample essays. Checks the stage contract of ARCHITECTURE.md.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Copies some of the sample essays into a fresh input folder.
fn sample_input(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in names {
        let target = dir.path().join(name);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::copy(workspace().join("data/input").join(name), target).unwrap();
    }
    dir
}

const ESSAYS: [&str; 5] = [
    "cities-and-cars.md",
    "the-night-bus.txt",
    "what-exams-measure.html",
    "notes/reading-slowly.txt",
    "the-last-boats-out.md",
];

struct Run {
    out: PathBuf,
    stderr: String,
}

fn precis(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_precis"))
        .args(args)
        .current_dir(workspace())
        .output()
        .unwrap()
}

fn run(input: &Path, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "run",
        input.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    let output = precis(&args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "precis run failed:\n{stderr}");
    Run {
        out: out.to_path_buf(),
        stderr,
    }
}

fn jsonl(path: &Path) -> Vec<Value> {
    fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

fn read_npy_shape_and_rows(path: &Path) -> (usize, usize, Vec<Vec<f32>>) {
    let array: ndarray::Array2<f32> = ndarray_npy::read_npy(path).unwrap();
    let (rows, cols) = array.dim();
    (rows, cols, array.outer_iter().map(|r| r.to_vec()).collect())
}

/// Slices a string by code points, as Python does.
fn char_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// Every file under a run folder except the cache and the manifest (which
/// holds timings), with its bytes.
fn outputs(out: &Path) -> BTreeMap<String, Vec<u8>> {
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
            && relative != ".precis.lock"
        {
            files.insert(relative, fs::read(entry.path()).unwrap());
        }
    }
    files
}

#[test]
fn the_pipeline_honours_the_stage_contract() {
    let input = sample_input(&ESSAYS);
    let out = tempfile::tempdir().unwrap();
    let first = run(input.path(), out.path(), &[]);

    // Ingest: one line per readable document, ids derived from paths.
    let documents = jsonl(&first.out.join("ingest/documents.jsonl"));
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
    let sentences = jsonl(&first.out.join("segment/sentences.jsonl"));
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
    let (rows, dimension, vectors) =
        read_npy_shape_and_rows(&first.out.join("embed/embeddings.npy"));
    assert_eq!((rows, dimension), (sentences.len(), 384));
    for vector in &vectors {
        let norm: f32 = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "norm {norm}");
    }
    assert_eq!(json(&first.out.join("embed/model.json"))["dimension"], 384);

    // Themes: every sentence has a theme that exists; shares sum to 1.
    let themes = json(&first.out.join("themes/themes.json"));
    let theme_ids: BTreeSet<u64> = themes["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_u64().unwrap())
        .collect();
    assert!(theme_ids.len() >= 2, "themes: {themes}");
    let assignments = jsonl(&first.out.join("themes/assignments.jsonl"));
    assert_eq!(assignments.len(), sentences.len());
    for (assignment, sentence) in assignments.iter().zip(&sentences) {
        assert_eq!(assignment["doc_id"], sentence["doc_id"]);
        assert_eq!(assignment["index"], sentence["index"]);
        assert!(theme_ids.contains(&assignment["theme"].as_u64().unwrap()));
    }
    for document in jsonl(&first.out.join("themes/documents.jsonl")) {
        let total: f64 = document["themes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["share"].as_f64().unwrap())
            .sum();
        assert!((total - 1.0).abs() < 1e-9, "shares sum to {total}");
    }

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
    let summaries = jsonl(&first.out.join("summaries/documents.jsonl"));
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
        assert!(first
            .out
            .join(format!("summaries/docs/{doc_id}.md"))
            .is_file());
    }
    assert!(
        fs::read_to_string(first.out.join("summaries/collection.md"))
            .unwrap()
            .starts_with('#')
    );
    let manifest = json(&first.out.join("manifest.json"));
    for stage in ["ingest", "segment", "embed", "themes", "summaries"] {
        assert!(
            manifest["stages"][stage]["seconds"].is_number(),
            "manifest lacks {stage}"
        );
    }

    // The same input again: byte-identical outputs, nothing re-embedded.
    let before = outputs(out.path());
    let second = run(input.path(), out.path(), &[]);
    assert!(second.stderr.contains("0 computed"), "{}", second.stderr);
    assert_eq!(before, outputs(out.path()));
}

#[test]
fn an_edit_re_embeds_only_the_new_sentences() {
    let input = sample_input(&ESSAYS[..3]);
    let out = tempfile::tempdir().unwrap();
    run(input.path(), out.path(), &[]);
    let path = input.path().join("the-night-bus.txt");
    let mut text = fs::read_to_string(&path).unwrap();
    text.push_str("\nA brand new closing thought about late buses and tired drivers.\n");
    fs::write(&path, text).unwrap();
    let again = run(input.path(), out.path(), &[]);
    assert!(again.stderr.contains(": 1 computed"), "{}", again.stderr);
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
fn the_segment_filter_returns_code_point_spans() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_precis"))
        .args(["segment", "--jsonl"])
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
