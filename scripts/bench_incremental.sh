#!/usr/bin/env bash
# Incremental re-runs on all essays of ../shared/corpora/essays, copied to a temp folder:
# a cold run, a re-run with no change, and a re-run after editing one essay.
# Prints one JSON line per run and checks that untouched documents' outputs are unchanged.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
essays=${1:-$root/../shared/corpora/essays}
precis=${PRECIS:-$root/target/release/precis}
[ -x "$precis" ] || { echo "build first: cargo build --release -p precis-cli" >&2; exit 1; }
[ -d "$essays" ] || { echo "no essays at $essays (../shared/corpora beside the checkout)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$essays" "$work/input"
out=$work/out

timed() { # label, then the run's arguments
    local label=$1; shift
    local start end
    start=$(date +%s.%N)
    "$precis" run "$work/input" --out "$out" --quiet "$@"
    end=$(date +%s.%N)
    python3 - "$label" "$start" "$end" "$out/manifest.json" <<'PY'
import json, sys
label, start, end, manifest = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
m = json.load(open(manifest))
embed = m["stages"]["embed"]
print(json.dumps({"run": label, "seconds": round(end - start, 2), "documents": m["documents"],
                  "sentences": m["sentences"], "embedded": embed["computed"], "from_cache": embed["from_cache"],
                  "stage_seconds": {k: v["seconds"] for k, v in m["stages"].items()}}))
PY
}

timed cold
cp -r "$out" "$work/before"
timed unchanged
edited=$(find "$work/input" -name '*.txt' | LC_ALL=C sort | head -1)
printf '\nAn added closing sentence, to see what an edit costs.\n' >> "$edited"
timed one-edit

# Untouched documents keep byte-identical ingest and segment records and document summaries.
python3 - "$work/before" "$out" "$edited" <<'PY'
import json, sys, os
before, after, edited = sys.argv[1:]
def by_doc(run, stage, name):
    out = {}
    for line in open(os.path.join(run, stage, name)):
        out.setdefault(json.loads(line)["doc_id"], []).append(line)
    return out
changed = set()
for stage, name in [("ingest", "documents.jsonl"), ("segment", "sentences.jsonl"), ("summaries", "documents.jsonl")]:
    a, b = by_doc(before, stage, name), by_doc(after, stage, name)
    changed |= {d for d in a if a[d] != b.get(d)}
print(json.dumps({"documents_with_changed_outputs": sorted(changed), "edited": os.path.basename(edited)}))
PY
