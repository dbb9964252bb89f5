//! End-to-end tests of [`find_themes`] on synthetic embeddings with a known
//! structure: documents whose sentences lie around one of a few directions.

use super::*;
use ndarray::Array2;
use std::collections::BTreeMap;

const DIM: usize = 384;

/// Words of each synthetic topic, so keywords can be checked.
const TOPICS: [[&str; 4]; 4] = [
    ["striker", "goal", "league match", "coach"],
    ["shares", "market", "interest rates", "investors"],
    ["election", "minister", "parliament vote", "party"],
    ["guitar", "album", "concert tour", "singer"],
];

fn unit_gaussian(rng: &mut SplitMix64) -> Vec<f32> {
    let mut v: Vec<f32> = (0..DIM)
        .map(|_| {
            // Box–Muller.
            let (u1, u2) = (rng.next_f64().max(1e-12), rng.next_f64());
            ((-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()) as f32
        })
        .collect();
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.iter_mut().for_each(|x| *x /= norm);
    v
}

/// The direction of each topic: the same in every corpus.
fn topic_centres() -> Vec<Vec<f32>> {
    let mut rng = SplitMix64::new(99);
    (0..TOPICS.len()).map(|_| unit_gaussian(&mut rng)).collect()
}

/// A corpus: `docs_per_topic` documents for each of the first `topics`
/// topics, each of `sentences_per_doc` sentences near the topic's direction.
struct Corpus {
    sentences: Vec<Sentence>,
    embeddings: Array2<f32>,
    /// Topic of each sentence.
    truth: Vec<u32>,
}

fn corpus(
    topics: usize,
    docs_per_topic: usize,
    sentences_per_doc: usize,
    noise: f32,
    seed: u64,
) -> Corpus {
    let mut rng = SplitMix64::new(seed);
    let centres = topic_centres();
    let mut sentences = Vec::new();
    let mut rows = Vec::new();
    let mut truth = Vec::new();
    for d in 0..topics * docs_per_topic {
        let topic = d % topics;
        for i in 0..sentences_per_doc {
            let words = TOPICS[topic];
            let text = format!(
                "Sentence {d}.{i}: the {} and the {} with {}.",
                words[i % 4],
                words[(i + d) % 4],
                words[(i + 2 * d + 1) % 4]
            );
            sentences.push(Sentence {
                doc_id: format!("doc-{d:03}"),
                index: i,
                start: 0,
                end: text.chars().count(),
                text,
            });
            let noise_dir = unit_gaussian(&mut rng);
            let mut v: Vec<f32> = centres[topic]
                .iter()
                .zip(&noise_dir)
                .map(|(c, n)| c + noise * n)
                .collect();
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            v.iter_mut().for_each(|x| *x /= norm);
            rows.extend(v);
            truth.push(topic as u32);
        }
    }
    let n = sentences.len();
    Corpus {
        sentences,
        embeddings: Array2::from_shape_vec((n, DIM), rows).unwrap(),
        truth,
    }
}

/// The default configuration with a narrower search for k: these corpora
/// have at most four topics, and debug builds are slow.
fn test_config() -> ThemeConfig {
    ThemeConfig {
        max_themes: 8,
        ..ThemeConfig::default()
    }
}

fn themes_of(run: &ThemeRun) -> Vec<u32> {
    run.assignments.iter().map(|a| a.theme).collect()
}

#[test]
fn automatic_k_finds_the_three_topics() {
    let c = corpus(3, 6, 8, 0.9, 1);
    let run = find_themes(&c.sentences, c.embeddings.view(), None, &test_config());
    assert_eq!(run.set.themes.len(), 3, "{:?}", run.diagnostics);
    assert_eq!(run.diagnostics.k, 3);
    assert!(!run.diagnostics.forced);
    let best = run
        .diagnostics
        .silhouette
        .iter()
        .max_by(|a, b| a.silhouette.total_cmp(&b.silhouette))
        .unwrap();
    assert_eq!(best.k, 3);
    assert!((adjusted_rand_index(&themes_of(&run), &c.truth) - 1.0).abs() < 1e-12);
}

#[test]
fn automatic_k_finds_four_topics() {
    let c = corpus(4, 5, 6, 1.0, 2);
    let run = find_themes(&c.sentences, c.embeddings.view(), None, &test_config());
    assert_eq!(run.set.themes.len(), 4);
    assert!((normalized_mutual_information(&themes_of(&run), &c.truth) - 1.0).abs() < 1e-12);
}

#[test]
fn forced_k_is_obeyed() {
    let c = corpus(3, 6, 8, 0.9, 3);
    for k in [1, 2, 5] {
        let config = ThemeConfig {
            themes: Some(k),
            ..test_config()
        };
        let run = find_themes(&c.sentences, c.embeddings.view(), None, &config);
        assert_eq!(run.set.themes.len(), k);
        assert!(run.diagnostics.forced);
        assert!(run.diagnostics.silhouette.is_empty());
    }
}

#[test]
fn every_sentence_is_assigned_and_shares_sum_to_one() {
    let c = corpus(3, 5, 7, 1.2, 4);
    let run = find_themes(&c.sentences, c.embeddings.view(), None, &test_config());
    assert_eq!(run.assignments.len(), c.sentences.len());
    let ids: Vec<ThemeId> = run.set.themes.iter().map(|t| t.id).collect();
    for (a, s) in run.assignments.iter().zip(&c.sentences) {
        assert_eq!((&a.doc_id, a.index), (&s.doc_id, s.index));
        assert!(ids.contains(&a.theme));
    }
    assert_eq!(
        run.set.themes.iter().map(|t| t.size).sum::<usize>(),
        c.sentences.len()
    );
    assert!((run.set.themes.iter().map(|t| t.weight).sum::<f64>() - 1.0).abs() < 1e-9);
    assert_eq!(run.documents.len(), 15);
    for doc in &run.documents {
        let total: f64 = doc.themes.iter().map(|s| s.share).sum();
        assert!((total - 1.0).abs() < 1e-9, "{doc:?}");
        assert!(doc
            .themes
            .windows(2)
            .all(|w| w[0].share > w[1].share
                || (w[0].share == w[1].share && w[0].theme < w[1].theme)));
    }
    for theme in &run.set.themes {
        assert_eq!(theme.representatives.len(), 3);
        let docs: std::collections::HashSet<&str> = theme
            .representatives
            .iter()
            .map(|r| r.doc_id.as_str())
            .collect();
        assert_eq!(docs.len(), 3, "representatives from different documents");
        assert!(!theme.keywords.is_empty());
        assert_eq!(theme.centroid.len(), DIM);
    }
}

#[test]
fn themes_are_numbered_by_size() {
    // Topic 0 gets twice the documents of the others.
    let mut c = corpus(3, 4, 6, 0.9, 5);
    let extra = corpus(3, 4, 6, 0.9, 6);
    for (s, row) in extra
        .sentences
        .iter()
        .zip(extra.embeddings.outer_iter())
        .filter(|(s, _)| {
            let d: usize = s.doc_id[4..].parse().unwrap();
            d % 3 == 0
        })
    {
        let mut s = s.clone();
        s.doc_id = format!("extra-{}", s.doc_id);
        c.sentences.push(s);
        c.embeddings.push_row(row).unwrap();
    }
    let run = find_themes(&c.sentences, c.embeddings.view(), None, &test_config());
    assert_eq!(run.set.themes[0].id, 1);
    assert_eq!(run.set.themes[0].size, 48);
    assert!(run.set.themes[0]
        .keywords
        .iter()
        .any(|k| TOPICS[0].contains(&k.as_str())));
}

#[test]
fn keywords_come_from_the_theme_topic() {
    let c = corpus(3, 6, 8, 0.9, 7);
    let run = find_themes(&c.sentences, c.embeddings.view(), None, &test_config());
    for theme in &run.set.themes {
        let member = run
            .assignments
            .iter()
            .position(|a| a.theme == theme.id)
            .unwrap();
        let topic = TOPICS[c.truth[member] as usize];
        for keyword in theme.keywords.iter().take(3) {
            assert!(
                topic
                    .iter()
                    .any(|w| w.contains(keyword.as_str()) || keyword.contains(w)),
                "{keyword:?} not from {topic:?}: {:?}",
                theme.keywords
            );
        }
        assert_eq!(theme.label, theme.keywords[..3].join(" · "));
    }
}

/// Theme of each topic, as most of the topic's sentences are assigned.
fn theme_of_topic(run: &ThemeRun, truth: &[u32]) -> BTreeMap<u32, ThemeId> {
    let mut votes: BTreeMap<(u32, ThemeId), usize> = BTreeMap::new();
    for (a, &topic) in run.assignments.iter().zip(truth) {
        *votes.entry((topic, a.theme)).or_default() += 1;
    }
    let mut best: BTreeMap<u32, (usize, ThemeId)> = BTreeMap::new();
    for ((topic, theme), n) in votes {
        let entry = best.entry(topic).or_insert((n, theme));
        if n > entry.0 {
            *entry = (n, theme);
        }
    }
    best.into_iter().map(|(t, (_, theme))| (t, theme)).collect()
}

#[test]
fn a_document_on_two_topics_gets_both_themes() {
    // Three topics, plus documents made of four topic-0 sentences followed
    // by four topic-1 sentences: document context must not fold one half
    // into the other's theme.
    let mut c = corpus(3, 6, 8, 0.9, 21);
    let extra = corpus(3, 6, 8, 0.9, 22);
    for mixed in 0..3 {
        // Documents 3·mixed (topic 0) and 3·mixed + 1 (topic 1) of `extra`.
        for (i, from) in [(0..4, 3 * mixed * 8), (4..8, (3 * mixed + 1) * 8)]
            .into_iter()
            .flat_map(|(indices, first)| indices.map(move |i| (i, first + i)))
        {
            let mut s = extra.sentences[from].clone();
            s.doc_id = format!("mixed-{mixed}");
            s.index = i;
            c.sentences.push(s);
            c.embeddings.push_row(extra.embeddings.row(from)).unwrap();
            c.truth.push(extra.truth[from]);
        }
    }
    let run = find_themes(&c.sentences, c.embeddings.view(), None, &test_config());
    assert_eq!(run.set.themes.len(), 3, "{:?}", run.diagnostics);
    let theme = theme_of_topic(&run, &c.truth);
    for (a, &topic) in run.assignments.iter().zip(&c.truth) {
        assert_eq!(a.theme, theme[&topic], "{a:?} of topic {topic}");
    }
    for doc in &run.documents {
        if doc.doc_id.starts_with("mixed") {
            let mut shares: Vec<(ThemeId, f64)> =
                doc.themes.iter().map(|s| (s.theme, s.share)).collect();
            shares.sort_by_key(|&(t, _)| t);
            let mut expected = vec![(theme[&0], 0.5), (theme[&1], 0.5)];
            expected.sort_by_key(|&(t, _)| t);
            assert_eq!(shares, expected, "{}", doc.doc_id);
        } else {
            assert_eq!(doc.themes.len(), 1, "{doc:?}");
        }
    }
}

#[test]
fn an_undecided_sentence_follows_its_document() {
    // A topic-2 document gains a sentence halfway between topics 0 and 1:
    // its own vector cannot choose, so it takes its document's theme.
    let mut c = corpus(3, 6, 8, 0.9, 23);
    let centres = topic_centres();
    let mut between = Array1::from_iter(centres[0].iter().zip(&centres[1]).map(|(a, b)| a + b));
    between /= between.dot(&between).sqrt();
    let mut s = c.sentences[2 * 8].clone();
    assert_eq!(c.truth[2 * 8], 2);
    s.index = 8;
    s.text = "Sentence 2.8: neither the striker nor the shares.".to_owned();
    c.sentences.push(s);
    c.embeddings.push_row(between.view()).unwrap();
    c.truth.push(2);
    let run = find_themes(&c.sentences, c.embeddings.view(), None, &test_config());
    let theme = theme_of_topic(&run, &c.truth);
    let last = run.assignments.last().unwrap();
    assert_eq!(last.theme, theme[&2]);
    assert!(last.low_confidence, "{last:?}");
    assert!(last.margin < test_config().low_confidence_margin);
    assert_eq!(
        run.assignments.iter().filter(|a| a.low_confidence).count(),
        1
    );
}

/// Reverses the documents, shuffles them, and renames every document.
fn permuted_and_renamed(
    c: &Corpus,
    seed: u64,
) -> (Vec<Sentence>, Array2<f32>, BTreeMap<String, String>) {
    let mut docs: Vec<String> = c.sentences.iter().map(|s| s.doc_id.clone()).collect();
    docs.dedup();
    let mut rng = SplitMix64::new(seed);
    for i in (1..docs.len()).rev() {
        docs.swap(i, rng.below(i + 1));
    }
    let renamed: BTreeMap<String, String> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            (
                d.clone(),
                format!(
                    "renamed/{}-{i}",
                    (seed as usize % 89 + 977) * (i + 13) % 101
                ),
            )
        })
        .collect();
    let mut sentences = Vec::new();
    let mut rows = Vec::new();
    for doc in &docs {
        for (s, row) in c.sentences.iter().zip(c.embeddings.outer_iter()) {
            if &s.doc_id == doc {
                let mut s = s.clone();
                s.doc_id = renamed[doc].clone();
                sentences.push(s);
                rows.extend(row.iter().copied());
            }
        }
    }
    let n = sentences.len();
    (
        sentences,
        Array2::from_shape_vec((n, DIM), rows).unwrap(),
        renamed,
    )
}

