//! The page of a small synthetic run.

mod common;

use base64::Engine;
use common::{Sample, HOSTILE, HOSTILE_HEADING};
use precis_report::render;
use serde_json::Value;
use sha2::{Digest, Sha256};

fn count(page: &str, needle: &str) -> usize {
    page.matches(needle).count()
}

/// The text between `open` and the next `</script>`.
fn script_text<'a>(page: &'a str, open: &str) -> &'a str {
    let start = page.find(open).expect("the script element") + open.len();
    let end = start + page[start..].find("</script>").expect("its end");
    &page[start..end]
}

const DATA: &str = r#"<script type="application/json" id="precis-data">"#;

#[test]
fn names_every_theme_and_essay() {
    let page = render(&Sample::new().input());
    for label in [
        "garden · plot · sow",
        "train · bus · night",
        "river · flood · bank",
    ] {
        assert!(page.contains(label), "{label}");
    }
    assert!(page.contains("Gardens &amp; Allotments"));
    assert!(page.contains("Rivers and Floods"));
    assert!(page.contains("Night Trains"));
}

#[test]
fn says_how_the_themes_began() {
    let page = render(&Sample::new().input());
    assert!(page.contains(
        "<tr><th>Themes</th><td>themes warm-started from the last run&#x27;s (a small edit: 2 \
         sentences new)<br>drift: ARI 0.650 against"
    ));
}

#[test]
fn escapes_markup_from_the_essays() {
    let page = render(&Sample::new().input());
    // minijinja also escapes `/`, as `&#x2f;`.
    assert!(page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt; Night Trains"));
    assert_eq!(
        count(&page, "<script"),
        2,
        "the page's own two script elements, and no other"
    );
    for raw in [
        "<script>alert",
        "<img",
        "<!--",
        "href=\"javascript",
        "\u{2028}",
    ] {
        assert!(!page.contains(raw), "{raw:?} unescaped in the page");
    }
    assert!(page.contains("unsupported format &lt;pdf&gt;"));
}

#[test]
fn embeds_every_sentence_as_json_that_cannot_end_its_element() {
    let page = render(&Sample::new().input());
    let json = script_text(&page, DATA);
    for raw in ['<', '>', '&', '\u{2028}'] {
        assert!(!json.contains(raw), "{raw:?} in the embedded JSON");
    }
    let data: Value = serde_json::from_str(json).expect("the embedded data is JSON");
    let texts = data["texts"].as_array().expect("texts");
    assert_eq!(texts.len(), 3);
    assert_eq!(data["essays"][1]["doc_id"], "night-trains");
    assert_eq!(texts[1]["sentences"][2], HOSTILE);
    // Themes by position among the themes: ids 2, 2, 2, 3.
    assert_eq!(texts[1]["themes"], serde_json::json!([1, 1, 1, 2]));
    assert_eq!(texts[0]["paragraphs"], serde_json::json!([0, 2]));
    // The outline of an essay with sections, nested; none for the others.
    let outline = &data["essays"][1]["outline"];
    assert_eq!(outline[0]["heading"], HOSTILE_HEADING);
    assert_eq!(outline[0]["sentence"], HOSTILE);
    assert_eq!(outline[0]["index"], 2);
    assert_eq!(outline[0]["children"][0]["heading"], "Floods");
    assert_eq!(outline[1]["sentence"], Value::Null);
    assert_eq!(data["essays"][0].get("outline"), None);
    assert_eq!(data["themes"][2]["group"], "fixture group");
    let n = data["similarity"]["essays"]
        .as_array()
        .expect("essays")
        .len();
    assert_eq!(
        data["similarity"]["thousandths"].as_array().map(Vec::len),
        Some(n * n)
    );
}

#[test]
fn allows_its_own_script_and_no_other() {
    let page = render(&Sample::new().input());
    let script = script_text(&page, "<script>");
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script));
    assert!(
        page.contains(&format!(
            "script-src &#x27;sha256-{}&#x27;",
            hash.replace('/', "&#x2f;")
        )),
        "the CSP names the inline script's hash"
    );
    assert!(page.contains("require-trusted-types-for 'script'"));
}

