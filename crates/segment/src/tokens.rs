//! Splits text into maximal runs of non-whitespace ("tokens"), noting what
//! kind of whitespace came before each.

/// The whitespace between a token and the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gap {
    /// The first token of the text.
    Start,
    /// Spaces or tabs only.
    Space,
    /// Exactly one line break: a soft wrap unless the lines say otherwise.
    LineBreak,
    /// Two or more line breaks (a blank line), or a paragraph separator.
    Blank,
}

/// A run of non-whitespace characters: `text[start..end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    pub gap: Gap,
}

/// Iterator over the tokens of a text, in order; one pass, no allocation.
#[derive(Debug)]
pub(crate) struct Tokens<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Tokens<'a> {
    pub fn new(text: &'a str) -> Self {
        Self { text, at: 0 }
    }

    /// The character at byte `at` (a char boundary), with its width.
    fn char_at(&self, at: usize) -> (char, usize) {
        let byte = self.text.as_bytes()[at];
        if byte < 0x80 {
            return (byte as char, 1);
        }
        let ch = self.text[at..].chars().next().unwrap_or('\u{FFFD}');
        (ch, ch.len_utf8())
    }
}

/// Line breaks a whitespace character counts for: 2 means a paragraph break.
fn line_breaks(ch: char, next_byte: Option<u8>) -> usize {
    match ch {
        '\n' | '\u{0B}' | '\u{85}' | '\u{2028}' => 1,
        // "\r\n" counts once, at its '\n'.
        '\r' if next_byte == Some(b'\n') => 0,
        '\r' => 1,
        '\u{0C}' | '\u{2029}' => 2,
        _ => 0,
    }
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let bytes = self.text.as_bytes();
        let mut breaks = 0;
        while self.at < bytes.len() {
            let (ch, width) = self.char_at(self.at);
            if !ch.is_whitespace() {
                break;
            }
            breaks += line_breaks(ch, bytes.get(self.at + 1).copied());
            self.at += width;
        }
        if self.at >= bytes.len() {
            return None;
        }
        let start = self.at;
        while self.at < bytes.len() {
            let (ch, width) = self.char_at(self.at);
            if ch.is_whitespace() {
                break;
            }
            self.at += width;
        }
        let gap = match (start, breaks) {
            (0, _) => Gap::Start,
            (_, 0) => Gap::Space,
            (_, 1) => Gap::LineBreak,
            _ => Gap::Blank,
        };
        Some(Token {
            start,
            end: self.at,
            gap,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_count_line_breaks() {
        let text = "a b\nc\r\nd \n \ne\u{2029}f";
        let gaps: Vec<_> = Tokens::new(text)
            .map(|t| (&text[t.start..t.end], t.gap))
            .collect();
        assert_eq!(
            gaps,
            [
                ("a", Gap::Start),
                ("b", Gap::Space),
                ("c", Gap::LineBreak),
                ("d", Gap::LineBreak),
                ("e", Gap::Blank),
                ("f", Gap::Blank),
            ]
        );
    }
}
