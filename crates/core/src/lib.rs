//! The plain data types that flow from stage to stage, and the content hash
//! that keys every cache.
//!
//! Offsets written to disk are in Unicode code points (what Python's `str`
//! slicing uses), because the stage files are meant to be read by other
//! tools. Inside Rust, stages work on byte ranges; [`CharIndex`] converts
//! between the two in one pass.

/// A hash of this crate's sources, made by its build script
/// (`crates/core/code_version.rs`): part of the key of every stage output it
/// shapes, so that output made by other code is never kept.
pub const CODE_VERSION: &str = env!("PRECIS_CODE_VERSION");

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;

/// A `[start, end)` range in Unicode code points, serialised as `[start, end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span(pub usize, pub usize);

impl Span {
    /// The number of code points covered.
    pub fn len(&self) -> usize {
        self.1 - self.0
    }

    /// Whether the span covers nothing.
    pub fn is_empty(&self) -> bool {
        self.0 == self.1
    }
}

/// One input document after ingest: clean, NFC-normalised text with its
/// paragraphs marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id derived from the path relative to the input folder.
    pub doc_id: String,
    /// The path relative to the input folder, as the user sees it.
    pub source: String,
    pub title: String,
    /// [`content_hash`] of the raw file bytes.
    pub hash: String,
    pub text: String,
    /// Paragraph spans into `text`, in code points, in order, not overlapping.
    pub paragraphs: Vec<Span>,
    /// What the document says of itself, as facets to compare by (`author`,
    /// `year`): the top-level fields of a Markdown file's front matter whose
    /// values are single words, numbers or strings, `title` aside. Empty for
    /// other formats, and then absent from `documents.jsonl`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
    /// The paragraphs that are headings, in order; empty for a document
    /// without any (and then not written, so such a document's line is what
    /// it was before headings were recorded).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headings: Vec<Heading>,
}

/// A paragraph that heads what follows it: a Markdown or HTML heading, a
/// heading style of an office document, or in plain text a short line or a
/// bulleted line standing alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    /// 1 is the top level; a heading covers the paragraphs after it up to
    /// the next heading of its level or a shallower one.
    pub level: u8,
    /// The heading's position in [`Document::paragraphs`].
    pub paragraph: usize,
}

impl Document {
    /// The number of the paragraph holding code-point `offset`: the last
    /// paragraph starting at or before it (0 when none does).
    ///
    /// ```
    /// use precis_core::{Document, Span};
    /// let doc = Document {
    ///     doc_id: "a".into(), source: "a.txt".into(), title: String::new(), hash: String::new(),
    ///     text: "One. Two.\n\nThree.".into(), paragraphs: vec![Span(0, 9), Span(11, 17)],
    ///     metadata: Default::default(),
    ///     headings: vec![],
    /// };
    /// assert_eq!(doc.paragraph_of(5), 0);
    /// assert_eq!(doc.paragraph_of(11), 1);
    /// ```
    pub fn paragraph_of(&self, offset: usize) -> usize {
        self.paragraphs
            .partition_point(|span| span.0 <= offset)
            .saturating_sub(1)
    }
}

/// One sentence: a span of its document's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    pub doc_id: String,
    /// Position of the sentence within its document, from 0.
    pub index: usize,
    /// Code-point offsets into the document text.
    pub start: usize,
    pub end: usize,
    /// Exactly `document.text[start..end]` (in code points).
    pub text: String,
}

/// Identifies one sentence across stages.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SentenceRef {
    pub doc_id: String,
    pub index: usize,
}

/// A file the run could not use, and why. Listed in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedFile {
    pub source: String,
    pub reason: String,
}

/// The hex BLAKE3 hash of some content: the key of every cache and the
/// `hash` of every document.
pub fn content_hash(bytes: impl AsRef<[u8]>) -> String {
    blake3::hash(bytes.as_ref()).to_hex().to_string()
}

