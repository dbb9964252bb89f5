//! Reading XML parts with `quick-xml`: element names, attributes and text,
//! with every XML error reported as a damaged file.

use crate::Skip;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// The events of one XML part, for the office and e-book readers. Elements
/// are matched by their qualified names (`w:p`, `text:h`): the prefixes are
/// the ones every known writer of these formats uses.
pub(crate) struct Part<'a> {
    reader: Reader<&'a [u8]>,
    format: &'static str,
    name: &'a str,
    depth: usize,
}

impl std::fmt::Debug for Part<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Part").field("name", &self.name).finish()
    }
}

/// One event, with `Empty` (`<a/>`) reported as `Start` then `End`.
#[derive(Debug)]
pub(crate) enum Item<'a> {
    Start(BytesStart<'a>),
    End(Vec<u8>),
    Text(String),
}

impl<'a> Part<'a> {
    pub fn new(bytes: &'a [u8], format: &'static str, name: &'a str) -> Self {
        let mut reader = Reader::from_reader(bytes);
        reader.config_mut().check_end_names = true;
        Self {
            reader,
            format,
            name,
            depth: 0,
        }
    }

    /// A damaged-file skip about this part.
    pub fn damaged(&self, problem: impl std::fmt::Display) -> Skip {
        // quick-xml's messages can quote whole tags: keep the warning short.
        let mut problem = problem.to_string();
        if let Some((cut, _)) = problem.char_indices().nth(40) {
            problem.truncate(cut);
            problem.push('…');
        }
        Skip::Damaged {
            format: self.format,
            problem: format!("malformed XML in {} ({problem})", self.name),
        }
    }

    /// Walks the part, calling `visit` for each item; the tree must be whole.
    pub fn walk(mut self, mut visit: impl FnMut(Item<'_>)) -> Result<(), Skip> {
        let mut buf = Vec::new();
        let mut pending_end: Option<Vec<u8>> = None;
        loop {
            if let Some(name) = pending_end.take() {
                visit(Item::End(name));
            }
            buf.clear();
            let event = self
                .reader
                .read_event_into(&mut buf)
                .map_err(|error| self.damaged(error))?;
            match event {
                Event::Start(start) => {
                    self.depth += 1;
                    visit(Item::Start(start.into_owned()));
                }
                Event::Empty(start) => {
                    pending_end = Some(start.name().as_ref().to_vec());
                    visit(Item::Start(start.into_owned()));
                }
                Event::End(end) => {
                    self.depth = self.depth.saturating_sub(1);
                    visit(Item::End(end.name().as_ref().to_vec()));
                }
                Event::Text(text) => {
                    let text = text.unescape().map_err(|error| self.damaged(error))?;
                    visit(Item::Text(text.into_owned()));
                }
                Event::CData(text) => {
                    visit(Item::Text(String::from_utf8_lossy(&text).into_owned()))
                }
                Event::Eof if self.depth > 0 => {
                    return Err(self.damaged("it ends inside an element: truncated?"))
                }
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }
}

/// The value of attribute `name` (qualified, e.g. `w:val`), unescaped.
pub(crate) fn attribute(start: &BytesStart<'_>, name: &str) -> Option<String> {
    start
        .attributes()
        .flatten()
        .find(|attribute| attribute.key.as_ref() == name.as_bytes())
        .and_then(|attribute| attribute.unescape_value().ok())
        .map(|value| value.into_owned())
}

/// Whether a start tag has this qualified name.
pub(crate) fn is(start: &BytesStart<'_>, name: &str) -> bool {
    start.name().as_ref() == name.as_bytes()
}

/// Tracks one element subtree being skipped (deleted text, comments), by
/// depth, so that a skipped element nested in itself ends in the right place.
#[derive(Debug, Default)]
pub(crate) struct SkipDepth(usize);

impl SkipDepth {
    pub fn active(&self) -> bool {
        self.0 > 0
    }

    /// Call on every start tag: enters (or goes deeper into) a skipped subtree
    /// when `skip` or already skipping; returns whether this tag is skipped.
    pub fn start(&mut self, skip: bool) -> bool {
        if self.0 > 0 || skip {
            self.0 += 1;
            return true;
        }
        false
    }

    /// Call on every end tag; returns whether this tag was skipped.
    pub fn end(&mut self) -> bool {
        if self.0 > 0 {
            self.0 -= 1;
            return true;
        }
        false
    }
}
