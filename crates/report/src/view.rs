//! The page as data: every position, colour and string the template writes,
//! and the data the page's script reads, computed from the run's values.
//! Numbers are rounded here so that the markup is stable.

use crate::order::leaf_order;
use crate::palette::{self, Ramp};
use crate::projection::Plane;
use crate::{bitmap, script, ReportInput};
use ndarray::{Array1, Array2};
use precis_core::{Document, SkippedFile};
use precis_themes::{Theme, ThemeId};
use serde::Serialize;
use std::collections::HashMap;

/// Most sentence dots drawn on the map; larger runs show an even sample.
const MAX_DOTS: usize = 3000;
/// Longest essay title or theme label written beside a heatmap, in chars.
const LABEL_CHARS: usize = 36;
/// Room right of a heatmap for its slanted column labels.
const OVERHANG: f64 = 130.0;
/// Least share shown as a theme of an essay.
const TOP_THEME_SHARE: f64 = 0.05;
/// Most themes listed on an essay.
const TOP_THEMES: usize = 4;

#[derive(Serialize, Debug)]
pub struct Page {
    title: String,
    facts: Facts,
    map: Map,
    heatmap: Heatmap,
    similarity: Similarity,
    strips: Vec<Strip>,
    groups: Vec<GroupNode>,
    themes: Vec<ThemeCard>,
    essays: Vec<EssayCard>,
    facets: Vec<FacetTable>,
    /// [`Data`] as JSON, escaped to stand inside a script element.
    data: String,
}

/// What the page's script reads: the themes and essays as the cards show
/// them, every sentence with its theme, and the similarity values.
#[derive(Serialize, Debug)]
struct Data<'a> {
    themes: &'a [ThemeCard],
    essays: &'a [EssayCard],
    /// One per essay, in the order of `essays`.
    texts: &'a [EssayText],
    similarity: &'a SimilarityValues,
}

/// An essay's sentences, for the essay pages, theme pages and search.
#[derive(Serialize, Debug)]
struct EssayText {
    /// The text of each sentence, in order.
    sentences: Vec<String>,
    /// Each sentence's theme, as its position among the themes (by id), or
    /// -1 for none.
    themes: Vec<i64>,
    /// The sentences that begin a paragraph, by index.
    paragraphs: Vec<usize>,
}

/// One essay as a strip of its sentences in order, coloured by theme.
#[derive(Serialize, Debug)]
struct Strip {
    /// The essay's position among the documents: its key in [`Data`].
    position: usize,
    doc_id: String,
    title: String,
    sentences: usize,
    /// Runs of consecutive sentences of one theme, in sentence units.
    runs: Vec<StripRun>,
}

#[derive(Serialize, Debug)]
struct StripRun {
    x: usize,
    width: usize,
    colour: &'static str,
    /// The theme's position, or -1 for none.
    theme: i64,
}

/// A theme group and its themes: one branch of the report's theme tree.
#[derive(Serialize, Debug)]
struct GroupNode {
    id: u32,
    label: String,
    percent: String,
    keywords: Vec<String>,
    themes: Vec<ThemeChip>,
}

/// One facet (a folder, an author): each value and its distinctive themes.
#[derive(Serialize, Debug)]
struct FacetTable {
    facet: String,
    values: Vec<FacetValue>,
}

#[derive(Serialize, Debug)]
struct FacetValue {
    value: String,
    documents: usize,
    distinctive: Vec<DistinctiveRow>,
}

/// A theme distinctive of a facet value, with the value's share of it
/// against the rest of the collection's, and one sentence that carries it.
#[derive(Serialize, Debug)]
struct DistinctiveRow {
    theme: ThemeChip,
    here: String,
    elsewhere: String,
    z: String,
    example: String,
    example_essay: String,
}

#[derive(Serialize, Debug)]
struct Facts {
    input: String,
    model: String,
    model_checksum: String,
    documents: usize,
    sentences: usize,
    themes: usize,
    embedded: usize,
    from_cache: usize,
    summaries_made: usize,
    summaries_reused: usize,
    skipped: Vec<SkippedFile>,
    stages: Vec<StageRow>,
    total_seconds: String,
    created: Option<String>,
}

#[derive(Serialize, Debug)]
struct StageRow {
    name: String,
    seconds: String,
    /// Bar length in percent of the slowest stage.
    bar: f64,
}

#[derive(Serialize, Debug)]
struct Map {
    width: f64,
    height: f64,
    dots: Vec<Dot>,
    themes: Vec<MapTheme>,
}

#[derive(Serialize, Debug)]
struct Dot {
    x: f64,
    y: f64,
    colour: &'static str,
}

#[derive(Serialize, Debug)]
struct MapTheme {
    id: ThemeId,
    label: String,
    percent: String,
    x: f64,
    y: f64,
    r: f64,
    colour: &'static str,
    text: &'static str,
    label_x: f64,
    label_y: f64,
    anchor: &'static str,
}

