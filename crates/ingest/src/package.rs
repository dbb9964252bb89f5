//! ZIP containers (`.docx`, `.odt`, `.epub`) read with a cap on what they
//! unpack to, and the path arithmetic of their internal links.

use crate::Skip;
use std::io::{Cursor, Read};
use zip::result::ZipError;
use zip::ZipArchive;

/// An opened ZIP container. Every part read counts against one budget, so a
/// zip bomb stops after `limit` bytes whatever its headers claim.
pub(crate) struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    format: &'static str,
    /// Bytes that may still be unpacked.
    budget: u64,
    limit: u64,
}

impl std::fmt::Debug for Package<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Package")
            .field("format", &self.format)
            .field("budget", &self.budget)
            .finish_non_exhaustive()
    }
}

impl<'a> Package<'a> {
    /// Opens `bytes` as the ZIP container of a `format` document.
    pub fn open(bytes: &'a [u8], format: &'static str, limit: u64) -> Result<Self, Skip> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|error| Skip::Damaged {
            format,
            problem: match error {
                ZipError::InvalidArchive(_) | ZipError::Io(_) => {
                    "not a complete ZIP container (truncated, or another kind of file)".to_owned()
                }
                other => format!("unreadable ZIP container ({other})"),
            },
        })?;
        Ok(Self {
            archive,
            format,
            budget: limit,
            limit,
        })
    }

    /// The bytes of part `name`, or `None` when there is no such part.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, Skip> {
        let format = self.format;
        let damaged = |problem: String| Skip::Damaged { format, problem };
        let mut file = match self.archive.by_name(name) {
            Ok(file) => file,
            Err(ZipError::FileNotFound) => return Ok(None),
            Err(ZipError::UnsupportedArchive(message)) if message.contains("assword") => {
                return Err(Skip::Encrypted { format })
            }
            Err(error) => return Err(damaged(format!("cannot read {name} ({error})"))),
        };
        if file.encrypted() {
            return Err(Skip::Encrypted { format });
        }
        let mut bytes = Vec::new();
        // One byte over the budget tells a full budget from an exceeded one.
        let read = (&mut file)
            .take(self.budget.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|error| damaged(format!("cannot unpack {name} ({error})")))?;
        if read as u64 > self.budget {
            return Err(Skip::Inflates {
                format,
                limit: self.limit,
            });
        }
        self.budget -= read as u64;
        Ok(Some(bytes))
    }

    /// The bytes of part `name`, which the format requires.
    pub fn read_required(&mut self, name: &str) -> Result<Vec<u8>, Skip> {
        self.read(name)?.ok_or_else(|| Skip::Damaged {
            format: self.format,
            problem: format!("no {name} inside (truncated, or not really this format)"),
        })
    }
}

/// Resolves a link `target` found in part `from` to a part name: relative to
/// `from`'s folder unless it starts with `/`; `.` and `..` resolved; a
/// `#fragment` and percent-escapes of ASCII removed.
///
/// ```text
/// resolve("OEBPS/content.opf", "text/ch1.xhtml#x") == "OEBPS/text/ch1.xhtml"
/// resolve("word/document.xml", "/word/styles.xml") == "word/styles.xml"
/// ```
pub(crate) fn resolve(from: &str, target: &str) -> String {
    let target = target.split('#').next().unwrap_or_default();
    let target = percent_decode(target);
    let mut resolved: Vec<&str> = match from.rsplit_once('/') {
        Some((folder, _)) if !target.starts_with('/') => folder.split('/').collect(),
        _ => Vec::new(),
    };
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                resolved.pop();
            }
            part => resolved.push(part),
        }
    }
    resolved.join("/")
}

/// `%20` → space, for ASCII escapes only; anything else is kept as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            if let Some(byte) = text
                .get(index + 1..index + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .filter(u8::is_ascii)
            {
                out.push(byte as char);
                index += 3;
                continue;
            }
        }
        let ch = text[index..].chars().next().unwrap_or_default();
        out.push(ch);
        index += ch.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_to_part_names() {
        let cases = [
            (
                "OEBPS/content.opf",
                "text/ch1.xhtml#x",
                "OEBPS/text/ch1.xhtml",
            ),
            ("word/document.xml", "/word/styles.xml", "word/styles.xml"),
            ("word/document.xml", "footnotes.xml", "word/footnotes.xml"),
            ("a/b/c.opf", "../d%20e.xhtml", "a/d e.xhtml"),
            ("content.opf", "ch.xhtml", "ch.xhtml"),
            ("a/c.opf", "../../../x", "x"),
        ];
        for (from, target, expected) in cases {
            assert_eq!(resolve(from, target), expected, "{from} {target}");
        }
    }
}
