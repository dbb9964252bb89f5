//! Plain text: paragraphs are separated by blank lines, hard-wrapped lines
//! are joined, list items and headings stand alone.

use crate::blocks::{looks_like_title, Block, BlockWriter, Extracted};
use std::collections::HashSet;

/// Splits plain text into paragraphs.
///
/// - A blank line ends a paragraph; the lines of one paragraph are joined with
///   a space.
/// - A line that starts with a bullet (`•`, `◦`, `‣`, `-`, `*`, `+`) or a
///   number (`1.`, `12)`) followed by a space starts a paragraph of its own,
///   without the marker; lines after it continue the item.
/// - A line of only `*`, `-`, `_`, `=` or `#` (a section break) ends a
///   paragraph and is dropped.
/// - A short line with no final punctuation before a blank line is a
///   heading: its own paragraph even when no blank line precedes it, provided
///   the line before ends a sentence, or is part of a list item and the
///   heading is not indented like the item's continuation lines.
/// - Hyphenation: a line ending in letter + `-` joins the next line without
///   space when that line starts with a lower-case letter. The hyphen is
///   dropped (`exam-`/`ple` → `example`) unless the document also has the
///   hyphenated word within a line (`well-known`), which marks it as a real
///   compound; a hyphen after a space (a dash) never joins.
pub(crate) fn blocks(text: &str) -> Extracted {
    let lines: Vec<&str> = text.lines().collect();
    let mut paragraphs: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut current_is_item = false;
    for (index, raw_line) in lines.iter().enumerate() {
        let line = raw_line.trim();
        if line.is_empty() || is_section_break(line) {
            end_paragraph(&mut paragraphs, &mut current);
            continue;
        }
        if let Some(item) = list_item(line) {
            end_paragraph(&mut paragraphs, &mut current);
            current.push(item);
            current_is_item = true;
            continue;
        }
        let next_blank = !lines
            .get(index + 1)
            .is_some_and(|next| !next.trim().is_empty());
        // After a sentence, or after a list item when not indented like the
        // item's continuation lines.
        let after_a_whole = current.last().is_some_and(|previous| {
            previous.ends_with(['.', '!', '?', ':', '"', '”', '’'])
                || (current_is_item && !raw_line.starts_with(char::is_whitespace))
        });
        if after_a_whole && next_blank && looks_like_heading(line) {
            end_paragraph(&mut paragraphs, &mut current);
        }
        if current.is_empty() {
            current_is_item = false;
        }
        current.push(line);
    }
    end_paragraph(&mut paragraphs, &mut current);

    let compounds = Compounds::new(text);
    let mut writer = BlockWriter::default();
    for lines in paragraphs {
        writer.text(&join_lines(&lines, &compounds));
        writer.finish();
    }
    Extracted {
        blocks: writer.into_blocks().into_iter().map(plain_block).collect(),
        ..Extracted::default()
    }
}

fn end_paragraph<'a>(paragraphs: &mut Vec<Vec<&'a str>>, current: &mut Vec<&'a str>) {
    if !current.is_empty() {
        paragraphs.push(std::mem::take(current));
    }
}

/// Plain text marks no headings: the title comes from a short first line.
fn plain_block(block: Block) -> Block {
    Block {
        heading: None,
        ..block
    }
}

fn looks_like_heading(line: &str) -> bool {
    looks_like_title(line)
        && !line.ends_with(['!', '?'])
        && line.chars().next().is_some_and(|ch| !ch.is_lowercase())
}

fn is_section_break(line: &str) -> bool {
    line.chars()
        .all(|ch| matches!(ch, '*' | '-' | '_' | '=' | '#' | '~') || ch.is_whitespace())
        && line.chars().filter(|ch| !ch.is_whitespace()).count() >= 3
}

/// The text of a list item line without its marker, or `None`.
fn list_item(line: &str) -> Option<&str> {
    let rest = if let Some(rest) = line.strip_prefix(['•', '◦', '‣', '-', '*', '+']) {
        rest
    } else {
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        if !(1..=3).contains(&digits) {
            return None;
        }
        line[digits..].strip_prefix(['.', ')'])?
    };
    let item = rest.strip_prefix(char::is_whitespace)?.trim_start();
    (!item.is_empty()).then_some(item)
}

