use super::*;
use ndarray::{array, Array2};
use precis_core::Document;
use proptest::prelude::*;

fn sentence(doc_id: &str, index: usize, text: &str) -> Sentence {
    Sentence {
        doc_id: doc_id.into(),
        index,
        start: 0,
        end: text.chars().count(),
        text: text.into(),
    }
}

fn document(doc_id: &str, title: &str) -> Document {
    Document {
        doc_id: doc_id.into(),
        source: format!("{doc_id}.md"),
        title: title.into(),
        hash: String::new(),
        text: String::new(),
        paragraphs: vec![],
        metadata: Default::default(),
        headings: vec![],
    }
}

/// Unit vectors in the plane at the given angles (degrees), padded with
/// zeros to `dims` columns.
fn at_angles(angles: &[f32], dims: usize) -> Array2<f32> {
    let mut out = Array2::zeros((angles.len(), dims));
    for (row, angle) in angles.iter().enumerate() {
        let radians = angle.to_radians();
        out[[row, 0]] = radians.cos();
        out[[row, 1]] = radians.sin();
    }
    out
}

const LONG: &str = "A sentence long enough to be chosen.";

#[test]
fn budget_uses_fixed_count_or_clamped_ratio() {
    let config = SummaryConfig::default();
    assert_eq!(budget(0, &config), 0);
    assert_eq!(budget(2, &config), 2);
    assert_eq!(budget(20, &config), 3);
    assert_eq!(budget(60, &config), 6);
    assert_eq!(budget(500, &config), 8);
    let fixed = SummaryConfig {
        sentences: Some(4),
        ..SummaryConfig::default()
    };
    assert_eq!(budget(100, &fixed), 4);
    assert_eq!(budget(3, &fixed), 3);
    let half = SummaryConfig {
        ratio: 0.5,
        max_sentences: 1000,
        ..SummaryConfig::default()
    };
    assert_eq!(budget(45, &half), 23);
}

#[test]
fn budget_survives_min_above_max() {
    let config = SummaryConfig {
        min_sentences: 10,
        max_sentences: 4,
        ..SummaryConfig::default()
    };
    assert_eq!(budget(100, &config), 4);
}

#[test]
fn duplicate_sentences_are_chosen_once() {
    // Sentences 1 and 2 are the same and the most central; the budget of 2
    // must take one of them and something else.
    let texts = [LONG, LONG, LONG, LONG, LONG];
    let embeddings = at_angles(&[-30.0, 0.0, 0.0, 25.0, 80.0], 4);
    let chosen = select_sentences(&texts, embeddings.view(), 2);
    assert_eq!(chosen.len(), 2);
    assert!(
        !(chosen.contains(&1) && chosen.contains(&2)),
        "chose both duplicates: {chosen:?}"
    );
}

#[test]
fn fragments_are_chosen_last() {
    let texts = ["Yes.", LONG, LONG];
    let embeddings = at_angles(&[10.0, 0.0, 20.0], 3);
    assert_eq!(select_sentences(&texts, embeddings.view(), 2), vec![1, 2]);
    assert_eq!(
        select_sentences(&texts, embeddings.view(), 3),
        vec![0, 1, 2]
    );
}

#[test]
fn headings_are_chosen_last_but_punctuated_sentences_are_not_headings() {
    // The heading sits on the centroid, where it would otherwise win.
    let texts = [
        "Why a country that loves fish struggles to keep its fishermen",
        LONG,
        "He asked, \"Who will crew the boats?\"",
    ];
    let embeddings = at_angles(&[10.0, 0.0, 20.0], 3);
    assert_eq!(select_sentences(&texts, embeddings.view(), 2), vec![1, 2]);
    let no_rule = SelectionParams {
        heading_words: 0,
        ..SelectionParams::default()
    };
    assert!(select_sentences_with(&texts, embeddings.view(), 1, &no_rule).contains(&0));
}

#[test]
fn a_document_longer_than_the_graph_limit_is_summarised_from_its_most_salient_part() {
    // 5,000 sentences would need a 100 MB similarity matrix; the summary
    // still comes back sorted and within budget.
    let n = 5000;
    let texts: Vec<String> = (0..n)
        .map(|i| format!("Sentence number {i} says something about the river."))
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let angles: Vec<f32> = (0..n).map(|i| (i % 90) as f32).collect();
    let embeddings = at_angles(&angles, 2);
    let chosen = select_sentences(&refs, embeddings.view(), 5);
    assert_eq!(chosen.len(), 5);
    assert!(chosen.windows(2).all(|w| w[0] < w[1]));
    assert!(chosen.iter().all(|&i| i < n));
}