#[derive(Serialize, Debug)]
struct Heatmap {
    width: f64,
    height: f64,
    left: f64,
    top: f64,
    cell_w: f64,
    cell_h: f64,
    columns: Vec<Column>,
    rows: Vec<Row>,
    cells: Vec<Cell>,
    show_values: bool,
}

#[derive(Serialize, Debug)]
struct Column {
    x: f64,
    id: String,
    label: String,
    full: String,
    colour: &'static str,
    text: &'static str,
}

#[derive(Serialize, Debug)]
struct Row {
    y: f64,
    doc_id: String,
    label: String,
    full: String,
}

#[derive(Serialize, Debug)]
struct Cell {
    x: f64,
    y: f64,
    fill: String,
    text: &'static str,
    value: String,
    tip: String,
    row: String,
    column: String,
}

#[derive(Serialize, Debug)]
struct Similarity {
    width: f64,
    height: f64,
    left: f64,
    top: f64,
    cell: f64,
    columns: Vec<Column>,
    rows: Vec<Row>,
    /// The matrix as an image, one pixel a cell; `None` without essays.
    image: Option<String>,
    /// The values written on the cells, where the cells are large enough.
    labels: Vec<CellLabel>,
    low: String,
    high: String,
    #[serde(skip)]
    values: SimilarityValues,
}

#[derive(Serialize, Debug)]
struct CellLabel {
    x: f64,
    y: f64,
    text: &'static str,
    value: String,
}

/// The similarity matrix for the script's tooltips.
#[derive(Serialize, Debug, Default)]
struct SimilarityValues {
    /// The essays of the rows (and columns), by position.
    essays: Vec<usize>,
    /// Row by row, each cosine similarity in thousandths.
    thousandths: Vec<i64>,
}

#[derive(Serialize, Debug)]
struct ThemeCard {
    id: ThemeId,
    label: String,
    group: Option<String>,
    colour: &'static str,
    text: &'static str,
    size: usize,
    percent: String,
    documents: usize,
    keywords: Vec<String>,
    summary: Option<String>,
    representatives: Vec<Quote>,
}

#[derive(Serialize, Debug)]
struct Quote {
    text: String,
    doc_id: String,
    title: String,
}

#[derive(Serialize, Debug)]
struct EssayCard {
    doc_id: String,
    title: String,
    source: String,
    href: String,
    sentences: usize,
    summary: Option<String>,
    themes: Vec<ThemeChip>,
}

#[derive(Serialize, Debug)]
struct ThemeChip {
    id: ThemeId,
    label: String,
    percent: String,
    colour: &'static str,
    text: &'static str,
}

/// Lookups shared by the parts of the page.
struct Index<'a> {
    input: ReportInput<'a>,
    /// Position of each document by id.
    document: HashMap<&'a str, usize>,
    /// Position of each theme (by id order) by id.
    theme: HashMap<ThemeId, usize>,
}

impl<'a> Index<'a> {
    fn new(input: ReportInput<'a>) -> Self {
        Self {
            input,
            document: input
                .documents
                .iter()
                .enumerate()
                .map(|(i, d)| (d.doc_id.as_str(), i))
                .collect(),
            theme: input
                .themes
                .themes
                .iter()
                .enumerate()
                .map(|(i, t)| (t.id, i))
                .collect(),
        }
    }

    fn themes(&self) -> &'a [Theme] {
        &self.input.themes.themes
    }

    fn document(&self, doc_id: &str) -> Option<&'a Document> {
        self.document.get(doc_id).map(|&i| &self.input.documents[i])
    }

    fn chip(&self, id: ThemeId, share: f64) -> Option<ThemeChip> {
        let position = *self.theme.get(&id)?;
        Some(ThemeChip {
            id,
            label: self.themes()[position].label.clone(),
            percent: percent(share),
            colour: palette::theme(position),
            text: palette::theme_text(position),
        })
    }

    /// Unit-length mean of the unit sentence vectors of each document (zero
    /// for a document without sentences or without embeddings).
    fn document_vectors(&self) -> Array2<f64> {
        let embeddings = self.input.embeddings;
        let mut sums = Array2::<f64>::zeros((self.input.documents.len(), embeddings.ncols()));
        if embeddings.nrows() == self.input.sentences.len() {
            for (sentence, row) in self.input.sentences.iter().zip(embeddings.outer_iter()) {
                if let Some(&d) = self.document.get(sentence.doc_id.as_str()) {
                    let unit = unit(row.mapv(f64::from));
                    sums.row_mut(d).scaled_add(1.0, &unit);
                }
            }
        }
        for mut row in sums.outer_iter_mut() {
            let normed = unit(row.to_owned());
            row.assign(&normed);
        }
        sums
    }

    /// Each document's share of each theme: documents × themes.
    fn shares(&self) -> Array2<f64> {
        let mut shares = Array2::zeros((self.input.documents.len(), self.themes().len()));
        for doc in self.input.document_themes {
            let Some(&d) = self.document.get(doc.doc_id.as_str()) else {
                continue;
            };
            for share in &doc.themes {
                if let Some(&t) = self.theme.get(&share.theme) {
                    shares[[d, t]] = share.share;
                }
            }
        }
        shares
    }
}

