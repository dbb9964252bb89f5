//! Synthetic runs for the report's tests.
//!
//! [`Sample::new`] is a small one: three essays, three themes, one skipped
//! file. A title and a sentence carry markup and script, to test escaping.
//! [`Sample::synthetic`] is as large as wanted, for measuring the page.

#![allow(dead_code)] // Each test file uses a part.

use ndarray::Array2;
use precis_core::{Document, Sentence, SentenceRef, SkippedFile};
use precis_report::{ReportInput, RunFacts};
use precis_summarize::{DocumentSummary, OutlineSection, ThemeSummary};
use precis_themes::{
    Assignment, DocumentThemes, FacetThemes, GroupShare, Theme, ThemeGroup, ThemePairs, ThemeSet,
    ThemeShare,
};

pub struct Sample {
    pub documents: Vec<Document>,
    pub sentences: Vec<Sentence>,
    pub embeddings: Array2<f32>,
    pub themes: ThemeSet,
    pub assignments: Vec<Assignment>,
    pub document_themes: Vec<DocumentThemes>,
    pub document_summaries: Vec<DocumentSummary>,
    pub theme_summaries: Vec<ThemeSummary>,
    /// The essays' folders as a facet (`.` and `notes` in the small sample).
    pub facets: Vec<FacetThemes>,
    /// What the themes stage writes in `themes/closest_pairs.json`.
    pub closest_pairs: Option<Vec<ThemePairs>>,
    pub facts: RunFacts,
}

/// One essay of a synthetic run.
pub struct Essay {
    pub doc_id: String,
    pub source: String,
    pub title: String,
    /// Each sentence's text and theme id.
    pub sentences: Vec<(String, u32)>,
    /// The sentences that begin a paragraph (the first always does).
    pub paragraphs: Vec<usize>,
}

/// A theme of a synthetic run: id, label, keywords.
pub type Label = (u32, String, Vec<String>);

/// A sentence full of what must never run: it closes the script element,
/// opens a comment, and carries an image with `onerror`, a `javascript:`
/// link and U+2028.
pub const HOSTILE: &str = "The timetable said </script><script>alert(\"script\")</script> \
     and <!-- then <img src=x onerror=alert(\"img\")> and \
     <a href=\"javascript:alert('link')\">the night timetable</a>\u{2028}in small print.";

/// A heading of the hostile essay's outline that tries to run as markup.
pub const HOSTILE_HEADING: &str = "<img src=x onerror=alert(\"heading\")> Timetables";

/// (doc_id, source, title, sentences as (text, theme id), paragraph starts).
type Small = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, u32)],
    &'static [usize],
);

const ESSAYS: [Small; 3] = [
    (
        "gardens",
        "gardens.md",
        "Gardens & Allotments",
        &[
            ("Sow the beans in April.", 1),
            ("The plot needs digging.", 1),
            ("Tomatoes ripen in August.", 1),
            ("The bus to the allotment is slow.", 2),
        ],
        &[0, 2],
    ),
    (
        "night-trains",
        "notes/night trains.txt",
        "<script>alert(1)</script> Night Trains",
        &[
            ("The sleeper leaves at ten.", 2),
            ("Buses replace trains on Sundays.", 2),
            (HOSTILE, 2),
            ("Rivers flood the line in winter.", 3),
        ],
        &[0],
    ),
    (
        "rivers",
        "rivers.html",
        "Rivers and Floods",
        &[
            ("The river rose overnight.", 3),
            ("Floods reached the town square.", 3),
            ("Sandbags were stacked by the bridge.", 3),
            ("Gardens by the bank were lost.", 1),
        ],
        &[0],
    ),
];

const LABELS: [(u32, &str, [&str; 3]); 3] = [
    (1, "garden · plot · sow", ["garden", "plot", "sow"]),
    (2, "train · bus · night", ["train", "bus", "night"]),
    (3, "river · flood · bank", ["river", "flood", "bank"]),
];

