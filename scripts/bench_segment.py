#!/usr/bin/env python3
"""Times pySBD 0.3.4 (clean=False) over the same essays as
`cargo run --release -p precis-segment --example bench`, on one thread.

    python3 -m venv /tmp/pysbd-venv && /tmp/pysbd-venv/bin/pip install pysbd==0.3.4
    /tmp/pysbd-venv/bin/python scripts/bench_segment.py [FOLDER] [--runs N]

Prints characters/s and sentences/s; compare with the Rust example's
chars/s (both count Unicode code points).
"""

import argparse
import pathlib
import time

import pysbd


def main() -> None:
    root = pathlib.Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", default=root.parent / "shared/corpora/essays")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()

    texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(args.folder).rglob("*.txt"))]
    chars = sum(len(t) for t in texts)
    segmenter = pysbd.Segmenter(language="en", clean=False)
    sentences = 0
    started = time.perf_counter()
    for _ in range(args.runs):
        for text in texts:
            sentences += len(segmenter.segment(text))
    seconds = time.perf_counter() - started
    print(f"{len(texts)} files, {chars} chars, {sentences // args.runs} sentences per run, "
          f"{args.runs} runs in {seconds:.1f} s")
    print(f"pySBD {pysbd.__version__ if hasattr(pysbd, '__version__') else '0.3.4'}: "
          f"{chars * args.runs / seconds:.0f} chars/s, {sentences / seconds:.0f} sentences/s")


if __name__ == "__main__":
    main()