/// Converts byte offsets of one text into code-point offsets.
///
/// Built once per text in O(n); each lookup is a binary search over the
/// positions of multi-byte characters, so ASCII-heavy text costs almost nothing.
///
/// ```
/// use precis_core::CharIndex;
/// let text = "naïve café";
/// let index = CharIndex::new(text);
/// assert_eq!(index.char_offset(text.len()), 10);
/// assert_eq!(index.byte_offset(4), 5);
/// ```
#[derive(Debug, Clone)]
pub struct CharIndex {
    /// For each multi-byte character: (byte offset just after it, extra bytes so far).
    wide: Vec<(usize, usize)>,
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        let mut wide = Vec::new();
        let mut extra = 0;
        for (at, ch) in text.char_indices() {
            let width = ch.len_utf8();
            if width > 1 {
                extra += width - 1;
                wide.push((at + width, extra));
            }
        }
        Self { wide }
    }

    /// The code-point offset of a byte offset that lies on a char boundary.
    pub fn char_offset(&self, byte: usize) -> usize {
        let passed = self.wide.partition_point(|&(end, _)| end <= byte);
        let extra = if passed == 0 {
            0
        } else {
            self.wide[passed - 1].1
        };
        byte - extra
    }

    /// The byte offset of a code-point offset.
    pub fn byte_offset(&self, char_offset: usize) -> usize {
        // Walk the wide characters: the byte offset grows by `extra` bytes
        // after each; find the last one ending at or before `char_offset`.
        let passed = self
            .wide
            .partition_point(|&(end, extra)| end - extra <= char_offset);
        let extra = if passed == 0 {
            0
        } else {
            self.wide[passed - 1].1
        };
        char_offset + extra
    }

    /// A byte range as a code-point [`Span`].
    pub fn span(&self, bytes: Range<usize>) -> Span {
        Span(self.char_offset(bytes.start), self.char_offset(bytes.end))
    }

    /// A code-point [`Span`] as a byte range.
    pub fn byte_range(&self, span: Span) -> Range<usize> {
        self.byte_offset(span.0)..self.byte_offset(span.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn span_serialises_as_a_pair() {
        assert_eq!(serde_json::to_string(&Span(3, 9)).unwrap(), "[3,9]");
    }

    #[test]
    fn headings_are_written_only_when_there_are_some() {
        let mut document = Document {
            doc_id: "a".into(),
            source: "a.md".into(),
            title: "A".into(),
            hash: String::new(),
            text: "A\n\nB.".into(),
            paragraphs: vec![Span(0, 1), Span(3, 5)],
            metadata: Default::default(),
            headings: vec![],
        };
        let without = serde_json::to_string(&document).unwrap();
        assert!(
            without.ends_with(r#""paragraphs":[[0,1],[3,5]]}"#),
            "{without}"
        );
        let read: Document = serde_json::from_str(&without).unwrap();
        assert_eq!(read, document);
        document.headings.push(Heading {
            level: 1,
            paragraph: 0,
        });
        let with = serde_json::to_string(&document).unwrap();
        assert!(
            with.ends_with(r#""headings":[{"level":1,"paragraph":0}]}"#),
            "{with}"
        );
    }

    #[test]
    fn hash_is_stable_hex() {
        let hash = content_hash("precis");
        assert_eq!(hash.len(), 64);
        assert_eq!(hash, content_hash(b"precis".as_slice()));
        assert_ne!(hash, content_hash("precis "));
    }

    proptest! {
        #[test]
        fn offsets_round_trip(text in "\\PC{0,40}") {
            let index = CharIndex::new(&text);
            for (char_offset, (byte, _)) in text.char_indices().enumerate() {
                prop_assert_eq!(index.char_offset(byte), char_offset);
                prop_assert_eq!(index.byte_offset(char_offset), byte);
            }
            let chars = text.chars().count();
            prop_assert_eq!(index.char_offset(text.len()), chars);
            prop_assert_eq!(index.byte_offset(chars), text.len());
        }
    }
}
