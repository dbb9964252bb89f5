//! Whole-file cases: bytes in, document or skip out.

use super::*;
use precis_core::{CharIndex, Span};
use proptest::prelude::*;

fn run(path: &str, bytes: &[u8]) -> Result<Ingested, Skip> {
    ingest(path, bytes, &IngestConfig::default())
}

fn paragraphs(document: &Document) -> Vec<&str> {
    let index = CharIndex::new(&document.text);
    document
        .paragraphs
        .iter()
        .map(|&span| &document.text[index.byte_range(span)])
        .collect()
}

/// The invariants every document keeps, whatever the input.
fn check_invariants(document: &Document) -> Result<(), TestCaseError> {
    check_document(document).map_err(TestCaseError::fail)
}

#[test]
fn formats() {
    let cases: &[(&str, &[u8], &str, &[&str])] = &[
        (
            "essays/plain.txt",
            b"On Tea\r\n\r\nTea is a drink, hard\r\nwrapped.\r\n",
            "On Tea",
            &["On Tea", "Tea is a drink, hard wrapped."],
        ),
        (
            "essays/no_title-here.txt",
            b"This first line is a sentence.\n\nSecond.",
            "no title here",
            &["This first line is a sentence.", "Second."],
        ),
        (
            "essays/bom.txt",
            b"\xef\xbb\xbfWith a BOM\n\ntext",
            "With a BOM",
            &["With a BOM", "text"],
        ),
        (
            "essays/nfd.txt",
            b"cafe\xcc\x81 au lait",
            "café au lait",
            &["café au lait"],
        ),
        (
            "essays/m.markdown",
            b"Intro text first.\n\n## Section\n\n# Real Title\n\nBody",
            "Real Title",
            &["Intro text first.", "Section", "Real Title", "Body"],
        ),
        (
            "essays/m2.md",
            b"## Opening Section\n\nBody.",
            "Opening Section",
            &["Opening Section", "Body."],
        ),
        (
            "essays/page.HTM",
            b"<html><head><title>Page Title</title></head><body><p>Just text.</p></body></html>",
            "Page Title",
            &["Just text."],
        ),
        (
            "essays/page.html",
            b"<title>Page</title><h1>Heading <em>Title</em></h1><p>Text.</p>",
            "Heading Title",
            &["Heading Title", "Text."],
        ),
    ];
    for (path, bytes, title, expected) in cases {
        let ingested = run(path, bytes).unwrap_or_else(|skip| panic!("{path}: {skip}"));
        let document = &ingested.document;
        assert_eq!(document.title, *title, "{path}");
        assert_eq!(paragraphs(document), *expected, "{path}");
        assert_eq!(document.source, *path);
        assert_eq!(document.hash, content_hash(bytes));
        assert_eq!(document.doc_id, doc_id(path));
        assert!(ingested.notices.is_empty(), "{path}");
        check_invariants(document).unwrap();
    }
}

#[test]
fn bad_input() {
    let nested = format!("{}deep{}", "<div>".repeat(10_000), "</div>".repeat(10_000));
    let cases: &[(&str, &[u8], Skip)] = &[
        (
            "x.txt",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            Skip::Binary { kind: "PNG image" },
        ),
        (
            "x.txt",
            b"\x7fELF\x02\x01\x01\0",
            Skip::Binary {
                kind: "ELF executable",
            },
        ),
        (
            "x.md",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3",
            Skip::Binary {
                kind: "PDF document",
            },
        ),
        (
            "x.txt",
            b"PK\x03\x04\x14\0",
            Skip::Binary {
                kind: "ZIP archive or office document",
            },
        ),
        ("x.txt", b"GIF89a\x01\0", Skip::Binary { kind: "GIF image" }),
        (
            "x.txt",
            b"\xff\xd8\xff\xe0\0\x10JFIF",
            Skip::Binary { kind: "JPEG image" },
        ),
        ("x.txt", b"text\0more", Skip::Binary { kind: "NUL bytes" }),
        (
            "x.txt",
            b"a\x01\x02\x03\x04\x05b\x06\x07\x08",
            Skip::Binary {
                kind: "mostly control characters",
            },
        ),
        (
            "x.txt",
            b"ok \xc3\xa9 then \xc3\x28",
            Skip::NotUtf8 { offset: 11 },
        ),
        ("x.txt", b"caf\xe9 \x81", Skip::NotUtf8 { offset: 3 }),
        (
            "x.txt",
            b"\xff\xfeA\0\0\xd8",
            Skip::InvalidUtf16 {
                encoding: "UTF-16LE",
            },
        ),
        ("x.txt", b"", Skip::Empty),
        ("x.md", b" \n\t\r\n  ", Skip::Empty),
        ("x.txt", b"\xef\xbb\xbf\n", Skip::Empty),
        ("x.md", b"---\ntitle: only\n---\n", Skip::NoText),
        ("x.md", b"<!-- nothing -->\n", Skip::NoText),
        (
            "x.html",
            b"<script>var a = 1;</script><style>p{}</style>",
            Skip::NoText,
        ),
        (
            "x.pdf",
            b"anything",
            Skip::Damaged {
                format: "PDF",
                problem: "no PDF header (not a PDF, or another file renamed)".to_owned(),
            },
        ),
        ("x.png", b"anything", Skip::UnsupportedFormat),
        ("README", b"anything", Skip::UnsupportedFormat),
    ];
    for (path, bytes, skip) in cases {
        assert_eq!(run(path, bytes).unwrap_err(), *skip, "{path}: {bytes:?}");
    }
    // And the deep nesting parses without overflowing the stack.
    let document = run("deep.html", nested.as_bytes()).unwrap().document;
    assert_eq!(document.text, "deep");
}

