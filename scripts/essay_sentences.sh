#!/usr/bin/env bash
# The sentences the embedding bench and eval run on: the Bacon essays, then
# Emerson's first and second series (../shared/corpora/essays, read in place),
# cut by `precis segment --jsonl`, written as {"id": N, "text": "..."} lines.
#
#   scripts/essay_sentences.sh PRECIS_BINARY [LIMIT] > sentences.jsonl
#
# CORPORA overrides the essays folder, and FOLDERS (space-separated, inside
# CORPORA) the folders whose .txt files are read, in order: the eval's second
# fidelity corpus is CORPORA=../shared/corpora/bbc-dev FOLDERS=articles.
set -euo pipefail
precis=$1
limit=${2:-0} # 0: every sentence
corpora=${CORPORA:-$(dirname "$0")/../../shared/corpora/essays}
[ -d "$corpora" ] || { echo "essay_sentences.sh: no essays at $corpora" >&2; exit 1; }
folders=${FOLDERS:-bacon_essays emerson_essays_first_series emerson_essays_second_series}
python3 - "$corpora" $folders <<'PY' | "$precis" segment --jsonl | python3 -c '
import json, sys
limit, n = int(sys.argv[1]), 0
for line in sys.stdin:
    for sentence in json.loads(line)["sentences"]:
        if limit and n >= limit:
            continue  # read on: closing the pipe early would fail precis
        print(json.dumps({"id": n, "text": sentence}))
        n += 1
' "$limit"
import json, pathlib, sys
root = pathlib.Path(sys.argv[1])
for folder in sys.argv[2:]:
    for path in sorted((root / folder).glob("*.txt")):
        print(json.dumps({"id": f"{folder}/{path.name}", "text": path.read_text(encoding="utf-8")}))
PY
