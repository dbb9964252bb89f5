#!/usr/bin/env python3
"""`precis watch` on a copy of the 187 essays: how long after a save the edited
essay's summary files are fresh (target: within 3 s).

Starts `precis watch` on a copy of ESSAYS_DIR (the cache of an existing run is
reused, so the first run embeds nothing), waits until it watches, then N times
appends a sentence to one essay and times, from the write, until the summaries
stage has been replaced (summaries/documents.jsonl rewritten) and until the
watcher prints its "refreshed" line. Prints each save and the medians.

Usage: scripts/bench_watch.py ESSAYS_DIR [--saves N] [--cache DIR]
  PRECIS  the binary [default: target/release/precis]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 3.0

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("essays", type=Path)
parser.add_argument("--saves", type=int, default=5)
parser.add_argument("--cache", type=Path, help="an embedding cache to reuse (default: none)")
args = parser.parse_args()
precis = os.environ.get("PRECIS", str(ROOT / "target/release/precis"))

work = Path(tempfile.mkdtemp(prefix="precis-watch-bench-"))
try:
    shutil.copytree(args.essays, work / "input")
    out = work / "out"
    command = [precis, "watch", str(work / "input"), "--out", str(out)]
    if args.cache:
        command += ["--cache", str(args.cache)]
    watcher = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: list[tuple[float, str]] = []
    seen = threading.Condition()

    def read():
        for line in watcher.stdout:
            with seen:
                lines.append((time.monotonic(), line.rstrip()))
                seen.notify_all()

    threading.Thread(target=read, daemon=True).start()

    def wait_line(text: str, after: int, limit: float = 600) -> tuple[int, float, str]:
        deadline = time.monotonic() + limit
        with seen:
            while True:
                for i in range(after, len(lines)):
                    if text in lines[i][1]:
                        return i, *lines[i]
                left = deadline - time.monotonic()
                if left <= 0 or watcher.poll() is not None:
                    sys.exit(f"bench_watch: no {text!r} line from precis watch: {lines[-3:]}")
                seen.wait(left)

    at, _, first = wait_line("watching", 0)
    print(f"{first}")
    essay = sorted((work / "input").rglob("*.txt"))[0]
    summaries = out / "summaries" / "documents.jsonl"
    fresh, refreshed = [], []
    for save in range(1, args.saves + 1):
        before = summaries.stat().st_mtime_ns
        written = time.monotonic()
        with open(essay, "a", encoding="utf-8") as f:
            f.write(f"\n\nA man that studieth revenge keepeth his own wounds green, save {save}.\n")
        while summaries.stat().st_mtime_ns == before if summaries.exists() else True:
            time.sleep(0.01)
        fresh.append(time.monotonic() - written)
        at, when, line = wait_line("refreshed in", at + 1)
        refreshed.append(when - written)
        print(f"save {save}: summaries fresh after {fresh[-1]:.2f} s; line after {refreshed[-1]:.2f} s: {line}")
    verdict = "met" if statistics.median(fresh) <= TARGET else "NOT met"
    print(f"median over {args.saves} saves of {essay.relative_to(work / 'input')}: summaries fresh "
          f"{statistics.median(fresh):.2f} s (target <= {TARGET} s: {verdict}), refresh line "
          f"{statistics.median(refreshed):.2f} s")
    watcher.send_signal(2)
    watcher.wait(timeout=60)
finally:
    shutil.rmtree(work, ignore_errors=True)
