#!/usr/bin/env python3
"""Sentence-level theme scores of a precis run over opinosis-dev-mix, with targets.

    python3 scripts/eval_sentence_themes.py MIX_DIR RUN_DIR [--min-nmi X] [--themes LOW-HIGH]

Runs the set's own scorer (MIX_DIR/score.py, read in place) on RUN_DIR and prints its line;
exits 1 when NMI is below --min-nmi or the number of themes is outside --themes.
Standard library only.
"""
import argparse
import re
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mix", help="the opinosis-dev-mix folder (holds score.py, labels.json)")
    parser.add_argument("run", help="a precis output folder")
    parser.add_argument("--min-nmi", type=float)
    parser.add_argument("--themes", help="LOW-HIGH: the range the theme count must fall in")
    args = parser.parse_args()
    line = subprocess.run(
        [sys.executable, f"{args.mix}/score.py", f"{args.mix}/labels.json", args.run],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    print(line)
    scores = dict(re.findall(r"(\w+)=([\d.]+)", line))
    ok = True
    if args.min_nmi is not None and float(scores["NMI"]) < args.min_nmi:
        print(f"NMI {scores['NMI']} is below {args.min_nmi}", file=sys.stderr)
        ok = False
    if args.themes:
        low, high = map(int, args.themes.split("-"))
        if not low <= int(scores["themes"]) <= high:
            print(f"{scores['themes']} themes, not {args.themes}", file=sys.stderr)
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