#[test]
fn output_ignores_document_order_and_names() {
    let c = corpus(3, 6, 8, 1.1, 8);
    let config = test_config();
    let run = find_themes(&c.sentences, c.embeddings.view(), None, &config);
    let (sentences, embeddings, renamed) = permuted_and_renamed(&c, 11);
    let other = find_themes(&sentences, embeddings.view(), None, &config);
    assert_same_up_to_renaming(&run, other, &renamed);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 6, ..Default::default() })]

    /// Also with a forced k, overlapping topics (more noise) and previous ids.
    #[test]
    fn any_order_and_names_give_the_same_themes(seed in proptest::prelude::any::<u64>()) {
        let c = corpus(3, 4, 5, 1.4, 19);
        let previous = find_themes(&c.sentences, perturbed(&c, 0.2, 20).view(), None, &test_config());
        let config = ThemeConfig { themes: Some(4), ..test_config() };
        let run = find_themes(&c.sentences, c.embeddings.view(), Some(&previous.set), &config);
        let (sentences, embeddings, renamed) = permuted_and_renamed(&c, seed);
        let other = find_themes(&sentences, embeddings.view(), Some(&previous.set), &config);
        assert_same_up_to_renaming(&run, other, &renamed);
    }
}

/// `other` ran on the documents of `run` renamed by `renamed` (and
/// reordered): once names are restored, everything must match byte for byte.
fn assert_same_up_to_renaming(
    run: &ThemeRun,
    mut other: ThemeRun,
    renamed: &BTreeMap<String, String>,
) {
    // Undo the renaming; everything else must be identical, byte for byte.
    let original: BTreeMap<&str, &str> = renamed
        .iter()
        .map(|(a, b)| (b.as_str(), a.as_str()))
        .collect();
    for theme in &mut other.set.themes {
        for r in &mut theme.representatives {
            r.doc_id = original[r.doc_id.as_str()].to_owned();
        }
    }
    assert_eq!(
        serde_json::to_string(&run.set).unwrap(),
        serde_json::to_string(&other.set).unwrap()
    );
    assert_eq!(run.diagnostics, other.diagnostics);
    assert_eq!(run.changes, other.changes);
    let by_sentence: BTreeMap<(String, usize), String> = other
        .assignments
        .iter()
        .map(|a| {
            let mut a = a.clone();
            a.doc_id = original[a.doc_id.as_str()].to_owned();
            (
                (a.doc_id.clone(), a.index),
                serde_json::to_string(&a).unwrap(),
            )
        })
        .collect();
    for a in &run.assignments {
        assert_eq!(
            by_sentence[&(a.doc_id.clone(), a.index)],
            serde_json::to_string(a).unwrap()
        );
    }
    let docs: BTreeMap<&str, &Vec<ThemeShare>> = other
        .documents
        .iter()
        .map(|d| (original[d.doc_id.as_str()], &d.themes))
        .collect();
    for d in &run.documents {
        assert_eq!(docs[d.doc_id.as_str()], &d.themes);
    }
}

