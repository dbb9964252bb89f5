//! Document × document similarity, rendered as `themes/similarity.csv`.

use crate::identity::cosine;
use crate::{ThemeId, ThemeRun};
use ndarray::ArrayView2;
use precis_core::Sentence;
use std::collections::BTreeMap;
use std::fmt::Write;

/// `themes/similarity.csv`: one row per unordered pair of documents, in long
/// format, sorted by `doc_a` then `doc_b` (`doc_a < doc_b`):
///
/// ```text
/// doc_a,doc_b,theme_share_cosine,embedding_cosine
/// essay-01,essay-02,0.812345,0.734512
/// ```
///
/// `theme_share_cosine` is the cosine of the two documents' theme-share
/// vectors (1: same mix of themes, 0: no theme in common);
/// `embedding_cosine` that of their mean sentence embeddings. Values have 6
/// decimals; ids are quoted where CSV needs it.
pub fn similarity_csv(
    run: &ThemeRun,
    embeddings: ArrayView2<f32>,
    sentences: &[Sentence],
) -> String {
    let theme_ids: Vec<ThemeId> = run.set.themes.iter().map(|t| t.id).collect();
    // Theme shares and embedding sum of each document, by doc id.
    let mut documents: BTreeMap<&str, (Vec<f32>, Vec<f32>)> = BTreeMap::new();
    for doc in &run.documents {
        let mut shares = vec![0f32; theme_ids.len()];
        for share in &doc.themes {
            if let Ok(i) = theme_ids.binary_search(&share.theme) {
                shares[i] = share.share as f32;
            }
        }
        documents.insert(&doc.doc_id, (shares, vec![0f32; embeddings.ncols()]));
    }
    for (sentence, row) in sentences.iter().zip(embeddings.outer_iter()) {
        if let Some((_, mean)) = documents.get_mut(sentence.doc_id.as_str()) {
            for (m, &x) in mean.iter_mut().zip(row.iter()) {
                *m += x;
            }
        }
    }
    let documents: Vec<_> = documents.into_iter().collect();
    let mut csv = String::from("doc_a,doc_b,theme_share_cosine,embedding_cosine\n");
    for (i, (a, (shares_a, mean_a))) in documents.iter().enumerate() {
        for (b, (shares_b, mean_b)) in &documents[i + 1..] {
            let _ = writeln!(
                csv,
                "{},{},{:.6},{:.6}",
                field(a),
                field(b),
                cosine(shares_a, shares_b),
                cosine(mean_a, mean_b)
            );
        }
    }
    csv
}

/// A CSV field, quoted if it holds a comma, quote or line break.
fn field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_when_needed() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
