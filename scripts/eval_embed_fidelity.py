#!/usr/bin/env python3
"""Embedding fidelity on real text: precis's vectors against sentence-transformers'.

Reads two JSONL files of the same sentences in the same order: `--sentences`
({"id", "text"} lines, what `precis embed --jsonl` read) and `--precis` (its
output, {"id", "embedding"}). Encodes the texts with sentence-transformers
(`encode(normalize_embeddings=True)`, batch size 32, the same model folder) and
prints the cosine of every pair summarised: worst, 0.1% quantile, median, how
many fall below --min-cosine (0.9999, the issue's bar), and the worst five with
their token counts. Exit status 1 when any falls below: `just eval` counts it as a
missed target (`fidelity.rs` enforces the same bar on a fixture in `just test`).

    .bench-venv/bin/python scripts/eval_embed_fidelity.py --model models/all-MiniLM-L6-v2 \
        --sentences S.jsonl --precis P.jsonl --label "bf16"
"""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import argparse  # noqa: E402
import json  # noqa: E402

import numpy as np  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--sentences", required=True)
    parser.add_argument("--precis", required=True)
    parser.add_argument("--label", default="precis")
    parser.add_argument("--min-cosine", type=float, default=0.9999)
    args = parser.parse_args()

    with open(args.sentences, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    with open(args.precis, encoding="utf-8") as f:
        got = np.array([json.loads(line)["embedding"] for line in f if line.strip()], dtype=np.float64)
    if len(got) != len(texts):
        raise SystemExit(f"{args.precis}: {len(got)} vectors for {len(texts)} sentences")

    model = SentenceTransformer(args.model, device="cpu")
    want = model.encode(texts, normalize_embeddings=True, batch_size=32).astype(np.float64)
    cosine = (want * got).sum(1) / np.linalg.norm(want, axis=1) / np.linalg.norm(got, axis=1)
    order = np.argsort(cosine)
    below = int((cosine < args.min_cosine).sum())
    print(
        f"{args.label}: {len(texts)} sentences, worst cosine {cosine[order[0]]:.6f} "
        f"(1 - cos {1 - cosine[order[0]]:.1e}), "
        f"0.1% quantile {np.quantile(cosine, 0.001):.6f}, median {np.median(cosine):.7f}, "
        f"{below} below {args.min_cosine}"
    )
    for i in order[:5]:
        tokens = len(model.tokenizer(texts[i], truncation=True, max_length=model.max_seq_length)["input_ids"])
        print(f"  {cosine[i]:.6f}  {tokens:3d} tokens  {texts[i][:70]!r}")
    if below:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
