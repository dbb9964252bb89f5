#!/usr/bin/env python3
"""pySBD 0.3.4 (clean=False) as the same filter as `precis segment --jsonl`:
{id, text} per line on stdin -> {id, sentences} per line on stdout.

`just bench` times the two as whole processes with hyperfine
(scripts/bench_segment_process.sh); run it with a Python that has pysbd==0.3.4
(scripts/bench-venv makes one).
"""

import json
import sys

import pysbd


def main() -> None:
    segmenter = pysbd.Segmenter(language="en", clean=False)
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        record = json.loads(line)
        sentences = [s.strip() for s in segmenter.segment(record["text"]) if s.strip()]
        out.write(json.dumps({"id": record["id"], "sentences": sentences}, ensure_ascii=False))
        out.write("\n")


if __name__ == "__main__":
    main()