#[test]
fn too_large() {
    let config = IngestConfig { max_file_bytes: 4 };
    assert_eq!(
        ingest("x.txt", b"hello", &config).unwrap_err(),
        Skip::TooLarge { bytes: 5, limit: 4 }
    );
    assert!(ingest("x.txt", b"hell", &config).is_ok());
    let skip = check_size(25 * 1024 * 1024, &IngestConfig::default()).unwrap_err();
    assert_eq!(skip.to_string(), "too large (25.0 MiB > limit 20.0 MiB)");
}

#[test]
fn decodings_are_noticed() {
    let cases: &[(&[u8], &str, Notice)] = &[
        (
            b"caf\xe9",
            "café",
            Notice::Decoded {
                encoding: "windows-1252",
                guessed: true,
            },
        ),
        (
            b"caf\xe9 cr\xe8me",
            "café crème",
            Notice::Decoded {
                encoding: "windows-1252",
                guessed: true,
            },
        ),
        (
            b"\xff\xfeh\0\xe9\0\n\0",
            "hé",
            Notice::Decoded {
                encoding: "UTF-16LE",
                guessed: false,
            },
        ),
        (
            b"\xfe\xff\0h\0\xe9",
            "hé",
            Notice::Decoded {
                encoding: "UTF-16BE",
                guessed: false,
            },
        ),
    ];
    for (bytes, text, notice) in cases {
        let ingested = run("x.txt", bytes).unwrap();
        assert_eq!(ingested.document.text, *text);
        assert_eq!(ingested.notices, std::slice::from_ref(notice));
    }
    assert_eq!(
        cases[1].2.to_string(),
        "not UTF-8; read as windows-1252 (a guess: check the text)"
    );
}

#[test]
fn skip_messages_read_as_one_line() {
    let skips = [
        Skip::Binary { kind: "PNG image" },
        Skip::NotUtf8 { offset: 3 },
        Skip::InvalidUtf16 {
            encoding: "UTF-16LE",
        },
        Skip::Empty,
        Skip::TooLarge {
            bytes: 2048,
            limit: 10,
        },
        Skip::UnsupportedFormat,
        Skip::NoText,
        Skip::Encrypted { format: "PDF" },
        Skip::Damaged {
            format: "Word document",
            problem: "broken cross-reference table".to_owned(),
        },
        Skip::Inflates {
            format: "EPUB",
            limit: 200 * 1024 * 1024,
        },
        Skip::NoTextLayer,
    ];
    assert_eq!(
        Skip::UnsupportedFormat.to_string(),
        "unsupported file type (ingest reads .txt, .text, .md, .markdown, .html, .htm, .docx, .odt, \
         .epub, .pdf)"
    );
    for skip in skips {
        let message = skip.to_string();
        assert!(!message.contains('\n') && message.len() < 120, "{message}");
    }
    assert_eq!(
        Skip::TooLarge {
            bytes: 2048,
            limit: 10
        }
        .to_string(),
        "too large (2.0 KiB > limit 10 B)"
    );
}

#[test]
fn big_markdown_and_html() {
    let code = format!("```\n{}```\n", "let x = 1;\n".repeat(50_000));
    let document = run("code.md", code.as_bytes()).unwrap().document;
    assert_eq!(document.paragraphs.len(), 1);
    assert_eq!(document.text.lines().count(), 50_000);

    let table = format!(
        "| a | b |\n|---|---|\n{}",
        "| cell | other |\n".repeat(20_000)
    );
    let document = run("table.md", table.as_bytes()).unwrap().document;
    assert_eq!(document.paragraphs.len(), 20_001);
    assert_eq!(paragraphs(&document)[1], "cell | other");

    for deep in [
        format!("{}x", "<b>".repeat(10_000)),
        format!("{}x", "<table><tr><td>".repeat(2_000)),
        format!("{}x", "> ".repeat(10_000)),
        format!("{}x", "- ".repeat(10_000)),
        format!("{}x{}", "[".repeat(10_000), "]".repeat(10_000)),
    ] {
        for path in ["deep.html", "deep.md", "deep.txt"] {
            let document = run(path, deep.as_bytes()).unwrap().document;
            check_invariants(&document).unwrap();
        }
    }
}

