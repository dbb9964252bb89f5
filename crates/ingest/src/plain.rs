//! Plain text: paragraphs are separated by blank lines, hard-wrapped lines
//! are joined, list items and headings stand alone.

use crate::blocks::{looks_like_title, Block, BlockWriter, Extracted};

/// Splits plain text into paragraphs.
///
/// - A blank line ends a paragraph; the lines of one paragraph are joined with
///   a space.
/// - A line that starts with a bullet (`•`, `◦`, `‣`, `-`, `*`, `+`) or a
///   number (`1.`, `12)`) followed by a space starts a paragraph of its own,
///   without the marker; lines after it continue the item.
/// - A line of only `*`, `-`, `_`, `=` or `#` (a section break) ends a
///   paragraph and is dropped.
/// - A short line with no final punctuation, after a line that ends a
///   sentence (or at the start) and before a blank line, is a heading: its
///   own paragraph even when no blank line precedes it.
/// - Hyphenation: a line ending in letter + `-` joins the next line without
///   space when that line starts with a lower-case letter. The hyphen is
///   dropped (`exam-`/`ple` → `example`) unless the document also has the
///   hyphenated word within a line (`well-known`), which marks it as a real
///   compound; a hyphen after a space (a dash) never joins.
pub(crate) fn blocks(text: &str) -> Extracted {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut paragraphs: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for (index, &line) in lines.iter().enumerate() {
        if line.is_empty() || is_section_break(line) {
            paragraphs.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
            continue;
        }
        let next_blank = matches!(lines.get(index + 1), None | Some(&""));
        let previous_ends_sentence = current
            .last()
            .is_some_and(|previous| previous.ends_with(['.', '!', '?', ':', '"', '”', '’']));
        let heading = previous_ends_sentence && next_blank && looks_like_heading(line);
        if let Some(item) = list_item(line) {
            paragraphs.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
            current.push(item);
        } else if heading {
            paragraphs.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
            current.push(line);
        } else {
            current.push(line);
        }
    }
    paragraphs.extend((!current.is_empty()).then_some(current));

    let mut writer = BlockWriter::default();
    for lines in paragraphs {
        writer.text(&join_lines(&lines, text));
        writer.finish();
    }
    Extracted {
        blocks: writer.into_blocks().into_iter().map(plain_block).collect(),
        page_title: None,
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

/// Joins the lines of one paragraph: a space between lines, or the two halves
/// of a hyphenated word rejoined (see [`blocks`]).
fn join_lines(lines: &[&str], document: &str) -> String {
    let mut joined = String::new();
    for line in lines {
        if let Some(rejoined) = dehyphenate(&joined, line, document) {
            joined = rejoined;
        } else {
            if !joined.is_empty() {
                joined.push(' ');
            }
            joined.push_str(line);
        }
    }
    joined
}

fn dehyphenate(before: &str, line: &str, document: &str) -> Option<String> {
    let stem = before.strip_suffix('-')?;
    let left: String = {
        let mut word: Vec<char> = stem
            .chars()
            .rev()
            .take_while(|ch| ch.is_alphabetic())
            .collect();
        word.reverse();
        word.into_iter().collect()
    };
    if left.is_empty() || !line.starts_with(char::is_lowercase) {
        return None;
    }
    let right: String = line.chars().take_while(|ch| ch.is_alphabetic()).collect();
    let compound = format!("{left}-{right}");
    let mut rejoined = if document.contains(&compound) {
        before.to_owned()
    } else {
        stem.to_owned()
    };
    rejoined.push_str(line);
    Some(rejoined)
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
