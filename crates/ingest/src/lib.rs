//! The ingest stage of precis: one file's bytes in, one clean [`Document`] out.
//!
//! The driver walks the input folder, asks [`Format::from_path`] whether a file
//! is an essay, checks its size with [`check_size`], reads it and calls
//! [`ingest`]. This crate does no file IO.
//!
//! Text formats (plain, Markdown, HTML) are decoded first; office documents
//! (`.docx`, `.odt`), e-books (`.epub`) and PDFs are unpacked by their own
//! readers, which never trust sizes or offsets inside the file: every ZIP
//! part is read against an inflation cap ([`INFLATE_FACTOR`]) and every PDF
//! page is read on its own, so a damaged file becomes a [`Skip`] that names
//! the problem, or a [`Notice`] when only some pages are lost.
//!
//! Every format ends up as the same shape: a list of paragraphs, each a run of
//! text with collapsed whitespace (code blocks keep their lines), NFC
//! normalised and joined by `"\n\n"` into [`Document::text`], with
//! [`Document::paragraphs`] marking them in code points.
//!
//! ```
//! use precis_ingest::{ingest, IngestConfig};
//!
//! let bytes = b"A Title\n\nFirst paragraph, hard\nwrapped.\n\n- one\n- two\n";
//! let ingested = ingest("essays/a.txt", bytes, &IngestConfig::default()).unwrap();
//! let document = ingested.document;
//! assert_eq!(document.title, "A Title");
//! assert_eq!(document.text, "A Title\n\nFirst paragraph, hard wrapped.\n\none\n\ntwo");
//! assert_eq!(document.paragraphs.len(), 4);
//! assert!(ingested.notices.is_empty());
//! ```

/// A hash of this crate's sources, made by its build script
/// (`crates/core/code_version.rs`): part of the key of every stage output it
/// shapes, so that output made by other code is never kept.
pub const CODE_VERSION: &str = env!("PRECIS_CODE_VERSION");

mod blocks;
mod decode;
mod docx;
mod epub;
mod html;
mod id;
mod markdown;
mod odt;
mod package;
mod pdf;
mod plain;
mod xml;

use precis_core::{content_hash, CharIndex, Document};
use serde::{Deserialize, Serialize};
use std::fmt;

pub use id::doc_id;

thread_local! {
    /// Whether this thread is inside [`contained`], whose panics are expected.
    static CONTAINING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `read`, turning a panic into an `Err`: for the PDF crates, which
/// panic on some damaged files instead of returning an error.
fn contained<T>(read: impl FnOnce() -> T + std::panic::UnwindSafe) -> std::thread::Result<T> {
    let outer = CONTAINING.with(|c| c.replace(true));
    let result = std::panic::catch_unwind(read);
    CONTAINING.with(|c| c.set(outer));
    result
}

/// Keeps the panics ingest contains off stderr: a damaged PDF is reported
/// as a skip or a notice, and the panic message a PDF crate raised on the
/// way would read like a crash of precis. Installs a panic hook that is
/// silent inside ingest's containment and defers to the hook it replaces
/// everywhere else. For binaries: call once, at start-up.
pub fn quiet_contained_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !CONTAINING.with(std::cell::Cell::get) {
            previous(info);
        }
    }));
}

/// Settings of the ingest stage.
///
/// ```
/// let config = precis_ingest::IngestConfig::default();
/// assert_eq!(config.max_file_bytes, 20 * 1024 * 1024);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IngestConfig {
    /// Files larger than this are skipped with [`Skip::TooLarge`].
    pub max_file_bytes: u64,
}

impl Default for IngestConfig {
    fn default() -> Self {
        Self {
            max_file_bytes: 20 * 1024 * 1024,
        }
    }
}

/// The file extensions ingest reads, lower-case and without the dot.
///
/// ```
/// assert!(precis_ingest::SUPPORTED_EXTENSIONS.contains(&"md"));
/// ```
pub const SUPPORTED_EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "markdown", "html", "htm", "docx", "odt", "epub", "pdf",
];