impl Page {
    pub fn build(input: &ReportInput) -> Self {
        let index = Index::new(*input);
        let vectors = index.document_vectors();
        let centroids = Array2::from_shape_fn(
            (
                index.themes().len(),
                index.themes().first().map_or(0, |t| t.centroid.len()),
            ),
            |(t, j)| {
                index.themes()[t]
                    .centroid
                    .get(j)
                    .copied()
                    .map_or(0.0, f64::from)
            },
        );
        let essay_order = leaf_order(vectors.nrows(), |a, b| {
            1.0 - vectors.row(a).dot(&vectors.row(b))
        });
        let centroid_units: Array2<f64> = Array2::from_shape_fn(centroids.dim(), |(t, j)| {
            let norm = centroids.row(t).dot(&centroids.row(t)).sqrt();
            if norm > 0.0 {
                centroids[[t, j]] / norm
            } else {
                0.0
            }
        });
        let theme_order = leaf_order(centroid_units.nrows(), |a, b| {
            1.0 - centroid_units.row(a).dot(&centroid_units.row(b))
        });
        let essay_order = seriate(&index.shares(), &essay_order, &theme_order);
        let title = if input.facts.input.is_empty() {
            "precis report".to_string()
        } else {
            format!("precis report: {}", input.facts.input)
        };
        let texts = essay_texts(&index);
        let similarity = similarity(&index, &vectors, &essay_order);
        let themes = theme_cards(&index);
        let essays = essay_cards(&index);
        let data = script::json_for_script(&Data {
            themes: &themes,
            essays: &essays,
            texts: &texts,
            similarity: &similarity.values,
        });
        Self {
            title,
            facts: facts(&index),
            map: map(&index, &centroids),
            heatmap: heatmap(&index, &essay_order, &theme_order),
            strips: strips(&index, &texts, &essay_order),
            similarity,
            groups: group_nodes(&index),
            themes,
            essays,
            facets: facet_tables(&index),
            data,
        }
    }
}

/// The facets, in the order given, each value with its distinctive themes.
fn facet_tables(index: &Index) -> Vec<FacetTable> {
    let mut tables: Vec<FacetTable> = Vec::new();
    for line in index.input.facets {
        if tables.last().map_or(true, |t| t.facet != line.facet) {
            tables.push(FacetTable {
                facet: line.facet.clone(),
                values: Vec::new(),
            });
        }
        let in_facet: Vec<_> = index
            .input
            .facets
            .iter()
            .filter(|other| other.facet == line.facet)
            .collect();
        let distinctive = line
            .distinctive
            .iter()
            .filter_map(|d| {
                let own = line.themes.iter().find(|t| t.theme == d.theme)?;
                // The rest: the other values' sentences, in the theme and in all.
                let (rest_in, rest_all) = in_facet
                    .iter()
                    .filter(|other| other.value != line.value)
                    .fold((0, 0), |(inside, all), other| {
                        let count = other
                            .themes
                            .iter()
                            .find(|t| t.theme == d.theme)
                            .map_or(0, |t| t.sentences);
                        (inside + count, all + other.sentences)
                    });
                let example = d.examples.first();
                Some(DistinctiveRow {
                    theme: index.chip(d.theme, own.share)?,
                    here: percent(own.share),
                    elsewhere: percent(if rest_all == 0 {
                        0.0
                    } else {
                        rest_in as f64 / rest_all as f64
                    }),
                    z: format!("{:.1}", d.z),
                    example: example.map(|e| e.text.clone()).unwrap_or_default(),
                    example_essay: example
                        .and_then(|e| index.document(&e.doc_id))
                        .map(|doc| doc.title.clone())
                        .unwrap_or_default(),
                })
            })
            .collect();
        if let Some(table) = tables.last_mut() {
            table.values.push(FacetValue {
                value: line.value.clone(),
                documents: line.documents,
                distinctive,
            });
        }
    }
    tables
}

/// The theme tree: every group with its themes, largest first.
fn group_nodes(index: &Index) -> Vec<GroupNode> {
    index
        .input
        .themes
        .groups
        .iter()
        .map(|group| GroupNode {
            id: group.id,
            label: group.label.clone(),
            percent: percent(group.weight),
            keywords: group.keywords.iter().take(5).cloned().collect(),
            themes: group
                .themes
                .iter()
                .filter_map(|&id| {
                    let theme = index.themes().get(*index.theme.get(&id)?)?;
                    index.chip(id, theme.weight)
                })
                .collect(),
        })
        .collect()
}

