//! Bytes to clean text: binary detection, encodings, line endings, NFC.

use crate::{Notice, Skip};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// How much of the start of a file the binary checks look at.
const SNIFF_BYTES: usize = 8 * 1024;

/// Above this share of control characters (other than tab, line feed,
/// carriage return and form feed) a file is binary.
const MAX_CONTROL_SHARE: f64 = 0.05;

/// File signatures of formats people keep next to their essays.
const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\x7fELF", "ELF executable"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive or office document"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"{\\rtf", "RTF document"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "old Microsoft Office document",
    ),
];

/// The text of a file, with notices about how it was read.
#[derive(Debug)]
pub(crate) struct Decoded {
    /// NFC, `\n` line endings, no control characters but `\n` and `\t`.
    pub text: String,
    pub notices: Vec<Notice>,
}

/// Decodes a file's bytes, or says why they are not text.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, Skip> {
    if let Some((_, kind)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Err(Skip::Binary { kind });
    }
    let mut notices = Vec::new();
    let raw = if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        utf8_or_windows_1252(rest, &mut notices)?
    } else if let Some(encoding) = utf16_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[2..]);
        if had_errors {
            return Err(Skip::InvalidUtf16 {
                encoding: encoding.name(),
            });
        }
        notices.push(Notice::Decoded {
            encoding: encoding.name(),
            guessed: false,
        });
        check_controls(text.chars().take(SNIFF_BYTES))?;
        text.into_owned()
    } else {
        let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
        if head.contains(&0) {
            return Err(Skip::Binary { kind: "NUL bytes" });
        }
        utf8_or_windows_1252(bytes, &mut notices)?
    };
    let text = clean(&raw);
    if text.trim().is_empty() {
        return Err(Skip::Empty);
    }
    Ok(Decoded { text, notices })
}

fn utf16_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    match bytes {
        [0xff, 0xfe, ..] => Some(UTF_16LE),
        [0xfe, 0xff, ..] => Some(UTF_16BE),
        _ => None,
    }
}

fn utf8_or_windows_1252(bytes: &[u8], notices: &mut Vec<Notice>) -> Result<String, Skip> {
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            check_controls(text.chars().take(SNIFF_BYTES))?;
            Ok(text.to_owned())
        }
        Err(error) => {
            let text = plainly_windows_1252(bytes).ok_or(Skip::NotUtf8 {
                offset: error.valid_up_to(),
            })?;
            check_controls(text.chars().take(SNIFF_BYTES))?;
            notices.push(Notice::Decoded {
                encoding: WINDOWS_1252.name(),
                guessed: true,
            });
            Ok(text)
        }
    }
}

/// Decodes invalid UTF-8 as Windows-1252 only when that reading is plain:
/// - no byte that Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D);
/// - no well-formed multi-byte UTF-8 sequence anywhere, because text that has
///   some is more likely damaged UTF-8, whose Windows-1252 reading is mojibake;
/// - the non-ASCII characters are mostly letters or common typography.
///
/// Latin-1 needs no reading of its own: on the bytes allowed here it agrees
/// with Windows-1252 except for 0x80-0x9F, C1 controls that no text uses.
fn plainly_windows_1252(bytes: &[u8]) -> Option<String> {
    if bytes
        .iter()
        .any(|b| matches!(b, 0x81 | 0x8d | 0x8f | 0x90 | 0x9d))
    {
        return None;
    }
    if has_utf8_sequence(bytes) {
        return None;
    }
    let (text, had_errors) = WINDOWS_1252.decode_without_bom_handling(bytes);
    if had_errors {
        return None;
    }
    let (mut plain, mut odd) = (0usize, 0usize);
    for ch in text.chars().filter(|ch| !ch.is_ascii()) {
        if ch.is_alphabetic() || "‘’‚“”„–—…•€£¥©®°±«»¿¡·§¶×÷½¼¾¹²³µ\u{a0}".contains(ch)
        {
            plain += 1;
        } else {
            odd += 1;
        }
    }
    (plain >= 3 * odd).then(|| text.into_owned())
}

/// Whether the bytes hold at least one well-formed multi-byte UTF-8 character.
fn has_utf8_sequence(bytes: &[u8]) -> bool {
    bytes
        .utf8_chunks()
        .any(|chunk| chunk.valid().bytes().any(|b| !b.is_ascii()))
}

/// Fails when control characters make up more than a small share of the text.
fn check_controls(chars: impl Iterator<Item = char>) -> Result<(), Skip> {
    let (mut total, mut controls) = (0usize, 0usize);
    for ch in chars {
        total += 1;
        if ch.is_control() && !matches!(ch, '\t' | '\n' | '\r' | '\x0c') {
            controls += 1;
        }
    }
    if total > 0 && controls as f64 / total as f64 > MAX_CONTROL_SHARE {
        return Err(Skip::Binary {
            kind: "mostly control characters",
        });
    }
    Ok(())
}

/// `\r\n` and `\r` to `\n`; form feeds and Unicode line or paragraph separators
/// to line breaks; other control characters and zero-width no-break spaces
/// (stray byte order marks) dropped; then NFC.
fn clean(raw: &str) -> String {
    let mut text = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '\r' => {
                chars.next_if_eq(&'\n');
                text.push('\n');
            }
            '\n' | '\t' => text.push(ch),
            '\x0c' | '\u{2029}' => text.push_str("\n\n"),
            '\u{2028}' => text.push('\n'),
            '\u{feff}' => {}
            ch if ch.is_control() => {}
            ch => text.push(ch),
        }
    }
    nfc(text)
}

/// `text` in NFC. Most text already is, and the quick check that says so
/// costs a fraction of normalising: ingest runs over every file on every
/// run, changed or not.
pub(crate) fn nfc(text: String) -> String {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => text,
        IsNormalized::No | IsNormalized::Maybe => text.nfc().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_only_when_plain() {
        assert_eq!(
            plainly_windows_1252(b"caf\xe9 cr\xe8me \x93quoted\x94").as_deref(),
            Some("café crème “quoted”")
        );
        // Undefined in Windows-1252.
        assert_eq!(plainly_windows_1252(b"caf\xe9 \x81"), None);
        // Damaged UTF-8: "é" well-formed, then a stray byte.
        assert_eq!(plainly_windows_1252(b"caf\xc3\xa9 \xff"), None);
        // Mostly symbols: not a text in Windows-1252.
        assert_eq!(plainly_windows_1252(b"\xa4\xa6\xa8\xac\xaf\xb4\xb8"), None);
    }

    #[test]
    fn clean_normalises_lines_controls_and_nfc() {
        assert_eq!(
            clean("a\r\nb\rc\x0cd\u{feff}e\x07\u{2028}cafe\u{301}"),
            "a\nb\nc\n\nde\ncafé"
        );
    }
}