impl Sample {
    pub fn new() -> Self {
        let essays = ESSAYS
            .iter()
            .map(|&(doc_id, source, title, sentences, paragraphs)| Essay {
                doc_id: doc_id.into(),
                source: source.into(),
                title: title.into(),
                sentences: sentences.iter().map(|&(t, id)| (t.into(), id)).collect(),
                paragraphs: paragraphs.to_vec(),
            })
            .collect();
        let labels = LABELS
            .iter()
            .map(|&(id, label, keywords)| {
                (
                    id,
                    label.into(),
                    keywords.iter().map(|k| k.to_string()).collect(),
                )
            })
            .collect();
        let mut sample = Self::build(essays, labels, 1);
        // The hostile essay has sections, so its outline carries the
        // hostile sentence and a hostile heading too.
        sample.document_summaries[1].outline = vec![
            OutlineSection {
                heading: HOSTILE_HEADING.into(),
                sentence: Some(HOSTILE.into()),
                index: Some(2),
                children: vec![OutlineSection {
                    heading: "Floods".into(),
                    sentence: Some("Rivers flood the line in winter.".into()),
                    index: Some(3),
                    children: vec![],
                }],
            },
            OutlineSection {
                heading: "Sundays".into(),
                sentence: None,
                index: None,
                children: vec![],
            },
        ];
        sample
    }