/// Essays grouped under the theme columns: by the column of their largest
/// theme, then by that theme's share (largest first), then in `similar`
/// order, so the heatmap reads as a diagonal and the similarity matrix shows
/// the same groups.
fn seriate(shares: &Array2<f64>, similar: &[usize], theme_order: &[usize]) -> Vec<usize> {
    let mut column = vec![0; theme_order.len()];
    for (c, &t) in theme_order.iter().enumerate() {
        column[t] = c;
    }
    let key = |d: usize| {
        let row = shares.row(d);
        let dominant = (0..row.len()).fold(None, |best: Option<usize>, t| match best {
            Some(b) if row[b] >= row[t] => Some(b),
            _ if row[t] > 0.0 => Some(t),
            _ => best,
        });
        dominant.map_or((usize::MAX, 0.0), |t| (column[t], -row[t]))
    };
    let mut order = similar.to_vec();
    // A stable sort keeps the similarity order within ties.
    order.sort_by(|&a, &b| {
        let (ka, kb) = (key(a), key(b));
        ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
    });
    order
}

fn facts(index: &Index) -> Facts {
    let facts = index.input.facts;
    let slowest = facts
        .stage_seconds
        .iter()
        .map(|(_, s)| *s)
        .fold(0.0f64, f64::max);
    Facts {
        input: facts.input.clone(),
        model: facts.model.clone(),
        model_checksum: facts.model_checksum.clone(),
        documents: facts.documents,
        sentences: facts.sentences,
        themes: index.themes().len(),
        embedded: facts.embedded,
        from_cache: facts.from_cache,
        summaries_made: facts.summaries_made,
        summaries_reused: facts.summaries_reused,
        skipped: facts.skipped.clone(),
        stages: facts
            .stage_seconds
            .iter()
            .map(|(name, seconds)| StageRow {
                name: name.clone(),
                seconds: seconds_text(*seconds),
                bar: if slowest > 0.0 {
                    round1(100.0 * seconds / slowest)
                } else {
                    0.0
                },
            })
            .collect(),
        total_seconds: seconds_text(facts.stage_seconds.iter().map(|(_, s)| s).sum()),
        created: facts.created.clone(),
    }
}

