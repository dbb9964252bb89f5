//! Fidelity: precis-embed's vectors for all-MiniLM-L6-v2 must match
//! sentence-transformers' `encode(normalize_embeddings=True)` to a cosine of at
//! least 0.9999, sentence by sentence.
//!
//! The reference vectors are in `tests/fixtures/reference.json`, written by
//! `scripts/make_embedding_fixture.py` (run with the `.bench-venv` from
//! `scripts/bench-venv`). Its sentences are chosen to be awkward: one far past
//! the 256-token limit, a lone bullet, a single word, accents, CJK and Greek,
//! emoji, abbreviations and numbers, curly quotes, capitals, a URL.

use precis_embed::{
    embed_all, BatchConfig, Embedder, ModelFolder, Precision, SentenceTransformer,
    SentenceTransformerConfig,
};
use std::path::PathBuf;

const MIN_COSINE: f64 = 0.9999;

struct Reference {
    text: String,
    embedding: Vec<f32>,
}

fn model_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/all-MiniLM-L6-v2")
}

fn load_reference() -> (serde_json::Value, Vec<Reference>) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reference.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let json: serde_json::Value = serde_json::from_str(&text).expect("reference.json is JSON");
    let sentences = json["sentences"]
        .as_array()
        .expect("reference.json has a `sentences` array")
        .iter()
        .map(|s| Reference {
            text: s["text"]
                .as_str()
                .expect("each sentence has a text")
                .to_string(),
            embedding: s["embedding"]
                .as_array()
                .expect("each sentence has an embedding")
                .iter()
                .map(|v| v.as_f64().expect("embedding values are numbers") as f32)
                .collect(),
        })
        .collect();
    (json, sentences)
}

fn cosine(a: &[f32], b: &[f32]) -> f64 {
    assert_eq!(a.len(), b.len(), "vectors of different lengths");
    let dot: f64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| f64::from(*x) * f64::from(*y))
        .sum();
    let norm = |v: &[f32]| v.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
    dot / (norm(a) * norm(b))
}

fn short(text: &str) -> String {
    let mut s: String = text.chars().take(60).collect();
    if s.len() < text.len() {
        s.push('…');
    }
    s
}

/// Compares `vectors` with the reference, prints every cosine, and returns
/// the sentences below [`MIN_COSINE`] plus the worst `(cosine, index)`.
fn compare(
    label: &str,
    reference: &[Reference],
    vectors: &[Vec<f32>],
) -> (Vec<String>, (f64, usize)) {
    assert_eq!(
        vectors.len(),
        reference.len(),
        "{label}: one vector per sentence"
    );
    let mut failures = Vec::new();
    let mut worst = (f64::INFINITY, 0);
    println!("{label}:");
    for (i, (r, v)) in reference.iter().zip(vectors).enumerate() {
        let norm = v.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
        let c = cosine(&r.embedding, v);
        println!(
            "  cos {c:.9} (1-cos {:.1e})  |v|={norm:.6}  {}",
            1.0 - c,
            short(&r.text)
        );
        if c < worst.0 {
            worst = (c, i);
        }
        if c.is_nan() || c < MIN_COSINE {
            failures.push(format!(
                "{label}: cosine {c:.7} < {MIN_COSINE} for {:?}",
                short(&r.text)
            ));
        }
        if (norm - 1.0).abs() > 1e-4 {
            failures.push(format!(
                "{label}: |v| = {norm:.6}, not 1, for {:?}",
                short(&r.text)
            ));
        }
    }
    println!(
        "  worst cosine ({label}): {:.9} (1-cos {:.1e}) for {:?}",
        worst.0,
        1.0 - worst.0,
        short(&reference[worst.1].text)
    );
    (failures, worst)
}

