#!/usr/bin/env bash
# Segmentation as users meet it: `precis segment --jsonl` and pySBD behind the
# same JSONL filter (scripts/segment_filter_pysbd.py), each a whole process,
# start-up included, timed side by side by hyperfine on the Bacon and Emerson
# essays (one JSON line per essay). Target (issue #14): precis >= 100x pySBD.
#
# Usage: scripts/bench_segment_process.sh ESSAYS_DIR [PYTHON_WITH_PYSBD]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
essays=${1:?usage: bench_segment_process.sh ESSAYS_DIR [PYTHON]}
py=${2:-$root/.bench-venv/bin/python}
precis=${PRECIS:-$root/target/release/precis}
command -v hyperfine >/dev/null || { echo "skipped: needs hyperfine (apt-get install -y hyperfine, or cargo install hyperfine)"; exit 0; }
work=${TMPDIR:-/tmp}/precis-bench/segment
mkdir -p "$work"
input=$work/bacon-emerson.jsonl
"$py" - "$essays" "$input" <<'PY'
import json, pathlib, sys
essays, out = pathlib.Path(sys.argv[1]), sys.argv[2]
files = sorted(p for d in ("bacon_essays", "emerson_essays_first_series", "emerson_essays_second_series")
               for p in (essays / d).glob("*.txt"))
with open(out, "w", encoding="utf-8") as f:
    for p in files:
        f.write(json.dumps({"id": f"{p.parent.name}/{p.name}", "text": p.read_text(encoding="utf-8")}) + "\n")
chars = sum(len(json.loads(l)["text"]) for l in open(out, encoding="utf-8"))
print(f"input: {len(files)} essays, {chars} characters, one JSON line each")
PY
hyperfine --warmup 2 --runs 10 --export-json "$work/hyperfine.json" \
    -n precis "$precis segment --jsonl < $input > /dev/null" \
    -n pysbd "$py $root/scripts/segment_filter_pysbd.py < $input > /dev/null"
"$py" - "$work/hyperfine.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
precis, pysbd = results["precis"]["median"], results["pysbd"]["median"]
ratio = pysbd / precis
print(f"medians: precis {precis * 1000:.1f} ms, pySBD {pysbd:.2f} s: precis is {ratio:.0f}x pySBD "
      f"(target >= 100x: {'met' if ratio >= 100 else 'NOT met'})")
PY