fn map(index: &Index, centroids: &Array2<f64>) -> Map {
    const WIDTH: f64 = 1120.0;
    const HEIGHT: f64 = 540.0;
    const PAD: f64 = 60.0;
    const MAX_R: f64 = 34.0;
    const MIN_R: f64 = 7.0;

    let themes = index.themes();
    let input = index.input;
    // Sentences drawn as dots: (row, theme position), an even sample.
    let mut members: Vec<(usize, usize)> = Vec::new();
    if input.embeddings.nrows() == input.sentences.len()
        && input.assignments.len() == input.sentences.len()
    {
        for (i, (sentence, assignment)) in input.sentences.iter().zip(input.assignments).enumerate()
        {
            if sentence.doc_id == assignment.doc_id && sentence.index == assignment.index {
                if let Some(&t) = index.theme.get(&assignment.theme) {
                    members.push((i, t));
                }
            }
        }
    }
    let sentence_vector = |i: usize| unit(input.embeddings.row(i).mapv(f64::from));
    // The plane is fitted to the themes' mean sentence vectors, so that each
    // theme's circle sits at the centre of its dots; without sentence
    // vectors, to the centroids.
    let with_dots = !members.is_empty() && input.embeddings.ncols() == centroids.ncols();
    let anchors = if with_dots {
        let mut sums = Array2::<f64>::zeros(centroids.dim());
        let mut counts = vec![0usize; themes.len()];
        for &(i, t) in &members {
            sums.row_mut(t).scaled_add(1.0, &sentence_vector(i));
            counts[t] += 1;
        }
        for (t, mut row) in sums.outer_iter_mut().enumerate() {
            if counts[t] > 0 {
                row /= counts[t] as f64;
            } else {
                row.assign(&centroids.row(t));
            }
        }
        sums
    } else {
        centroids.clone()
    };
    let plane = Plane::fit(anchors.view());
    let points: Vec<(f64, f64)> = anchors.outer_iter().map(|c| plane.project(c)).collect();
    let step = members.len().div_ceil(MAX_DOTS).max(1);
    let dots: Vec<((f64, f64), usize)> = if with_dots {
        members
            .iter()
            .step_by(step)
            .map(|&(i, t)| (plane.project(sentence_vector(i).view()), t))
            .collect()
    } else {
        Vec::new()
    };

    // The frame holds the themes; dots far from every theme fall outside it
    // and are left out. With fewer than three themes there is too little
    // spread to frame, and the middle 96% of the dots on each axis decide.
    let mut x_range = (f64::MAX, f64::MIN);
    let mut y_range = (f64::MAX, f64::MIN);
    let widen = |range: &mut (f64, f64), v: f64| *range = (range.0.min(v), range.1.max(v));
    for &(x, y) in &points {
        widen(&mut x_range, x);
        widen(&mut y_range, y);
    }
    if points.len() < 3 {
        let quantiles = |mut values: Vec<f64>| -> Option<(f64, f64)> {
            values.sort_by(f64::total_cmp);
            let last = values.len().checked_sub(1)?;
            let at = |q: f64| values[((last as f64) * q).round() as usize];
            Some((at(0.02), at(0.98)))
        };
        if let Some((a, b)) = quantiles(dots.iter().map(|(p, _)| p.0).collect()) {
            widen(&mut x_range, a);
            widen(&mut x_range, b);
        }
        if let Some((a, b)) = quantiles(dots.iter().map(|(p, _)| p.1).collect()) {
            widen(&mut y_range, a);
            widen(&mut y_range, b);
        }
    }
    let span_x = (x_range.1 - x_range.0).max(1e-9);
    let span_y = (y_range.1 - y_range.0).max(1e-9);
    let scale = ((WIDTH - 2.0 * PAD) / span_x).min((HEIGHT - 2.0 * PAD) / span_y);
    let place = |(x, y): (f64, f64)| {
        if points.is_empty() {
            return (WIDTH / 2.0, HEIGHT / 2.0);
        }
        let cx = WIDTH / 2.0 + (x - (x_range.0 + x_range.1) / 2.0) * scale;
        // SVG's y grows downwards; the second component grows upwards.
        let cy = HEIGHT / 2.0 - (y - (y_range.0 + y_range.1) / 2.0) * scale;
        (round1(cx), round1(cy))
    };
    let inside = |(x, y): (f64, f64)| (0.0..=WIDTH).contains(&x) && (0.0..=HEIGHT).contains(&y);

    let heaviest = themes.iter().map(|t| t.weight).fold(0.0f64, f64::max);
    let mut map_themes: Vec<MapTheme> = themes
        .iter()
        .zip(&points)
        .enumerate()
        .map(|(position, (theme, &point))| {
            let (x, y) = place(point);
            let r = if heaviest > 0.0 {
                MIN_R + (MAX_R - MIN_R) * (theme.weight / heaviest).max(0.0).sqrt()
            } else {
                MIN_R
            };
            MapTheme {
                id: theme.id,
                label: truncate(&theme.label, LABEL_CHARS),
                percent: percent(theme.weight),
                x,
                y,
                r: round1(r),
                colour: palette::theme(position),
                text: palette::theme_text(position),
                label_x: x,
                label_y: y,
                anchor: "middle",
            }
        })
        .collect();
    // Big themes first: they are drawn below and labelled first.
    map_themes.sort_by(|a, b| b.r.total_cmp(&a.r).then(a.id.cmp(&b.id)));
    place_labels(&mut map_themes, WIDTH, HEIGHT);
    Map {
        width: WIDTH,
        height: HEIGHT,
        dots: dots
            .into_iter()
            .map(|(p, t)| (place(p), t))
            .filter(|&(p, _)| inside(p))
            .map(|((x, y), t)| Dot {
                x,
                y,
                colour: palette::theme(t),
            })
            .collect(),
        themes: map_themes,
    }
}

/// Puts each theme's label below, above, right or left of its circle: the
/// first place that overlaps no circle and no label placed before it, or
/// else the place that overlaps least.
fn place_labels(themes: &mut [MapTheme], width: f64, height: f64) {
    /// (left, top, right, bottom)
    type Box = (f64, f64, f64, f64);
    fn overlap(a: Box, b: Box) -> f64 {
        let w = (a.2.min(b.2) - a.0.max(b.0)).max(0.0);
        let h = (a.3.min(b.3) - a.1.max(b.1)).max(0.0);
        w * h
    }
    const CHAR_W: f64 = 7.4;
    const LINE: f64 = 14.0;
    let circles: Vec<Box> = themes
        .iter()
        .map(|t| (t.x - t.r, t.y - t.r, t.x + t.r, t.y + t.r))
        .collect();
    let mut placed: Vec<Box> = Vec::new();
    for (i, theme) in themes.iter_mut().enumerate() {
        let w = theme.label.chars().count() as f64 * CHAR_W;
        let (x, y, r) = (theme.x, theme.y, theme.r);
        // (label x, baseline y, anchor, box)
        let candidates = [
            (
                x,
                y + r + 15.0,
                "middle",
                (x - w / 2.0, y + r + 3.0, x + w / 2.0, y + r + 3.0 + LINE),
            ),
            (
                x,
                y - r - 6.0,
                "middle",
                (
                    x - w / 2.0,
                    y - r - 6.0 - LINE + 3.0,
                    x + w / 2.0,
                    y - r - 3.0,
                ),
            ),
            (
                x + r + 6.0,
                y + 4.5,
                "start",
                (x + r + 6.0, y - LINE / 2.0, x + r + 6.0 + w, y + LINE / 2.0),
            ),
            (
                x - r - 6.0,
                y + 4.5,
                "end",
                (x - r - 6.0 - w, y - LINE / 2.0, x - r - 6.0, y + LINE / 2.0),
            ),
        ];
        let cost = |b: Box| {
            let outside = if b.0 < 0.0 || b.1 < 0.0 || b.2 > width || b.3 > height {
                1e6
            } else {
                0.0
            };
            outside
                + circles
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, &c)| overlap(b, c))
                    .sum::<f64>()
                + placed.iter().map(|&p| overlap(b, p)).sum::<f64>()
        };
        let best = candidates
            .iter()
            .map(|c| (cost(c.3), c))
            .fold(None, |best: Option<(f64, _)>, (cost, c)| match best {
                Some((b, _)) if b <= cost => best,
                _ => Some((cost, c)),
            })
            .map(|(_, c)| *c)
            .expect("four candidates");
        theme.label_x = round1(best.0);
        theme.label_y = round1(best.1);
        theme.anchor = best.2;
        placed.push(best.3);
    }
}

