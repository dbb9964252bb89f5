//! Plain text: paragraphs are separated by blank lines, hard-wrapped lines
//! are joined, list items and headings stand alone.

use crate::blocks::{looks_like_title, BlockWriter, Extracted, MAX_TITLE_CHARS};
use std::collections::HashSet;

/// Splits plain text into paragraphs, and finds its section headings.
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
///
/// Which paragraphs head a section is [`section_levels`]'s choice.
pub(crate) fn blocks(text: &str) -> Extracted {
    let lines: Vec<&str> = text.lines().collect();
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut current = Paragraph::default();
    // Whether the line before is blank (or a section break, or none).
    let mut after_blank = true;
    for (index, raw_line) in lines.iter().enumerate() {
        let line = raw_line.trim();
        if line.is_empty() || is_section_break(line) {
            current.before_blank = true;
            end_paragraph(&mut paragraphs, &mut current);
            after_blank = true;
            continue;
        }
        if let Some(item) = list_item(line) {
            end_paragraph(&mut paragraphs, &mut current);
            current.lines.push(item);
            current.item = true;
            current.after_blank = after_blank;
            after_blank = false;
            continue;
        }
        let next_blank = !lines
            .get(index + 1)
            .is_some_and(|next| !next.trim().is_empty());
        // After a sentence, or after a list item when not indented like the
        // item's continuation lines.
        let after_a_whole = current.lines.last().is_some_and(|previous| {
            previous.ends_with(['.', '!', '?', ':', '"', '”', '’'])
                || (current.item && !raw_line.starts_with(char::is_whitespace))
        });
        if after_a_whole && next_blank && looks_like_heading(line) {
            end_paragraph(&mut paragraphs, &mut current);
        }
        if current.lines.is_empty() {
            current.item = false;
            current.after_blank = after_blank;
        }
        current.lines.push(line);
        after_blank = false;
    }
    current.before_blank = true;
    end_paragraph(&mut paragraphs, &mut current);

    let compounds = Compounds::new(text);
    let levels = section_levels(&paragraphs);
    let mut writer = BlockWriter::default();
    for (paragraph, level) in paragraphs.iter().zip(levels) {
        if let Some(level) = level {
            writer.start_heading(level);
        }
        writer.text(&join_lines(&paragraph.lines, &compounds));
        writer.finish();
    }
    Extracted {
        blocks: writer.into_blocks(),
        ..Extracted::default()
    }
}

/// The lines of one paragraph of plain text, and what stands around them.
#[derive(Debug, Default)]
struct Paragraph<'a> {
    lines: Vec<&'a str>,
    /// Whether it is a list item (its first line without the marker).
    item: bool,
    /// Whether a blank line (or the start of the text) comes before it.
    after_blank: bool,
    /// Whether a blank line (or the end of the text) comes after it.
    before_blank: bool,
}

fn end_paragraph<'a>(paragraphs: &mut Vec<Paragraph<'a>>, current: &mut Paragraph<'a>) {
    let paragraph = std::mem::take(current);
    if !paragraph.lines.is_empty() {
        paragraphs.push(paragraph);
    }
}

/// The level of a section heading in plain text. Level 1 is left to the
/// title, which plain text does not mark: the first line names the document.
const HEADING_LEVEL: u8 = 2;
/// The level of a bulleted section title: under the heading before it.
const BULLETED_TITLE_LEVEL: u8 = 3;

/// The heading level of each paragraph, `None` for body text. Only a
/// paragraph of one line followed by a blank line and by more text can head
/// a section, and never the first (the title's place):
/// - a short line of one phrase that does not end in punctuation and starts
///   with a capital or a digit is a heading ([`HEADING_LEVEL`]); so is a short
///   question, in a document that has such headings (`What would help?`
///   among `Winter company` and `Houses without lights`), while alone it is
///   rhetoric;
/// - a short bulleted line standing alone between blank lines, with no list
///   item just before or after it, is a section title
///   ([`BULLETED_TITLE_LEVEL`]), whatever its punctuation: a list of one that
///   the essay then argues for. Loose lists, whose items stand between blank
///   lines too, have items beside them.
fn section_levels(paragraphs: &[Paragraph]) -> Vec<Option<u8>> {
    let alone = |at: usize| {
        let paragraph = &paragraphs[at];
        at > 0
            && paragraph.lines.len() == 1
            && paragraph.before_blank
            && paragraphs.get(at + 1).is_some()
    };
    let heading = |at: usize, questions: bool| {
        let line = paragraphs[at].lines[0];
        !paragraphs[at].item
            && alone(at)
            && line.chars().count() <= MAX_TITLE_CHARS
            && line.starts_with(|ch: char| ch.is_uppercase() || ch.is_ascii_digit())
            && !ends_a_sentence_within(line)
            && match closing_mark(line) {
                None => true,
                Some('?') => questions,
                Some(_) => false,
            }
    };
    let questions = (0..paragraphs.len()).any(|at| heading(at, false));
    (0..paragraphs.len())
        .map(|at| {
            let paragraph = &paragraphs[at];
            let bulleted_title = paragraph.item
                && alone(at)
                && paragraph.after_blank
                && paragraph.lines[0].chars().count() <= MAX_TITLE_CHARS
                && !paragraphs[at - 1].item
                && !paragraphs[at + 1].item;
            if bulleted_title {
                Some(BULLETED_TITLE_LEVEL)
            } else if heading(at, questions) {
                Some(HEADING_LEVEL)
            } else {
                None
            }
        })
        .collect()
}