#[test]
fn empty_and_zero_budget_give_nothing() {
    let none: [&str; 0] = [];
    assert!(select_sentences(&none, Array2::zeros((0, 3)).view(), 3).is_empty());
    let embeddings = at_angles(&[0.0, 10.0], 3);
    assert!(select_sentences(&[LONG, LONG], embeddings.view(), 0).is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn selection_is_sorted_unique_and_within_budget(
        angles in prop::collection::vec(-180.0f32..180.0, 0..30),
        budget in 0usize..40,
        zero_row in any::<bool>(),
    ) {
        let texts: Vec<&str> = angles.iter().map(|_| LONG).collect();
        let mut embeddings = at_angles(&angles, 5);
        if zero_row && !angles.is_empty() {
            embeddings.row_mut(0).fill(0.0);
        }
        let chosen = select_sentences(&texts, embeddings.view(), budget);
        prop_assert_eq!(chosen.len(), budget.min(angles.len()));
        prop_assert!(chosen.windows(2).all(|w| w[0] < w[1]));
        prop_assert!(chosen.iter().all(|&i| i < angles.len()));
    }
}

#[test]
fn document_summary_keeps_order_and_indices() {
    let sentences: Vec<Sentence> = (0..6)
        .map(|i| sentence("essay", 10 + i, &format!("{LONG} number {i}.")))
        .collect();
    let embeddings = at_angles(&[0.0, 50.0, 5.0, 90.0, 10.0, 120.0], 4);
    let config = SummaryConfig {
        sentences: Some(3),
        ..SummaryConfig::default()
    };
    let summary = summarize_document(&sentences, embeddings.view(), &config);
    assert_eq!(summary.doc_id, "essay");
    assert_eq!(summary.sentences.len(), 3);
    assert!(summary.sentences.windows(2).all(|w| w[0] < w[1]));
    assert!(summary.sentences.iter().all(|i| (10..16).contains(i)));
    let expected: Vec<&str> = summary
        .sentences
        .iter()
        .map(|&i| sentences[i - 10].text.as_str())
        .collect();
    assert_eq!(summary.summary, expected.join(" "));
}

#[test]
fn theme_summary_spreads_across_documents() {
    // Document "a" holds the three sentences nearest the centre; the others
    // are a little further out. Three quotes should come from three essays.
    let members = [
        sentence("a", 0, LONG),
        sentence("a", 1, LONG),
        sentence("a", 2, LONG),
        sentence("b", 0, LONG),
        sentence("c", 4, LONG),
    ];
    let refs: Vec<&Sentence> = members.iter().collect();
    let embeddings = at_angles(&[0.0, 2.0, -2.0, 15.0, -15.0], 3);
    let config = SummaryConfig {
        theme_sentences: 3,
        ..SummaryConfig::default()
    };
    let summary = summarize_theme(4, &refs, embeddings.view(), &config);
    assert_eq!(summary.theme, 4);
    let mut documents: Vec<&str> = summary
        .sentences
        .iter()
        .map(|r| r.doc_id.as_str())
        .collect();
    documents.sort_unstable();
    assert_eq!(documents, ["a", "b", "c"]);
    assert_eq!(summary.texts.len(), 3);
    assert_eq!(summary.summary, summary.texts.join(" "));
}

#[test]
fn theme_summary_of_one_document_still_fills_its_quota() {
    let members = [
        sentence("a", 0, LONG),
        sentence("a", 1, LONG),
        sentence("a", 2, LONG),
    ];
    let refs: Vec<&Sentence> = members.iter().collect();
    let config = SummaryConfig {
        theme_sentences: 2,
        ..SummaryConfig::default()
    };
    let summary = summarize_theme(0, &refs, at_angles(&[0.0, 40.0, 80.0], 3).view(), &config);
    assert_eq!(summary.sentences.len(), 2);
}

#[test]
fn inputs_change_with_members_and_nothing_else() {
    let members = vec![
        sentence("a", 0, "First sentence here."),
        sentence("a", 1, "Second sentence here."),
    ];
    let embeddings = array![[1.0f32, 0.0], [0.0, 1.0]];
    let config = SummaryConfig::default();
    let key = document_inputs(&members, embeddings.view(), &config);
    assert_eq!(key, document_inputs(&members, embeddings.view(), &config));
    assert_eq!(
        key,
        summarize_document(&members, embeddings.view(), &config).inputs
    );
    // Settings that only affect themes leave document keys alone.
    let theme_only = SummaryConfig {
        theme_sentences: 9,
        ..config.clone()
    };
    assert_eq!(
        key,
        document_inputs(&members, embeddings.view(), &theme_only)
    );

    let mut edited = members.clone();
    edited[1].text = "Second sentence, edited.".into();
    assert_ne!(key, document_inputs(&edited, embeddings.view(), &config));
    let moved = array![[1.0f32, 0.0], [0.6, 0.8]];
    assert_ne!(key, document_inputs(&members, moved.view(), &config));
    let shorter = SummaryConfig {
        sentences: Some(1),
        ..config.clone()
    };
    assert_ne!(key, document_inputs(&members, embeddings.view(), &shorter));

    let refs: Vec<&Sentence> = members.iter().collect();
    let theme_key = theme_inputs(3, &refs, embeddings.view(), &config);
    assert_eq!(
        theme_key,
        summarize_theme(3, &refs, embeddings.view(), &config).inputs
    );
    assert_ne!(
        theme_key,
        theme_inputs(4, &refs, embeddings.view(), &config)
    );
    assert_ne!(
        theme_key,
        theme_inputs(3, &refs, embeddings.view(), &theme_only)
    );
    let edited_refs: Vec<&Sentence> = edited.iter().collect();
    assert_ne!(
        theme_key,
        theme_inputs(3, &edited_refs, embeddings.view(), &config)
    );
}

#[test]
fn collection_lists_themes_by_weight_with_attributions() {
    let friendship = document("of-friendship", "Of Friendship");
    let truth = document("of-truth", "Of Truth");
    let small = ThemeSummary {
        theme: 1,
        summary: "What is truth?".into(),
        sentences: vec![SentenceRef {
            doc_id: "of-truth".into(),
            index: 0,
        }],
        texts: vec!["What is truth?".into()],
        written_by: None,
        inputs: String::new(),
    };
    let large = ThemeSummary {
        theme: 2,
        summary: "A friend is *another* self.".into(),
        sentences: vec![SentenceRef {
            doc_id: "of-friendship".into(),
            index: 5,
        }],
        texts: vec!["A friend is *another* self.".into()],
        written_by: None,
        inputs: String::new(),
    };
    let heading = |id, label: &str, weight| ThemeHeading {
        id,
        label: label.into(),
        weight,
        size: 10,
    };
    let doc_summary = DocumentSummary {
        doc_id: "of-truth".into(),
        summary: "What is truth? said jesting Pilate.".into(),
        sentences: vec![0, 1],
        written_by: None,
        outline: vec![],
        inputs: String::new(),
    };
    let page = collection_markdown(
        "Bacon",
        &[
            (heading(1, "Truth", 0.2), &small),
            (heading(2, "Friends", 0.7), &large),
        ],
        &[(&truth, &doc_summary), (&friendship, &doc_summary)],
    );
    assert!(page.starts_with("# Bacon\n"));
    let friends = page.find("### 1. Friends").expect("heaviest theme first");
    let truth_at = page.find("### 2. Truth").expect("lighter theme second");
    assert!(friends < truth_at);
    assert!(page.contains("> A friend is \\*another\\* self.\n>\n> — *Of Friendship*"));
    assert!(page.contains("> — *Of Truth*"));
    assert!(page.contains("### Of Truth\n\nWhat is truth? said jesting Pilate."));
}

#[test]
fn document_page_has_title_summary_and_themes() {
    let doc = document("of-studies", "Of Studies");
    let summary = DocumentSummary {
        doc_id: "of-studies".into(),
        summary: "- Studies serve for delight.".into(),
        sentences: vec![0],
        written_by: None,
        outline: vec![],
        inputs: String::new(),
    };
    let page = document_markdown(
        &doc,
        &summary,
        &[("Learning".into(), 0.62), ("Use".into(), 0.1)],
    );
    assert!(page.starts_with("# Of Studies\n"));
    assert!(page.contains("`of-studies.md`"));
    assert!(page.contains("\\- Studies serve for delight."));
    assert!(page.contains("- Learning: 62%\n- Use: 10%"));
}

/// A writer that fails on every summary, as a model that stopped would.
struct Failing;

impl crate::SummaryWriter for Failing {
    type Error = &'static str;

    fn document(
        &self,
        _: &[Sentence],
        _: ndarray::ArrayView2<f32>,
        _: &SummaryConfig,
    ) -> Result<DocumentSummary, &'static str> {
        Err("the model stopped")
    }

    fn theme(
        &self,
        _: u32,
        _: &[&Sentence],
        _: ndarray::ArrayView2<f32>,
        _: &SummaryConfig,
    ) -> Result<ThemeSummary, &'static str> {
        Err("the model stopped")
    }
}

