//! Cutting a run of sentences into prompts that fit the model's window.
//!
//! Token counts come from a callback, so that this logic runs (and is
//! tested) without a model: the summariser passes its tokenizer, the tests a
//! word counter.

use super::AbstractiveError;
use std::collections::BTreeSet;

/// The prompts one round of generation runs over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Chunks {
    /// The text of each prompt: whole pieces joined by a space, in order.
    pub texts: Vec<String>,
    /// The tokens of each prompt, as `count` gave them.
    pub tokens: Vec<usize>,
    /// Pieces that were longer than the window alone and were cut at spaces.
    pub split_pieces: usize,
}

/// A piece, or part of one, with its estimated tokens.
struct Unit {
    text: String,
    estimate: usize,
    /// The index of the piece it is (part of).
    piece: usize,
}

type Count<'a> = &'a dyn Fn(&[&str]) -> Result<Vec<usize>, AbstractiveError>;

/// Groups `pieces` (sentences or partial summaries, in order) into as few
/// consecutive runs as fit, greedily: each run joined by spaces has at most
/// `window` tokens by `count`, which gives the exact prompt length of each
/// text it is handed (special tokens and any task prefix included).
///
/// Runs break only between pieces. A piece too long for the window on its
/// own is cut in halves at spaces until the halves fit (counted in
/// [`Chunks::split_pieces`]); a single word too long for it is an error.
/// Nothing is dropped or reordered.
pub(crate) fn chunk(
    pieces: &[&str],
    window: usize,
    count: Count,
) -> Result<Chunks, AbstractiveError> {
    let overhead = count(&[""])?[0];
    let budget = window
        .checked_sub(overhead)
        .filter(|&b| b > 0)
        .ok_or_else(|| {
            AbstractiveError::Settings(format!(
                "the model's window of {window} tokens leaves no room for text \
             after {overhead} special tokens"
            ))
        })?;
    // Estimates (a piece's tokens alone, less the prompt's fixed part) only
    // decide where to try breaking: every prompt's real length is checked.
    let estimate = |texts: &[&str]| -> Result<Vec<usize>, AbstractiveError> {
        Ok(count(texts)?
            .into_iter()
            .map(|n| n.saturating_sub(overhead))
            .collect())
    };
    let mut units: Vec<Unit> = pieces
        .iter()
        .zip(estimate(pieces)?)
        .enumerate()
        .map(|(piece, (&text, estimate))| Unit {
            text: text.to_string(),
            estimate,
            piece,
        })
        .collect();

    let mut split = BTreeSet::new();
    let mut texts = Vec::new();
    let mut tokens = Vec::new();
    let mut start = 0;
    'pack: while start < units.len() {
        let mut end = start + 1;
        let mut sum = units[start].estimate;
        while end < units.len() && sum + units[end].estimate <= budget {
            sum += units[end].estimate;
            end += 1;
        }
        loop {
            let text = join(&units[start..end]);
            let text_tokens = count(&[&text])?[0];
            if text_tokens <= window {
                texts.push(text);
                tokens.push(text_tokens);
                start = end;
                continue 'pack;
            }
            if end > start + 1 {
                // Hand the last piece on to the next run.
                end -= 1;
                continue;
            }
            let unit = &units[start];
            let (first, second) = halve(&unit.text).ok_or_else(|| {
                AbstractiveError::Settings(format!(
                    "a single word (\"{}…\") is longer than the model's window of {window} tokens",
                    unit.text.chars().take(40).collect::<String>()
                ))
            })?;
            let estimates = estimate(&[&first, &second])?;
            let piece = unit.piece;
            split.insert(piece);
            let halves = [(first, estimates[0]), (second, estimates[1])];
            units.splice(
                start..=start,
                halves.map(|(text, estimate)| Unit {
                    text,
                    estimate,
                    piece,
                }),
            );
            continue 'pack;
        }
    }
    Ok(Chunks {
        texts,
        tokens,
        split_pieces: split.len(),
    })
}

fn join(units: &[Unit]) -> String {
    units
        .iter()
        .map(|unit| unit.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` cut at the space nearest the middle word, or `None` for one word.
fn halve(text: &str) -> Option<(String, String)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let middle = words.len() / 2;
    (middle > 0).then(|| (words[..middle].join(" "), words[middle..].join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One token per word, plus two special tokens per prompt.
    fn words(texts: &[&str]) -> Result<Vec<usize>, AbstractiveError> {
        Ok(texts
            .iter()
            .map(|t| t.split_whitespace().count() + 2)
            .collect())
    }

    fn check(pieces: &[&str], window: usize, expected: &[&str], expected_splits: usize) {
        let chunks = chunk(pieces, window, &words).unwrap();
        assert_eq!(chunks.texts, expected);
        assert_eq!(chunks.split_pieces, expected_splits);
    }

    #[test]
    fn everything_in_one_prompt_when_it_fits() {
        check(&["a b c.", "d e."], 12, &["a b c. d e."], 0);
    }

    #[test]
    fn runs_break_between_sentences() {
        check(
            &["a b c d e.", "f g h i j.", "k l.", "m n o p q r."],
            12,
            &["a b c d e. f g h i j.", "k l. m n o p q r."],
            0,
        );
        check(
            &["a b c d e.", "f g h i j.", "k l.", "m n o."],
            11,
            &["a b c d e.", "f g h i j. k l.", "m n o."],
            0,
        );
    }

    #[test]
    fn an_overlong_sentence_is_cut_at_spaces_and_nothing_is_lost() {
        let long = "w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12";
        check(
            &["a.", long, "b."],
            10,
            &["a.", "w1 w2 w3 w4 w5 w6", "w7 w8 w9 w10 w11 w12 b."],
            1,
        );
        let very_long = vec!["w"; 100].join(" ");
        let chunks = chunk(&[&very_long], 10, &words).unwrap();
        assert_eq!(chunks.split_pieces, 1);
        assert_eq!(chunks.texts.join(" "), very_long);
        assert!(chunks.texts.iter().all(|t| words(&[t]).unwrap()[0] <= 10));
    }

    #[test]
    fn a_word_longer_than_the_window_is_an_error() {
        let letters = |texts: &[&str]| -> Result<Vec<usize>, AbstractiveError> {
            Ok(texts.iter().map(|t| t.len() + 2).collect())
        };
        let error = chunk(&["ab cd", "abcdefgh"], 6, &letters).unwrap_err();
        assert!(
            error.to_string().contains("a single word (\"abcdefgh…\")"),
            "{error}"
        );
    }

    #[test]
    fn estimates_that_undercount_are_corrected_by_the_real_count() {
        // Joining costs an extra token per join that the estimates miss.
        let joined = |texts: &[&str]| -> Result<Vec<usize>, AbstractiveError> {
            Ok(texts
                .iter()
                .map(|t| t.split_whitespace().count() + 2 + t.matches(". ").count())
                .collect())
        };
        let chunks = chunk(&["a b.", "c d.", "e f."], 8, &joined).unwrap();
        assert_eq!(chunks.texts, ["a b. c d.", "e f."]);
    }

    #[test]
    fn a_window_with_no_room_is_an_error() {
        let error = chunk(&["a."], 2, &words).unwrap_err();
        assert!(error.to_string().contains("no room"), "{error}");
    }
}
