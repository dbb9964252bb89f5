//! The page as data: every position, colour and string the template writes,
//! and the data the page's script reads, computed from the run's values.
//! Numbers are rounded here so that the markup is stable.

mod cards;
mod data;
mod facets;
mod facts;
mod heatmap;
mod index;
mod map;
mod matrix;
mod pairs;
mod similarity;
mod strips;
mod text;

use crate::order::leaf_order;
use crate::script;
use crate::ReportInput;
use data::Data;
use index::Index;
use ndarray::Array2;
use serde::Serialize;

#[derive(Serialize, Debug)]
pub struct Page {
    title: String,
    facts: facts::Facts,
    map: map::Map,
    heatmap: heatmap::Heatmap,
    similarity: similarity::Similarity,
    strips: Vec<strips::Strip>,
    groups: Vec<cards::GroupNode>,
    themes: Vec<cards::ThemeCard>,
    essays: Vec<cards::EssayCard>,
    facets: Vec<facets::FacetTable>,
    /// [`Data`] as JSON, escaped to stand inside a script element.
    data: String,
}

impl Page {
    pub fn build(input: &ReportInput) -> Self {
        let index = Index::new(*input);
        let cosine = similarity::cosines(&index);
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
        let essay_order = leaf_order(cosine.nrows(), |a, b| 1.0 - cosine[[a, b]]);
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
        let texts = data::essay_texts(&index);
        let similarity = similarity::similarity(&index, &cosine, &essay_order);
        let themes = cards::theme_cards(&index);
        let essays = cards::essay_cards(&index);
        let data = script::json_for_script(&Data {
            themes: &themes,
            essays: &essays,
            texts: &texts,
            similarity: &similarity.values,
            side_by_side: &pairs::side_by_side(&index),
        });
        Self {
            title,
            facts: facts::facts(&index),
            map: map::map(&index, &centroids),
            heatmap: heatmap::heatmap(&index, &essay_order, &theme_order),
            strips: strips::strips(&index, &texts, &essay_order),
            similarity,
            groups: cards::group_nodes(&index),
            themes,
            essays,
            facets: facets::facet_tables(&index),
            data,
        }
    }
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
