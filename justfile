# precis: `just run` and `just test` are all a new user needs.
set shell := ["bash", "-euo", "pipefail", "-c"]

# Set up on first use, build in release mode, and run the pipeline on the sample essays.
run *ARGS: setup
    cargo build --release -p precis-cli
    target/release/precis run data/input --out data {{ARGS}}

# Unit tests, end-to-end tests on the real model and the sample essays, and the check that
# the crates needing no model do not link libtorch.
test: setup
    cargo test --workspace
    scripts/check_libtorch_free

# Install libtorch (from the PyPI torch wheel, CPU-only) and the default model into the checkout. Idempotent.
setup:
    scripts/setup cpu

# Like setup, but with torch's CUDA libraries, so `--device cuda` works on a GPU machine.
setup-gpu:
    scripts/setup gpu

# Accuracy on ../shared/corpora: segmentation, themes (BBC), summaries (ROUGE); then kill -9 at 40 points and fuzzing. See docs/EVAL.md, docs/RELIABILITY.md.
eval: setup
    scripts/eval

# Speed side by side with pySBD and sentence-transformers, and incremental re-runs. See docs/BENCHMARKS.md.
bench: setup
    scripts/bench

# Format and lint.
check: setup
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets -- -D warnings
