//! Theme keywords: class-based TF-IDF over 1–3-word phrases, diversified
//! with maximal marginal relevance.
//!
//! A phrase is a run of up to three neighbouring words with no stop word,
//! number or punctuation between them; variants are merged by their Snowball
//! stems ("tax cut" and "tax cuts") and shown in their most frequent form.
//!
//! Class-based TF-IDF scores phrase `t` in theme `c` as `tf(t, c) · idf(t, c)`,
//! where `tf` is the share of the theme's phrase occurrences that are `t`.
//! BERTopic's c-TF-IDF (Grootendorst 2022) takes `idf = ln(1 + A / f(t))`
//! (`f(t)`: occurrences of `t` in all themes; `A`: mean occurrences per
//! theme), which barely separates themes when there are few of them: on the
//! BBC set it ranked "year", "new" and "people" among the top keywords of
//! most themes. Here `idf` is the log-lift `ln(tf(t, c) / p(t))`, `p(t)`
//! being `t`'s share of all occurrences, so `tf · idf` is `t`'s term in the
//! Kullback–Leibler divergence of the theme's phrase distribution from the
//! corpus's: high for phrases both frequent in the theme and concentrated
//! in it. Only phrases over-represented in the theme (lift > 1) qualify.
//! Occurrences count sentences, not repetitions within one sentence.
//!
//! MMR (Carbonell & Goldstein 1998) then picks keywords one at a time,
//! trading relevance against similarity to those already picked. This crate
//! has no text encoder, so a phrase's vector is the mean embedding of the
//! theme's sentences that contain it.

use crate::stopwords::{is_keyword_stop, is_stop_word};
use ndarray::{Array1, ArrayView1, ArrayView2};
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashMap;

/// Longest phrase, in words.
const MAX_PHRASE_WORDS: usize = 3;

/// Marks the unused places of a phrase of fewer than three words.
const NONE: u32 = u32::MAX;

/// Phrases found in a corpus, interned.
#[derive(Debug)]
pub(crate) struct PhraseIndex {
    /// Text of each stem.
    stems: Vec<String>,
    /// Stem ids of each phrase, padded with `NONE`.
    phrases: Vec<[u32; MAX_PHRASE_WORDS]>,
    /// Most frequent surface form of each phrase.
    display: Vec<String>,
    /// Distinct phrases of each sentence, by id.
    per_sentence: Vec<Vec<u32>>,
}

