//! Text helpers: truncation, percentages, seconds, rounding, link paths.

/// A relative path as a URL path: `\` becomes `/`, and every byte outside
/// the unreserved set (and `/`) is percent-encoded, so that `#`, `?`, `%`
/// and spaces in file names still link to the file.
pub(super) fn link_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.replace('\\', "/").bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(char::from(byte))
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

pub(super) fn truncate(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_string()
    } else {
        let kept: String = text.chars().take(chars.saturating_sub(1)).collect();
        format!("{}…", kept.trim_end())
    }
}

pub(super) fn percent(share: f64) -> String {
    let p = 100.0 * share;
    if p > 0.0 && p < 1.0 {
        "<1%".to_string()
    } else {
        format!("{p:.0}%")
    }
}

pub(super) fn seconds_text(seconds: f64) -> String {
    if seconds < 10.0 {
        format!("{seconds:.2} s")
    } else {
        format!("{seconds:.1} s")
    }
}

pub(super) fn round1(x: f64) -> f64 {
    let r = (x * 10.0).round() / 10.0;
    // No "-0" in the markup.
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_escape_what_urls_cannot_hold() {
        assert_eq!(link_path("notes/a b#1.md"), "notes/a%20b%231.md");
        assert_eq!(link_path("..\\input\\"), "../input/");
        assert_eq!(link_path("café.txt"), "caf%C3%A9.txt");
    }

    #[test]
    fn text_helpers() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(percent(0.004), "<1%");
        assert_eq!(percent(0.456), "46%");
        assert_eq!(round1(-0.01), 0.0);
    }
}