/// An office document or e-book may unpack to at most this many times
/// [`IngestConfig::max_file_bytes`] (all the parts ingest reads, together):
/// XML compresses about tenfold, so real documents stay far below it, and a
/// zip bomb is stopped after reading that much.
///
/// ```
/// assert_eq!(precis_ingest::INFLATE_FACTOR, 10);
/// ```
pub const INFLATE_FACTOR: u64 = 10;

/// The kinds of file ingest understands, chosen by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Plain text: `.txt`, `.text`.
    Text,
    /// CommonMark with tables: `.md`, `.markdown`.
    Markdown,
    /// HTML: `.html`, `.htm`.
    Html,
    /// Word (Office Open XML): `.docx`.
    Docx,
    /// OpenDocument text (LibreOffice): `.odt`.
    Odt,
    /// EPUB e-books, 2 and 3: `.epub`.
    Epub,
    /// PDF with a text layer: `.pdf`.
    Pdf,
}

impl Format {
    /// The format of a path, from its extension (case-insensitive); `None`
    /// for anything ingest does not read. Both `/` and `\` separate folders.
    ///
    /// ```
    /// use precis_ingest::Format;
    /// assert_eq!(Format::from_path("essays/One.MD"), Some(Format::Markdown));
    /// assert_eq!(Format::from_path("essays/one.pdf"), Some(Format::Pdf));
    /// assert_eq!(Format::from_path("essays/one.png"), None);
    /// assert_eq!(Format::from_path("essays/.txt"), None);
    /// ```
    pub fn from_path(relative_path: &str) -> Option<Format> {
        let (_, extension) = id::split_extension(id::file_name(relative_path))?;
        match extension.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            "docx" => Some(Format::Docx),
            "odt" => Some(Format::Odt),
            "epub" => Some(Format::Epub),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }
}

/// Why a file was not ingested. `Display` is a short reason for a one-line
/// warning: `skipped essays/x.png: binary file (PNG image)`.
///
/// ```
/// use precis_ingest::{ingest, IngestConfig, Skip};
/// let skip = ingest("a.txt", b"  \n", &IngestConfig::default()).unwrap_err();
/// assert_eq!(skip, Skip::Empty);
/// assert_eq!(skip.to_string(), "empty file (nothing but whitespace)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Skip {
    /// The bytes are not text: a known file signature, NUL bytes or many
    /// control characters. `kind` says which.
    #[error("binary file ({kind})")]
    Binary { kind: &'static str },
    /// Invalid UTF-8 that is not plainly Windows-1252 either.
    #[error("not UTF-8 text (invalid byte at offset {offset}) and not clearly Windows-1252")]
    NotUtf8 { offset: usize },
    /// A UTF-16 byte order mark followed by invalid UTF-16.
    #[error("invalid {encoding} text after a byte order mark")]
    InvalidUtf16 { encoding: &'static str },
    /// Nothing but whitespace.
    #[error("empty file (nothing but whitespace)")]
    Empty,
    /// Over [`IngestConfig::max_file_bytes`].
    #[error("too large ({} > limit {})", human_bytes(*bytes), human_bytes(*limit))]
    TooLarge { bytes: u64, limit: u64 },
    /// An extension [`Format::from_path`] does not know.
    #[error("unsupported file type (ingest reads .{})", SUPPORTED_EXTENSIONS.join(", ."))]
    UnsupportedFormat,
    /// Text that holds no visible prose, e.g. HTML of scripts only or
    /// Markdown of front matter only.
    #[error("no readable text after removing markup")]
    NoText,
    /// A password-protected (or DRM-locked) document. `format` names it:
    /// `"PDF"`, `"Word document"`.
    #[error("encrypted {format} (needs a password: save an unprotected copy)")]
    Encrypted { format: &'static str },
    /// A file of a known format that cannot be read: truncated, not really
    /// that format, malformed XML, a broken PDF cross-reference table.
    #[error("damaged {format}: {problem}")]
    Damaged {
        format: &'static str,
        problem: String,
    },
    /// An office document or e-book whose parts unpack to more than
    /// [`INFLATE_FACTOR`] × [`IngestConfig::max_file_bytes`].
    #[error("{format} unpacks to more than {} (a zip bomb?)", human_bytes(*limit))]
    Inflates { format: &'static str, limit: u64 },
    /// A PDF with pages but no text on them: a scan or a picture.
    #[error("PDF has no text layer (a scan? run OCR on it first)")]
    NoTextLayer,
}

/// Something about an ingested file the user should hear about, though the
/// file was used. The driver prints each as a one-line warning.
///
/// ```
/// use precis_ingest::{ingest, IngestConfig};
/// let ingested = ingest("latin1.txt", b"caf\xe9", &IngestConfig::default()).unwrap();
/// assert_eq!(ingested.document.text, "café");
/// assert_eq!(
///     ingested.notices[0].to_string(),
///     "not UTF-8; read as windows-1252 (a guess: check the text)"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Notice {
    /// The bytes were not UTF-8 and were decoded as `encoding`. `guessed`:
    /// there was no byte order mark, so the encoding is a judgement (only
    /// ever Windows-1252, and only when the bytes fit it plainly).
    Decoded {
        encoding: &'static str,
        guessed: bool,
    },
    /// Some pages of a PDF could not be read and were left out.
    PagesUnreadable { unreadable: usize, pages: usize },
    /// A Markdown file's front matter is not valid YAML or TOML: it is left
    /// out of the text, but gives no title and no facets.
    FrontMatterUnread { reason: String },
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Notice::Decoded {
                encoding,
                guessed: true,
            } => write!(f, "not UTF-8; read as {encoding} (a guess: check the text)"),
            Notice::Decoded {
                encoding,
                guessed: false,
            } => write!(f, "read as {encoding} (from its byte order mark)"),
            Notice::FrontMatterUnread { reason } => write!(
                f,
                "its front matter could not be read ({reason}), so it gives no title or \
                 facets: correct the block between the `---` (or `+++`) lines"
            ),
            Notice::PagesUnreadable { unreadable, pages } => {
                write!(
                    f,
                    "{unreadable} of {pages} pages could not be read and were left out"
                )
            }
        }
    }
}

