#!/usr/bin/env bash
# `precis search` on the 187 essays' output as a whole process, timed by
# hyperfine (median of repeated runs): start-up, reading the run, starting the
# model worker and loading the model, embedding the query, ranking every
# sentence (target: under 1 s, model load included). A filtered search and
# --json are timed beside it.
#
# Usage: scripts/bench_search.sh ESSAYS_DIR
#   PRECIS       the binary [default: target/release/precis]
#   SEARCH_RUN   the run searched; made with `precis run` when it holds none
#                [default: $TMPDIR/precis-bench/essays-run, the report bench's]
#   RUNS         hyperfine runs per command [default: 10]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
essays=${1:?usage: bench_search.sh ESSAYS_DIR}
precis=${PRECIS:-$root/target/release/precis}
run=${SEARCH_RUN:-${TMPDIR:-/tmp}/precis-bench/essays-run}
runs=${RUNS:-10}
command -v hyperfine >/dev/null || { echo "skipped: needs hyperfine (apt-get install -y hyperfine, or cargo install hyperfine)"; exit 0; }
if [ ! -f "$run/manifest.json" ]; then
    echo "making $run (a cold run of $essays: minutes)"
    "$precis" run "$essays" --out "$run" --quiet
fi
# From the checkout, so the run's default model folder is found whatever
# working directory made it.
cd "$root"
sentences=$(wc -l < "$run/segment/sentences.jsonl")
echo "run: $run ($sentences sentences); load: $(cut -d' ' -f1-3 /proc/loadavg)"
work=${TMPDIR:-/tmp}/precis-bench/search
mkdir -p "$work"
hyperfine --warmup 2 --runs "$runs" -N --export-json "$work/search.json" \
    -n "search, top 10" "$precis search $run 'the pleasures of a garden'" \
    -n "search --facet, --json" "$precis search $run 'friendship between men' --facet folder=bacon_essays -k 5 --json"
python3 - "$work/search.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    verdict = "met" if r["median"] < 1.0 else "NOT met"
    print(f"{r['command']:>24}: median {r['median'] * 1000:7.0f} ms, min {r['min'] * 1000:5.0f}, max {r['max'] * 1000:5.0f} (target < 1000 ms: {verdict})")
PY