#[test]
fn vectors_match_sentence_transformers() {
    let dir = model_dir();
    assert!(
        dir.is_dir(),
        "the model folder {} is missing: run `just setup` (it installs all-MiniLM-L6-v2 there)",
        dir.display()
    );
    let folder = ModelFolder::open(&dir)
        .unwrap_or_else(|e| panic!("{e} (run `just setup` to reinstall the model)"));
    let model = SentenceTransformer::load(&folder, &SentenceTransformerConfig::default())
        .unwrap_or_else(|e| panic!("{e}"));

    let (json, reference) = load_reference();
    assert!(!reference.is_empty(), "reference.json holds no sentences");
    println!(
        "reference: {} sentences from sentence-transformers {} on torch {}",
        reference.len(),
        json["sentence_transformers"],
        json["torch"]
    );
    for r in &reference {
        assert_eq!(
            r.embedding.len(),
            model.info().dimension,
            "reference dimension"
        );
    }
    let texts: Vec<&str> = reference.iter().map(|r| r.text.as_str()).collect();

    // All at once: one padded batch of mixed lengths.
    let together = embed_all(&model, &texts, BatchConfig::default(), |_| {}).expect("embed_all");
    // Each alone: no padding at all.
    let alone: Vec<Vec<f32>> = texts
        .iter()
        .map(|t| model.embed_batch(&[t]).expect("embed_batch").remove(0))
        .collect();

    let (mut failures, worst_together) = compare("embed_all (one batch)", &reference, &together);
    let (failures_alone, worst_alone) = compare("embed_batch (each alone)", &reference, &alone);
    failures.extend(failures_alone);
    let worst = if worst_together.0 <= worst_alone.0 {
        worst_together
    } else {
        worst_alone
    };
    println!(
        "worst cosine overall: {:.9} (1-cos {:.1e}) for {:?}",
        worst.0,
        1.0 - worst.0,
        short(&reference[worst.1].text)
    );
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The opt-in mixed-precision encoder (bf16 matrix products, f32 elsewhere)
/// is held to the same bar as the exact one.
const MIN_COSINE_BF16: f64 = MIN_COSINE;

#[test]
fn bf16_vectors_match_sentence_transformers_to_the_same_bar() {
    let folder = ModelFolder::open(model_dir())
        .unwrap_or_else(|e| panic!("{e} (run `just setup` to reinstall the model)"));
    let config = SentenceTransformerConfig {
        precision: Precision::Bf16,
        ..SentenceTransformerConfig::default()
    };
    let model = SentenceTransformer::load(&folder, &config).unwrap_or_else(|e| panic!("{e}"));
    let exact = SentenceTransformer::load(&folder, &SentenceTransformerConfig::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(
        model.info().checksum,
        exact.info().checksum,
        "bf16 vectors must not share cache entries with f32 ones"
    );
    let (_, reference) = load_reference();
    let texts: Vec<&str> = reference.iter().map(|r| r.text.as_str()).collect();
    let vectors = embed_all(&model, &texts, BatchConfig::default(), |_| {}).expect("embed_all");
    let (_, (worst, index)) = compare("bf16", &reference, &vectors);
    assert!(
        worst >= MIN_COSINE_BF16,
        "bf16: cosine {worst:.6} < {MIN_COSINE_BF16} for {:?}",
        short(&reference[index].text)
    );
    // It is a different computation, not the f32 one relabelled.
    assert!(worst < 1.0 - 1e-9, "bf16 vectors equal the f32 ones");
}

/// A call of one batch runs on the one model copy loaded with the model; a
/// call of more starts the others (here up to two), and which copy ran a
/// batch does not change its vectors.
#[test]
fn further_model_copies_start_only_when_a_call_brings_more_than_one_batch() {
    let folder = ModelFolder::open(model_dir())
        .unwrap_or_else(|e| panic!("{e} (run `just setup` to reinstall the model)"));
    let config = SentenceTransformerConfig {
        threads: Some(2),
        ..SentenceTransformerConfig::default()
    };
    let model = SentenceTransformer::load(&folder, &config).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(model.workers(), 1, "one copy is loaded with the model");

    let (_, reference) = load_reference();
    let texts: Vec<&str> = reference.iter().map(|r| r.text.as_str()).collect();
    let first = embed_all(&model, &texts[..1], BatchConfig::default(), |_| {}).expect("embed_all");
    assert_eq!(model.workers(), 1, "one batch needs no second copy");

    let pairs = BatchConfig { batch_size: 2 };
    let in_pairs = embed_all(&model, &texts, pairs, |_| {}).expect("embed_all");
    assert_eq!(model.workers(), 2, "several batches start the second copy");
    let (failures, _) = compare("embed_all (in pairs, two copies)", &reference, &in_pairs);
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    assert!(
        cosine(&first[0], &in_pairs[0]) >= MIN_COSINE,
        "a text's vector moved between the first copy alone and two copies"
    );
}
