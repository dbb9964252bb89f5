//! HTML through `scraper` (html5ever): the visible text of the main content,
//! one paragraph per block element.

use crate::blocks::{BlockWriter, Extracted};
use ego_tree::iter::Edge;
use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node, Selector};

/// Splits an HTML page into paragraphs.
///
/// Reads `<main>` when there is one, else the `<article>` with the most
/// text, else `<body>` (falling back to `<body>` when the choice holds no
/// text). Skips invisible and non-prose elements (scripts, styles,
/// navigation, forms, frames, SVG, `hidden`, `aria-hidden="true"`,
/// `display: none`); page `<header>`s are skipped but an article's own kept.
/// Block elements break paragraphs; two `<br>` in a row do too, one is a
/// space; table cells are joined by `" | "`; `<pre>` keeps its lines.
///
/// The tree is walked with an explicit traversal, never recursion, so deeply
/// nested markup cannot overflow the stack.
pub(crate) fn blocks(text: &str) -> Extracted {
    let page = Html::parse_document(text);
    let page_title = first(&page, "title").map(|title| title.text().collect::<String>());
    let body = first(&page, "body");
    let content = first(&page, "main").or_else(|| {
        let articles = Selector::parse("article").expect("a valid selector");
        page.select(&articles)
            .max_by_key(|article| article.text().map(str::len).sum::<usize>())
    });
    let mut blocks = Vec::new();
    for root in [content, body].into_iter().flatten() {
        let mut writer = BlockWriter::default();
        write_tree(*root, &mut writer);
        blocks = writer.into_blocks();
        if !blocks.is_empty() {
            break;
        }
    }
    Extracted {
        blocks,
        page_title,
        ..Extracted::default()
    }
}

/// Writes the visible text of an HTML fragment (a Markdown HTML block).
pub(crate) fn write_fragment(html: &str, writer: &mut BlockWriter) {
    let fragment = Html::parse_fragment(html);
    write_tree(fragment.tree.root(), writer);
}

fn first<'a>(page: &'a Html, selector: &str) -> Option<ElementRef<'a>> {
    let selector = Selector::parse(selector).expect("a valid selector");
    page.select(&selector).next()
}

/// Elements whose content is never prose a reader sees.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "footer", "aside", "form", "iframe", "svg",
    "math", "button", "select", "textarea", "input", "object", "embed", "canvas", "video", "audio",
    "map", "head", "title", "dialog", "frameset", "frame",
];

/// Elements that start and end a paragraph.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "ol",
    "p",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
];

fn write_tree(root: NodeRef<'_, Node>, writer: &mut BlockWriter) {
    // The element whose subtree is being skipped, if any.
    let mut skipping = None;
    // Depth of <main>/<article> elements: inside them a <header> is content.
    let mut in_content = 0usize;
    // Depth of <pre> elements, and the text gathered in the outermost.
    let mut in_pre = 0usize;
    let mut pre_text = String::new();
    // <br> elements since the last text or block boundary.
    let mut line_breaks = 0usize;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) if skipping.is_none() => match node.value() {
                Node::Text(text) if in_pre > 0 => pre_text.push_str(text),
                Node::Text(text) => {
                    writer.text(text);
                    if !text.trim().is_empty() {
                        line_breaks = 0;
                    }
                }
                Node::Element(element) => {
                    let name = element.name();
                    if is_skipped(element, in_content > 0) {
                        skipping = Some(node.id());
                        continue;
                    }
                    if name == "main" || name == "article" {
                        in_content += 1;
                    }
                    if in_pre > 0 {
                        match name {
                            "pre" => in_pre += 1,
                            "br" => pre_text.push('\n'),
                            _ => {}
                        }
                        continue;
                    }
                    match name {
                        "br" => {
                            line_breaks += 1;
                            if line_breaks >= 2 {
                                writer.finish();
                            } else {
                                writer.space();
                            }
                        }
                        "pre" => {
                            writer.finish();
                            in_pre = 1;
                            pre_text.clear();
                        }
                        "td" | "th" => writer.separator(" | "),
                        _ => {
                            if let Some(level) = heading_level(name) {
                                writer.start_heading(level);
                                line_breaks = 0;
                            } else if BLOCKS.contains(&name) {
                                writer.finish();
                                line_breaks = 0;
                            }
                        }
                    }
                }
                _ => {}
            },
            Edge::Open(_) => {}
            Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                    continue;
                }
                let Some(element) = node.value().as_element().filter(|_| skipping.is_none()) else {
                    continue;
                };
                let name = element.name();
                if name == "main" || name == "article" {
                    in_content = in_content.saturating_sub(1);
                }
                if in_pre > 0 {
                    if name == "pre" {
                        in_pre -= 1;
                        if in_pre == 0 {
                            writer.preformatted(&pre_text);
                        }
                    }
                    continue;
                }
                if heading_level(name).is_some() || BLOCKS.contains(&name) {
                    writer.finish();
                    line_breaks = 0;
                }
            }
        }
    }
    if in_pre > 0 {
        writer.preformatted(&pre_text);
    }
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// Whether an element and everything in it stays out of the text.
fn is_skipped(element: &scraper::node::Element, in_content: bool) -> bool {
    let name = element.name();
    if DROPPED.contains(&name) || (name == "header" && !in_content) {
        return true;
    }
    if element.attr("hidden").is_some()
        || element
            .attr("aria-hidden")
            .is_some_and(|value| value.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    element.attr("style").is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|ch| !ch.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        style.contains("display:none") || style.contains("visibility:hidden")
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
                "<html><head><title>T</title><style>p{}</style></head><body>\
                 <header><h1>Site</h1><nav>Home</nav></header>\
                 <p>One <b>bold</b>\n  word &amp; <a href=x>link</a>.</p><div>Two</div>\
                 <script>x()</script><footer>(c)</footer></body></html>",
                &["One bold word & link.", "Two"],
            ),
            (
                "<body><aside>ad</aside><main><header><h1>Title</h1></header><p>Body</p></main>\
                 <p>outside</p></body>",
                &["Title", "Body"],
            ),
            (
                "<article><p>short</p></article><article><p>the longer one</p></article>",
                &["the longer one"],
            ),
            ("<main><script>x</script></main><p>fallback</p>", &["fallback"]),
            (
                "<p hidden>h</p><p aria-hidden=\"true\">a</p><p style=\"DISPLAY: none\">s</p><p>ok</p>",
                &["ok"],
            ),
            ("line<br>one<br><br>two<br/> <br>three", &["line one", "two", "three"]),
            (
                "<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td></td><td>3</td></tr></table>",
                &["a | b", "1 | 3"],
            ),
            ("<ul><li>one<li>two</ul>", &["one", "two"]),
            ("<pre>a<br>b</pre>", &["a\nb"]),
            (
                "<pre>  fn x() {\n\n    y();\n  }\n</pre>after",
                &["fn x() {\n  y();\n}", "after"],
            ),
            ("<div><p>unclosed <b>bold", &["unclosed bold"]),
            ("<p>caf&eacute; &#x263A;</p>", &["café ☺"]),
        ];
        for (input, expected) in cases {
            assert_eq!(paragraphs(input), *expected, "input: {input:?}");
        }
    }

    #[test]
    fn headings_and_page_title() {
        let extracted = blocks("<title> Page \n title</title><h2>Sub</h2><p>x</p>");
        assert_eq!(extracted.page_title.as_deref(), Some(" Page \n title"));
        assert_eq!(extracted.blocks[0].heading, Some(2));
    }
}
