#!/usr/bin/env bash
# Embedding speed: precis (crates/embed/examples/bench.rs) against
# sentence-transformers (scripts/bench_embed_st.py) on the same sentences with
# the same thread count, runs alternating so background load hits both alike.
#
#   scripts/bench_embed.sh [--threads N] [--limit N] [--runs N] [--baseline] [--bf16] [--dev]
#
# --dev builds the bench example with the dev profile instead of release: the
# workspace builds dependencies (rust-bert, tokenizers) at opt-level 2 there,
# and the time goes to libtorch either way, so it is a quick stand-in when no
# release build of rust-bert is at hand.
# Sentences: the first --limit (3000) sentences of the Bacon essays, then
# Emerson's first and second series, cut by `precis segment --jsonl`.
# --baseline adds a third contender: rust-bert's own `encode` as precis used it
# before (length-sorted batches of 32, libtorch intra-op threads).
# --bf16 adds precis with its opt-in bfloat16 encoder (`--precision bf16`).
# Prints every run's JSON line, then the medians and the ratio.
# Needs the bench venv (scripts/bench-venv) at .bench-venv and the model in
# models/all-MiniLM-L6-v2. Run from anywhere; it works in the repository root.
set -euo pipefail

cd "$(dirname "$0")/.."
threads=2
limit=3000
runs=3
baseline=0
bf16=0
profile=release
while [ $# -gt 0 ]; do
    case "$1" in
        --threads) threads=$2; shift 2 ;;
        --limit) limit=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --baseline) baseline=1; shift ;;
        --bf16) bf16=1; shift ;;
        --dev) profile=dev; shift ;;
        *) echo "bench_embed.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

python=${PYTHON:-.bench-venv/bin/python}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The precis binary cuts the sentences; build it if it is not there.
precis=${PRECIS:-$CARGO_TARGET_DIR/debug/precis}
[ -x "$precis" ] || cargo build -q -p precis-cli
cargo build -q --profile "$profile" -p precis-embed --example bench
bench=$CARGO_TARGET_DIR/$([ "$profile" = dev ] && echo debug || echo release)/examples/bench

corpora=${CORPORA:-../shared/corpora/essays}
"$python" - "$corpora" > "$work/docs.jsonl" <<'EOF'
import json, pathlib, sys
root = pathlib.Path(sys.argv[1])
for folder in ["bacon_essays", "emerson_essays_first_series", "emerson_essays_second_series"]:
    for path in sorted((root / folder).glob("*.txt")):
        print(json.dumps({"id": f"{folder}/{path.name}", "text": path.read_text(encoding="utf-8")}))
EOF
"$precis" segment --jsonl < "$work/docs.jsonl" | "$python" -c '
import json, sys
limit = int(sys.argv[1])
n = 0
for line in sys.stdin:
    for sentence in json.loads(line)["sentences"]:
        if n < limit:
            print(json.dumps({"text": sentence}))
            n += 1
' "$limit" > "$work/sentences.jsonl"

echo "sentences: $(wc -l < "$work/sentences.jsonl"), threads: $threads, runs: $runs, load: $(uptime | sed 's/.*load average: //')" >&2
for run in $(seq "$runs"); do
    "$python" scripts/bench_embed_st.py --sentences "$work/sentences.jsonl" --threads "$threads" 2>/dev/null | tee -a "$work/st.jsonl"
    "$bench" --sentences "$work/sentences.jsonl" --threads "$threads" | tee -a "$work/precis.jsonl"
    if [ "$bf16" = 1 ]; then
        "$bench" --sentences "$work/sentences.jsonl" --threads "$threads" --bf16 | tee -a "$work/bf16.jsonl"
    fi
    if [ "$baseline" = 1 ]; then
        "$bench" --sentences "$work/sentences.jsonl" --threads "$threads" --baseline | tee -a "$work/baseline.jsonl"
    fi
    echo "  (run $run done, load: $(uptime | sed 's/.*load average: //'))" >&2
done

"$python" - "$work" <<'EOF'
import json, pathlib, statistics, sys
work = pathlib.Path(sys.argv[1])
def median(name):
    path = work / f"{name}.jsonl"
    if not path.exists():
        return None
    runs = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return statistics.median(r["sentences_per_s"] for r in runs), [r["sentences_per_s"] for r in runs]
st, precis, base, bf16 = median("st"), median("precis"), median("baseline"), median("bf16")
print(f"sentence-transformers: median {st[0]:.1f} sentences/s {st[1]}")
print(f"precis:                median {precis[0]:.1f} sentences/s {precis[1]}")
if base:
    print(f"precis before (rust-bert encode): median {base[0]:.1f} sentences/s {base[1]}")
print(f"ratio precis / sentence-transformers: {precis[0] / st[0]:.2f}x")
if bf16:
    print(f"precis --precision bf16: median {bf16[0]:.1f} sentences/s {bf16[1]}")
    print(f"ratio precis bf16 / sentence-transformers: {bf16[0] / st[0]:.2f}x")
EOF