fn heatmap(index: &Index, essay_order: &[usize], theme_order: &[usize]) -> Heatmap {
    let shares = index.shares();
    let documents = index.input.documents;
    let themes = index.themes();
    let cell_w = 48.0;
    let cell_h = rows_height(documents.len());
    let left = label_width(documents.iter().map(|d| d.title.as_str()));
    let top = 150.0;
    let columns: Vec<Column> = theme_order
        .iter()
        .enumerate()
        .map(|(c, &t)| Column {
            x: round1(left + c as f64 * cell_w),
            id: themes[t].id.to_string(),
            label: truncate(&themes[t].label, 26),
            full: themes[t].label.clone(),
            colour: palette::theme(t),
            text: palette::theme_text(t),
        })
        .collect();
    let rows = essay_rows(documents, essay_order, top, cell_h);
    let mut cells = Vec::new();
    for (r, &d) in essay_order.iter().enumerate() {
        for (c, &t) in theme_order.iter().enumerate() {
            let share = shares[[d, t]];
            cells.push(Cell {
                x: round1(left + c as f64 * cell_w),
                y: round1(top + r as f64 * cell_h),
                fill: Ramp::Blues.colour(share),
                text: Ramp::Blues.text(share),
                value: if share >= 0.005 {
                    percent(share)
                } else {
                    String::new()
                },
                tip: format!(
                    "{} · theme {} ({}): {}",
                    documents[d].title,
                    themes[t].id,
                    themes[t].label,
                    percent(share)
                ),
                row: documents[d].doc_id.clone(),
                column: themes[t].id.to_string(),
            });
        }
    }
    Heatmap {
        width: round1(left + themes.len() as f64 * cell_w + OVERHANG),
        height: round1(top + documents.len() as f64 * cell_h + 8.0),
        left,
        top,
        cell_w,
        cell_h,
        columns,
        rows,
        cells,
        show_values: cell_h >= 18.0,
    }
}

fn similarity(index: &Index, vectors: &Array2<f64>, essay_order: &[usize]) -> Similarity {
    let documents = index.input.documents;
    let n = documents.len();
    let cell = rows_height(n);
    let left = label_width(documents.iter().map(|d| d.title.as_str()));
    let top = 150.0;
    let cosine = vectors.dot(&vectors.t());
    // The colour scale spans the off-diagonal values, where the differences are.
    let (mut low, mut high) = (f64::MAX, f64::MIN);
    for i in 0..n {
        for j in 0..n {
            if i != j {
                low = low.min(cosine[[i, j]]);
                high = high.max(cosine[[i, j]]);
            }
        }
    }
    if low > high {
        (low, high) = (0.0, 1.0);
    }
    let spread = (high - low).max(1e-9);
    let columns = essay_order
        .iter()
        .enumerate()
        .map(|(c, &d)| Column {
            x: round1(left + c as f64 * cell),
            id: documents[d].doc_id.clone(),
            label: truncate(&documents[d].title, 26),
            full: documents[d].title.clone(),
            colour: "#ffffff",
            text: "#1a1a1a",
        })
        .collect();
    // Where on the ramp the cell of essays `a` and `b` lies; `None` on the
    // diagonal, drawn grey.
    let shade =
        |a: usize, b: usize| (a != b).then(|| 0.08 + 0.92 * (cosine[[a, b]] - low) / spread);
    let image = (n > 0).then(|| {
        bitmap::data_uri(n, n, |c, r| {
            shade(essay_order[r], essay_order[c]).map_or([0xd9; 3], |t| Ramp::Purples.rgb(t))
        })
    });
    let mut labels = Vec::new();
    if cell >= 30.0 {
        for (r, &a) in essay_order.iter().enumerate() {
            for (c, &b) in essay_order.iter().enumerate() {
                if let Some(t) = shade(a, b) {
                    labels.push(CellLabel {
                        x: round1(left + (c as f64 + 0.5) * cell),
                        y: round1(top + (r as f64 + 0.5) * cell),
                        text: Ramp::Purples.text(t),
                        value: format!("{:.2}", cosine[[a, b]]),
                    });
                }
            }
        }
    }
    let values = SimilarityValues {
        essays: essay_order.to_vec(),
        thousandths: essay_order
            .iter()
            .flat_map(|&a| essay_order.iter().map(move |&b| (a, b)))
            .map(|(a, b)| (cosine[[a, b]] * 1000.0).round() as i64)
            .collect(),
    };
    Similarity {
        width: round1(left + n as f64 * cell + OVERHANG),
        height: round1(top + n as f64 * cell + 8.0),
        left,
        top,
        cell,
        columns,
        rows: essay_rows(documents, essay_order, top, cell),
        image,
        labels,
        low: format!("{:.2}", if n > 1 { low } else { 0.0 }),
        high: format!("{:.2}", if n > 1 { high } else { 1.0 }),
        values,
    }
}