/// An ingested document and the notices about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingested {
    pub document: Document,
    /// Warnings for the user, in the order they arose; usually none.
    pub notices: Vec<Notice>,
}

/// Checks a file size against [`IngestConfig::max_file_bytes`], so the driver
/// can skip a huge file before reading it.
///
/// ```
/// use precis_ingest::{check_size, IngestConfig, Skip};
/// let config = IngestConfig { max_file_bytes: 10 };
/// assert_eq!(check_size(10, &config), Ok(()));
/// assert_eq!(check_size(11, &config), Err(Skip::TooLarge { bytes: 11, limit: 10 }));
/// ```
pub fn check_size(bytes: u64, config: &IngestConfig) -> Result<(), Skip> {
    if bytes > config.max_file_bytes {
        return Err(Skip::TooLarge {
            bytes,
            limit: config.max_file_bytes,
        });
    }
    Ok(())
}

/// Turns one file's bytes into a [`Document`], or says why it cannot.
///
/// `relative_path` is the path under the input folder; it picks the format,
/// becomes [`Document::source`] and derives [`Document::doc_id`].
///
/// ```
/// use precis_ingest::{ingest, IngestConfig};
/// let md = b"---\ntags: [x]\n---\n# On *Walking*\n\nIt is [good](http://x).\n";
/// let document = ingest("On Walking.md", md, &IngestConfig::default()).unwrap().document;
/// assert_eq!(document.title, "On Walking");
/// assert_eq!(document.text, "On Walking\n\nIt is good.");
/// assert_eq!(document.doc_id, "on-walking");
/// ```
pub fn ingest(relative_path: &str, bytes: &[u8], config: &IngestConfig) -> Result<Ingested, Skip> {
    check_size(bytes.len() as u64, config)?;
    let format = Format::from_path(relative_path).ok_or(Skip::UnsupportedFormat)?;
    let inflate_limit = config.max_file_bytes.saturating_mul(INFLATE_FACTOR);
    let (mut extracted, mut notices) = match format {
        Format::Text | Format::Markdown | Format::Html => {
            let decoded = decode::decode(bytes)?;
            let extracted = match format {
                Format::Markdown => markdown::blocks(&decoded.text),
                Format::Html => html::blocks(&decoded.text),
                _ => plain::blocks(&decoded.text),
            };
            (extracted, decoded.notices)
        }
        Format::Docx => (docx::extract(bytes, inflate_limit)?, Vec::new()),
        Format::Odt => (odt::extract(bytes, inflate_limit)?, Vec::new()),
        Format::Epub => (epub::extract(bytes, inflate_limit)?, Vec::new()),
        Format::Pdf => pdf::extract(bytes)?,
    };
    let metadata = std::mem::take(&mut extracted.metadata);
    notices.append(&mut extracted.notices);
    let assembled = blocks::assemble(extracted).ok_or(Skip::NoText)?;
    let title = assembled
        .title
        .unwrap_or_else(|| id::humanised_stem(relative_path));
    Ok(Ingested {
        document: Document {
            doc_id: doc_id(relative_path),
            source: relative_path.to_owned(),
            title,
            hash: content_hash(bytes),
            text: assembled.text,
            paragraphs: assembled.paragraphs,
            metadata,
            headings: assembled.headings,
        },
        notices,
    })
}

