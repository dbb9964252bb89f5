#!/usr/bin/env bash
# What a user waits for when no model has to run, and what the cold run costs,
# as whole processes timed by hyperfine (medians of repeated runs):
#   precis --version; precis status on the 187 essays' output; segment --jsonl
#   on 1 MB (targets: each under 50 ms); a no-change re-run of the 187 essays
#   (target: 0.5 s or less); and, with BASELINE=path/to/an/older/precis, the
#   cold run of both side by side (target: no slower, within noise).
#
# Usage: scripts/bench_startup.sh ESSAYS_DIR   (PRECIS, BASELINE, COLD_RUNS)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
essays=${1:?usage: bench_startup.sh ESSAYS_DIR}
precis=${PRECIS:-$root/target/release/precis}
command -v hyperfine >/dev/null || { echo "skipped: needs hyperfine (apt-get install -y hyperfine, or cargo install hyperfine)"; exit 0; }
work=${TMPDIR:-/tmp}/precis-bench/startup
mkdir -p "$work"
out=$work/essays-run
# The output the status and re-run figures are taken on (made once, kept).
"$precis" run "$essays" --out "$out" --quiet
megabyte=$work/one-megabyte.jsonl
python3 - "$essays" "$megabyte" <<'PY'
import json, pathlib, sys
files = sorted(pathlib.Path(sys.argv[1]).rglob("*.txt"))
with open(sys.argv[2], "w", encoding="utf-8") as f:
    size = 0
    for p in files:
        text = p.read_text(encoding="utf-8")
        f.write(json.dumps({"id": p.name, "text": text}) + "\n")
        size += len(text.encode())
        if size >= 1_000_000:
            break
PY
hyperfine --warmup 3 --runs 20 -N --export-json "$work/startup.json" \
    -n "precis --version" "$precis --version" \
    -n "precis status" "$precis status $out"
hyperfine --warmup 3 --runs 20 --export-json "$work/segment.json" \
    -n "segment --jsonl, 1 MB" "$precis segment --jsonl < $megabyte > /dev/null"
hyperfine --warmup 2 --runs 10 -N --export-json "$work/rerun.json" \
    -n "re-run, no change" "$precis run $essays --out $out --quiet"
python3 - "$work" <<'PY'
import json, pathlib, sys
work = pathlib.Path(sys.argv[1])
targets = {"precis --version": 0.05, "precis status": 0.05, "segment --jsonl, 1 MB": 0.05, "re-run, no change": 0.5}
for name in ("startup", "segment", "rerun"):
    for r in json.load(open(work / f"{name}.json"))["results"]:
        target = targets[r["command"]]
        verdict = "met" if r["median"] <= target else "NOT met"
        print(f"{r['command']:>24}: median {r['median'] * 1000:8.1f} ms (target <= {target * 1000:.0f} ms: {verdict})")
PY
if [ -n "${BASELINE:-}" ]; then
    runs=${COLD_RUNS:-3}
    echo "cold run of the essays, empty output and cache, $runs runs each: $precis against $BASELINE"
    hyperfine --runs "$runs" -N --export-json "$work/cold.json" \
        --prepare "rm -rf $work/cold" \
        -n "this build" "$precis run $essays --out $work/cold --quiet" \
        -n "baseline" "$BASELINE run $essays --out $work/cold --quiet"
fi