fn theme_cards(index: &Index) -> Vec<ThemeCard> {
    let input = index.input;
    let sentence: HashMap<(&str, usize), &str> = input
        .sentences
        .iter()
        .map(|s| ((s.doc_id.as_str(), s.index), s.text.as_str()))
        .collect();
    let summary: HashMap<ThemeId, &str> = input
        .theme_summaries
        .iter()
        .map(|s| (s.theme, s.summary.as_str()))
        .collect();
    index
        .themes()
        .iter()
        .enumerate()
        .map(|(position, theme)| ThemeCard {
            id: theme.id,
            label: theme.label.clone(),
            group: input
                .themes
                .groups
                .iter()
                .find(|g| g.id == theme.group)
                .map(|g| g.label.clone()),
            colour: palette::theme(position),
            text: palette::theme_text(position),
            size: theme.size,
            percent: percent(theme.weight),
            documents: theme.documents,
            keywords: theme.keywords.clone(),
            summary: summary
                .get(&theme.id)
                .filter(|s| !s.trim().is_empty())
                .map(|s| s.trim().to_string()),
            representatives: theme
                .representatives
                .iter()
                .filter_map(|r| {
                    let text = sentence.get(&(r.doc_id.as_str(), r.index))?;
                    Some(Quote {
                        text: text.trim().to_string(),
                        doc_id: r.doc_id.clone(),
                        title: index
                            .document(&r.doc_id)
                            .map_or_else(|| r.doc_id.clone(), |d| d.title.clone()),
                    })
                })
                .collect(),
        })
        .collect()
}

