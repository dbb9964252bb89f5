//! The facet tables: each value of a facet (a folder, an author) with its
//! distinctive themes.

use super::cards::ThemeChip;
use super::text::percent;
use super::Index;
use serde::Serialize;

/// One facet (a folder, an author): each value and its distinctive themes.
#[derive(Serialize, Debug)]
pub(super) struct FacetTable {
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

/// The facets, in the order given, each value with its distinctive themes.
pub(super) fn facet_tables(index: &Index) -> Vec<FacetTable> {
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