#[test]
fn a_collection_reuses_every_summary_whose_inputs_are_unchanged_and_remakes_the_rest() {
    use crate::{summarize_collection, Collection, Extractive, PreviousSummaries};
    let texts = [
        ("harbour", "Boats leave at dawn."),
        ("harbour", "The nets dry on the wall."),
        ("harbour", "Winter closes the port."),
        ("school", "The exam starts at nine."),
        ("school", "Pupils read in the library."),
    ];
    let mut sentences: Vec<Sentence> = Vec::new();
    for (doc_id, text) in texts {
        let index = sentences.iter().filter(|s| s.doc_id == doc_id).count();
        sentences.push(sentence(doc_id, index, text));
    }
    let documents = [document("harbour", "Harbour"), document("school", "School")];
    let embeddings = at_angles(&[0.0, 10.0, 20.0, 80.0, 90.0], 4);
    // The same but for a new vector for one school sentence.
    let mut edited = embeddings.clone();
    edited
        .row_mut(4)
        .assign(&ndarray::arr1(&[0.0, 0.0, 1.0, 0.0]));
    let themes = [
        ThemeHeading {
            id: 7,
            label: "sea".into(),
            weight: 0.6,
            size: 3,
        },
        ThemeHeading {
            id: 2,
            label: "school".into(),
            weight: 0.4,
            size: 2,
        },
    ];
    let sentence_themes = [7, 7, 7, 2, 2];
    let document_themes = vec![
        vec![("sea".to_owned(), 1.0)],
        vec![("school".to_owned(), 1.0)],
    ];
    let config = SummaryConfig::default();
    let collection = |embeddings| Collection {
        documents: &documents,
        sentences: &sentences,
        embeddings,
        themes: &themes,
        sentence_themes: &sentence_themes,
        document_themes: &document_themes,
    };

    let mut calls = 0;
    let first = summarize_collection(
        collection(embeddings.view()),
        &PreviousSummaries::default(),
        &Extractive,
        &config,
        || calls += 1,
    )
    .unwrap();
    assert_eq!((first.made, first.reused, calls), (4, 0, 4));
    assert_eq!(first.documents[0].doc_id, "harbour");
    assert_eq!(
        first.themes.iter().map(|t| t.theme).collect::<Vec<_>>(),
        [7, 2]
    );
    let pages = first.document_pages(collection(embeddings.view()));
    assert_eq!(pages[1].0, "school");
    assert!(pages[1].1.contains(&first.documents[1].summary));
    assert!(first
        .collection_page(collection(embeddings.view()))
        .contains("sea"));

    let previous = PreviousSummaries::new(first.documents.clone(), first.themes.clone());
    let again = summarize_collection(
        collection(embeddings.view()),
        &previous,
        &Failing,
        &config,
        || {},
    )
    .unwrap();
    assert_eq!((again.made, again.reused), (0, 4));
    assert_eq!(again.documents, first.documents);
    assert_eq!(again.themes, first.themes);

    // After the edit, that sentence's document and theme are made again,
    // and the writer's failure names the document.
    let error = summarize_collection(
        collection(edited.view()),
        &previous,
        &Failing,
        &config,
        || {},
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "summarising school.md: the model stopped"
    );
    let remade = summarize_collection(
        collection(edited.view()),
        &previous,
        &Extractive,
        &config,
        || {},
    )
    .unwrap();
    assert_eq!((remade.made, remade.reused), (2, 2));
    assert_eq!(remade.documents[0], first.documents[0]);
    assert_eq!(remade.themes[0], first.themes[0]);
}

