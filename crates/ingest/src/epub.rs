//! EPUB e-books: the package document's spine, each part through the HTML
//! reader, the title from the package metadata.

use crate::blocks::Extracted;
use crate::package::{resolve, Package};
use crate::xml::{attribute, Item, Part};
use crate::{decode, html, Skip};
use std::collections::HashMap;

const FORMAT: &str = "EPUB";

/// Reads an `.epub` (2 or 3).
///
/// The package document named by `META-INF/container.xml` lists the parts
/// in reading order (its spine); each HTML part there is read as an `.html`
/// file is (so an EPUB 3 footnote in an `<aside>` is dropped, as in HTML),
/// except parts marked `linear="no"` and the navigation document, which
/// repeats the headings. The title is the package's `dc:title` (unless a
/// placeholder such as "Unknown Title"). A book
/// whose spine parts are listed in `META-INF/encryption.xml` is DRM-locked.
pub(crate) fn extract(bytes: &[u8], limit: u64) -> Result<Extracted, Skip> {
    let mut package = Package::open(bytes, FORMAT, limit)?;
    let container = package.read_required("META-INF/container.xml")?;
    let mut opf_name = None;
    Part::new(&container, FORMAT, "META-INF/container.xml").walk(|item| {
        if let Item::Start(start) = item {
            if start.local_name().as_ref() == b"rootfile" && opf_name.is_none() {
                opf_name = attribute(&start, "full-path").map(|path| resolve("", &path));
            }
        }
    })?;
    let opf_name = opf_name.ok_or_else(|| Skip::Damaged {
        format: FORMAT,
        problem: "META-INF/container.xml names no package document".to_owned(),
    })?;
    let opf = package.read_required(&opf_name)?;
    let book = Book::parse(&opf, &opf_name)?;
    let locked = match package.read("META-INF/encryption.xml")? {
        Some(xml) => encrypted_parts(&xml)?,
        None => Vec::new(),
    };
    let mut blocks = Vec::new();
    for name in &book.spine {
        if locked.contains(name) {
            return Err(Skip::Encrypted {
                format: "EPUB (DRM)",
            });
        }
        let Some(bytes) = package.read(name)? else {
            continue;
        };
        let text = match decode::decode(&bytes) {
            Ok(decoded) => decoded.text,
            Err(Skip::Empty) => continue,
            Err(skip) => {
                return Err(Skip::Damaged {
                    format: FORMAT,
                    problem: format!("{name}: {skip}"),
                })
            }
        };
        blocks.extend(html::blocks(&text).blocks);
    }
    Ok(Extracted {
        blocks,
        book_title: book.title,
        ..Extracted::default()
    })
}

/// What the package document says: the title and the spine's part names.
#[derive(Debug, Default)]
struct Book {
    title: Option<String>,
    spine: Vec<String>,
}

impl Book {
    fn parse(xml: &[u8], name: &str) -> Result<Self, Skip> {
        // id → (part name, whether it is an HTML part other than the nav).
        let mut manifest: HashMap<String, (String, bool)> = HashMap::new();
        let mut spine_ids = Vec::new();
        let mut title: Option<String> = None;
        let mut in_title = false;
        Part::new(xml, FORMAT, name).walk(|item| match item {
            Item::Start(start) => match start.local_name().as_ref() {
                b"title" if title.is_none() && start.name().as_ref().starts_with(b"dc:") => {
                    in_title = true;
                    title = Some(String::new());
                }
                b"item" => {
                    let media = attribute(&start, "media-type").unwrap_or_default();
                    let nav = attribute(&start, "properties")
                        .is_some_and(|p| p.split_whitespace().any(|p| p == "nav"));
                    let readable =
                        !nav && matches!(media.as_str(), "application/xhtml+xml" | "text/html");
                    if let (Some(id), Some(href)) =
                        (attribute(&start, "id"), attribute(&start, "href"))
                    {
                        manifest.insert(id, (resolve(name, &href), readable));
                    }
                }
                b"itemref" if attribute(&start, "linear").as_deref() != Some("no") => {
                    spine_ids.extend(attribute(&start, "idref"));
                }
                _ => {}
            },
            Item::End(_) => in_title = false,
            Item::Text(text) => {
                if in_title {
                    if let Some(title) = title.as_mut() {
                        title.push_str(&text);
                    }
                }
            }
        })?;
        let spine = spine_ids
            .iter()
            .filter_map(|id| manifest.get(id))
            .filter(|(_, readable)| *readable)
            .map(|(name, _)| name.clone())
            .collect();
        Ok(Self {
            title: title.filter(|title| !is_placeholder(title)),
            spine,
        })
    }
}

/// An empty title, or one that exporters write when the author gave none
/// (LibreOffice writes "Unknown Title"): the body's heading is better.
fn is_placeholder(title: &str) -> bool {
    let title = title.trim().to_lowercase();
    matches!(
        title.as_str(),
        "" | "unknown" | "unknown title" | "untitled"
    )
}

/// The part names `META-INF/encryption.xml` lists as encrypted (fonts are
/// often obfuscated this way too; only the text parts matter).
fn encrypted_parts(xml: &[u8]) -> Result<Vec<String>, Skip> {
    let mut parts = Vec::new();
    Part::new(xml, FORMAT, "META-INF/encryption.xml").walk(|item| {
        if let Item::Start(start) = item {
            if start.local_name().as_ref() == b"CipherReference" {
                parts.extend(attribute(&start, "URI").map(|uri| resolve("", &uri)));
            }
        }
    })?;
    Ok(parts)
}
