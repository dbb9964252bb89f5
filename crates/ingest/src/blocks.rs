//! The format-neutral middle of ingest: formats emit [`Block`]s through a
//! [`BlockWriter`], [`assemble`] turns them into document text, spans and title.

use crate::decode::nfc;
use crate::Notice;
use precis_core::{Heading, Span};
use std::collections::BTreeMap;

/// One paragraph as a format reader found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    /// Collapsed to single spaces, or for preformatted blocks lines joined by
    /// single newlines; trimmed; never empty.
    pub text: String,
    /// `Some(level)` for headings (1 = top).
    pub heading: Option<u8>,
}

/// What a format reader found in one file.
#[derive(Debug, Default)]
pub(crate) struct Extracted {
    pub blocks: Vec<Block>,
    /// A title from metadata rather than the body, e.g. HTML `<title>`.
    pub page_title: Option<String>,
    /// A title that wins over the body's headings: an e-book's package
    /// metadata names the book, while its first heading names a chapter.
    pub book_title: Option<String>,
    /// The document's own fields ([`precis_core::Document::metadata`]).
    pub metadata: BTreeMap<String, String>,
    /// What the user should know about reading it.
    pub notices: Vec<Notice>,
}

/// Accumulates text into blocks: format readers push text and mark breaks;
/// whitespace handling lives here, once.
#[derive(Debug, Default)]
pub(crate) struct BlockWriter {
    blocks: Vec<Block>,
    current: String,
    heading: Option<u8>,
    /// What goes between the text so far and the next text of this block.
    pending: Option<&'static str>,
}

impl BlockWriter {
    /// Appends running text: every whitespace run becomes one space.
    pub fn text(&mut self, text: &str) {
        for (index, word) in text.split(char::is_whitespace).enumerate() {
            if index > 0 {
                self.space();
            }
            if !word.is_empty() {
                if let Some(pending) = self.pending.take() {
                    if !self.current.is_empty() {
                        self.current.push_str(pending);
                    }
                }
                self.current.push_str(word);
            }
        }
    }

    /// Appends a space (a soft line break, a `<br>`).
    pub fn space(&mut self) {
        self.pending.get_or_insert(" ");
    }

    /// Puts a separator between items of one block (table cells). It is
    /// written only between two pieces of text, so empty cells vanish.
    pub fn separator(&mut self, separator: &'static str) {
        self.pending = Some(separator);
    }

    /// Ends the current block (if any text) and starts a plain one.
    pub fn finish(&mut self) {
        let text = std::mem::take(&mut self.current);
        let heading = self.heading.take();
        self.pending = None;
        if !text.is_empty() {
            self.blocks.push(Block { text, heading });
        }
    }

    /// Ends the current block and starts a heading.
    pub fn start_heading(&mut self, level: u8) {
        self.finish();
        self.heading = Some(level);
    }

    /// Adds a whole preformatted block (code): lines kept, trailing spaces and
    /// blank lines dropped so that no blank line falls inside a paragraph,
    /// and the indentation of the first line removed from every line.
    pub fn preformatted(&mut self, text: &str) {
        self.finish();
        let indent_of = |line: &str| {
            line.bytes()
                .take_while(|b| matches!(b, b' ' | b'\t'))
                .count()
        };
        let mut lines = text
            .lines()
            .map(str::trim_end)
            .filter(|line| !line.is_empty())
            .peekable();
        let indent = lines.peek().map_or(0, |line| indent_of(line));
        let mut block = String::new();
        for line in lines {
            if !block.is_empty() {
                block.push('\n');
            }
            block.push_str(&line[indent_of(line).min(indent)..]);
        }
        let block = block.trim_start();
        if !block.is_empty() {
            self.blocks.push(Block {
                text: block.to_owned(),
                heading: None,
            });
        }
    }

    /// Ends the last block and returns them all.
    pub fn into_blocks(mut self) -> Vec<Block> {
        self.finish();
        self.blocks
    }
}

/// A document's text, paragraph spans, headings and title, before ids and
/// hashes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Assembled {
    pub text: String,
    pub paragraphs: Vec<Span>,
    pub headings: Vec<Heading>,
    pub title: Option<String>,
}

