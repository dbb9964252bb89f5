//! Markdown through `pulldown-cmark`: every block is a paragraph, inline
//! markup is reduced to its text.

use crate::blocks::{BlockWriter, Extracted};
use crate::{html, Notice};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::collections::BTreeMap;
use yaml_rust2::{Yaml, YamlLoader};

/// Splits Markdown into paragraphs.
///
/// Headings, paragraphs, list items, block quotes, code blocks and footnote
/// definitions each become paragraphs (code keeps its lines); table rows
/// become one paragraph each with cells joined by `" | "`; emphasis, links
/// and inline code keep their text, images their alt text; HTML blocks keep
/// their visible text; inline HTML tags are dropped; front matter (`---`
/// YAML or `+++` TOML at the very top) is not text: its `title` is the page
/// title and its other single-valued fields the document's `metadata`.
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
    let mut extracted = Extracted {
        blocks: writer.into_blocks(),
        ..Extracted::default()
    };
    if let Some((block, fence)) = front_matter {
        match read_front_matter(block, fence) {
            Ok(front) => {
                extracted.page_title = front.title;
                extracted.metadata = front.fields;
            }
            Err(reason) => extracted.notices.push(Notice::FrontMatterUnread { reason }),
        }
    }
    extracted
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

/// The two front matter languages, by their fence.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fence {
    Yaml,
    Toml,
}

/// Splits off a front matter block: a `---` (YAML) or `+++` (TOML) line at
/// the very top, up to the matching closing line (`...` also closes YAML).
/// Returns the block's lines (without fences) and its language, and the
/// text after it; text without a closed block is returned whole.
fn split_front_matter(text: &str) -> (Option<(&str, Fence)>, &str) {
    let Some(first_end) = text.find('\n') else {
        return (None, text);
    };
    let fence = match text[..first_end].trim_end() {
        "---" => Fence::Yaml,
        "+++" => Fence::Toml,
        _ => return (None, text),
    };
    let closing = text[..first_end].trim_end();
    let start = first_end + 1;
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let line = line.trim_end();
        if line == closing || (fence == Fence::Yaml && line == "...") {
            return (Some((&text[start..line_start], fence)), &text[offset..]);
        }
    }
    (None, text)
}

/// What a front matter block says: its `title`, and its other top-level
/// fields with a single value (a string, a number, a boolean), as text.
/// Lists, tables and nested maps are not facets and are left out.
#[derive(Debug, Default, PartialEq)]
struct FrontMatter {
    title: Option<String>,
    fields: BTreeMap<String, String>,
}

/// Reads front matter as YAML (`---` fences) or TOML (`+++`).
fn read_front_matter(block: &str, fence: Fence) -> Result<FrontMatter, String> {
    let pairs: Vec<(String, String)> = match fence {
        Fence::Yaml => {
            let documents = YamlLoader::load_from_str(block).map_err(|e| e.to_string())?;
            match documents.into_iter().next() {
                Some(Yaml::Hash(map)) => map
                    .into_iter()
                    .filter_map(|(key, value)| Some((yaml_scalar(key)?, yaml_scalar(value)?)))
                    .collect(),
                None | Some(Yaml::Null) => Vec::new(),
                Some(_) => return Err("it is not a map of fields".into()),
            }
        }
        Fence::Toml => {
            let table: toml::Table = block
                .parse()
                .map_err(|e: toml::de::Error| e.message().to_owned())?;
            table
                .into_iter()
                .filter_map(|(key, value)| Some((key, toml_scalar(value)?)))
                .collect()
        }
    };
    let mut front = FrontMatter::default();
    for (key, value) in pairs {
        let (key, value) = (key.trim().to_owned(), value.trim().to_owned());
        if key.is_empty() || value.is_empty() {
            continue;
        }
        if key == "title" {
            front.title = Some(value);
        } else {
            front.fields.insert(key, value);
        }
    }
    Ok(front)
}

fn yaml_scalar(value: Yaml) -> Option<String> {
    match value {
        Yaml::String(text) | Yaml::Real(text) => Some(text),
        Yaml::Integer(number) => Some(number.to_string()),
        Yaml::Boolean(truth) => Some(truth.to_string()),
        _ => None,
    }
}

fn toml_scalar(value: toml::Value) -> Option<String> {
    match value {
        toml::Value::String(text) => Some(text),
        toml::Value::Integer(number) => Some(number.to_string()),
        toml::Value::Float(number) => Some(number.to_string()),
        toml::Value::Boolean(truth) => Some(truth.to_string()),
        toml::Value::Datetime(date) => Some(date.to_string()),
        toml::Value::Array(_) | toml::Value::Table(_) => None,
    }
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
    fn single_valued_front_matter_fields_are_the_documents_metadata() {
        let yaml = "---\ntitle: Of Truth\nauthor: Francis Bacon\nyear: 1625\ndraft: false\n\
                    tags: [a, b]\nplace:\n  city: London\n---\ntext";
        let toml = "+++\ntitle = \"Of Truth\"\nauthor = \"Francis Bacon\"\nyear = 1625\n\
                    draft = false\ntags = [\"a\"]\n[place]\ncity = \"London\"\n+++\ntext";
        for input in [yaml, toml] {
            let extracted = blocks(input);
            assert_eq!(extracted.page_title.as_deref(), Some("Of Truth"), "{input}");
            let fields: Vec<(&str, &str)> = extracted
                .metadata
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            assert_eq!(
                fields,
                [
                    ("author", "Francis Bacon"),
                    ("draft", "false"),
                    ("year", "1625")
                ],
                "{input}"
            );
            assert!(extracted.notices.is_empty());
        }
    }

    #[test]
    fn front_matter_that_does_not_parse_is_said_and_its_text_still_dropped() {
        let extracted = blocks("---\nauthor: [unclosed\n---\nThe essay.");
        assert!(extracted.metadata.is_empty());
        assert_eq!(extracted.blocks.len(), 1);
        assert_eq!(extracted.blocks[0].text, "The essay.");
        let notice = extracted.notices[0].to_string();
        assert!(
            notice.starts_with("its front matter could not be read"),
            "{notice}"
        );
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