/// Checks that a document has the shape [`ingest`] promises, and says which
/// promise broke: paragraph spans in code points, in order, exactly `"\n\n"`
/// apart and covering the whole text; each paragraph trimmed and without a
/// blank line; headings naming paragraphs in order, with levels from 1; the
/// text NFC without carriage returns; a one-line title. The
/// property tests and the fuzz targets call it on whatever ingest returns.
///
/// ```
/// use precis_ingest::{check_document, ingest, IngestConfig};
/// let mut document = ingest("a.md", b"# A\n\nB.", &IngestConfig::default()).unwrap().document;
/// assert_eq!(check_document(&document), Ok(()));
/// document.text.push(' ');
/// assert!(check_document(&document).is_err());
/// ```
pub fn check_document(document: &Document) -> Result<(), String> {
    let index = CharIndex::new(&document.text);
    let chars = document.text.chars().count();
    let mut previous_end = None;
    for &span in &document.paragraphs {
        if span.0 >= span.1 || span.1 > chars {
            return Err(format!(
                "span {span:?} is empty or outside the {chars} code points"
            ));
        }
        let expected_start = previous_end.map_or(0, |end| end + 2);
        if span.0 != expected_start {
            return Err(format!(
                "span {span:?} starts at {}, not {expected_start}",
                span.0
            ));
        }
        if let Some(end) = previous_end {
            let gap = &document.text[index.byte_offset(end)..index.byte_offset(span.0)];
            if gap != "\n\n" {
                return Err(format!("paragraphs before {span:?} are joined by {gap:?}"));
            }
        }
        let paragraph = &document.text[index.byte_range(span)];
        if paragraph != paragraph.trim() || paragraph.contains("\n\n") {
            return Err(format!(
                "paragraph {span:?} is not trimmed or holds a blank line: {paragraph:?}"
            ));
        }
        previous_end = Some(span.1);
    }
    if previous_end != Some(chars) {
        return Err(format!(
            "the paragraphs end at {previous_end:?}, the text at {chars}"
        ));
    }
    let mut previous_heading = None;
    for heading in &document.headings {
        if heading.level == 0
            || heading.paragraph >= document.paragraphs.len()
            || previous_heading.is_some_and(|previous| heading.paragraph <= previous)
        {
            return Err(format!(
                "heading {heading:?} has level 0, names no paragraph or is out of order"
            ));
        }
        previous_heading = Some(heading.paragraph);
    }
    if !unicode_normalization::is_nfc(&document.text) || document.text.contains('\r') {
        return Err("the text is not NFC or holds a carriage return".to_owned());
    }
    if document.title.trim().is_empty() || document.title.contains('\n') {
        return Err(format!(
            "title {:?} is empty or not one line",
            document.title
        ));
    }
    Ok(())
}

/// `1536` → `"1.5 KiB"`: sizes in messages.
fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests;
