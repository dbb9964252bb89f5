#!/usr/bin/env python3
"""The ceiling for the embedding benchmark: this CPU's matrix-product speed.

Times torch's own matrix product (the kernel every BERT linear layer runs) at
the shapes of one batch of the model (32 sentences of 35 tokens against each
weight matrix), in f32 and bf16, on --threads threads, and divides the mean
of the three shapes' speeds (they differ by a few percent) by the model's
FLOPs per token (2 x its encoder weights, plus attention for a
35-token sentence) to give the tokens/s that the linear layers alone would
allow. Prints one JSON line.

    .bench-venv/bin/python scripts/bench_gemm.py --model models/all-MiniLM-L6-v2 --threads 2
"""

import argparse
import json
import time
from pathlib import Path

import torch

ROWS = 32 * 35  # a batch of 32 sentences of about 35 word pieces


def gflops(shapes, dtype, seconds=1.5):
    total = 0.0
    for k, n in shapes:
        a, b = torch.randn(ROWS, k).to(dtype), torch.randn(k, n).to(dtype)
        for _ in range(3):
            a @ b
        runs, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            a @ b
            runs += 1
        total += 2 * ROWS * k * n * runs / (time.perf_counter() - start) / 1e9
    return total / len(shapes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    config = json.loads((Path(args.model) / "config.json").read_text())
    hidden, inner, layers = config["hidden_size"], config["intermediate_size"], config["num_hidden_layers"]
    shapes = [(hidden, hidden), (hidden, inner), (inner, hidden)]
    weights_per_layer = 4 * hidden * hidden + 2 * hidden * inner
    attention_per_layer = 2 * 35 * hidden  # scores and context for a 35-token sentence
    flop_per_token = 2 * layers * (weights_per_layer + attention_per_layer)

    f32, bf16 = gflops(shapes, torch.float32), gflops(shapes, torch.bfloat16)
    print(json.dumps({
        "tool": "gemm", "torch": torch.__version__, "threads": args.threads,
        "mflop_per_token": round(flop_per_token / 1e6, 2),
        "f32_gflop_per_s": round(f32, 1), "bf16_gflop_per_s": round(bf16, 1),
        "f32_tokens_per_s_ceiling": round(f32 * 1e9 / flop_per_token),
        "bf16_tokens_per_s_ceiling": round(bf16 * 1e9 / flop_per_token),
    }))


if __name__ == "__main__":
    main()
