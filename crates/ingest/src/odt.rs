//! OpenDocument text (`.odt`): the body of `content.xml`.

use crate::blocks::{Block, BlockWriter, Extracted};
use crate::package::Package;
use crate::xml::{attribute, Item, Part, SkipDepth};
use crate::Skip;
use std::collections::HashMap;

const FORMAT: &str = "OpenDocument text";

/// Elements whose content is not text of the document: the record of
/// tracked changes (it holds the deleted text), comments, the generated
/// table of contents (a copy of the headings), note marks, declarations and
/// the descriptions of pictures.
const SKIPPED: &[&[u8]] = &[
    b"text:tracked-changes",
    b"office:annotation",
    b"text:note-citation",
    b"text:table-of-content",
    b"text:sequence-decls",
    b"text:variable-decls",
    b"text:user-field-decls",
    b"office:forms",
    b"svg:title",
    b"svg:desc",
];

/// Reads an `.odt`.
///
/// - Each paragraph (`text:p`) is a paragraph, list items included; each
///   heading (`text:h`) is a heading of its outline level, and a paragraph
///   in the `Title` style (directly or through its automatic style) is a
///   level-1 heading.
/// - Table rows are paragraphs with cells joined by `" | "`, as in HTML.
/// - Tracked changes read as accepted: the deleted text, kept apart in
///   `text:tracked-changes`, is dropped. Comments are not read.
/// - Footnotes, then endnotes, follow the body, in the order they occur;
///   their citation marks are dropped. Headers and footers (in
///   `styles.xml`) are not read.
pub(crate) fn extract(bytes: &[u8], limit: u64) -> Result<Extracted, Skip> {
    let mut package = Package::open(bytes, FORMAT, limit)?;
    if let Some(manifest) = package.read("META-INF/manifest.xml")? {
        let mut encrypted = false;
        Part::new(&manifest, FORMAT, "META-INF/manifest.xml").walk(|item| {
            if let Item::Start(start) = item {
                encrypted |= start.local_name().as_ref() == b"encryption-data";
            }
        })?;
        if encrypted {
            return Err(Skip::Encrypted { format: FORMAT });
        }
    }
    let content = package.read_required("content.xml")?;
    let mut walker = Walker::default();
    Part::new(&content, FORMAT, "content.xml").walk(|item| walker.item(item))?;
    let mut blocks = walker.body.into_blocks();
    for note in walker.footnotes.into_iter().chain(walker.endnotes) {
        blocks.extend(note.into_iter().map(|block| Block {
            heading: None,
            ..block
        }));
    }
    Ok(Extracted {
        blocks,
        ..Extracted::default()
    })
}

#[derive(Debug, Default)]
struct Walker {
    body: BlockWriter,
    /// The note being read, and whether it is an endnote.
    note: Option<(BlockWriter, bool)>,
    footnotes: Vec<Vec<Block>>,
    endnotes: Vec<Vec<Block>>,
    skip: SkipDepth,
    /// Automatic paragraph styles and the styles they derive from.
    parents: HashMap<String, String>,
    in_text: usize,
    in_paragraph: usize,
    in_cell: usize,
}

impl Walker {
    fn writer(&mut self) -> &mut BlockWriter {
        match self.note.as_mut() {
            Some((writer, _)) => writer,
            None => &mut self.body,
        }
    }

    fn item(&mut self, item: Item<'_>) {
        match item {
            Item::Start(start) => {
                if self.skip.start(SKIPPED.contains(&start.name().as_ref())) {
                    return;
                }
                match start.name().as_ref() {
                    b"style:style" => {
                        if let (Some(name), Some(parent)) = (
                            attribute(&start, "style:name"),
                            attribute(&start, "style:parent-style-name"),
                        ) {
                            self.parents.insert(name, parent);
                        }
                    }
                    b"office:text" => self.in_text += 1,
                    b"text:h" => {
                        self.in_paragraph += 1;
                        let level = attribute(&start, "text:outline-level")
                            .and_then(|level| level.parse::<u8>().ok())
                            .unwrap_or(1)
                            .clamp(1, 9);
                        self.paragraph_start(Some(level));
                    }
                    b"text:p" => {
                        self.in_paragraph += 1;
                        let title = attribute(&start, "text:style-name")
                            .is_some_and(|style| self.is_title(&style));
                        self.paragraph_start(title.then_some(1));
                    }
                    b"text:note" => {
                        let endnote =
                            attribute(&start, "text:note-class").as_deref() == Some("endnote");
                        self.note = Some((BlockWriter::default(), endnote));
                    }
                    b"text:s" | b"text:tab" | b"text:line-break" => self.writer().space(),
                    b"table:table" => self.writer().finish(),
                    b"table:table-cell" => {
                        self.in_cell += 1;
                        self.writer().separator(" | ");
                    }
                    _ => {}
                }
            }
            Item::End(name) => {
                if self.skip.end() {
                    return;
                }
                match name.as_slice() {
                    b"office:text" => self.in_text = self.in_text.saturating_sub(1),
                    b"text:h" | b"text:p" => {
                        self.in_paragraph = self.in_paragraph.saturating_sub(1);
                        self.paragraph_end();
                    }
                    b"text:note" => {
                        if let Some((writer, endnote)) = self.note.take() {
                            let blocks = writer.into_blocks();
                            if endnote {
                                self.endnotes.push(blocks);
                            } else {
                                self.footnotes.push(blocks);
                            }
                        }
                    }
                    b"table:table-cell" => self.in_cell = self.in_cell.saturating_sub(1),
                    b"table:table-row" | b"table:table" => self.writer().finish(),
                    _ => {}
                }
            }
            Item::Text(text) => {
                if self.in_text > 0 && self.in_paragraph > 0 && !self.skip.active() {
                    self.writer().text(&text);
                }
            }
        }
    }

    /// Opens a paragraph, a heading when `level` is given (not in a table).
    fn paragraph_start(&mut self, level: Option<u8>) {
        let in_cell = self.in_cell > 0 && self.note.is_none();
        match level {
            Some(level) if !in_cell => self.writer().start_heading(level),
            _ if in_cell => self.writer().space(),
            _ => self.writer().finish(),
        }
    }

    fn paragraph_end(&mut self) {
        if self.in_cell > 0 && self.note.is_none() {
            self.writer().space();
        } else {
            self.writer().finish();
        }
    }

    /// Whether a paragraph style is `Title` or derives from it.
    fn is_title(&self, style: &str) -> bool {
        let mut style = Some(style);
        for _ in 0..8 {
            match style {
                Some("Title") => return true,
                Some(name) => style = self.parents.get(name).map(String::as_str),
                None => return false,
            }
        }
        false
    }
}