#[test]
fn repeated_runs_are_identical() {
    let c = corpus(3, 4, 5, 1.3, 9);
    let config = test_config();
    let a = find_themes(&c.sentences, c.embeddings.view(), None, &config);
    let b = find_themes(&c.sentences, c.embeddings.view(), None, &config);
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
}

fn perturbed(c: &Corpus, amount: f32, seed: u64) -> Array2<f32> {
    let mut rng = SplitMix64::new(seed);
    let mut e = c.embeddings.clone();
    for mut row in e.outer_iter_mut() {
        let noise = unit_gaussian(&mut rng);
        row.iter_mut()
            .zip(&noise)
            .for_each(|(x, n)| *x += amount * n);
    }
    normalize_rows(&mut e);
    e
}

#[test]
fn ids_survive_a_small_change() {
    let c = corpus(3, 6, 8, 0.9, 10);
    let config = test_config();
    let first = find_themes(&c.sentences, c.embeddings.view(), None, &config);
    assert_eq!(first.changes.new, vec![1, 2, 3]);
    let second = find_themes(
        &c.sentences,
        perturbed(&c, 0.3, 12).view(),
        Some(&first.set),
        &config,
    );
    assert_eq!(themes_of(&first), themes_of(&second));
    assert_eq!(
        second.changes.kept.iter().map(|k| k.id).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert!(second.changes.kept.iter().all(|k| k.similarity > 0.9));
    assert!(second.changes.new.is_empty());
    assert!(second.changes.retired.is_empty());
}

#[test]
fn a_new_topic_gets_a_fresh_id_and_a_gone_one_retires() {
    let config = test_config();
    let three = corpus(3, 6, 8, 0.9, 13);
    let first = find_themes(&three.sentences, three.embeddings.view(), None, &config);

    // Same sentences for topics 0-2, plus a fourth topic: the old three keep their ids.
    let four = corpus(4, 6, 8, 0.9, 13);
    let second = find_themes(
        &four.sentences,
        four.embeddings.view(),
        Some(&first.set),
        &config,
    );
    assert_eq!(second.set.themes.len(), 4);
    assert_eq!(second.changes.new, vec![4]);
    assert_eq!(second.changes.kept.len(), 3);
    let topic3: Vec<ThemeId> = second
        .assignments
        .iter()
        .zip(&four.truth)
        .filter(|(_, &t)| t == 3)
        .map(|(a, _)| a.theme)
        .collect();
    assert!(topic3.iter().all(|&t| t == 4));

    // Back to two topics: one theme retires; later new ones never reuse its id.
    let two = corpus(2, 6, 8, 0.9, 13);
    let third = find_themes(
        &two.sentences,
        two.embeddings.view(),
        Some(&second.set),
        &config,
    );
    assert_eq!(third.set.themes.len(), 2);
    assert_eq!(third.changes.retired.len(), 2);
    let fourth = find_themes(
        &four.sentences,
        four.embeddings.view(),
        Some(&third.set),
        &config,
    );
    assert!(
        fourth.changes.new.iter().all(|&id| id > 4),
        "{:?}",
        fourth.changes
    );
}

fn snapshot(run: &ThemeRun) -> ThemeSnapshot {
    ThemeSnapshot {
        set: run.set.clone(),
        assignments: run.assignments.clone(),
        documents: run.documents.clone(),
    }
}

#[test]
fn comparing_a_run_with_itself() {
    let c = corpus(3, 5, 6, 1.0, 14);
    let run = find_themes(&c.sentences, c.embeddings.view(), None, &test_config());
    let comparison = compare(&snapshot(&run), &snapshot(&run));
    assert_eq!(comparison.aligned.len(), 3);
    assert!(comparison
        .aligned
        .iter()
        .all(|p| p.a.id == p.b.id && p.common_sentences == p.a.size));
    assert!(comparison.only_a.is_empty() && comparison.only_b.is_empty());
    assert!(comparison.changed_documents.is_empty());
    assert_eq!(comparison.shared_sentences, 90);
    assert_eq!(comparison.shared_documents, 15);
    assert!((comparison.adjusted_rand_index - 1.0).abs() < 1e-12);
    let text = comparison.to_string();
    assert!(text.contains("adjusted Rand index: 1.0000"), "{text}");
}

#[test]
fn comparing_runs_with_different_themes() {
    let c = corpus(3, 5, 6, 1.0, 15);
    let config = test_config();
    let a = find_themes(&c.sentences, c.embeddings.view(), None, &config);
    let b = find_themes(
        &c.sentences,
        c.embeddings.view(),
        None,
        &ThemeConfig {
            themes: Some(2),
            ..config
        },
    );
    let comparison = compare(&snapshot(&a), &snapshot(&b));
    assert_eq!(comparison.aligned.len(), 2);
    assert_eq!(comparison.only_a.len(), 1);
    assert!(comparison.only_b.is_empty());
    assert_eq!(
        comparison.changed_documents.len(),
        5,
        "the merged topic's documents"
    );
    let ari = adjusted_rand_index(&themes_of(&a), &themes_of(&b));
    assert!((comparison.adjusted_rand_index - ari).abs() < 1e-12);
    assert!(ari < 1.0 && ari > 0.0);
}

#[test]
fn similarity_csv_has_every_pair() {
    let c = corpus(2, 3, 4, 0.8, 16);
    let run = find_themes(&c.sentences, c.embeddings.view(), None, &test_config());
    let csv = similarity_csv(&run, c.embeddings.view(), &c.sentences);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "doc_a,doc_b,theme_share_cosine,embedding_cosine");
    assert_eq!(lines.len(), 1 + 6 * 5 / 2);
    // doc-000 and doc-002 share topic 0; doc-000 and doc-001 do not.
    assert!(lines
        .iter()
        .any(|l| l.starts_with("doc-000,doc-002,1.000000,")));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("doc-000,doc-001,0.000000,")));
}

#[test]
fn empty_and_tiny_inputs() {
    let config = test_config();
    let empty = find_themes(&[], Array2::<f32>::zeros((0, DIM)).view(), None, &config);
    assert!(
        empty.set.themes.is_empty() && empty.assignments.is_empty() && empty.documents.is_empty()
    );

    let c = corpus(1, 1, 1, 0.5, 17);
    let one = find_themes(&c.sentences, c.embeddings.view(), None, &config);
    assert_eq!(one.set.themes.len(), 1);
    assert_eq!(
        one.documents[0].themes,
        vec![ThemeShare {
            theme: 1,
            share: 1.0
        }]
    );

    // Identical sentences cannot make more themes than distinct points.
    let same = Array2::from_shape_fn((4, DIM), |(_, j)| if j == 0 { 1.0 } else { 0.0 });
    let c = corpus(1, 1, 4, 0.5, 18);
    let forced = ThemeConfig {
        themes: Some(3),
        ..test_config()
    };
    let run = find_themes(&c.sentences, same.view(), None, &forced);
    assert_eq!(run.set.themes.len(), 1);
}
