//! Scores the segmenter on the evaluation corpora.
//!
//! ```text
//! cargo run --release -p precis-segment --example eval -- [FOLDER] [--show-failures]
//! ```
//!
//! FOLDER defaults to `../shared/corpora/segmentation` beside the workspace.
//! For each set it prints the exact matches (the whole sentence list right)
//! and boundary precision, recall and F1.
//!
//! - `ud_english_ewt_dev_docs.jsonl`: a boundary is a sentence's end offset
//!   in code points, the document's last one excluded (as asked); the figure
//!   with it included (the convention of the pySBD reference number) is
//!   printed too.
//! - `*_extra.json`: sentences are compared trimmed. For cases with
//!   `options.clean`, the input is not rewritten; instead both sides have
//!   each whitespace run collapsed to one space before comparing, which is
//!   what newline cleaning does to a sentence, while the segmenter still
//!   sees the line structure. Boundaries there are counted in
//!   non-whitespace characters.

use precis_core::CharIndex;
use precis_segment::Segmenter;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Debug, Default)]
struct Score {
    cases: usize,
    exact: usize,
    true_pos: usize,
    false_pos: usize,
    false_neg: usize,
    failures: Vec<String>,
}

impl Score {
    fn add(&mut self, id: &str, exact: bool, predicted: &BTreeSet<usize>, gold: &BTreeSet<usize>) {
        self.cases += 1;
        self.exact += usize::from(exact);
        if !exact {
            self.failures.push(id.to_owned());
        }
        let hits = predicted.intersection(gold).count();
        self.true_pos += hits;
        self.false_pos += predicted.len() - hits;
        self.false_neg += gold.len() - hits;
    }

    fn prf(&self) -> (f64, f64, f64) {
        let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        let p = ratio(self.true_pos, self.true_pos + self.false_pos);
        let r = ratio(self.true_pos, self.true_pos + self.false_neg);
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        (p, r, f)
    }

    fn print(&self, name: &str, show_failures: bool) {
        let (p, r, f) = self.prf();
        println!(
            "{name}: exact {}/{} ({:.1}%), boundaries P {p:.4} R {r:.4} F1 {f:.4}",
            self.exact,
            self.cases,
            100.0 * self.exact as f64 / self.cases.max(1) as f64
        );
        if show_failures && !self.failures.is_empty() {
            println!("  failing: {}", self.failures.join(" "));
        }
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("reading {}: {error}", path.display()))
}

/// Scores the UD English-EWT documents: (excluding, including) the final boundary.
fn eval_ewt(segmenter: &Segmenter, path: &Path, verbose: bool) -> (Score, Score) {
    let mut without_final = Score::default();
    let mut with_final = Score::default();
    for line in read(path).lines().filter(|line| !line.trim().is_empty()) {
        let doc: Value = serde_json::from_str(line).expect("a JSON document per line");
        let id = doc["id"].as_str().unwrap_or("?");
        let text = doc["text"].as_str().expect("text");
        let gold: Vec<usize> = doc["sentence_offsets"]
            .as_array()
            .expect("sentence_offsets")
            .iter()
            .map(|pair| pair[1].as_u64().expect("offset") as usize)
            .collect();
        let index = CharIndex::new(text);
        let ranges = segmenter.segment(text);
        let predicted: Vec<usize> = ranges.iter().map(|r| index.char_offset(r.end)).collect();
        let gold_sentences: Vec<&str> = doc["sentences"]
            .as_array()
            .expect("sentences")
            .iter()
            .map(|s| s.as_str().unwrap_or("").trim())
            .collect();
        let exact = ranges.len() == gold_sentences.len()
            && ranges
                .iter()
                .zip(&gold_sentences)
                .all(|(r, g)| &text[r.clone()] == *g);
        let all_but_last = |ends: &[usize]| -> BTreeSet<usize> {
            ends[..ends.len().saturating_sub(1)]
                .iter()
                .copied()
                .collect()
        };
        without_final.add(id, exact, &all_but_last(&predicted), &all_but_last(&gold));
        with_final.add(
            id,
            exact,
            &predicted.iter().copied().collect(),
            &gold.iter().copied().collect(),
        );
        if verbose && !exact {
            println!("--- {id}");
            for r in &ranges {
                println!("  got: {:?}", &text[r.clone()]);
            }
            for g in &gold_sentences {
                println!("  exp: {g:?}");
            }
        }
    }
    (without_final, with_final)
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Ends of sentences counted in non-whitespace characters, last excluded.
fn stream_boundaries(sentences: &[String]) -> BTreeSet<usize> {
    let mut seen = 0;
    let mut ends = BTreeSet::new();
    for (i, sentence) in sentences.iter().enumerate() {
        seen += sentence.chars().filter(|c| !c.is_whitespace()).count();
        if i + 1 < sentences.len() {
            ends.insert(seen);
        }
    }
    ends
}

/// Scores a `{cases: [...]}` file of hand-written edge cases.
fn eval_cases(segmenter: &Segmenter, path: &Path, verbose: bool) -> Score {
    let file: Value = serde_json::from_str(&read(path)).expect("a JSON object");
    let mut score = Score::default();
    for case in file["cases"].as_array().expect("cases") {
        let id = case["id"].as_str().unwrap_or("?");
        let input = case["input"].as_str().expect("input");
        let clean = case["options"]["clean"].as_bool().unwrap_or(false);
        let normalise = |s: &str| {
            if clean {
                collapse_whitespace(s)
            } else {
                s.trim().to_owned()
            }
        };
        let expected: Vec<String> = case["expected_sentences"]
            .as_array()
            .expect("expected_sentences")
            .iter()
            .map(|s| normalise(s.as_str().unwrap_or("")))
            .filter(|s| !s.is_empty())
            .collect();
        let got: Vec<String> = segmenter
            .segment(input)
            .into_iter()
            .map(|r| normalise(&input[r]))
            .collect();
        let exact = got == expected;
        score.add(
            id,
            exact,
            &stream_boundaries(&got),
            &stream_boundaries(&expected),
        );
        if verbose && !exact {
            println!("--- {id} (clean: {clean})\n  input: {input:?}");
            for s in &got {
                println!("  got: {s:?}");
            }
            for s in &expected {
                println!("  exp: {s:?}");
            }
        }
    }
    score
}

fn main() {
    let mut folder = None;
    let mut show_failures = false;
    let mut verbose = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--show-failures" => show_failures = true,
            "--verbose" => {
                show_failures = true;
                verbose = true;
            }
            _ => folder = Some(PathBuf::from(arg)),
        }
    }
    let folder = folder.unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora/segmentation")
    });
    let segmenter = Segmenter::new();

    let (ewt, ewt_with_final) = eval_ewt(
        &segmenter,
        &folder.join("ud_english_ewt_dev_docs.jsonl"),
        verbose,
    );
    ewt.print(
        "ud_english_ewt_dev (final boundary excluded)",
        show_failures,
    );
    let (_, _, f) = ewt_with_final.prf();
    println!("ud_english_ewt_dev (final boundary included): F1 {f:.4}");
    for name in [
        "pragmatic_segmenter_en_spec_extra.json",
        "pysbd_en_extra.json",
    ] {
        eval_cases(&segmenter, &folder.join(name), verbose).print(name, show_failures);
    }
}
