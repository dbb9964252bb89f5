//! The abstractive summariser on the tiny random BART and T5 that
//! `scripts/make_tiny_models.py` writes (in about a second, with nothing but
//! Python 3). What they generate is gibberish: these tests check the
//! plumbing (loading, the window, map-reduce, generation limits, errors).

use precis_abstractive::{AbstractiveError, AbstractiveSummarizer};
use precis_summarize::AbstractiveConfig;
use rust_bert::bart::{BartConfig, BartForConditionalGeneration};
use rust_bert::t5::{T5Config, T5ForConditionalGeneration};
use rust_bert::Config;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use tch::{nn, Device};

/// The folder holding `bart/` and `t5/`, written once per test run.
fn tiny_models() -> &'static Path {
    static MODELS: OnceLock<PathBuf> = OnceLock::new();
    MODELS.get_or_init(|| {
        let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tiny-summarizers");
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/make_tiny_models.py");
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        let status = Command::new(&python)
            .arg(&script)
            .arg(&target)
            .status()
            .unwrap_or_else(|e| {
                panic!(
                    "the tiny test models could not be made: running `{python} {}` failed: {e} \
                     (these tests need Python 3; set PYTHON to use another interpreter)",
                    script.display()
                )
            });
        assert!(
            status.success(),
            "the tiny test models could not be made: `{python} {} {}` exited with {status}",
            script.display(),
            target.display()
        );
        target
    })
}

fn settings() -> AbstractiveConfig {
    AbstractiveConfig {
        max_length: 12,
        min_length: 4,
        num_beams: 2,
    }
}

fn load(name: &str) -> AbstractiveSummarizer {
    AbstractiveSummarizer::load(&tiny_models().join(name), &settings(), Device::Cpu)
        .unwrap_or_else(|e| panic!("loading the tiny {name}: {e}"))
}

const SHORT: [&str; 2] = [
    "Rain fell on the valley for a whole week.",
    "The river rose fast and the bridge was closed.",
];

/// Thirty sentences, several times the tiny models' 64-token window.
fn long_input() -> Vec<String> {
    (0..30)
        .map(|i| format!("On day {i} the farmers moved their sheep to the high fields."))
        .collect()
}

fn check_short_input(name: &str) {
    let model = load(name);
    let first = model.summarize_with_stats(&SHORT).unwrap();
    assert!(!first.text.is_empty(), "{name}: empty summary");
    assert_eq!(
        (first.stats.chunks, first.stats.rounds, first.stats.calls),
        (1, 1, 1),
        "{name}: a short input is one prompt: {:?}",
        first.stats
    );
    assert!(
        first.stats.longest_output <= settings().max_length,
        "{:?}",
        first.stats
    );
    assert!(
        first.stats.longest_output >= settings().min_length,
        "{:?}",
        first.stats
    );
    assert_eq!(
        model.summarize_with_stats(&SHORT).unwrap(),
        first,
        "{name}: not deterministic"
    );
    assert_eq!(model.summarize(&SHORT).unwrap(), first.text);
}

fn check_long_input(name: &str) {
    let model = load(name);
    let long = long_input();
    let sentences: Vec<&str> = long.iter().map(String::as_str).collect();
    let first = model.summarize_with_stats(&sentences).unwrap();
    let stats = first.stats;
    assert!(stats.chunks > 1, "{name}: {stats:?}");
    assert!(
        stats.rounds >= 2,
        "{name}: the partial summaries were not combined: {stats:?}"
    );
    assert!(stats.calls > stats.chunks, "{name}: {stats:?}");
    assert_eq!(stats.split_sentences, 0);
    assert!(
        stats.longest_output <= settings().max_length,
        "{name}: {stats:?}"
    );
    assert!(stats.longest_prompt <= model.window(), "{name}: {stats:?}");
    assert!(
        stats.longest_prompt > model.window() / 2,
        "{name}: {stats:?}"
    );
    assert!(!first.text.is_empty(), "{name}: empty summary");
    assert_eq!(
        model.summarize_with_stats(&sentences).unwrap(),
        first,
        "{name}: not deterministic"
    );
}

#[test]
fn bart_summarizes_a_short_input_in_one_call() {
    check_short_input("bart");
}

#[test]
fn bart_summarizes_a_long_input_by_map_reduce() {
    check_long_input("bart");
}

#[test]
fn t5_summarizes_a_short_input_in_one_call() {
    check_short_input("t5");
}

#[test]
fn t5_summarizes_a_long_input_by_map_reduce() {
    check_long_input("t5");
}

#[test]
fn a_sentence_longer_than_the_window_is_cut_not_truncated() {
    let sentence = long_input().join(", and ");
    for name in ["bart", "t5"] {
        let model = load(name);
        let summary = model.summarize_with_stats(&[&sentence]).unwrap();
        let stats = summary.stats;
        assert_eq!(stats.split_sentences, 1, "{name}: {stats:?}");
        assert!(stats.chunks > 1, "{name}: {stats:?}");
        assert!(stats.longest_prompt <= model.window(), "{name}: {stats:?}");
        assert!(!summary.text.is_empty(), "{name}: empty summary");
    }
}

