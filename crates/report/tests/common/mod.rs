//! A small synthetic run: three essays, three themes, four-dimensional
//! embeddings, one skipped file. Titles carry markup to test escaping.

use ndarray::Array2;
use precis_core::{Document, Sentence, SentenceRef, SkippedFile};
use precis_report::{ReportInput, RunFacts};
use precis_summarize::{DocumentSummary, ThemeSummary};
use precis_themes::{
    Assignment, DocumentThemes, GroupShare, Theme, ThemeGroup, ThemeSet, ThemeShare,
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
    pub facts: RunFacts,
}

/// (doc_id, source, title, sentences as (text, theme id)).
type Essay = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, u32)],
);

const ESSAYS: [Essay; 3] = [
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
    ),
    (
        "night-trains",
        "notes/night trains.txt",
        "<script>alert(1)</script> Night Trains",
        &[
            ("The sleeper leaves at ten.", 2),
            ("Buses replace trains on Sundays.", 2),
            ("The station is cold at night.", 2),
            ("Rivers flood the line in winter.", 3),
        ],
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
    ),
];

const LABELS: [(u32, &str, [&str; 3]); 3] = [
    (1, "garden · plot · sow", ["garden", "plot", "sow"]),
    (2, "train · bus · night", ["train", "bus", "night"]),
    (3, "river · flood · bank", ["river", "flood", "bank"]),
];

impl Sample {
    pub fn new() -> Self {
        let mut documents = Vec::new();
        let mut sentences = Vec::new();
        let mut assignments = Vec::new();
        let mut document_themes = Vec::new();
        let mut document_summaries = Vec::new();
        for (doc_id, source, title, essay) in ESSAYS {
            let text = essay.iter().map(|(t, _)| *t).collect::<Vec<_>>().join(" ");
            let mut start = 0;
            for (index, (sentence, theme)) in essay.iter().enumerate() {
                let end = start + sentence.chars().count();
                sentences.push(Sentence {
                    doc_id: doc_id.into(),
                    index,
                    start,
                    end,
                    text: sentence.to_string(),
                });
                assignments.push(Assignment {
                    doc_id: doc_id.into(),
                    index,
                    theme: *theme,
                    margin: 0.2,
                    low_confidence: false,
                });
                start = end + 1;
            }
            let mut shares: Vec<ThemeShare> = (1..=3)
                .map(|theme| ThemeShare {
                    theme,
                    share: essay.iter().filter(|(_, t)| *t == theme).count() as f64
                        / essay.len() as f64,
                })
                .filter(|s| s.share > 0.0)
                .collect();
            shares.sort_by(|a, b| b.share.total_cmp(&a.share).then(a.theme.cmp(&b.theme)));
            document_themes.push(DocumentThemes {
                doc_id: doc_id.into(),
                themes: shares,
                groups: vec![GroupShare {
                    group: 0,
                    share: 1.0,
                }],
            });
            document_summaries.push(DocumentSummary {
                doc_id: doc_id.into(),
                summary: format!("{} {}", essay[0].0, essay[1].0),
                sentences: vec![0, 1],
                written_by: None,
                inputs: "x".into(),
            });
            documents.push(Document {
                doc_id: doc_id.into(),
                source: source.into(),
                title: title.into(),
                hash: "0".repeat(64),
                paragraphs: vec![precis_core::Span(0, text.chars().count())],
                text,
            });
        }
        // Each theme is mostly one axis; the fourth axis varies by sentence.
        let embeddings = Array2::from_shape_fn((sentences.len(), 4), |(i, j)| {
            let theme = assignments[i].theme as usize - 1;
            if j == theme {
                1.0
            } else if j == 3 {
                (i as f32 * 0.37).sin() * 0.3
            } else {
                0.1 * ((i + j) % 3) as f32
            }
        });
        let total = sentences.len();
        let themes = LABELS
            .iter()
            .map(|&(id, label, keywords)| {
                let members: Vec<usize> =
                    (0..total).filter(|&i| assignments[i].theme == id).collect();
                let mut centroid = vec![0f32; 4];
                for &m in &members {
                    for (c, x) in centroid.iter_mut().zip(embeddings.row(m)) {
                        *c += x;
                    }
                }
                let norm = centroid.iter().map(|x| x * x).sum::<f32>().sqrt();
                centroid.iter_mut().for_each(|x| *x /= norm);
                let mut docs: Vec<&str> = members
                    .iter()
                    .map(|&m| sentences[m].doc_id.as_str())
                    .collect();
                docs.dedup();
                Theme {
                    id,
                    label: label.into(),
                    keywords: keywords.iter().map(|k| k.to_string()).collect(),
                    group: 0,
                    size: members.len(),
                    weight: members.len() as f64 / total as f64,
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
        let facts = RunFacts {
            input: "data/input".into(),
            source_prefix: "../input/".into(),
            model: "all-MiniLM-L6-v2".into(),
            model_checksum: "aaad3b68300c1b9f836266d5c5d627928ded6402363e19dcd704afb75b425259"
                .into(),
            documents: 3,
            sentences: total,
            embedded: 8,
            from_cache: 4,
            summaries_made: 4,
            summaries_reused: 2,
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
        Self {
            documents,
            sentences,
            embeddings,
            themes: ThemeSet {
                groups: vec![ThemeGroup {
                    id: 0,
                    label: "fixture group".into(),
                    keywords: vec!["group".into()],
                    themes: themes.iter().map(|t| t.id).collect(),
                    size: total,
                    weight: 1.0,
                }],
                themes,
                next_id: 4,
            },
            assignments,
            document_themes,
            document_summaries,
            theme_summaries,
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
            facts: &self.facts,
        }
    }
}