/// A document of paragraphs, each a heading (`Some(level)`) or body
/// sentences, with its sentences in order and their code-point offsets.
fn sectioned(paragraphs: &[(Option<u8>, &[&str])]) -> (Document, Vec<Sentence>) {
    let mut doc = document("essay", "Essay");
    let mut sentences = Vec::new();
    for (level, texts) in paragraphs {
        if !doc.text.is_empty() {
            doc.text.push_str("\n\n");
        }
        let start = doc.text.chars().count();
        for (i, text) in texts.iter().enumerate() {
            if i > 0 {
                doc.text.push(' ');
            }
            let at = doc.text.chars().count();
            doc.text.push_str(text);
            sentences.push(Sentence {
                doc_id: "essay".into(),
                index: sentences.len(),
                start: at,
                end: at + text.chars().count(),
                text: text.to_string(),
            });
        }
        if let Some(level) = level {
            doc.headings.push(precis_core::Heading {
                level: *level,
                paragraph: doc.paragraphs.len(),
            });
        }
        doc.paragraphs
            .push(precis_core::Span(start, doc.text.chars().count()));
    }
    (doc, sentences)
}

/// Each section's heading, sentence index and children, as a readable tree.
fn tree(sections: &[OutlineSection]) -> Vec<(String, Option<usize>, usize)> {
    let mut out = Vec::new();
    fn walk(
        sections: &[OutlineSection],
        depth: usize,
        out: &mut Vec<(String, Option<usize>, usize)>,
    ) {
        for section in sections {
            out.push((section.heading.clone(), section.index, depth));
            walk(&section.children, depth + 1, out);
        }
    }
    walk(sections, 0, &mut out);
    out
}