#[test]
fn draws_one_circle_per_theme_and_one_cell_per_essay_and_theme() {
    let page = render(&Sample::new().input());
    assert_eq!(count(&page, r#"id="theme-map""#), 1);
    assert_eq!(count(&page, r#"<circle class="theme""#), 3);
    assert_eq!(count(&page, r#"id="heatmap""#), 1);
    assert_eq!(count(&page, r#"<rect class="cell""#), 3 * 3);
    assert_eq!(count(&page, r#"<image class="sim-image""#), 1);
    assert_eq!(count(&page, r#"<circle class="sentence""#), 12);
}

#[test]
fn draws_each_essay_as_a_strip_of_theme_runs() {
    let page = render(&Sample::new().input());
    assert_eq!(count(&page, r#"<li class="strip-row""#), 3);
    // Each essay has a run of three sentences and one of a single sentence.
    assert_eq!(count(&page, r#"width="3" height="1""#), 3);
    assert_eq!(count(&page, r#"width="1" height="1""#), 3);
    assert!(page.contains(r#"viewBox="0 0 4 1""#));
}

#[test]
fn links_each_essay_to_its_source() {
    let page = render(&Sample::new().input());
    assert!(page.contains(r#"href="..&#x2f;input&#x2f;gardens.md""#));
    assert!(page.contains(r#"href="..&#x2f;input&#x2f;notes&#x2f;night%20trains.txt""#));
    assert!(page.contains(r##"href="#essay-rivers""##));
}

#[test]
fn loads_nothing_from_outside() {
    let page = render(&Sample::new().input());
    let urls = count(&page, "http://") + count(&page, "https://") + count(&page, "//");
    let namespaces = count(&page, r#"xmlns="http://www.w3.org/2000/svg""#);
    assert_eq!(urls, 2 * namespaces, "only the SVG namespace names a URL");
    assert!(page.contains("Content-Security-Policy"));
}

#[test]
fn is_deterministic() {
    let sample = Sample::new();
    let first = render(&sample.input());
    assert_eq!(first, render(&sample.input()));
    assert_eq!(first, render(&Sample::new().input()));
}

#[test]
fn renders_an_empty_run() {
    let mut sample = Sample::new();
    sample.documents.clear();
    sample.sentences.clear();
    sample.assignments.clear();
    sample.document_themes.clear();
    sample.embeddings = ndarray::Array2::zeros((0, 4));
    sample.themes.themes.clear();
    let page = render(&sample.input());
    assert!(page.contains("No themes in this run."));
    assert!(page.contains("No essays in this run."));
    assert_eq!(count(&page, r#"<rect class="cell""#), 0);
    assert_eq!(count(&page, r#"<image class="sim-image""#), 0);
}

#[test]
fn shows_each_facet_value_with_its_distinctive_themes_and_a_sentence_of_each() {
    let mut sample = Sample::new();
    // The folder facet as by_facet computed it, with one distinctive theme
    // added to the `notes` folder, quoting the hostile sentence.
    let notes = sample
        .facets
        .iter_mut()
        .find(|v| v.value == "notes")
        .expect("the notes folder");
    notes.distinctive = vec![precis_themes::DistinctiveTheme {
        theme: 2,
        z: 3.2,
        examples: vec![precis_themes::FacetExample {
            doc_id: "night-trains".into(),
            index: 2,
            text: HOSTILE.into(),
        }],
    }];
    let page = render(&sample.input());
    assert!(page.contains(r#"<section id="facets""#));
    assert!(page.contains("<h3>By folder</h3>"));
    let table = &page[page.find(r#"<table class="facet">"#).unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    // Each value is a row group: `.` (two essays, nothing distinctive) and `notes` (one).
    assert!(
        table.contains(". <span class=\"meta\">2 essays</span></th><td colspan=\"5\" class=\"meta\">no theme stands out"),
        "{table}"
    );
    assert!(
        table.contains("notes <span class=\"meta\">1 essay</span>"),
        "{table}"
    );
    // The distinctive theme links to its page, with its z and its sentence, escaped.
    assert!(table.contains(r##"href="#theme-2""##) && table.contains("train · bus · night"));
    assert!(table.contains("<td>3.2</td>"), "{table}");
    assert!(!table.contains("<img"), "{table}");
    assert!(table.contains("&lt;img"), "{table}");
    // Without facets, no section.
    sample.facets.clear();
    assert!(!render(&sample.input()).contains(r#"<section id="facets""#));
}