impl PhraseIndex {
    pub(crate) fn build<'a>(texts: impl Iterator<Item = &'a str>) -> Self {
        let stemmer = Stemmer::create(Algorithm::English);
        // Words and stems are interned, so each distinct word is stemmed once
        // and phrases are keyed by small integer arrays, not strings.
        let mut word_ids: HashMap<String, u32> = HashMap::new();
        let mut words: Vec<String> = Vec::new();
        let mut stem_of_word: Vec<u32> = Vec::new();
        let mut stem_ids: HashMap<String, u32> = HashMap::new();
        let mut stems: Vec<String> = Vec::new();
        let mut phrase_ids: HashMap<[u32; MAX_PHRASE_WORDS], u32> = HashMap::new();
        let mut phrases: Vec<[u32; MAX_PHRASE_WORDS]> = Vec::new();
        // (surface word ids) -> (phrase, occurrences)
        let mut surfaces: HashMap<[u32; MAX_PHRASE_WORDS], (u32, u32)> = HashMap::new();
        let mut per_sentence = Vec::new();
        for text in texts {
            let mut found = Vec::new();
            for run in word_runs(text) {
                let ids: Vec<u32> = run
                    .into_iter()
                    .map(|word| {
                        if let Some(&id) = word_ids.get(&word) {
                            return id;
                        }
                        let stem = stemmer.stem(&word).into_owned();
                        let stem_id = *stem_ids.entry(stem.clone()).or_insert_with(|| {
                            stems.push(stem);
                            (stems.len() - 1) as u32
                        });
                        let id = words.len() as u32;
                        words.push(word.clone());
                        stem_of_word.push(stem_id);
                        word_ids.insert(word, id);
                        id
                    })
                    .collect();
                for len in 1..=MAX_PHRASE_WORDS.min(ids.len()) {
                    for start in 0..=ids.len() - len {
                        let mut surface = [NONE; MAX_PHRASE_WORDS];
                        let mut key = [NONE; MAX_PHRASE_WORDS];
                        for (j, &w) in ids[start..start + len].iter().enumerate() {
                            surface[j] = w;
                            key[j] = stem_of_word[w as usize];
                        }
                        let id = *phrase_ids.entry(key).or_insert_with(|| {
                            phrases.push(key);
                            (phrases.len() - 1) as u32
                        });
                        surfaces.entry(surface).or_insert((id, 0)).1 += 1;
                        found.push(id);
                    }
                }
            }
            found.sort_unstable();
            found.dedup();
            per_sentence.push(found);
        }
        let join = |ids: &[u32], texts: &[String]| {
            ids.iter()
                .take_while(|&&w| w != NONE)
                .map(|&w| texts[w as usize].as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        // The most frequent surface of each phrase; ties to the smaller text.
        let mut best: Vec<Option<(u32, String)>> = vec![None; phrases.len()];
        for (surface, (phrase, count)) in surfaces {
            let text = join(&surface, &words);
            let slot = &mut best[phrase as usize];
            let better = match slot {
                None => true,
                Some((c, t)) => count > *c || (count == *c && text < *t),
            };
            if better {
                *slot = Some((count, text));
            }
        }
        let display = best
            .into_iter()
            .map(|b| b.map(|(_, text)| text).unwrap_or_default())
            .collect();
        Self {
            stems,
            phrases,
            display,
            per_sentence,
        }
    }

    /// The stems of a phrase, as text ("tax cut"): its identity for ties.
    fn key(&self, id: u32) -> String {
        self.phrases[id as usize]
            .iter()
            .take_while(|&&s| s != NONE)
            .map(|&s| self.stems[s as usize].as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The stem ids of a phrase.
    fn stem_ids(&self, id: u32) -> &[u32] {
        let phrase = &self.phrases[id as usize];
        let len = phrase.iter().take_while(|&&s| s != NONE).count();
        &phrase[..len]
    }
}

/// Lower-cased words in runs that no stop word, number or punctuation breaks.
fn word_runs(text: &str) -> Vec<Vec<String>> {
    let mut runs = Vec::new();
    let mut run: Vec<String> = Vec::new();
    let mut word = String::new();
    let flush_word = |word: &mut String, run: &mut Vec<String>, runs: &mut Vec<Vec<String>>| {
        let cleaned = clean_word(word);
        word.clear();
        match cleaned {
            Some(w) => run.push(w),
            None => {
                if !run.is_empty() {
                    runs.push(std::mem::take(run));
                }
            }
        }
    };
    for ch in text.chars() {
        if ch.is_alphanumeric() || ch == '\'' || ch == '\u{2019}' || ch == '-' {
            word.extend(ch.to_lowercase());
            continue;
        }
        if !word.is_empty() {
            flush_word(&mut word, &mut run, &mut runs);
        }
        if !ch.is_whitespace() && !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !word.is_empty() {
        flush_word(&mut word, &mut run, &mut runs);
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// The keyword form of a token, or `None` where the token breaks a phrase.
fn clean_word(token: &str) -> Option<String> {
    let token = token.replace('\u{2019}', "'");
    let mut word = token.trim_matches(|c| c == '\'' || c == '-');
    if let Some(stripped) = word.strip_suffix("'s") {
        word = stripped;
    }
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    // "13bn", "1990s", "2005": amounts and dates, not topics ("mp3" stays).
    let starts_with_digit = word.chars().next().is_some_and(|c| c.is_numeric());
    // "iii", "xiv": the book and chapter numbers of citations. No English
    // word is spelt with i, v and x alone.
    let roman_numeral = word.chars().all(|c| matches!(c, 'i' | 'v' | 'x'));
    if starts_with_digit
        || roman_numeral
        || letters < 2
        || word.chars().count() < 2
        || is_stop_word(word)
    {
        return None;
    }
    Some(word.to_owned())
}

/// How keywords are chosen.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KeywordOptions {
    pub(crate) count: usize,
    /// Weight of relevance against redundancy in MMR, in `[0, 1]`.
    pub(crate) relevance_weight: f32,
}

/// The words of one theme.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ThemeWords {
    /// Distinctive phrases picked by MMR, most telling first.
    pub(crate) keywords: Vec<String>,
    /// The candidates of two or more words, most relevant first: what a
    /// label is chosen from.
    pub(crate) phrases: Vec<String>,
}

/// Keywords of every theme. `members[c]` lists the sentences of theme `c`
/// in canonical order; `vectors` holds one unit row per sentence.
pub(crate) fn theme_keywords(
    index: &PhraseIndex,
    members: &[Vec<usize>],
    vectors: ArrayView2<f32>,
    centroids: &[Array1<f32>],
    options: KeywordOptions,
) -> Vec<ThemeWords> {
    let counts: Vec<HashMap<u32, u32>> = members
        .iter()
        .map(|sentences| {
            let mut counts = HashMap::new();
            for &s in sentences {
                for &id in &index.per_sentence[s] {
                    *counts.entry(id).or_insert(0u32) += 1;
                }
            }
            counts
        })
        .collect();
    let mut everywhere: HashMap<u32, u64> = HashMap::new();
    let mut totals = Vec::with_capacity(counts.len());
    for theme in &counts {
        let mut total = 0u64;
        for (&id, &n) in theme {
            *everywhere.entry(id).or_default() += u64::from(n);
            total += u64::from(n);
        }
        totals.push(total);
    }
    let grand_total = totals.iter().sum::<u64>();
    let single = members.len() == 1;

    counts
        .iter()
        .zip(&totals)
        .zip(members.iter().zip(centroids))
        .map(|((theme, &total), (sentences, centroid))| {
            let min_count = if sentences.len() >= 10 { 2 } else { 1 };
            let mut scored: Vec<(f64, u32)> = theme
                .iter()
                .filter(|&(_, &n)| n >= min_count)
                .filter(|&(&id, _)| !is_keyword_stop(&index.display[id as usize]))
                .filter(|&(id, _)| {
                    single
                        || f64::from(theme[id]) * grand_total as f64
                            > everywhere[id] as f64 * total as f64
                })
                .map(|(&id, &n)| {
                    let tf = f64::from(n) / total as f64;
                    let lift = tf / (everywhere[&id] as f64 / grand_total as f64);
                    // With one theme there is nothing to contrast: frequency decides.
                    let score = if single { tf } else { tf * lift.ln() };
                    (score, id)
                })
                .collect();
            scored.sort_by(|a, b| {
                b.0.total_cmp(&a.0)
                    .then_with(|| index.key(a.1).cmp(&index.key(b.1)))
            });
            scored.truncate((3 * options.count).max(20));
            mmr(index, &scored, sentences, vectors, centroid.view(), options)
        })
        .collect()
}

/// Picks `options.count` phrases from `candidates` (score, id; best first),
/// and ranks the longer candidates for the label.
fn mmr(
    index: &PhraseIndex,
    candidates: &[(f64, u32)],
    sentences: &[usize],
    vectors: ArrayView2<f32>,
    centroid: ArrayView1<f32>,
    options: KeywordOptions,
) -> ThemeWords {
    if candidates.is_empty() {
        return ThemeWords::default();
    }
    let position: HashMap<u32, usize> = candidates
        .iter()
        .enumerate()
        .map(|(i, &(_, id))| (id, i))
        .collect();
    let mut phrase_vectors = vec![Array1::<f32>::zeros(vectors.ncols()); candidates.len()];
    for &s in sentences {
        for id in &index.per_sentence[s] {
            if let Some(&i) = position.get(id) {
                phrase_vectors[i].scaled_add(1.0, &vectors.row(s));
            }
        }
    }
    for v in &mut phrase_vectors {
        let norm = v.dot(v).sqrt();
        if norm > 0.0 {
            v.mapv_inplace(|x| x / norm);
        }
    }
    let top = candidates[0].0;
    // Relevance: mostly the score (relative to the best), partly the
    // closeness of the phrase's sentences to the theme centroid. More weight
    // on closeness favours phrases common to the whole theme, which are
    // generic words ("year", "new", "people") more often than not.
    let relevance: Vec<f32> = candidates
        .iter()
        .zip(&phrase_vectors)
        .map(|(&(score, _), v)| 0.8 * (score / top) as f32 + 0.2 * v.dot(&centroid))
        .collect();
    let stems: Vec<&[u32]> = candidates
        .iter()
        .map(|&(_, id)| index.stem_ids(id))
        .collect();

    let mut chosen: Vec<usize> = Vec::new();
    let mut keywords: Vec<String> = Vec::new();
    while chosen.len() < options.count.min(candidates.len()) {
        let lambda = options.relevance_weight;
        let best = (0..candidates.len())
            .filter(|i| !chosen.contains(i))
            .map(|i| {
                let redundancy = chosen
                    .iter()
                    .map(|&j| {
                        if overlaps(stems[i], stems[j]) {
                            1.0
                        } else {
                            phrase_vectors[i].dot(&phrase_vectors[j])
                        }
                    })
                    .fold(0.0f32, f32::max);
                (i, lambda * relevance[i] - (1.0 - lambda) * redundancy)
            })
            // Highest value; on a tie the better-ranked candidate.
            .fold(None::<(usize, f32)>, |best, (i, v)| match best {
                Some((_, bv)) if bv >= v => best,
                _ => Some((i, v)),
            });
        let Some((i, _)) = best else { break };
        chosen.push(i);
        let shown = &index.display[candidates[i].1 as usize];
        if !keywords.contains(shown) {
            keywords.push(shown.clone());
        }
    }
    let mut longer: Vec<usize> = (0..candidates.len())
        .filter(|&i| stems[i].len() > 1)
        .collect();
    longer.sort_by(|&a, &b| relevance[b].total_cmp(&relevance[a]).then(a.cmp(&b)));
    ThemeWords {
        keywords,
        phrases: longer
            .into_iter()
            .map(|i| index.display[candidates[i].1 as usize].clone())
            .collect(),
    }
}

/// Whether one phrase's stems appear, in order and contiguous, in the other's.
fn overlaps(a: &[u32], b: &[u32]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    long.windows(short.len()).any(|w| w == short)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    #[test]
    fn runs_break_at_stop_words_numbers_and_punctuation() {
        let runs =
            word_runs("The Bank of England's rate-setters held rates at 4.75%, analysts said.");
        assert_eq!(
            runs,
            vec![
                vec!["bank".to_owned()],
                vec![
                    "england".to_owned(),
                    "rate-setters".to_owned(),
                    "held".to_owned(),
                    "rates".to_owned()
                ],
                vec!["analysts".to_owned()],
            ]
        );
    }

    #[test]
    fn roman_numerals_are_numbers() {
        let runs = word_runs("Horace, Odes iii. and Epist. xiv. on the simple life");
        assert_eq!(
            runs,
            vec![
                vec!["horace".to_owned()],
                vec!["odes".to_owned()],
                vec!["epist".to_owned()],
                vec!["simple".to_owned(), "life".to_owned()],
            ]
        );
    }

    #[test]
    fn phrases_merge_variants_by_stem() {
        let index = PhraseIndex::build(
            ["Tax cuts help.", "A tax cut helps.", "tax cuts again"].into_iter(),
        );
        let key = (0..index.phrases.len() as u32)
            .find(|&id| index.key(id) == "tax cut")
            .unwrap();
        assert_eq!(index.display[key as usize], "tax cuts");
        assert!(index.per_sentence.iter().all(|ids| ids.contains(&key)));
    }

    #[test]
    fn distinctive_phrases_win() {
        let texts = [
            "The striker scored a late goal.",
            "A late goal from the striker won the match.",
            "The striker celebrated the goal with fans.",
            "Shares fell as the market slumped.",
            "The market slumped and shares fell again.",
            "Investors sold shares in a falling market.",
        ];
        let index = PhraseIndex::build(texts.into_iter());
        let vectors =
            Array2::from_shape_fn((6, 2), |(i, j)| if (i < 3) == (j == 0) { 1.0 } else { 0.0 });
        let centroids = vec![Array1::from(vec![1.0, 0.0]), Array1::from(vec![0.0, 1.0])];
        let keywords = theme_keywords(
            &index,
            &[vec![0, 1, 2], vec![3, 4, 5]],
            vectors.view(),
            &centroids,
            KeywordOptions {
                count: 2,
                relevance_weight: 0.7,
            },
        );
        let keywords: Vec<Vec<String>> = keywords.into_iter().map(|w| w.keywords).collect();
        assert!(
            keywords[0]
                .iter()
                .any(|k| k.contains("striker") || k.contains("goal")),
            "{keywords:?}"
        );
        assert!(
            keywords[1]
                .iter()
                .any(|k| k.contains("market") || k.contains("shares")),
            "{keywords:?}"
        );
        assert!(keywords[0].iter().all(|k| !k.contains("market")));
    }
}
