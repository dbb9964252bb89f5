//! The theme map: the themes' circles on the plane of their mean sentence
//! vectors, over a sample of the sentences as dots, each label placed where
//! it overlaps least.

use super::matrix::LABEL_CHARS;
use super::text::{percent, round1, truncate};
use super::Index;
use crate::palette;
use crate::projection::Plane;
use ndarray::{Array1, Array2};
use precis_themes::ThemeId;
use serde::Serialize;

/// Most sentence dots drawn on the map; larger runs show an even sample.
const MAX_DOTS: usize = 3000;

#[derive(Serialize, Debug)]
pub(super) struct Map {
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

pub(super) fn map(index: &Index, centroids: &Array2<f64>) -> Map {
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

fn unit(v: Array1<f64>) -> Array1<f64> {
    let norm = v.dot(&v).sqrt();
    if norm > 0.0 && norm.is_finite() {
        v / norm
    } else {
        Array1::zeros(v.len())
    }
}