fn essay_cards(index: &Index) -> Vec<EssayCard> {
    let input = index.input;
    let summary: HashMap<&str, &str> = input
        .document_summaries
        .iter()
        .map(|s| (s.doc_id.as_str(), s.summary.as_str()))
        .collect();
    let themes: HashMap<&str, &precis_themes::DocumentThemes> = input
        .document_themes
        .iter()
        .map(|d| (d.doc_id.as_str(), d))
        .collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for s in input.sentences {
        *counts.entry(s.doc_id.as_str()).or_default() += 1;
    }
    let prefix = link_path(&input.facts.source_prefix);
    input
        .documents
        .iter()
        .map(|doc| EssayCard {
            doc_id: doc.doc_id.clone(),
            title: doc.title.clone(),
            source: doc.source.clone(),
            href: format!("{prefix}{}", link_path(&doc.source)),
            sentences: counts.get(doc.doc_id.as_str()).copied().unwrap_or(0),
            summary: summary
                .get(doc.doc_id.as_str())
                .filter(|s| !s.trim().is_empty())
                .map(|s| s.trim().to_string()),
            themes: themes
                .get(doc.doc_id.as_str())
                .map(|d| {
                    d.themes
                        .iter()
                        .filter(|s| s.share >= TOP_THEME_SHARE)
                        .take(TOP_THEMES)
                        .filter_map(|s| index.chip(s.theme, s.share))
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect()
}

/// Each document's sentences in order, with their themes and paragraphs.
fn essay_texts(index: &Index) -> Vec<EssayText> {
    let input = index.input;
    let theme: HashMap<(&str, usize), ThemeId> = input
        .assignments
        .iter()
        .map(|a| ((a.doc_id.as_str(), a.index), a.theme))
        .collect();
    let mut sentences: Vec<Vec<&precis_core::Sentence>> = vec![Vec::new(); input.documents.len()];
    for sentence in input.sentences {
        if let Some(&d) = index.document.get(sentence.doc_id.as_str()) {
            sentences[d].push(sentence);
        }
    }
    input
        .documents
        .iter()
        .zip(&mut sentences)
        .map(|(document, sentences)| {
            sentences.sort_by_key(|s| s.index);
            // A sentence begins a paragraph when it starts in another
            // paragraph than the sentence before it.
            let mut paragraph = 0;
            let mut paragraphs = Vec::new();
            for (i, s) in sentences.iter().enumerate() {
                let before = paragraph;
                while paragraph + 1 < document.paragraphs.len()
                    && document.paragraphs[paragraph].1 <= s.start
                {
                    paragraph += 1;
                }
                if i == 0 || paragraph != before {
                    paragraphs.push(i);
                }
            }
            EssayText {
                sentences: sentences
                    .iter()
                    .map(|s| s.text.trim().to_string())
                    .collect(),
                themes: sentences
                    .iter()
                    .map(|s| {
                        theme
                            .get(&(s.doc_id.as_str(), s.index))
                            .and_then(|t| index.theme.get(t))
                            .map_or(-1, |&p| p as i64)
                    })
                    .collect(),
                paragraphs,
            }
        })
        .collect()
}

/// The essays as strips, in `order`.
fn strips(index: &Index, texts: &[EssayText], order: &[usize]) -> Vec<Strip> {
    order
        .iter()
        .map(|&d| {
            let document = &index.input.documents[d];
            let themes = &texts[d].themes;
            let mut runs: Vec<StripRun> = Vec::new();
            for (i, &theme) in themes.iter().enumerate() {
                match runs.last_mut() {
                    Some(run) if run.theme == theme => run.width += 1,
                    _ => runs.push(StripRun {
                        x: i,
                        width: 1,
                        colour: usize::try_from(theme).map_or(palette::NO_THEME, palette::theme),
                        theme,
                    }),
                }
            }
            Strip {
                position: d,
                doc_id: document.doc_id.clone(),
                title: document.title.clone(),
                sentences: themes.len(),
                runs,
            }
        })
        .collect()
}

fn essay_rows(documents: &[Document], order: &[usize], top: f64, height: f64) -> Vec<Row> {
    order
        .iter()
        .enumerate()
        .map(|(r, &d)| Row {
            y: round1(top + r as f64 * height),
            doc_id: documents[d].doc_id.clone(),
            label: truncate(&documents[d].title, LABEL_CHARS),
            full: documents[d].title.clone(),
        })
        .collect()
}

/// Row height of a heatmap with `n` rows: roomy for a few, denser for many.
fn rows_height(n: usize) -> f64 {
    match n {
        0..=16 => 32.0,
        17..=40 => 22.0,
        _ => 14.0,
    }
}

/// Room for the row labels, estimated from their length (13 px sans-serif).
fn label_width<'a>(labels: impl Iterator<Item = &'a str>) -> f64 {
    let longest = labels
        .map(|l| l.chars().count().min(LABEL_CHARS + 1))
        .max()
        .unwrap_or(0);
    round1(24.0 + 7.2 * longest as f64)
}

/// A relative path as a URL path: `\` becomes `/`, and every byte outside
/// the unreserved set (and `/`) is percent-encoded, so that `#`, `?`, `%`
/// and spaces in file names still link to the file.
fn link_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.replace('\\', "/").bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(char::from(byte))
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn unit(v: Array1<f64>) -> Array1<f64> {
    let norm = v.dot(&v).sqrt();
    if norm > 0.0 && norm.is_finite() {
        v / norm
    } else {
        Array1::zeros(v.len())
    }
}

fn truncate(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_string()
    } else {
        let kept: String = text.chars().take(chars.saturating_sub(1)).collect();
        format!("{}…", kept.trim_end())
    }
}

fn percent(share: f64) -> String {
    let p = 100.0 * share;
    if p > 0.0 && p < 1.0 {
        "<1%".to_string()
    } else {
        format!("{p:.0}%")
    }
}

fn seconds_text(seconds: f64) -> String {
    if seconds < 10.0 {
        format!("{seconds:.2} s")
    } else {
        format!("{seconds:.1} s")
    }
}

fn round1(x: f64) -> f64 {
    let r = (x * 10.0).round() / 10.0;
    // No "-0" in the markup.
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_escape_what_urls_cannot_hold() {
        assert_eq!(link_path("notes/a b#1.md"), "notes/a%20b%231.md");
        assert_eq!(link_path("..\\input\\"), "../input/");
        assert_eq!(link_path("café.txt"), "caf%C3%A9.txt");
    }

    #[test]
    fn text_helpers() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(percent(0.004), "<1%");
        assert_eq!(percent(0.456), "46%");
        assert_eq!(round1(-0.01), 0.0);
    }
}
