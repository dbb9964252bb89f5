//! What the fuzz targets check: arbitrary bytes through ingest and arbitrary
//! text through the segmenter never panic and always give well-formed output.

use precis_ingest::{check_document, ingest, IngestConfig};
use precis_segment::{check_spans, Segmenter};
use std::time::{Duration, Instant};

/// Ingests `bytes` as the file `path` (its extension picks the format). A
/// skip is a fine answer; a document must have the promised shape, and its
/// sentences too.
pub fn ingest_checked(path: &str, bytes: &[u8]) {
    // The PDF reader catches the panics of the PDF crates it uses (see
    // crates/ingest/src/pdf.rs); libfuzzer-sys's panic hook would abort on
    // those before they are caught. With the default hook back, a caught
    // panic only prints, and one that escapes ingest still aborts the run
    // (fuzz_target! checks for it).
    static DEFAULT_HOOK: std::sync::Once = std::sync::Once::new();
    DEFAULT_HOOK.call_once(|| drop(std::panic::take_hook()));
    if let Ok(ingested) = ingest(path, bytes, &IngestConfig::default()) {
        if let Err(broken) = check_document(&ingested.document) {
            panic!("{path}: {broken}");
        }
        spans_checked(&Segmenter::new(), &ingested.document.text);
    }
}

fn spans_checked(segmenter: &Segmenter, text: &str) {
    if let Err(broken) = check_spans(text, &segmenter.segment(text)) {
        panic!("{} bytes: {broken}", text.len());
    }
}

/// How many times [`segment_checked`] repeats its text for the time check:
/// repetition builds the long runs (of dots, quotes, brackets, line breaks)
/// that a rule looking back or ahead too far would be slow on.
const REPEAT: usize = 16;

/// The time allowed per byte of text, over ten times what the segmenter
/// takes in a fuzz build (about 150 ns a byte on the 2-core dev machine,
/// checks included), plus a fixed allowance for a busy machine: linear
/// growth stays far below it; quadratic growth crosses it within a few
/// kilobytes.
const PER_BYTE: Duration = Duration::from_micros(2);
const FIXED: Duration = Duration::from_millis(50);

/// Segments `text` and a repetition of it: the spans must keep their
/// promises, and the repetition must take linear time.
pub fn segment_checked(text: &str) {
    let segmenter = Segmenter::new();
    spans_checked(&segmenter, text);
    let long = text.repeat(REPEAT);
    let budget = FIXED + PER_BYTE * long.len() as u32;
    let time = || {
        let started = Instant::now();
        spans_checked(&segmenter, &long);
        started.elapsed()
    };
    let mut elapsed = time();
    // A busy machine can pause the process; a slow rule is slow every time.
    for _ in 0..2 {
        if elapsed <= budget {
            return;
        }
        elapsed = elapsed.min(time());
    }
    assert!(
        elapsed <= budget,
        "segmenting {} bytes took {elapsed:?}, over the linear budget {budget:?}",
        long.len()
    );
}