/// Joins blocks into NFC text with `"\n\n"` between paragraphs; `None` when
/// there is no text at all.
pub(crate) fn assemble(extracted: Extracted) -> Option<Assembled> {
    let mut text = String::new();
    let mut paragraphs = Vec::new();
    let mut headings = Vec::new();
    let mut chars = 0;
    let mut blocks = Vec::new();
    for block in extracted.blocks {
        let normalised = nfc(block.text);
        let normalised = normalised.trim();
        if normalised.is_empty() {
            continue;
        }
        if !text.is_empty() {
            text.push_str("\n\n");
            chars += 2;
        }
        let len = normalised.chars().count();
        if let Some(level) = block.heading {
            headings.push(Heading {
                level,
                paragraph: paragraphs.len(),
            });
        }
        text.push_str(normalised);
        paragraphs.push(Span(chars, chars + len));
        chars += len;
        blocks.push(Block {
            text: normalised.to_owned(),
            heading: block.heading,
        });
    }
    if paragraphs.is_empty() {
        return None;
    }
    let title = extracted
        .book_title
        .map(|title| title.split_whitespace().collect::<Vec<_>>().join(" "))
        .map(nfc)
        .filter(|title| !title.is_empty())
        .or_else(|| title(&blocks, extracted.page_title));
    Some(Assembled {
        text,
        paragraphs,
        headings,
        title,
    })
}

/// The longest first paragraph that still reads as a title.
pub(crate) const MAX_TITLE_CHARS: usize = 80;

/// The document title: the first top-level heading; else a heading that opens
/// the document; else the page title; else a short first paragraph that does
/// not end like a sentence. `None` leaves it to the file name.
fn title(blocks: &[Block], page_title: Option<String>) -> Option<String> {
    let single_line = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(heading) = blocks.iter().find(|block| block.heading == Some(1)) {
        return Some(single_line(&heading.text));
    }
    let first = blocks.first()?;
    if first.heading.is_some() {
        return Some(single_line(&first.text));
    }
    let page_title = page_title
        .map(|title| single_line(&nfc(title)))
        .filter(|title| !title.is_empty());
    if page_title.is_some() {
        return page_title;
    }
    looks_like_title(&first.text).then(|| single_line(&first.text))
}

/// A short line that does not end like a sentence or a clause.
pub(crate) fn looks_like_title(text: &str) -> bool {
    !text.contains('\n')
        && text.chars().count() <= MAX_TITLE_CHARS
        && !text.ends_with(['.', ',', ';', ':'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_collapses_whitespace_and_drops_empty_blocks() {
        let mut writer = BlockWriter::default();
        writer.text("  a \t b\n");
        writer.text("c");
        writer.finish();
        writer.finish();
        writer.text("   ");
        writer.start_heading(2);
        writer.text("h");
        writer.preformatted("\n    x\n\n      y  \n");
        writer.separator(" | ");
        writer.text("d");
        writer.separator(" | ");
        let blocks = writer.into_blocks();
        let texts: Vec<_> = blocks
            .iter()
            .map(|b| (b.text.as_str(), b.heading))
            .collect();
        assert_eq!(
            texts,
            [
                ("a b c", None),
                ("h", Some(2)),
                ("x\n  y", None),
                ("d", None)
            ]
        );
    }

    #[test]
    fn assemble_marks_spans_in_code_points() {
        let blocks = vec![
            Block {
                text: "cafe\u{301}".into(),
                heading: None,
            },
            Block {
                text: "ünï".into(),
                heading: None,
            },
        ];
        let assembled = assemble(Extracted {
            blocks,
            ..Extracted::default()
        })
        .unwrap();
        assert_eq!(assembled.text, "café\n\nünï");
        assert_eq!(assembled.paragraphs, [Span(0, 4), Span(6, 9)]);
        assert_eq!(assembled.title.as_deref(), Some("café"));
        assert!(assembled.headings.is_empty());
    }

    #[test]
    fn assemble_numbers_headings_by_paragraph_past_dropped_blocks() {
        let block = |text: &str, heading| Block {
            text: text.into(),
            heading,
        };
        let blocks = vec![
            block("Title", Some(1)),
            // Whitespace only after normalising: no paragraph, so the
            // heading after it is paragraph 1, not 2.
            block("\u{3000}", None),
            block("Part", Some(2)),
            block("Text.", None),
        ];
        let assembled = assemble(Extracted {
            blocks,
            ..Extracted::default()
        })
        .unwrap();
        assert_eq!(
            assembled.headings,
            [
                Heading {
                    level: 1,
                    paragraph: 0
                },
                Heading {
                    level: 2,
                    paragraph: 1
                }
            ]
        );
    }
}