#[test]
fn empty_input_gives_an_empty_summary_without_running_the_model() {
    let summary = load("bart").summarize_with_stats(&["", "  "]).unwrap();
    assert_eq!(summary.text, "");
    assert_eq!(summary.stats.calls, 0);
}

/// The script's tensors are exactly those rust-bert declares, name and shape.
#[test]
fn tiny_weights_match_rust_berts_variables() {
    fn declared(build: impl FnOnce(nn::Path)) -> BTreeMap<String, Vec<i64>> {
        let vs = nn::VarStore::new(Device::Cpu);
        build(vs.root());
        let variables = vs.variables();
        variables
            .into_iter()
            .map(|(name, t)| (name, t.size()))
            .collect()
    }
    fn written(folder: &Path) -> BTreeMap<String, Vec<i64>> {
        let bytes = std::fs::read(folder.join("model.safetensors")).unwrap();
        let len = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
        let header: BTreeMap<String, serde_json::Value> =
            serde_json::from_slice(&bytes[8..8 + len]).unwrap();
        header
            .into_iter()
            .filter(|(name, _)| name != "__metadata__")
            .map(|(name, entry)| {
                (
                    name,
                    serde_json::from_value(entry["shape"].clone()).unwrap(),
                )
            })
            .collect()
    }
    let bart = tiny_models().join("bart");
    let config = BartConfig::from_file(bart.join("config.json"));
    let expected = declared(|p| drop(BartForConditionalGeneration::new(p, &config)));
    assert_eq!(written(&bart), expected);

    let t5 = tiny_models().join("t5");
    let config = T5Config::from_file(t5.join("config.json"));
    let expected = declared(|p| drop(T5ForConditionalGeneration::new(p, &config)));
    assert_eq!(written(&t5), expected);
}

/// A copy of the tiny BART in a fresh folder, less the files named.
fn bart_without(test: &str, left_out: &[&str]) -> PathBuf {
    let folder = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("abstractive-{test}"));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    for entry in std::fs::read_dir(tiny_models().join("bart")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if !left_out.contains(&name.as_str()) {
            std::fs::copy(&path, folder.join(&name)).unwrap();
        }
    }
    folder
}

fn load_error(folder: &Path) -> String {
    let error: AbstractiveError =
        AbstractiveSummarizer::load(folder, &settings(), Device::Cpu).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains(&folder.display().to_string()),
        "the error does not name the folder: {message}"
    );
    message
}

#[test]
fn a_bert_model_is_not_a_summarization_model() {
    let folder = bart_without("bert", &["config.json"]);
    std::fs::write(
        folder.join("config.json"),
        r#"{"model_type": "bert", "hidden_size": 16, "vocab_size": 100}"#,
    )
    .unwrap();
    let message = load_error(&folder);
    assert!(
        message.contains("not a supported summarization model"),
        "{message}"
    );
    assert!(message.contains("\"bert\""), "{message}");
}

#[test]
fn missing_weights_are_named() {
    let message = load_error(&bart_without("no-weights", &["model.safetensors"]));
    assert!(
        message.contains("rust_model.ot or model.safetensors is missing"),
        "{message}"
    );
}

#[test]
fn a_missing_tokenizer_file_is_named() {
    let message = load_error(&bart_without("no-merges", &["merges.txt"]));
    assert!(message.contains("merges.txt is missing"), "{message}");
}

#[test]
fn weights_of_another_model_name_the_missing_tensor() {
    let folder = bart_without("t5-weights", &["model.safetensors"]);
    std::fs::copy(
        tiny_models().join("t5/model.safetensors"),
        folder.join("model.safetensors"),
    )
    .unwrap();
    let message = load_error(&folder);
    assert!(message.contains("loading the model failed"), "{message}");
    assert!(message.contains("model."), "{message}");
}

#[test]
fn a_config_rust_bert_cannot_read_is_a_clear_error() {
    let folder = bart_without("bad-config", &["config.json"]);
    std::fs::write(
        folder.join("config.json"),
        r#"{"model_type": "bart", "d_model": 16}"#,
    )
    .unwrap();
    let message = load_error(&folder);
    assert!(
        message.contains("config.json: not a valid bart config"),
        "{message}"
    );
}

#[test]
fn max_length_must_leave_room_to_combine_partial_summaries() {
    let config = AbstractiveConfig {
        max_length: 40,
        ..settings()
    };
    let error =
        AbstractiveSummarizer::load(&tiny_models().join("bart"), &config, Device::Cpu).unwrap_err();
    assert!(
        error.to_string().contains("max_length 40 is too long"),
        "{error}"
    );
}
