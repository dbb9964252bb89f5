#!/usr/bin/env python3
"""How far plain clusterers get on a run's own document vectors: the yardstick for the
document-level theme target.

    .bench-venv/bin/python scripts/eval_document_ceiling.py RUN --labels labels.jsonl

RUN is a precis output folder (segment/sentences.jsonl, embed/embeddings.npy,
ingest/documents.jsonl). Each document's vector is the mean of its sentences' unit vectors,
either as they are or after centring every sentence on the collection's mean sentence (what
precis's own context starts from). Each representation is clustered into as many clusters as
there are categories by k-means (five seeds), spectral clustering on a k-nearest-neighbour
graph (10 and 20 neighbours) and k-means on PCA-whitened vectors (20 components), and every
clustering is scored by NMI against the categories (arithmetic normaliser, as
scripts/eval_themes.py). Needs numpy and scikit-learn (both come with sentence-transformers in
.bench-venv). It prints figures only: no target is checked here.
"""

import argparse
import os

import numpy as np
from sklearn.cluster import KMeans, SpectralClustering
from sklearn.decomposition import PCA
from sklearn.metrics import normalized_mutual_info_score

from eval_themes import doc_keys, label_keys, read_jsonl


def unit(rows):
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def document_vectors(sentence_vectors, row_document, documents):
    sums = np.zeros((documents, sentence_vectors.shape[1]))
    np.add.at(sums, row_document, sentence_vectors)
    return unit(sums)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", help="a precis output folder")
    parser.add_argument("--labels", required=True, help="labels.jsonl with file/id and label")
    args = parser.parse_args()

    labels = {}
    for record in read_jsonl(args.labels):
        for key in label_keys(record):
            labels[key] = record["label"]
    sentences = read_jsonl(os.path.join(args.run, "segment", "sentences.jsonl"))
    vectors = unit(np.load(os.path.join(args.run, "embed", "embeddings.npy")).astype(np.float64))
    ids = sorted({s["doc_id"] for s in sentences})
    gold_of = {}
    for doc_id in ids:
        key = next((k for k in doc_keys(doc_id) if k in labels), None)
        if key is None:
            raise SystemExit(f"{args.run}: document {doc_id} has no label in {args.labels}")
        gold_of[doc_id] = labels[key]
    index = {d: i for i, d in enumerate(ids)}
    row_document = np.array([index[s["doc_id"]] for s in sentences])
    gold = [gold_of[d] for d in ids]
    k = len(set(gold))

    representations = {
        "mean of sentence vectors": document_vectors(vectors, row_document, len(ids)),
        "mean of centred sentence vectors": document_vectors(
            unit(vectors - vectors.mean(axis=0)), row_document, len(ids)
        ),
    }
    print(f"{len(ids)} documents, {k} categories; NMI of each clustering")
    for name, points in representations.items():
        kmeans = [
            normalized_mutual_info_score(gold, KMeans(k, n_init=10, random_state=seed).fit_predict(points))
            for seed in range(5)
        ]
        spectral = [
            normalized_mutual_info_score(
                gold,
                SpectralClustering(k, affinity="nearest_neighbors", n_neighbors=n, random_state=0).fit_predict(points),
            )
            for n in (10, 20)
        ]
        whitened = unit(PCA(20, whiten=True, random_state=0).fit_transform(points))
        pca = [
            normalized_mutual_info_score(gold, KMeans(k, n_init=10, random_state=seed).fit_predict(whitened))
            for seed in range(5)
        ]
        print(f"-- {name}")
        print("   k-means, seeds 0-4:            " + " ".join(f"{x:.3f}" for x in kmeans))
        print("   spectral, 10 / 20 neighbours:  " + " ".join(f"{x:.3f}" for x in spectral))
        print("   PCA-whitened k-means, seeds:   " + " ".join(f"{x:.3f}" for x in pca))


if __name__ == "__main__":
    main()
