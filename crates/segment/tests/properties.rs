//! Properties that hold for any input.

use precis_segment::Segmenter;
use proptest::prelude::*;

/// Text made of the pieces that drive the rules, so that random strings
/// exercise abbreviations, quotes, lists and line breaks, not just letters.
fn texty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(" ".to_owned()),
        Just("\n".to_owned()),
        Just("\n\n".to_owned()),
        Just(". ".to_owned()),
        Just("? ".to_owned()),
        Just("!".to_owned()),
        Just("...".to_owned()),
        Just("\"".to_owned()),
        Just("“".to_owned()),
        Just("’".to_owned()),
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just("Mr.".to_owned()),
        Just("U.S.".to_owned()),
        Just("1.".to_owned()),
        Just("a)".to_owned()),
        Just("•".to_owned()),
        Just(":)".to_owned()),
        Just("***".to_owned()),
        Just("\u{a0}".to_owned()),
        Just("\r".to_owned()),
        "[A-Za-z]{1,6}",
        "\\PC{1,3}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

fn check_spans(text: &str) -> Result<(), TestCaseError> {
    precis_segment::check_spans(text, &Segmenter::new().segment(text)).map_err(TestCaseError::fail)
}

proptest! {
    #[test]
    fn spans_are_ordered_trimmed_and_cover_the_text(text in texty()) {
        check_spans(&text)?;
    }

    #[test]
    fn spans_hold_for_any_unicode(text in "\\PC{0,80}|[\\s\\S]{0,80}") {
        check_spans(&text)?;
    }

    #[test]
    fn segmenting_is_deterministic(text in texty()) {
        let segmenter = Segmenter::new();
        prop_assert_eq!(segmenter.segment(&text), segmenter.segment(&text));
    }
}

/// Pathological inputs: long runs of the characters the rules look back or
/// ahead over. They must not panic and must still give well-formed spans;
/// their speed (linear time) is measured by the `bench` example, not here.
#[test]
fn pathological_inputs_give_well_formed_spans() {
    let inputs = [
        "word ".repeat(20_000),
        "a".repeat(100_000),
        "ab.".repeat(30_000),
        "ab.Cd".repeat(20_000),
        "x?".repeat(40_000),
        "\"Oh! ".repeat(20_000),
        ". ".repeat(40_000),
        "]".repeat(100_000),
        "[1]".repeat(30_000),
        "\n".repeat(100_000) + "end",
        "...".repeat(30_000),
        "-- ".repeat(30_000),
        "a@b.c ".repeat(20_000),
        "1/2/2000 10:00 AM ".repeat(10_000),
        "short line\n".repeat(20_000),
    ];
    for input in &inputs {
        check_spans(input).unwrap_or_else(|error| panic!("{:?}…: {error}", &input[..10]));
        assert!(!Segmenter::new().segment(input).is_empty());
    }
}
