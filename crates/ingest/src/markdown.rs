//! Markdown through `pulldown-cmark`: every block is a paragraph, inline
//! markup is reduced to its text.

use crate::blocks::{BlockWriter, Extracted};
use crate::html;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Splits Markdown into paragraphs.
///
/// Headings, paragraphs, list items, block quotes, code blocks and footnote
/// definitions each become paragraphs (code keeps its lines); table rows
/// become one paragraph each with cells joined by `" | "`; emphasis, links
/// and inline code keep their text, images their alt text; HTML blocks keep
/// their visible text; inline HTML tags are dropped; front matter (`---`
/// YAML or `+++` TOML at the very top) is dropped, but its `title` kept as
/// the page title.
pub(crate) fn blocks(text: &str) -> Extracted {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let (front_matter, body) = split_front_matter(text);
    let mut writer = BlockWriter::default();
    // Raw text of the code or HTML block being read, if any.
    let mut raw: Option<String> = None;
    for event in Parser::new_ext(body, options) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => writer.start_heading(level as u8),
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) => {
                writer.finish();
                raw = Some(String::new());
            }
            Event::End(TagEnd::CodeBlock) => writer.preformatted(&raw.take().unwrap_or_default()),
            Event::End(TagEnd::HtmlBlock) => {
                writer.finish();
                html::write_fragment(&raw.take().unwrap_or_default(), &mut writer);
                writer.finish();
            }
            Event::Start(Tag::TableCell) => writer.separator(" | "),
            Event::Start(tag) if is_block(&tag) => writer.finish(),
            Event::End(tag) if is_block_end(tag) => writer.finish(),
            Event::Text(text) | Event::Html(text) => match raw.as_mut() {
                Some(raw) => raw.push_str(&text),
                None => writer.text(&text),
            },
            Event::Code(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                writer.text(&text)
            }
            Event::InlineHtml(tag) if is_line_break(&tag) => writer.space(),
            Event::SoftBreak | Event::HardBreak => writer.space(),
            Event::Rule => writer.finish(),
            Event::Start(_)
            | Event::End(_)
            | Event::InlineHtml(_)
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_) => {}
        }
    }
    Extracted {
        blocks: writer.into_blocks(),
        page_title: front_matter.and_then(front_matter_title),
        ..Extracted::default()
    }
}

fn is_block(tag: &Tag<'_>) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::TableCell
    )
}

fn is_block_end(tag: TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::TableCell
    )
}

fn is_line_break(tag: &str) -> bool {
    let tag = tag.trim_start_matches('<').trim_start();
    tag.get(..2)
        .is_some_and(|name| name.eq_ignore_ascii_case("br"))
        && !tag[2..].starts_with(|ch: char| ch.is_ascii_alphanumeric())
}

/// Splits off a front matter block: a `---` (YAML) or `+++` (TOML) line at
/// the very top, up to the matching closing line (`...` also closes YAML).
/// Returns the block's lines (without fences) and the text after it; text
/// without a closed block is returned whole.
fn split_front_matter(text: &str) -> (Option<&str>, &str) {
    let Some(first_end) = text.find('\n') else {
        return (None, text);
    };
    let fence = text[..first_end].trim_end();
    if fence != "---" && fence != "+++" {
        return (None, text);
    }
    let start = first_end + 1;
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let line = line.trim_end();
        if line == fence || (fence == "---" && line == "...") {
            return (Some(&text[start..line_start]), &text[offset..]);
        }
    }
    (None, text)
}

/// The `title` of YAML (`title: X`) or TOML (`title = "X"`) front matter,
/// read from a top-level line; quotes removed.
fn front_matter_title(front_matter: &str) -> Option<String> {
    front_matter.lines().find_map(|line| {
        let rest = line.strip_prefix("title")?.trim_start();
        let value = rest.strip_prefix([':', '='])?.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value)
            .trim();
        (!value.is_empty()).then(|| value.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(text: &str) -> Vec<String> {
        blocks(text).blocks.into_iter().map(|b| b.text).collect()
    }

    #[test]
    fn table() {
        let cases: &[(&str, &[&str])] = &[
            (
                "---\ntitle: x\n---\n# Head *one*\n\nSome **bold** and `code`,\na [link](http://x) and ![alt text](a.png).\n",
                &["Head one", "Some bold and code, a link and alt text."],
            ),
            ("+++\na = 1\n+++\ntext", &["text"]),
            ("---\nnot closed\n", &["not closed"]),
            ("text\n\n---\n\nmore", &["text", "more"]),
            (
                "- one\n- two\n  - nested\n\n1. three\n\n   still three\n",
                &["one", "two", "nested", "three", "still three"],
            ),
            ("> quoted\n> lines\n\nafter", &["quoted lines", "after"]),
            (
                "```rust\nfn main() {\n\n    x();\n}\n```\n",
                &["fn main() {\n    x();\n}"],
            ),
            (
                "| a | b |\n|---|---|\n| 1 | 2 |\n| | 4 |\n",
                &["a | b", "1 | 2", "4"],
            ),
            (
                "<div class=\"x\">\n<p>Inside <b>html</b></p><script>bad()</script>\n</div>\n\nAfter",
                &["Inside html", "After"],
            ),
            ("line<br>break and <span>span</span>", &["line break and span"]),
            ("Setext\n======\n\nbody", &["Setext", "body"]),
            ("text[^1]\n\n[^1]: the note", &["text", "the note"]),
            ("- [x] done", &["done"]),
        ];
        for (input, expected) in cases {
            assert_eq!(paragraphs(input), *expected, "input: {input:?}");
        }
    }

    #[test]
    fn front_matter_titles() {
        let cases = [
            (
                "---\ntitle: \"Quoted: yes\"\ntags: [a]\n---\ntext",
                Some("Quoted: yes"),
                "text",
            ),
            ("+++\ntitle = 'Toml'\n+++\ntext", Some("Toml"), "text"),
            (
                "---\nsubtitle: no\n  title: nested\n...\ntext",
                None,
                "text",
            ),
            ("---\ntitle: unclosed\ntext", None, "title: unclosed text"),
        ];
        for (input, title, last) in cases {
            assert_eq!(blocks(input).page_title.as_deref(), title, "{input:?}");
            assert_eq!(paragraphs(input).last().map(String::as_str), Some(last));
        }
    }

    #[test]
    fn headings_keep_their_level() {
        let levels: Vec<_> = blocks("## two\n\n# one\n\ntext")
            .blocks
            .into_iter()
            .map(|b| b.heading)
            .collect();
        assert_eq!(levels, [Some(2), Some(1), None]);
    }
}
