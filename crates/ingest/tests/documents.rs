//! Office documents, e-books and PDFs against the essays they were made
//! from: the fixtures in `tests/fixtures/`, made by
//! `scripts/make_ingest_fixtures` from `tests/fixtures/sources/`.
//!
//! `cargo test -p precis-ingest --test documents -- --nocapture` prints the
//! word F1 of every fixture.

use precis_core::{CharIndex, Document};
use precis_ingest::{check_document, ingest, IngestConfig, Skip};
use std::collections::HashMap;
use std::io::Write;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// The sample essays (`data/input`), two of which the fixture script makes.
const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/input");

/// A fixture by name; `sample/NAME` is a sample essay.
fn fixture(name: &str) -> Vec<u8> {
    let path = match name.strip_prefix("sample/") {
        Some(essay) => format!("{SAMPLE}/{essay}"),
        None => format!("{FIXTURES}/{name}"),
    };
    std::fs::read(path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn read(name: &str) -> Document {
    let ingested = ingest(name, &fixture(name), &IngestConfig::default())
        .unwrap_or_else(|skip| panic!("{name}: {skip}"));
    assert!(
        ingested.notices.is_empty(),
        "{name}: {:?}",
        ingested.notices
    );
    let document = ingested.document;
    check_document(&document).unwrap_or_else(|broken| panic!("{name}: {broken}"));
    assert_eq!(document.source, name);
    document
}

/// The source essay as ingest reads its Markdown.
fn source(name: &str) -> Document {
    read(&format!("sources/{name}"))
}

fn words(text: &str) -> Vec<String> {
    text.split(|ch: char| !ch.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Word-level F1 of `extracted` against `reference`, over multisets of words.
fn word_f1(extracted: &str, reference: &str) -> f64 {
    let count = |text: &str| {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for word in words(text) {
            *counts.entry(word).or_default() += 1;
        }
        counts
    };
    let (got, want) = (count(extracted), count(reference));
    let overlap: usize = got
        .iter()
        .map(|(word, n)| (*n).min(want.get(word).copied().unwrap_or(0)))
        .sum();
    let (got_total, want_total) = (
        got.values().sum::<usize>() as f64,
        want.values().sum::<usize>() as f64,
    );
    if overlap == 0 {
        return 0.0;
    }
    let precision = overlap as f64 / got_total;
    let recall = overlap as f64 / want_total;
    2.0 * precision * recall / (precision + recall)
}

/// Share of the reference's word pairs that the extracted text has too, in
/// order: low when columns or pages are read out of order.
fn bigram_recall(extracted: &str, reference: &str) -> f64 {
    let pairs = |text: &str| {
        let words = words(text);
        let mut counts: HashMap<(String, String), usize> = HashMap::new();
        for pair in words.windows(2) {
            *counts
                .entry((pair[0].clone(), pair[1].clone()))
                .or_default() += 1;
        }
        counts
    };
    let (got, want) = (pairs(extracted), pairs(reference));
    let overlap: usize = want
        .iter()
        .map(|(pair, n)| (*n).min(got.get(pair).copied().unwrap_or(0)))
        .sum();
    overlap as f64 / want.values().sum::<usize>().max(1) as f64
}

/// The paragraphs, with typographic quotes made straight: pandoc makes
/// them curly on the way to every format but Markdown.
fn paragraphs(document: &Document) -> Vec<String> {
    let index = CharIndex::new(&document.text);
    document
        .paragraphs
        .iter()
        .map(|&span| {
            document.text[index.byte_range(span)]
                .replace(['‘', '’'], "'")
                .replace(['“', '”'], "\"")
        })
        .collect()
}

/// Every fixture, its source, and the F1 it must reach.
const FIDELITY: &[(&str, &str, f64)] = &[
    ("the-repair-cafe.docx", "the-repair-cafe.md", 0.99),
    ("the-repair-cafe.odt", "the-repair-cafe.md", 0.99),
    ("a-year-of-walking.epub", "a-year-of-walking.md", 0.99),
    ("keeping-bees-furniture.pdf", "keeping-bees.md", 0.99),
    ("mending-clothes-groff.pdf", "mending-clothes.md", 0.99),
    (
        "a-year-of-walking-two-column.pdf",
        "a-year-of-walking.md",
        0.97,
    ),
    ("sample/keeping-bees.docx", "keeping-bees.md", 0.99),
    ("sample/mending-clothes.pdf", "mending-clothes.md", 0.99),
];

#[test]
fn fixtures_match_their_sources() {
    let mut failures = Vec::new();
    for &(name, source_name, needed) in FIDELITY {
        let document = read(name);
        let reference = source(source_name);
        let f1 = word_f1(&document.text, &reference.text);
        let order = bigram_recall(&document.text, &reference.text);
        println!("{name:40} word F1 {f1:.4}  bigram recall {order:.4}");
        if f1 < needed || order < 0.95 {
            failures.push(format!(
                "{name}: F1 {f1:.4} (needs {needed}), bigrams {order:.4}"
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn paragraphs_and_titles_survive() {
    // The PDFs keep the source's paragraphs whole, page breaks included.
    for (name, source_name) in [
        ("sample/mending-clothes.pdf", "mending-clothes.md"),
        ("keeping-bees-furniture.pdf", "keeping-bees.md"),
        ("mending-clothes-groff.pdf", "mending-clothes.md"),
        ("sample/keeping-bees.docx", "keeping-bees.md"),
        ("the-repair-cafe.docx", "the-repair-cafe.md"),
        ("the-repair-cafe.odt", "the-repair-cafe.md"),
        ("a-year-of-walking-two-column.pdf", "a-year-of-walking.md"),
    ] {
        let document = read(name);
        let reference = source(source_name);
        let mut expected = paragraphs(&reference);
        let mut title = reference.title.clone();
        if source_name == "a-year-of-walking.md" {
            // The title is in its front matter: pandoc prints it on the page.
            title = "A Year of Walking".to_owned();
            expected.insert(0, title.clone());
        }
        assert_eq!(paragraphs(&document), expected, "{name}");
        assert_eq!(document.title, title, "{name}");
    }
    let book = read("a-year-of-walking.epub");
    assert_eq!(book.title, "A Year of Walking");
    let chapters: Vec<String> = paragraphs(&book)
        .into_iter()
        .filter(|p| ["Winter", "Spring", "Summer", "Autumn"].contains(&p.as_str()))
        .collect();
    assert_eq!(chapters, ["Winter", "Spring", "Summer", "Autumn"]);
}

#[test]
fn office_documents_read_changes_as_accepted_and_skip_comments() {
    for name in ["the-repair-cafe.docx", "the-repair-cafe.odt"] {
        let text = read(name).text;
        assert!(text.contains("each with a hand-written sign"), "{name}");
        assert!(text.contains("Nobody is charged"), "{name}: deletion kept");
        assert!(!text.contains("ever asked"), "{name}: deletion kept");
        assert!(
            !text.contains("Secret marginal remark"),
            "{name}: comment read"
        );
        // The footnote follows the body.
        assert!(
            text.ends_with("The volunteers call this the rule of the second pair of hands."),
            "{name}"
        );
    }
}

#[test]
fn no_page_furniture_survives() {
    let furniture = [
        "a sample essay for precis",
        "Walking Notes",
        "Mending, a sample essay",
        "Page 1",
        "Page 2",
    ];
    for name in [
        "keeping-bees-furniture.pdf",
        "mending-clothes-groff.pdf",
        "a-year-of-walking-two-column.pdf",
        "sample/mending-clothes.pdf",
    ] {
        let document = read(name);
        for text in furniture {
            assert!(!document.text.contains(text), "{name}: {text:?} survived");
        }
        // No number that the essays do not have: the page numbers are gone.
        assert!(
            words(&document.text)
                .iter()
                .all(|word| !word.chars().all(|ch| ch.is_ascii_digit())),
            "{name}: a number survived"
        );
    }
}

fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

const RELS: &[u8] = br#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

fn docx(document_xml: &[u8]) -> Vec<u8> {
    zip(&[("_rels/.rels", RELS), ("word/document.xml", document_xml)])
}

fn skip(name: &str, bytes: &[u8], config: &IngestConfig) -> Skip {
    match ingest(name, bytes, config) {
        Ok(ingested) => panic!("{name}: read as {:?}", ingested.document.text),
        Err(skip) => skip,
    }
}

#[test]
fn bad_files_are_skipped_with_a_reason() {
    let config = IngestConfig::default();
    let furniture = fixture("keeping-bees-furniture.pdf");
    let repair = fixture("the-repair-cafe.docx");
    let odt = fixture("the-repair-cafe.odt");
    let epub = fixture("a-year-of-walking.epub");
    let mut broken_xref = furniture.clone();
    let at = broken_xref
        .windows(9)
        .rposition(|w| w == b"startxref")
        .unwrap();
    broken_xref.truncate(at);
    broken_xref.extend_from_slice(b"startxref\n999999\n%%EOF\n");
    let bomb = docx(
        &format!(
            "<w:document><w:body>{}</w:body></w:document>",
            "<w:p/>".repeat(400_000)
        )
        .into_bytes(),
    );
    let mut encrypted_docx = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".to_vec();
    encrypted_docx.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    let locked_odt = zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("META-INF/manifest.xml", br#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>"#),
        ("content.xml", b"\x01\x02garbage"),
    ]);
    let locked_epub = zip(&[
        ("META-INF/container.xml", br#"<container><rootfiles><rootfile full-path="c.opf"/></rootfiles></container>"#),
        ("META-INF/encryption.xml", br#"<encryption><EncryptedData><CipherData><CipherReference URI="ch1.xhtml"/></CipherData></EncryptedData></encryption>"#),
        ("c.opf", br#"<package><manifest><item id="c1" href="ch1.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c1"/></spine></package>"#),
        ("ch1.xhtml", b"\x99\x98"),
    ]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("encrypted.pdf", fixture("encrypted.pdf"), "encrypted PDF (needs a password: save an unprotected copy)"),
        ("scanned.pdf", fixture("scanned.pdf"), "PDF has no text layer (a scan? run OCR on it first)"),
        ("truncated.pdf", furniture[..furniture.len() / 2].to_vec(), "damaged PDF: "),
        ("xref.pdf", broken_xref, "damaged PDF: "),
        ("renamed.pdf", b"GIF89a not a pdf".to_vec(), "damaged PDF: no PDF header (not a PDF, or another file renamed)"),
        ("truncated.docx", repair[..repair.len() / 2].to_vec(), "damaged Word document: not a complete ZIP container (truncated, or another kind of file)"),
        ("bomb.docx", bomb, "Word document unpacks to more than 1000.0 KiB (a zip bomb?)"),
        ("malformed.docx", docx(b"<w:document><w:body><w:p><w:r><w:t>x</w:t></w:r></w:body></w:document>"), "damaged Word document: malformed XML in word/document.xml"),
        ("unclosed.docx", docx(b"<w:document><w:body><w:p><w:r><w:t>x"), "damaged Word document: malformed XML in word/document.xml (it ends inside an element: truncated?)"),
        ("empty.docx", zip(&[("_rels/.rels", RELS)]), "damaged Word document: no word/document.xml inside (truncated, or not really this format)"),
        ("locked.docx", encrypted_docx, "encrypted Word document (needs a password: save an unprotected copy)"),
        ("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old word".to_vec(), "damaged Word document: an old binary .doc, not a .docx (fix: save it as .docx)"),
        ("truncated.odt", odt[..odt.len() - 100].to_vec(), "damaged OpenDocument text: not a complete ZIP container"),
        ("locked.odt", locked_odt, "encrypted OpenDocument text (needs a password: save an unprotected copy)"),
        ("truncated.epub", epub[..epub.len() / 3].to_vec(), "damaged EPUB: not a complete ZIP container"),
        ("locked.epub", locked_epub, "encrypted EPUB (DRM) (needs a password: save an unprotected copy)"),
        ("nothing.epub", zip(&[("mimetype", b"application/epub+zip")]), "damaged EPUB: no META-INF/container.xml inside"),
    ];
    let small = IngestConfig {
        max_file_bytes: 100 * 1024,
    };
    for (name, bytes, reason) in cases {
        let config = if name == "bomb.docx" { &small } else { &config };
        let message = skip(name, &bytes, config).to_string();
        println!("{name}: {message}");
        assert!(message.starts_with(reason), "{name}: {message:?}");
        assert!(
            !message.contains('\n') && message.len() < 120,
            "{name}: {message:?}"
        );
    }
}

#[test]
fn damaged_bytes_never_panic() {
    // Every fixture cut short and flipped at many places: a skip or a
    // well-formed document, never a panic.
    for name in [
        "the-repair-cafe.docx",
        "the-repair-cafe.odt",
        "a-year-of-walking.epub",
        "keeping-bees-furniture.pdf",
        "mending-clothes-groff.pdf",
    ] {
        let bytes = fixture(name);
        for step in 1..40 {
            let at = bytes.len() * step / 40;
            let mut flipped = bytes.clone();
            flipped[at] ^= 0x5a;
            for candidate in [&bytes[..at], &flipped[..]] {
                if let Ok(ingested) = ingest(name, candidate, &IngestConfig::default()) {
                    check_document(&ingested.document).unwrap();
                }
            }
        }
    }
}

/// A PDF of one page per content stream, in Helvetica; `None` for a page
/// without a media box, on which pdf-extract panics.
fn pdf(pages: &[Option<&str>]) -> Vec<u8> {
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        String::new(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut kids = Vec::new();
    for content in pages {
        let page = objects.len() + 1;
        kids.push(format!("{page} 0 R"));
        let (media_box, contents) = match content {
            Some(_) => ("/MediaBox [0 0 595 842]", page + 1),
            None => ("", 999),
        };
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R {media_box} /Contents {contents} 0 R \
             /Resources << /Font << /F1 3 0 R >> >> >>"
        ));
        if let Some(content) = content {
            objects.push(format!(
                "<< /Length {} >>\nstream\n{content}\nendstream",
                content.len() + 1
            ));
        }
    }
    objects[1] = format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        pages.len()
    );
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (number, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{body}\nendobj\n", number + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for offset in offsets {
        out.extend(format!("{offset:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}

#[test]
fn an_unreadable_pdf_page_is_left_out_with_a_notice() {
    // Different text on each page: a line repeated at the top of every page
    // is a running header.
    let first = "BT /F1 12 Tf 72 700 Td (The first page reads) Tj ET";
    let third = "BT /F1 12 Tf 72 700 Td (well, and so does the third.) Tj ET";
    let bytes = pdf(&[Some(first), None, Some(third)]);
    let ingested = ingest("pages.pdf", &bytes, &IngestConfig::default()).unwrap();
    assert_eq!(
        ingested.document.text,
        "The first page reads well, and so does the third."
    );
    let notices: Vec<String> = ingested.notices.iter().map(|n| n.to_string()).collect();
    assert_eq!(
        notices,
        ["1 of 3 pages could not be read and were left out"]
    );
    let skip = ingest("none.pdf", &pdf(&[None]), &IngestConfig::default()).unwrap_err();
    assert_eq!(
        skip.to_string(),
        "damaged PDF: none of its pages could be read"
    );
}
