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
# Sentences: the first --limit (3000) of scripts/essay_sentences.sh (Bacon, then Emerson).
# --baseline adds a third contender: rust-bert's own `encode` as precis used it
# before (length-sorted batches of 32, libtorch intra-op threads).
# --bf16 adds precis with its opt-in mixed-precision encoder (`--precision bf16`).
# Prints every run's JSON line, then the medians, the ratio, and each tool's
# tokens/s against the matrix-product ceiling that scripts/bench_gemm.py measures.
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

CORPORA=${CORPORA:-../shared/corpora/essays} scripts/essay_sentences.sh "$precis" "$limit" > "$work/sentences.jsonl"

echo "sentences: $(wc -l < "$work/sentences.jsonl"), threads: $threads, runs: $runs, load: $(uptime | sed 's/.*load average: //')" >&2
# The ceiling: torch's bare matrix product at the model's shapes, same threads.
"$python" scripts/bench_gemm.py --model models/all-MiniLM-L6-v2 --threads "$threads" | tee "$work/gemm.json"
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
gemm = json.loads((work / "gemm.json").read_text())
first_run = json.loads((work / "st.jsonl").read_text().splitlines()[0])
tokens_per_sentence = first_run["tokens"] / first_run["sentences"]
def share(sentences_per_s, precision="f32"):
    ceiling = gemm[f"{precision}_tokens_per_s_ceiling"]
    return f"{sentences_per_s * tokens_per_sentence:.0f} tokens/s, {sentences_per_s * tokens_per_sentence / ceiling:.0%} of the {precision} matrix-product ceiling ({ceiling} tokens/s)"
print(f"sentence-transformers: median {st[0]:.1f} sentences/s {st[1]}; {share(st[0])}")
print(f"precis:                median {precis[0]:.1f} sentences/s {precis[1]}; {share(precis[0])}")
if base:
    print(f"precis before (rust-bert encode): median {base[0]:.1f} sentences/s {base[1]}")
print(f"ratio precis / sentence-transformers: {precis[0] / st[0]:.2f}x")
if bf16:
    print(f"precis --precision bf16: median {bf16[0]:.1f} sentences/s {bf16[1]}; {share(bf16[0], 'bf16')}")
    print(f"ratio precis bf16 / sentence-transformers: {bf16[0] / st[0]:.2f}x")
EOF
