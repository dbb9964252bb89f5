#!/usr/bin/env python3
"""The sentence-transformers side of the embedding benchmark.

Times `model.encode(texts, batch_size=..., normalize_embeddings=True)` over
every sentence of a JSONL file (one object with a `text` field per line; the
`segment/sentences.jsonl` stage file is one) and prints one JSON line:

  {"tool": "sentence-transformers", "version": ..., "sentences": N, "tokens": T,
   "seconds": S, "sentences_per_s": ..., "tokens_per_s": ..., ...}

`tokens` counts word pieces after truncation to the model's max_seq_length,
special tokens included: what the model actually runs over.

Run with the bench venv (scripts/bench-venv), from the repository root:
    .bench-venv/bin/python scripts/bench_embed_st.py --sentences FILE --threads 2
The model is loaded from the local folder only (HF_HUB_OFFLINE=1).
"""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

WARMUP = 2048  # as precis-embed's examples/bench.rs warms up


def read_texts(path: Path) -> list[str]:
    texts = []
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                texts.append(json.loads(line)["text"])
            except (json.JSONDecodeError, KeyError, TypeError) as e:
                sys.exit(f"{path}:{number}: not a JSON object with a `text` field ({e})")
    return texts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=Path, required=True,
                        help="JSONL with a `text` field per line")
    parser.add_argument("--threads", type=int, default=None,
                        help="torch intra-op threads (default: torch's own choice)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--model", type=Path, default=Path("models/all-MiniLM-L6-v2"),
                        help="a local sentence-transformers folder")
    parser.add_argument("--device", default="cpu", help="cpu (default) or cuda")
    args = parser.parse_args()

    if not args.model.is_dir():
        sys.exit(f"model folder {args.model} does not exist (run `just setup`)")
    texts = read_texts(args.sentences)
    if not texts:
        sys.exit(f"{args.sentences} holds no sentences")

    import sentence_transformers
    import torch
    from sentence_transformers import SentenceTransformer

    if args.threads is not None:
        torch.set_num_threads(max(1, args.threads))
    model = SentenceTransformer(str(args.model), device=args.device)

    # Word pieces the model runs over: truncated to max_seq_length, with [CLS] and [SEP].
    encoded = model.tokenizer(texts, truncation=True, max_length=model.max_seq_length)
    tokens = sum(len(ids) for ids in encoded["input_ids"])

    model.encode(texts[:WARMUP], batch_size=args.batch_size, normalize_embeddings=True)

    def sync():
        if args.device.startswith("cuda"):
            torch.cuda.synchronize()

    sync()
    start = time.perf_counter()
    vectors = model.encode(texts, batch_size=args.batch_size, normalize_embeddings=True)
    sync()
    seconds = time.perf_counter() - start
    assert len(vectors) == len(texts)

    print(json.dumps({
        "tool": "sentence-transformers",
        "version": sentence_transformers.__version__,
        "sentences": len(texts),
        "tokens": tokens,
        "seconds": round(seconds, 4),
        "sentences_per_s": round(len(texts) / seconds, 2),
        "tokens_per_s": round(tokens / seconds, 1),
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "batch_size": args.batch_size,
        "device": args.device,
        "model": args.model.name,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
