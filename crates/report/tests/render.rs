//! The page of a small synthetic run.

mod common;

use common::Sample;
use precis_report::render;

fn count(page: &str, needle: &str) -> usize {
    page.matches(needle).count()
}

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
fn escapes_markup_from_the_essays() {
    let page = render(&Sample::new().input());
    // minijinja also escapes `/`, as `&#x2f;`.
    assert!(page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt; Night Trains"));
    assert!(
        !page.contains("<script"),
        "the page carries no script at all"
    );
    assert!(page.contains("unsupported format &lt;pdf&gt;"));
}

#[test]
fn draws_one_circle_per_theme_and_one_cell_per_essay_and_theme() {
    let page = render(&Sample::new().input());
    assert_eq!(count(&page, r#"id="theme-map""#), 1);
    assert_eq!(count(&page, r#"<circle class="theme""#), 3);
    assert_eq!(count(&page, r#"id="heatmap""#), 1);
    assert_eq!(count(&page, r#"<rect class="cell""#), 3 * 3);
    assert_eq!(count(&page, r#"<rect class="sim""#), 3 * 3);
    assert_eq!(count(&page, r#"<circle class="sentence""#), 12);
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
    assert_eq!(count(&page, r#"<rect class="cell""#), 0);
}