/// Hyphenated words that occur within a line somewhere in the document,
/// lower-cased: evidence that a hyphen at a line end is part of the word.
#[derive(Debug, Default)]
pub(crate) struct Compounds(HashSet<String>);

impl Compounds {
    pub(crate) fn new(text: &str) -> Self {
        // Only documents with a hyphen at a line end need the set.
        if !text.lines().any(|line| line.trim_end().ends_with('-')) {
            return Self::default();
        }
        let words = text
            .split(|ch: char| !(ch.is_alphabetic() || ch == '-'))
            .filter(|word| word.contains('-'))
            .flat_map(|word| {
                // "a-b-c" holds the compounds "a-b" and "b-c".
                let parts: Vec<&str> = word.split('-').collect();
                parts
                    .windows(2)
                    .filter(|pair| !pair[0].is_empty() && !pair[1].is_empty())
                    .map(|pair| format!("{}-{}", pair[0], pair[1]).to_lowercase())
                    .collect::<Vec<_>>()
            })
            .collect();
        Self(words)
    }

    fn contains(&self, left: &str, right: &str) -> bool {
        !self.0.is_empty() && self.0.contains(&format!("{left}-{right}").to_lowercase())
    }
}

/// Joins the lines of one paragraph: a space between lines, or the two halves
/// of a hyphenated word rejoined (see [`blocks`]).
pub(crate) fn join_lines(lines: &[&str], compounds: &Compounds) -> String {
    let mut joined = String::new();
    for line in lines {
        match hyphenated_word(&joined, line) {
            // A line-end hyphen that is not part of a known compound.
            Some((left, right)) if !compounds.contains(left, right) => {
                joined.pop();
            }
            Some(_) => {}
            None if !joined.is_empty() => joined.push(' '),
            None => {}
        }
        joined.push_str(line);
    }
    joined
}

/// When `before` ends in letters + `-` and `line` starts with a lower-case
/// letter: the word parts on either side of the hyphen.
fn hyphenated_word<'a>(before: &'a str, line: &'a str) -> Option<(&'a str, &'a str)> {
    let stem = before.strip_suffix('-')?;
    let left_start = stem
        .char_indices()
        .rev()
        .take_while(|(_, ch)| ch.is_alphabetic())
        .last()?
        .0;
    if !line.starts_with(char::is_lowercase) {
        return None;
    }
    let right_end = line
        .char_indices()
        .find(|(_, ch)| !ch.is_alphabetic())
        .map_or(line.len(), |(at, _)| at);
    Some((&stem[left_start..], &line[..right_end]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(text: &str) -> Vec<String> {
        blocks(text).blocks.into_iter().map(|b| b.text).collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[&str])] = &[
            ("one\ntwo\n\n\nthree", &["one two", "three"]),
            ("  indented\n\ttabbed  line  ", &["indented tabbed line"]),
            ("an exam-\nple here", &["an example here"]),
            (
                "a well-known fact; well-\nknown indeed",
                &["a well-known fact; well-known indeed"],
            ),
            ("ends with dash -\nand more", &["ends with dash - and more"]),
            ("Upper-\nCase stays", &["Upper- Case stays"]),
            ("x2-\nabc", &["x2- abc"]),
            (
                "Intro:\n• first\n• second\n  continues\n- third\n* fourth\n1. fifth\n12) sixth\nafter",
                &["Intro:", "first", "second continues", "third", "fourth", "fifth", "sixth after"],
            ),
            ("-not a bullet\n1999 was a year", &["-not a bullet 1999 was a year"]),
            ("1234. no\n", &["1234. no"]),
            (
                "It ended.\nPart Two\n\nThe next part.",
                &["It ended.", "Part Two", "The next part."],
            ),
            (
                "Items:\n- one\n  wrapped\nSection\n\nText.\n- two\n  End\n\nMore.",
                &["Items:", "one wrapped", "Section", "Text.", "two End", "More."],
            ),
            ("Co-Op and co-\nop", &["Co-Op and co-op"]),
            ("a-b-c, then b-\nc", &["a-b-c, then b-c"]),
            (
                "the end of a line\nwrapped short\n\nNext.",
                &["the end of a line wrapped short", "Next."],
            ),
            ("one\n* * *\ntwo\n---\nthree", &["one", "two", "three"]),
        ];
        for (input, expected) in cases {
            assert_eq!(paragraphs(input), *expected, "input: {input:?}");
        }
    }
}
