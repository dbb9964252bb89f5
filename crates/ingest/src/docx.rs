//! Word documents (`.docx`, Office Open XML): the main document part, its
//! footnotes and endnotes, and the styles that make a paragraph a heading.

use crate::blocks::{Block, BlockWriter, Extracted};
use crate::package::{resolve, Package};
use crate::xml::{attribute, is, Item, Part, SkipDepth};
use crate::Skip;
use std::collections::HashMap;

const FORMAT: &str = "Word document";

/// The signature of an OLE compound file: an old `.doc`, or an encrypted
/// `.docx` (Office wraps those in one).
const COMPOUND_FILE: &[u8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1";

/// Elements whose content is never text of the document: tracked deletions
/// (`w:del`, `w:moveFrom`) and the fallback copy of alternate content, which
/// repeats the chosen one.
const SKIPPED: &[&[u8]] = &[b"w:del", b"w:moveFrom", b"mc:Fallback"];

/// Reads a `.docx`.
///
/// - Each paragraph (`w:p`) is a paragraph; a list item is a paragraph of its
///   own, without its number or bullet (Word generates those).
/// - A paragraph whose style is a heading (named `heading N` or `Title`, or
///   with an outline level, directly or through `basedOn`) is a heading of
///   that level; `Title` is level 1.
/// - Table rows are paragraphs with cells joined by `" | "`, as in HTML.
/// - Tracked changes read as accepted: insertions kept, deletions dropped.
///   Comments are not read, nor hidden text (`w:vanish`), nor field codes.
/// - Footnotes, then endnotes, follow the body, one paragraph per note
///   paragraph, in the order the body first refers to them; the reference
///   marks are dropped. Headers and footers are not read.
pub(crate) fn extract(bytes: &[u8], limit: u64) -> Result<Extracted, Skip> {
    if bytes.starts_with(COMPOUND_FILE) {
        return Err(if contains_utf16(bytes, "EncryptedPackage") {
            Skip::Encrypted { format: FORMAT }
        } else {
            Skip::Damaged {
                format: FORMAT,
                problem: "an old binary .doc, not a .docx (fix: save it as .docx)".to_owned(),
            }
        });
    }
    let mut package = Package::open(bytes, FORMAT, limit)?;
    let root_rels = package.read_required("_rels/.rels")?;
    let main = relationships(&root_rels, "_rels/.rels", "")?
        .remove("officeDocument")
        .unwrap_or_else(|| "word/document.xml".to_owned());
    let rels_name = match main.rsplit_once('/') {
        Some((folder, file)) => format!("{folder}/_rels/{file}.rels"),
        None => format!("_rels/{main}.rels"),
    };
    let rels = match package.read(&rels_name)? {
        Some(xml) => relationships(&xml, &rels_name, &main)?,
        None => HashMap::new(),
    };
    let styles = match rels.get("styles") {
        Some(name) => match package.read(name)? {
            Some(xml) => HeadingStyles::parse(&xml, name)?,
            None => HeadingStyles::default(),
        },
        None => HeadingStyles::default(),
    };
    let body = package.read_required(&main)?;
    let mut walker = Walker::new(&styles);
    Part::new(&body, FORMAT, &main).walk(|item| walker.item(item))?;
    let references = std::mem::take(&mut walker.references);
    let mut blocks = walker.writer.into_blocks();
    for kind in [NoteKind::Footnote, NoteKind::Endnote] {
        let Some(name) = rels.get(kind.relationship()) else {
            continue;
        };
        let Some(xml) = package.read(name)? else {
            continue;
        };
        let mut notes = notes(&xml, name, kind, &styles)?;
        let mut seen = std::collections::HashSet::new();
        for (_, id) in references.iter().filter(|(k, _)| *k == kind) {
            if seen.insert(id) {
                blocks.extend(notes.remove(id).unwrap_or_default());
            }
        }
    }
    Ok(Extracted {
        blocks,
        ..Extracted::default()
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NoteKind {
    Footnote,
    Endnote,
}

impl NoteKind {
    fn relationship(self) -> &'static str {
        match self {
            NoteKind::Footnote => "footnotes",
            NoteKind::Endnote => "endnotes",
        }
    }

    fn element(self) -> &'static str {
        match self {
            NoteKind::Footnote => "w:footnote",
            NoteKind::Endnote => "w:endnote",
        }
    }
}

/// Walks the body of a part (the document, or one note) into blocks.
#[derive(Debug)]
struct Walker<'s> {
    styles: &'s HeadingStyles,
    writer: BlockWriter,
    skip: SkipDepth,
    /// Depth of table cells: their paragraphs are joined, not broken.
    in_cell: usize,
    in_paragraph_properties: bool,
    in_run: bool,
    in_run_properties: bool,
    in_text: bool,
    hidden: bool,
    /// Note references in the order the text makes them.
    references: Vec<(NoteKind, String)>,
}

impl<'s> Walker<'s> {
    fn new(styles: &'s HeadingStyles) -> Self {
        Self {
            styles,
            writer: BlockWriter::default(),
            skip: SkipDepth::default(),
            in_cell: 0,
            in_paragraph_properties: false,
            in_run: false,
            in_run_properties: false,
            in_text: false,
            hidden: false,
            references: Vec::new(),
        }
    }

    fn item(&mut self, item: Item<'_>) {
        match item {
            Item::Start(start) => {
                if self.skip.start(SKIPPED.contains(&start.name().as_ref())) {
                    return;
                }
                match start.name().as_ref() {
                    b"w:p" => self.paragraph_break(),
                    b"w:pPr" => self.in_paragraph_properties = true,
                    b"w:pStyle" if self.in_paragraph_properties && self.in_cell == 0 => {
                        if let Some(level) =
                            attribute(&start, "w:val").and_then(|style| self.styles.level(&style))
                        {
                            self.writer.start_heading(level);
                        }
                    }
                    b"w:outlineLvl" if self.in_paragraph_properties && self.in_cell == 0 => {
                        if let Some(level) = outline_level(attribute(&start, "w:val")) {
                            self.writer.start_heading(level);
                        }
                    }
                    b"w:r" => {
                        self.in_run = true;
                        self.hidden = false;
                    }
                    b"w:rPr" => self.in_run_properties = self.in_run,
                    b"w:vanish" if self.in_run_properties => {
                        self.hidden = !matches!(
                            attribute(&start, "w:val").as_deref(),
                            Some("0" | "false" | "off")
                        );
                    }
                    b"w:t" => self.in_text = true,
                    b"w:tab" | b"w:br" | b"w:cr" => self.writer.space(),
                    b"w:noBreakHyphen" if !self.hidden => self.writer.text("-"),
                    b"w:footnoteReference" | b"w:endnoteReference" => {
                        let kind = if is(&start, "w:footnoteReference") {
                            NoteKind::Footnote
                        } else {
                            NoteKind::Endnote
                        };
                        if let Some(id) = attribute(&start, "w:id") {
                            self.references.push((kind, id));
                        }
                    }
                    b"w:tbl" => self.writer.finish(),
                    b"w:tc" => {
                        self.in_cell += 1;
                        self.writer.separator(" | ");
                    }
                    _ => {}
                }
            }
            Item::End(name) => {
                if self.skip.end() {
                    return;
                }
                match name.as_slice() {
                    b"w:p" => self.paragraph_break(),
                    b"w:pPr" => self.in_paragraph_properties = false,
                    b"w:r" => {
                        self.in_run = false;
                        self.hidden = false;
                    }
                    b"w:rPr" => self.in_run_properties = false,
                    b"w:t" => self.in_text = false,
                    b"w:tc" => self.in_cell = self.in_cell.saturating_sub(1),
                    b"w:tr" | b"w:tbl" => self.writer.finish(),
                    _ => {}
                }
            }
            Item::Text(text) => {
                if self.in_text && !self.hidden && !self.skip.active() {
                    self.writer.text(&text);
                }
            }
        }
    }

    /// A paragraph boundary: a break, or a space between the paragraphs of
    /// one table cell.
    fn paragraph_break(&mut self) {
        if self.in_cell == 0 {
            self.writer.finish();
        } else {
            self.writer.space();
        }
    }
}

/// `w:outlineLvl` is 0-based; 9 means body text.
fn outline_level(value: Option<String>) -> Option<u8> {
    let level: u8 = value?.parse().ok()?;
    (level < 9).then_some(level + 1)
}

/// The notes of a footnotes or endnotes part, by id; separators dropped.
fn notes(
    xml: &[u8],
    name: &str,
    kind: NoteKind,
    styles: &HeadingStyles,
) -> Result<HashMap<String, Vec<Block>>, Skip> {
    let mut notes = HashMap::new();
    let mut current: Option<(String, Walker<'_>)> = None;
    let mut separator = SkipDepth::default();
    Part::new(xml, FORMAT, name).walk(|item| {
        match &item {
            Item::Start(start) => {
                let is_note = is(start, kind.element());
                let is_separator =
                    is_note && attribute(start, "w:type").is_some_and(|kind| kind != "normal");
                if separator.start(is_separator) {
                    return;
                }
                if is_note {
                    let id = attribute(start, "w:id").unwrap_or_default();
                    current = Some((id, Walker::new(styles)));
                    return;
                }
            }
            Item::End(end) => {
                if separator.end() {
                    return;
                }
                if end.as_slice() == kind.element().as_bytes() {
                    if let Some((id, walker)) = current.take() {
                        let blocks = walker.writer.into_blocks();
                        // Notes are not headings, whatever their style.
                        let blocks = blocks
                            .into_iter()
                            .map(|block| Block {
                                heading: None,
                                ..block
                            })
                            .collect();
                        notes.insert(id, blocks);
                    }
                    return;
                }
            }
            Item::Text(_) => {}
        }
        if let Some((_, walker)) = current.as_mut() {
            walker.item(item);
        }
    })?;
    Ok(notes)
}

/// The relationships of a part, by the last segment of their type
/// (`officeDocument`, `styles`, `footnotes`), to part names.
fn relationships(xml: &[u8], name: &str, source: &str) -> Result<HashMap<String, String>, Skip> {
    let mut found = HashMap::new();
    Part::new(xml, FORMAT, name).walk(|item| {
        let Item::Start(start) = item else { return };
        if start.local_name().as_ref() != b"Relationship"
            || attribute(&start, "TargetMode").is_some_and(|mode| mode == "External")
        {
            return;
        }
        if let (Some(kind), Some(target)) = (attribute(&start, "Type"), attribute(&start, "Target"))
        {
            let kind = kind.rsplit('/').next().unwrap_or_default().to_owned();
            found
                .entry(kind)
                .or_insert_with(|| resolve(source, &target));
        }
    })?;
    Ok(found)
}

/// Which paragraph styles are headings, and of which level.
#[derive(Debug, Default)]
struct HeadingStyles {
    levels: HashMap<String, u8>,
    /// Whether a styles part was read; without one, style ids are read as
    /// Word's English ids (`Heading1`, `Title`).
    known: bool,
}

#[derive(Debug, Default)]
struct StyleDefinition {
    id: String,
    level: Option<u8>,
    based_on: Option<String>,
}

impl HeadingStyles {
    fn parse(xml: &[u8], name: &str) -> Result<Self, Skip> {
        let mut definitions: HashMap<String, StyleDefinition> = HashMap::new();
        let mut current: Option<StyleDefinition> = None;
        Part::new(xml, FORMAT, name).walk(|item| match item {
            Item::Start(start) if is(&start, "w:style") => {
                current = attribute(&start, "w:styleId").map(|id| StyleDefinition {
                    id,
                    ..StyleDefinition::default()
                });
            }
            Item::Start(start) => {
                let Some(style) = current.as_mut() else {
                    return;
                };
                match start.name().as_ref() {
                    b"w:name" => {
                        if let Some(level) =
                            attribute(&start, "w:val").and_then(|n| level_by_name(&n))
                        {
                            style.level.get_or_insert(level);
                        }
                    }
                    b"w:outlineLvl" => {
                        if let Some(level) = outline_level(attribute(&start, "w:val")) {
                            style.level = Some(level);
                        }
                    }
                    b"w:basedOn" => style.based_on = attribute(&start, "w:val"),
                    _ => {}
                }
            }
            Item::End(end) if end.as_slice() == b"w:style" => {
                if let Some(style) = current.take() {
                    definitions.insert(style.id.clone(), style);
                }
            }
            _ => {}
        })?;
        let mut levels = HashMap::new();
        for id in definitions.keys() {
            // Follow basedOn a few steps: real style sheets are shallow, and
            // a cycle must end.
            let mut style = definitions.get(id);
            for _ in 0..8 {
                let Some(definition) = style else { break };
                if let Some(level) = definition.level {
                    levels.insert(id.clone(), level);
                    break;
                }
                style = definition
                    .based_on
                    .as_ref()
                    .and_then(|b| definitions.get(b));
            }
        }
        Ok(Self {
            levels,
            known: true,
        })
    }

    fn level(&self, style_id: &str) -> Option<u8> {
        if self.known {
            return self.levels.get(style_id).copied();
        }
        level_by_name(style_id)
    }
}

/// `heading 2` → 2, `Title` → 1 (also the ids `Heading2`, `Title`).
fn level_by_name(name: &str) -> Option<u8> {
    let name = name.to_ascii_lowercase();
    if name == "title" {
        return Some(1);
    }
    let level: u8 = name.strip_prefix("heading")?.trim().parse().ok()?;
    (1..=9).contains(&level).then_some(level)
}

/// Whether `bytes` hold `text` in UTF-16LE (names in a compound file).
fn contains_utf16(bytes: &[u8], text: &str) -> bool {
    let needle: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|window| window == needle)
}
