#!/usr/bin/env python3
"""ROUGE evaluation of precis summaries on ../shared/corpora/bbc-dev/summaries.jsonl.

Run with the bench venv (scripts/bench-venv, plus `pip install rouge-score`):

    # inputs for `precis summarize --jsonl` ({id, text, max_sentences} lines)
    .bench-venv/bin/python scripts/eval_summaries.py inputs > /tmp/bbc-inputs.jsonl
    .../precis summarize --jsonl < /tmp/bbc-inputs.jsonl > /tmp/bbc-predictions.jsonl
    # score predictions ({id, summary} lines, optionally the chosen sentences' texts as
    # `sentences: [...]`, what `precis summarize --jsonl` writes, or `sentence_texts`)
    .bench-venv/bin/python scripts/eval_summaries.py score /tmp/bbc-predictions.jsonl
    # the Lead baseline under the same protocol, to check the protocol itself
    .bench-venv/bin/python scripts/eval_summaries.py lead > /tmp/bbc-lead.jsonl
    # predictions from the tuning example's selections ({id, selected: [i]} lines,
    # positions into the cached sentence split; see crates/summarize/examples/bbc_tune.rs)
    .bench-venv/bin/python scripts/eval_summaries.py from-selection SELECTIONS CACHE_DOCS

Protocol (the one the reference figures in corpora/README.md were measured with):
- budget = the number of sentences pySBD 0.3.4 (clean=False) finds in the reference.
  The references glue their sentences together without spaces ("...$10.9bn.For the
  full-year..."), so pySBD finds about 2 per article although they hold about 8: the
  budget is short, and F1 rewards long, relevant sentences.
- ROUGE-1, ROUGE-2, ROUGE-Lsum F1 from Google's rouge-score with the Porter stemmer,
  averaged over articles. For Lsum, sentences are joined with newlines on both sides:
  the reference as pySBD splits it, the prediction as its `sentences` (or
  `sentence_texts`) when given as strings, else as pySBD splits its `summary`.
- --half a / --half b score one half of the articles (split by a hash of the id), so
  that a method tuned on one half can be checked on the other.
"""

import argparse
import json
import sys
from pathlib import Path

DEFAULT_SUMMARIES = Path(__file__).resolve().parents[1] / "../shared/corpora/bbc-dev/summaries.jsonl"

# corpora/README.md: measured with sumy 0.13 and the protocol above.
BASELINES = {
    "Lead": (33.23, 27.48, 30.96),
    "LexRank (sumy)": (39.29, 33.01, 36.26),
    "TextRank (sumy)": (41.46, 31.77, 36.78),
}
METRICS = ("rouge1", "rouge2", "rougeLsum")


def segmenter():
    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False)
    return lambda text: [s.strip() for s in seg.segment(text) if s.strip()]


def half_of(doc_id):
    """'a' or 'b', stable across runs and machines: bit 16 of the 32-bit FNV-1a hash of
    the id (examples/bbc_tune.rs splits the same way)."""
    h = 0x811C9DC5
    for byte in doc_id.encode():
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return "ab"[(h >> 16) & 1]


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def cmd_inputs(args):
    split = segmenter()
    for row in read_jsonl(args.summaries):
        out = {"id": row["id"], "text": row["text"], "max_sentences": len(split(row["reference"]))}
        print(json.dumps(out, ensure_ascii=False))


def cmd_lead(args):
    split = segmenter()
    for row in read_jsonl(args.summaries):
        budget = len(split(row["reference"]))
        sentences = [s for para in row["text"].split("\n") if para.strip() for s in split(para)]
        chosen = sentences[:budget]
        print(json.dumps({"id": row["id"], "summary": " ".join(chosen), "sentence_texts": chosen}))


def cmd_from_selection(args):
    docs = {d["id"]: d for d in read_jsonl(args.cache_docs)}
    for row in read_jsonl(args.selections):
        sentences = docs[row["id"]]["sentences"]
        chosen = [sentences[i] for i in sorted(row["selected"])]
        print(json.dumps({"id": row["id"], "summary": " ".join(chosen), "sentence_texts": chosen}))


def cmd_score(args):
    from rouge_score import rouge_scorer

    split = segmenter()
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    references = {row["id"]: row["reference"] for row in read_jsonl(args.summaries)}
    predictions = {row["id"]: row for row in read_jsonl(args.predictions)}
    ids = [i for i in references if args.half == "all" or half_of(i) == args.half]
    missing = [i for i in ids if i not in predictions]
    if missing:
        print(f"{len(missing)} articles have no prediction (scored as empty), e.g. {missing[0]}", file=sys.stderr)
    totals = dict.fromkeys(METRICS, 0.0)
    for doc_id in ids:
        prediction = predictions.get(doc_id, {"summary": ""})
        sentences = prediction.get("sentence_texts")
        if sentences is None and all(isinstance(s, str) for s in prediction.get("sentences") or [1]):
            sentences = prediction["sentences"]  # `precis summarize --jsonl` writes the texts here
        if sentences is None:
            sentences = split(prediction.get("summary", ""))
        reference = "\n".join(split(references[doc_id]))
        scores = scorer.score(reference, "\n".join(sentences))
        for metric in METRICS:
            totals[metric] += scores[metric].fmeasure
    ours = tuple(100 * totals[m] / len(ids) for m in METRICS)

    label = Path(args.predictions).name
    print(f"{len(ids)} articles (half: {args.half}), ROUGE F1 x100, Porter stemmer")
    print(f"{'system':<24} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-Lsum':>10}")
    for name, values in BASELINES.items():
        print(f"{name:<24} {values[0]:>8.2f} {values[1]:>8.2f} {values[2]:>10.2f}")
    print(f"{label[:24]:<24} {ours[0]:>8.2f} {ours[1]:>8.2f} {ours[2]:>10.2f}")
    best = [max(v[i] for v in BASELINES.values()) for i in range(3)]
    margins = [o - b for o, b in zip(ours, best)]
    verdict = "beats" if all(m > 0 for m in margins) else "does NOT beat"
    print(f"{verdict} the best baseline on every metric (margins {', '.join(f'{m:+.2f}' for m in margins)})")
    if args.json:
        print(json.dumps(dict(zip(METRICS, ours))))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--summaries", default=str(DEFAULT_SUMMARIES), help="summaries.jsonl")
    sub = parser.add_subparsers(dest="command", required=True)
    score = sub.add_parser("score", help="ROUGE of predictions against the references")
    score.add_argument("predictions")
    score.add_argument("--half", choices=["all", "a", "b"], default="all")
    score.add_argument("--json", action="store_true", help="also print the scores as JSON")
    sub.add_parser("inputs", help="print {id, text, max_sentences} lines for `precis summarize --jsonl`")
    sub.add_parser("lead", help="print Lead baseline predictions")
    sel = sub.add_parser("from-selection", help="predictions from {id, selected} lines and a sentence cache")
    sel.add_argument("selections")
    sel.add_argument("cache_docs", help="JSONL with {id, sentences: [...]} per article")
    args = parser.parse_args()
    {"score": cmd_score, "inputs": cmd_inputs, "lead": cmd_lead, "from-selection": cmd_from_selection}[
        args.command
    ](args)


if __name__ == "__main__":
    main()