/// Whether a sentence ends inside `line` (`.`, `?` or `!` before a space):
/// a heading is one phrase, while `Who has got understanding by his logic?
/// Where are all her fair promises?` and a citation (`Catullus, Epig. li.
/// 5]`) are not.
fn ends_a_sentence_within(line: &str) -> bool {
    line.as_bytes()
        .windows(2)
        .any(|pair| matches!(pair[0], b'.' | b'?' | b'!') && pair[1].is_ascii_whitespace())
}

/// The punctuation mark a line ends with, looking through closing quotes
/// and brackets; dashes count, since a line ending in one runs on.
fn closing_mark(line: &str) -> Option<char> {
    line.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']'])
        .chars()
        .next_back()
        .filter(|ch| {
            matches!(
                ch,
                '.' | ',' | ';' | ':' | '!' | '?' | '…' | '-' | '–' | '—'
            )
        })
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

    fn headings(text: &str) -> Vec<(String, u8)> {
        blocks(text)
            .blocks
            .into_iter()
            .filter_map(|b| Some((b.text, b.heading?)))
            .collect()
    }

    #[test]
    fn section_headings() {
        let essay = "A Title\n\nIntro text.\n\nFirst part\n\nBody one.\n\n  • A claim.\n\n\
                     Body two.\n\n  • Another claim\n\nBody three.\n\nSecond part\n\nBody four.";
        let cases: &[(&str, &[(&str, u8)])] = &[
            (
                essay,
                &[
                    ("First part", 2),
                    ("A claim.", 3),
                    ("Another claim", 3),
                    ("Second part", 2),
                ],
            ),
            // The first line is the title's place, not a section's.
            ("A Title\n\nText.", &[]),
            // A loose list: its items stand between blank lines, beside each other.
            ("Intro.\n\n- one\n\n- two\n\nAfter.", &[]),
            // A bulleted line that wraps is an item, not a title.
            ("Text.\n\n- a claim\n  wrapped on\n\nMore.", &[]),
            // A question alone is rhetoric; among headings it is one.
            ("Intro.\n\nWhy bother?\n\nBecause.", &[]),
            (
                "Intro.\n\nThe case\n\nText.\n\nWhy bother?\n\nBecause.",
                &[("The case", 2), ("Why bother?", 2)],
            ),
            // Nothing follows it: a sign-off, not a heading.
            ("Text.\n\nThe End", &[]),
            // Punctuated through a closing quote, lower case, wrapped, a dash.
            ("Text.\n\n“See you at Easter!”\n\nMore.", &[]),
            ("Text.\n\nand then\n\nMore.", &[]),
            ("Text.\n\nShort line\nanother\n\nMore.", &[]),
            ("Text.\n\nAs he said --\n\nMore.", &[]),
            // Two sentences, or a citation, are not one heading.
            (
                "Intro.\n\nThe case\n\nText.\n\nWhy? Where are we?\n\nMore.",
                &[("The case", 2)],
            ),
            ("Text.\n\nCatullus, Epig. li. 5]\n\nMore.", &[]),
            // Split off after a sentence by the paragraph rule.
            ("It ended.\nPart Two\n\nThe next part.", &[("Part Two", 2)]),
            (
                "Text.\n\nWhat to bring\n\n- water\n- a map",
                &[("What to bring", 2)],
            ),
        ];
        for (input, expected) in cases {
            let expected: Vec<(String, u8)> = expected
                .iter()
                .map(|&(text, level)| (text.to_owned(), level))
                .collect();
            assert_eq!(headings(input), expected, "input: {input:?}");
        }
    }
}