    /// A run of `essays` essays of `sentences` sentences each (about 27
    /// words a sentence, in runs of one theme of up to 12 sentences, a
    /// paragraph every 6), over 12 themes in 2 groups. The same arguments
    /// give the same run.
    pub fn synthetic(essays: usize, sentences: usize) -> Self {
        const THEMES: u32 = 12;
        const WORDS: [&str; 48] = [
            "the",
            "of",
            "and",
            "a",
            "to",
            "in",
            "is",
            "that",
            "it",
            "as",
            "for",
            "with",
            "be",
            "by",
            "not",
            "but",
            "which",
            "this",
            "nature",
            "garden",
            "truth",
            "death",
            "river",
            "love",
            "custom",
            "fortune",
            "friendship",
            "study",
            "travel",
            "honour",
            "envy",
            "riches",
            "youth",
            "age",
            "beauty",
            "anger",
            "praise",
            "counsel",
            "delay",
            "cunning",
            "wisdom",
            "ambition",
            "kingdoms",
            "sedition",
            "atheism",
            "superstition",
            "building",
            "negotiating",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) as usize) % n
        };
        let essays = (0..essays)
            .map(|e| {
                let mut theme = 1 + next(THEMES as usize) as u32;
                let mut left = 0;
                let texts = (0..sentences)
                    .map(|_| {
                        if left == 0 {
                            theme = 1 + next(THEMES as usize) as u32;
                            left = 1 + next(12);
                        }
                        left -= 1;
                        let words: Vec<&str> = (0..12 + next(30))
                            .map(|_| WORDS[next(WORDS.len())])
                            .collect();
                        let mut text = words.join(" ");
                        text[..1].make_ascii_uppercase();
                        text.push('.');
                        (text, theme)
                    })
                    .collect();
                Essay {
                    doc_id: format!("essays__essay-{e:03}"),
                    source: format!("essays/essay-{e:03}.txt"),
                    title: format!(
                        "Of {} and {} ({e})",
                        WORDS[18 + e % 30],
                        WORDS[18 + (e / 30) % 30]
                    ),
                    sentences: texts,
                    paragraphs: (0..sentences).step_by(6).collect(),
                }
            })
            .collect();
        let labels = (1..=THEMES)
            .map(|id| {
                let word = WORDS[17 + id as usize];
                (
                    id,
                    word.to_string(),
                    vec![word.to_string(), "synthetic".into()],
                )
            })
            .collect();
        Self::build(essays, labels, 2)
    }

    /// The run of `essays` over the themes of `labels`, theme `id` in group
    /// `(id - 1) % groups`. Each theme's sentences lie near one axis of the
    /// embedding space.
    fn build(essays: Vec<Essay>, labels: Vec<Label>, groups: u32) -> Self {
        let mut documents = Vec::new();
        let mut sentences = Vec::new();
        let mut assignments = Vec::new();
        let mut document_themes = Vec::new();
        let mut document_summaries = Vec::new();
        for essay in &essays {
            let mut text = String::new();
            let mut paragraphs = Vec::new();
            let mut paragraph_start = 0;
            for (index, (sentence, theme)) in essay.sentences.iter().enumerate() {
                if index > 0 {
                    if essay.paragraphs.contains(&index) {
                        paragraphs.push(precis_core::Span(paragraph_start, text.chars().count()));
                        text.push_str("\n\n");
                        paragraph_start = text.chars().count();
                    } else {
                        text.push(' ');
                    }
                }
                let start = text.chars().count();
                text.push_str(sentence);
                sentences.push(Sentence {
                    doc_id: essay.doc_id.clone(),
                    index,
                    start,
                    end: text.chars().count(),
                    text: sentence.clone(),
                });
                assignments.push(Assignment {
                    doc_id: essay.doc_id.clone(),
                    index,
                    theme: *theme,
                    margin: 0.2,
                    low_confidence: false,
                });
            }
            paragraphs.push(precis_core::Span(paragraph_start, text.chars().count()));
            let n = essay.sentences.len().max(1) as f64;
            let mut shares: Vec<ThemeShare> = labels
                .iter()
                .map(|&(theme, _, _)| ThemeShare {
                    theme,
                    share: essay.sentences.iter().filter(|(_, t)| *t == theme).count() as f64 / n,
                })
                .filter(|s| s.share > 0.0)
                .collect();
            shares.sort_by(|a, b| b.share.total_cmp(&a.share).then(a.theme.cmp(&b.theme)));
            let mut group_shares: Vec<GroupShare> = (0..groups)
                .map(|group| GroupShare {
                    group,
                    share: shares
                        .iter()
                        .filter(|s| (s.theme - 1) % groups == group)
                        .map(|s| s.share)
                        .sum(),
                })
                .filter(|g| g.share > 0.0)
                .collect();
            group_shares.sort_by(|a, b| b.share.total_cmp(&a.share));
            document_themes.push(DocumentThemes {
                doc_id: essay.doc_id.clone(),
                themes: shares,
                groups: group_shares,
            });
            let summary: Vec<&str> = essay
                .sentences
                .iter()
                .take(2)
                .map(|(t, _)| t.as_str())
                .collect();
            document_summaries.push(DocumentSummary {
                doc_id: essay.doc_id.clone(),
                summary: summary.join(" "),
                sentences: (0..summary.len()).collect(),
                written_by: None,
                outline: Vec::new(),
                inputs: "x".into(),
            });
            documents.push(Document {
                doc_id: essay.doc_id.clone(),
                source: essay.source.clone(),
                title: essay.title.clone(),
                hash: "0".repeat(64),
                paragraphs,
                metadata: Default::default(),
                headings: Vec::new(),
                text,
            });
        }
        let dim = labels.len() + 1;
        let embeddings = Array2::from_shape_fn((sentences.len(), dim), |(i, j)| {
            let theme = labels
                .iter()
                .position(|l| l.0 == assignments[i].theme)
                .expect("a known theme");
            if j == theme {
                1.0
            } else if j == dim - 1 {
                (i as f32 * 0.37).sin() * 0.3
            } else {
                0.1 * ((i + j) % 3) as f32
            }
        });
        let total = sentences.len();
        let themes = labels
            .iter()
            .map(|(id, label, keywords)| {
                let members: Vec<usize> = (0..total)
                    .filter(|&i| assignments[i].theme == *id)
                    .collect();
                let mut centroid = vec![0f32; dim];
                for &m in &members {
                    for (c, x) in centroid.iter_mut().zip(embeddings.row(m)) {
                        *c += x;
                    }
                }
                let norm = centroid.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-9);
                centroid.iter_mut().for_each(|x| *x /= norm);
                let mut docs: Vec<&str> = members
                    .iter()
                    .map(|&m| sentences[m].doc_id.as_str())
                    .collect();
                docs.dedup();
                Theme {
                    id: *id,
                    label: label.clone(),
                    keywords: keywords.clone(),
                    group: (id - 1) % groups,
                    size: members.len(),
                    weight: members.len() as f64 / total.max(1) as f64,
                    documents: docs.len(),
                    low_confidence: 0,
                    representatives: members
                        .iter()
                        .take(2)
                        .map(|&m| SentenceRef {
                            doc_id: sentences[m].doc_id.clone(),
                            index: sentences[m].index,
                        })
                        .collect(),
                    centroid,
                }
            })
            .collect::<Vec<_>>();
        let theme_summaries = themes
            .iter()
            .map(|t: &Theme| {
                let texts: Vec<String> = t
                    .representatives
                    .iter()
                    .map(|r| {
                        sentences
                            .iter()
                            .find(|s| s.doc_id == r.doc_id && s.index == r.index)
                            .map(|s| s.text.clone())
                            .unwrap_or_default()
                    })
                    .collect();
                ThemeSummary {
                    theme: t.id,
                    summary: texts.join(" "),
                    sentences: t.representatives.clone(),
                    texts,
                    written_by: None,
                    inputs: "x".into(),
                }
            })
            .collect();
        let theme_groups = (0..groups)
            .map(|group| {
                let members: Vec<&Theme> = themes.iter().filter(|t| t.group == group).collect();
                ThemeGroup {
                    id: group,
                    label: if groups == 1 {
                        "fixture group".into()
                    } else {
                        format!("group {group}")
                    },
                    keywords: vec!["group".into()],
                    themes: members.iter().map(|t| t.id).collect(),
                    size: members.iter().map(|t| t.size).sum(),
                    weight: members.iter().map(|t| t.weight).sum(),
                }
            })
            .collect();
        let facts = RunFacts {
            input: "data/input".into(),
            source_prefix: "../input/".into(),
            model: "all-MiniLM-L6-v2".into(),
            model_checksum: "aaad3b68300c1b9f836266d5c5d627928ded6402363e19dcd704afb75b425259"
                .into(),
            documents: documents.len(),
            sentences: total,
            embedded: 8,
            from_cache: 4,
            summaries_made: 4,
            summaries_reused: 2,
            themes_origin: vec![
                "themes warm-started from the last run's (a small edit: 2 sentences new)".into(),
                "drift: ARI 0.650 against a new clustering of the same sentences".into(),
            ],
            skipped: vec![SkippedFile {
                source: "broken.pdf".into(),
                reason: "unsupported format <pdf>".into(),
            }],
            stage_seconds: vec![
                ("ingest".into(), 0.05),
                ("segment".into(), 0.07),
                ("embed".into(), 25.66),
                ("themes".into(), 3.09),
                ("summaries".into(), 0.2),
            ],
            created: None,
        };
        let folder_of = documents
            .iter()
            .map(|d| {
                let folder = d.source.rsplit_once('/').map_or(".", |(folder, _)| folder);
                (d.doc_id.clone(), folder.to_string())
            })
            .collect();
        let centroids = themes.iter().map(|t| (t.id, t.centroid.clone())).collect();
        let facets = precis_themes::by_facet(
            "folder",
            &folder_of,
            &assignments,
            &sentences,
            embeddings.view(),
            &centroids,
        );
        let closest_pairs = precis_themes::closest_pairs(
            &sentences,
            &assignments,
            embeddings.view(),
            precis_themes::MOST_CLOSEST_PAIRS,
        );
        let next_id = labels.iter().map(|l| l.0).max().unwrap_or(0) + 1;
        Self {
            documents,
            sentences,
            embeddings,
            themes: ThemeSet {
                groups: theme_groups,
                themes,
                next_id,
            },
            assignments,
            document_themes,
            document_summaries,
            theme_summaries,
            facets,
            closest_pairs,
            facts,
        }
    }

    pub fn input(&self) -> ReportInput<'_> {
        ReportInput {
            documents: &self.documents,
            sentences: &self.sentences,
            embeddings: self.embeddings.view(),
            themes: &self.themes,
            assignments: &self.assignments,
            document_themes: &self.document_themes,
            document_summaries: &self.document_summaries,
            theme_summaries: &self.theme_summaries,
            facets: &self.facets,
            closest_pairs: self.closest_pairs.as_deref(),
            facts: &self.facts,
        }
    }
}