#[test]
fn outline_nests_sections_and_quotes_each_from_its_own() {
    let (doc, sentences) = sectioned(&[
        (Some(1), &["The Title"]),
        (None, &["An opening sentence about the whole essay."]),
        (Some(2), &["First part"]),
        (
            None,
            &["The first part begins with this long sentence here."],
        ),
        (Some(3), &["A first claim."]),
        (
            None,
            &["The first claim is argued in this sentence at length."],
        ),
        (Some(3), &["A second claim."]),
        (
            None,
            &[
                "The second claim is argued in this sentence at length.",
                "Another sentence for the second claim here.",
            ],
        ),
        (Some(2), &["Second part"]),
        (Some(3), &["A third claim."]),
        (
            None,
            &["The third claim is argued in this sentence at length."],
        ),
    ]);
    let angles: Vec<f32> = (0..sentences.len()).map(|i| i as f32 * 7.0).collect();
    let embeddings = at_angles(&angles, 3);
    let sections = outline(
        &doc,
        &sentences,
        embeddings.view(),
        &SelectionParams::default(),
    );
    let structure: Vec<(String, usize)> = tree(&sections)
        .into_iter()
        .map(|(heading, _, depth)| (heading, depth))
        .collect();
    assert_eq!(
        structure,
        [
            ("First part".to_owned(), 0),
            ("A first claim.".to_owned(), 1),
            ("A second claim.".to_owned(), 1),
            ("Second part".to_owned(), 0),
            ("A third claim.".to_owned(), 1),
        ]
    );
    // Each claim quotes its own paragraph; the first part quotes one of its
    // sentences that its claims do not; the second part's only sentence is
    // its claim's, which is not quoted twice. Headings are never quoted.
    let indices: Vec<Option<usize>> = tree(&sections).into_iter().map(|(_, i, _)| i).collect();
    assert_eq!(indices[1], Some(5));
    assert!(matches!(indices[2], Some(7 | 8)));
    assert!(matches!(indices[0], Some(3 | 7 | 8)) && indices[0] != indices[2]);
    assert_eq!(indices[3], None);
    assert_eq!(sections[1].sentence, None);
    assert_eq!(indices[4], Some(11));
    assert_eq!(
        sections[0].children[0].sentence.as_deref(),
        Some("The first claim is argued in this sentence at length.")
    );
}

