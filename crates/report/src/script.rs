//! The page's one script and the data it reads, and how both are embedded.
//!
//! The data is JSON in a `<script type="application/json">` element, which
//! the browser never runs. Its text is escaped for that context: `<`, `>` and
//! `&` become `\u003c`, `\u003e` and `\u0026`, so no essay can close the
//! element (`</script>`) or open a comment (`<!--`), and U+2028 and U+2029
//! are written as escapes too. The script itself is a constant of the crate;
//! the page's Content-Security-Policy allows that script, by its SHA-256
//! hash, and no other, so even markup that slipped through would not run.

use base64::Engine;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The page's script, compiled into the crate.
pub const SOURCE: &str = include_str!("../templates/report.js");

/// The CSP source expression that allows [`SOURCE`] and nothing else:
/// `'sha256-…'`.
pub fn csp_hash() -> String {
    let digest = Sha256::digest(SOURCE.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// `value` as JSON that can stand between `<script type="application/json">`
/// and `</script>` whatever its strings hold.
///
/// ```text
/// {"text":"</script><!--"}  →  {"text":"\u003c/script\u003e\u003c!--"}
/// ```
pub fn json_for_script<T: Serialize>(value: &T) -> String {
    let json = serde_json::to_string(value).expect("the page's data serialises");
    // These characters can only stand inside JSON strings, where a `\u`
    // escape means the same character, so replacing them everywhere is safe.
    let mut out = String::with_capacity(json.len() + json.len() / 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_cannot_leave_its_script_element() {
        let hostile = "</script><script>alert(1)</script> <!-- & \u{2028}\u{2029} <img onerror=x>";
        let json = json_for_script(&vec![hostile]);
        for needle in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!json.contains(needle), "{needle:?} in {json}");
        }
        assert_eq!(
            serde_json::from_str::<Vec<String>>(&json).expect("still JSON"),
            vec![hostile.to_string()]
        );
    }

    #[test]
    fn the_script_can_stand_inline() {
        let lower = SOURCE.to_ascii_lowercase();
        assert!(!lower.contains("</script") && !lower.contains("<!--"));
        // The page's test counts `//` to find URLs: the script has none.
        assert!(!SOURCE.contains("//"));
        assert!(csp_hash().starts_with("'sha256-") && csp_hash().ends_with("='"));
    }
}