#[test]
fn documents_serialise_with_code_point_spans() {
    let document = run("a.txt", "Ünïcode\n\nnext".as_bytes()).unwrap().document;
    assert_eq!(document.paragraphs, [Span(0, 7), Span(9, 13)]);
}

/// The headings of a fixture (tests/fixtures) as its reader marks them.
fn headings(name: &str) -> Vec<(String, u8)> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap();
    let limit = IngestConfig::default().max_file_bytes * INFLATE_FACTOR;
    let extracted = match Format::from_path(name) {
        Some(Format::Docx) => docx::extract(&bytes, limit).unwrap(),
        Some(Format::Odt) => odt::extract(&bytes, limit).unwrap(),
        Some(Format::Epub) => epub::extract(&bytes, limit).unwrap(),
        Some(Format::Pdf) => pdf::extract(&bytes).unwrap().0,
        other => panic!("{name}: {other:?}"),
    };
    extracted
        .blocks
        .into_iter()
        .filter_map(|block| Some((block.text, block.heading?)))
        .collect()
}

#[test]
fn headings_keep_their_level_in_every_format() {
    let owned = |pairs: &[(&str, u8)]| -> Vec<(String, u8)> {
        pairs
            .iter()
            .map(|&(text, level)| (text.to_owned(), level))
            .collect()
    };
    let repair = owned(&[
        ("The Repair Cafe", 1),
        ("How it works", 2),
        ("What gets fixed", 2),
        ("Why people come", 2),
    ]);
    assert_eq!(headings("the-repair-cafe.docx"), repair);
    assert_eq!(headings("the-repair-cafe.odt"), repair);
    let seasons = [("Winter", 1), ("Spring", 1), ("Summer", 1), ("Autumn", 1)];
    let mut book = owned(&[("A Year of Walking", 1)]);
    book.extend(owned(&seasons));
    assert_eq!(headings("a-year-of-walking.epub"), book);
    let mut two_column = owned(&[("A Year of Walking", 1)]);
    two_column.extend(owned(&seasons.map(|(text, _)| (text, 2))));
    assert_eq!(headings("a-year-of-walking-two-column.pdf"), two_column);
    assert_eq!(
        headings("keeping-bees-furniture.pdf"),
        owned(&[("Keeping Bees", 1)])
    );
}

#[test]
fn documents_carry_their_headings_and_plain_titles_hold() {
    let heading = |level, paragraph| precis_core::Heading { level, paragraph };
    let markdown = run("a.md", b"# Title\n\nIntro.\n\n## Part\n\nText.")
        .unwrap()
        .document;
    assert_eq!(markdown.headings, [heading(1, 0), heading(2, 2)]);
    let html = run("a.html", b"<h1>T</h1><p>x</p><h3>Deep</h3><p>y</p>")
        .unwrap()
        .document;
    assert_eq!(html.headings, [heading(1, 0), heading(3, 2)]);
    // Plain text: the first line is still the title, and headings after
    // prose do not take the file name's place.
    let titled = run("essays/a.txt", b"On Tea\n\nIntro.\n\nGreen tea\n\nText.")
        .unwrap()
        .document;
    assert_eq!(titled.title, "On Tea");
    assert_eq!(titled.headings, [heading(2, 2)]);
    let untitled = run("essays/on_tea.txt", b"Intro.\n\nGreen tea\n\nText.")
        .unwrap()
        .document;
    assert_eq!(untitled.title, "on tea");
    assert_eq!(untitled.headings, [heading(2, 1)]);
    let none = run("a.md", b"Just text.\n\nMore.").unwrap().document;
    assert!(none.headings.is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_text_gives_a_well_formed_document_or_a_skip(
        text in "(\\PC|[\n\r\t \u{0}\u{301}<>#*|`\\-]){0,200}",
        path in prop::sample::select(vec!["a.txt", "a.md", "a.html"]),
    ) {
        if let Ok(ingested) = run(path, text.as_bytes()) {
            check_invariants(&ingested.document)?;
        }
    }

    #[test]
    fn markup_heavy_text_gives_a_well_formed_document_or_a_skip(
        parts in prop::collection::vec(prop::sample::select(vec![
            "<p>", "</p>", "<div>", "<br>", "<pre>", "</pre>", "<td>", "<tr>", "<h1>", "</h1>",
            "<script>", "&amp;", "# ", "- ", "1. ", "> ", "```", "\n", "\n\n", "| a |", "|---|",
            "word", " ", "-", "exam-\nple", "é", "e\u{301}", "---\n", "\t", "\r\n", "* * *",
        ]), 0..60),
        path in prop::sample::select(vec!["a.txt", "a.md", "a.html"]),
    ) {
        let text = parts.concat();
        if let Ok(ingested) = run(path, text.as_bytes()) {
            check_invariants(&ingested.document)?;
        }
    }

    #[test]
    fn any_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        for path in ["a.txt", "a.md", "a.html", "a.docx", "a.odt", "a.epub", "a.pdf"] {
            if let Ok(ingested) = run(path, &bytes) {
                check_invariants(&ingested.document)?;
            }
        }
    }
}