#[test]
fn outline_needs_two_sections_and_keeps_a_heading_that_does_not_name_the_document() {
    let params = SelectionParams::default();
    let outline_of = |paragraphs: &[(Option<u8>, &[&str])]| {
        let (doc, sentences) = sectioned(paragraphs);
        let embeddings = at_angles(&vec![0.0; sentences.len()], 2);
        tree(&outline(&doc, &sentences, embeddings.view(), &params))
            .into_iter()
            .map(|(heading, _, depth)| (heading, depth))
            .collect::<Vec<_>>()
    };
    let body: &[&str] = &["Some sentence of body text in the section."];
    // No headings, a title alone, a title and one section: no outline.
    assert!(outline_of(&[(None, body)]).is_empty());
    assert!(outline_of(&[(Some(1), &["Title"]), (None, body)]).is_empty());
    assert!(outline_of(&[(Some(1), &["Title"]), (Some(2), &["Part"]), (None, body)]).is_empty());
    // Two top-level headings, the first opening the document: both sections.
    assert_eq!(
        outline_of(&[
            (Some(1), &["One"]),
            (None, body),
            (Some(1), &["Two"]),
            (None, body)
        ]),
        [("One".to_owned(), 0), ("Two".to_owned(), 0)]
    );
    // A deeper heading first, then a shallower one: siblings, not nested.
    assert_eq!(
        outline_of(&[
            (None, body),
            (Some(3), &["Deep"]),
            (None, body),
            (Some(2), &["Part"]),
            (None, body)
        ]),
        [("Deep".to_owned(), 0), ("Part".to_owned(), 0)]
    );
}

#[test]
fn document_page_lists_the_outline_nested() {
    let doc = document("essay", "Essay");
    let section = |heading: &str, sentence: Option<&str>, children| OutlineSection {
        heading: heading.into(),
        sentence: sentence.map(str::to_owned),
        index: sentence.map(|_| 0),
        children,
    };
    let summary = DocumentSummary {
        doc_id: "essay".into(),
        summary: "The summary.".into(),
        sentences: vec![0],
        written_by: None,
        outline: vec![
            section(
                "Part *one*",
                Some("It argues."),
                vec![section("A claim", Some("Because."), vec![])],
            ),
            section("Part two", None, vec![]),
        ],
        inputs: String::new(),
    };
    let page = document_markdown(&doc, &summary, &[]);
    assert!(
        page.contains("## Outline\n\n- **Part \\*one\\*** — It argues.\n  - **A claim** — Because.\n- **Part two**\n"),
        "{page}"
    );
    let line = serde_json::to_string(&summary.outline[1]).unwrap();
    assert_eq!(line, r#"{"heading":"Part two","children":[]}"#);
}

#[test]
fn a_reused_summary_gets_the_outline_of_the_document_as_it_is_now() {
    use crate::{summarize_collection, Collection, Extractive, PreviousSummaries};
    let body: &[&str] = &["A sentence of body text long enough to be quoted here."];
    let (flat, sentences) = sectioned(&[
        (None, &["One"]),
        (None, body),
        (None, &["Two"]),
        (None, body),
    ]);
    // The same text, with its short lines now marked as headings (an edit
    // that turns lines into Markdown headings changes no sentence).
    let (headed, same) = sectioned(&[
        (Some(2), &["One"]),
        (None, body),
        (Some(2), &["Two"]),
        (None, body),
    ]);
    assert_eq!(sentences, same);
    let embeddings = at_angles(&[0.0, 10.0, 20.0, 30.0], 2);
    let config = SummaryConfig::default();
    let summarize = |document: Document, previous: &PreviousSummaries| {
        let documents = [document];
        let collection = Collection {
            documents: &documents,
            sentences: &sentences,
            embeddings: embeddings.view(),
            themes: &[],
            sentence_themes: &[0, 0, 0, 0],
            document_themes: &[],
        };
        summarize_collection(collection, previous, &Extractive, &config, || {}).unwrap()
    };
    let first = summarize(flat, &PreviousSummaries::default());
    assert!(first.documents[0].outline.is_empty());
    let previous = PreviousSummaries::new(first.documents.clone(), Vec::new());
    let again = summarize(headed, &previous);
    assert_eq!(again.reused, 1);
    let headings: Vec<&str> = again.documents[0]
        .outline
        .iter()
        .map(|s| s.heading.as_str())
        .collect();
    assert_eq!(headings, ["One", "Two"]);
    assert_eq!(again.documents[0].outline[1].index, Some(3));
}
