#!/usr/bin/env python3
"""Writes crates/embed/tests/fixtures/reference.json: sentence-transformers'
own vectors for a set of awkward sentences, which tests/fidelity.rs compares
with what precis-embed computes.

Run from anywhere, with the bench venv (scripts/bench-venv):
    .bench-venv/bin/python scripts/make_embedding_fixture.py
The model is loaded from the local folder only (HF_HUB_OFFLINE=1).
"""

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "all-MiniLM-L6-v2"
OUT = ROOT / "crates" / "embed" / "tests" / "fixtures" / "reference.json"

# Far past max_seq_length (256 word pieces), so truncation decides the vector.
LONG_SENTENCE = (
    "When the river committee finally met in the draughty hall behind the old "
    "library, after three postponements, two changes of chair and a winter in "
    "which the water rose higher than anyone in the valley could remember, the "
    "members found that the report they had commissioned a year earlier said "
    "less about the river than about themselves, because the consultants had "
    "spent most of their time interviewing farmers, shopkeepers, teachers, "
    "ferrymen, retired engineers and the children of the primary school, and "
    "had written down, with a patience that embarrassed everyone present, how "
    "each of them remembered the floods of the past forty years, which houses "
    "had been lost, which fields had never recovered, which promises had been "
    "made at public meetings exactly like this one and then quietly forgotten "
    "once the water went down and the television crews drove back to the city, "
    "so that by the time the chair cleared her throat and asked whether anyone "
    "wished to comment on the recommendations, most of the room was still "
    "reading the appendix of personal testimony, some of it in handwriting "
    "reproduced from letters, some of it transcribed from recordings made in "
    "kitchens and barns and the back rooms of pubs, and nobody seemed willing "
    "to be the first to speak, until an elderly man near the door, who had "
    "kept the lock at the weir for most of his working life and had said "
    "nothing at any meeting for as long as anyone could recall, stood up "
    "slowly, folded his copy of the report under his arm, and said that the "
    "river had been explaining itself perfectly clearly for centuries to "
    "anyone willing to watch it through a whole year rather than a single "
    "afternoon, that the embankments everyone wanted would simply move the "
    "problem downstream to people who were not in the room, and that the "
    "committee might do better to buy back the low meadows, let them flood as "
    "they always had, and spend the money it saved on the households that "
    "would have to move, a suggestion that was greeted first with silence, "
    "then with a murmur of objections about cost and precedent and the "
    "feelings of landowners, and finally, to the surprise of the consultants "
    "and perhaps of the old man himself, with a show of hands that carried it "
    "by a margin of two votes after a debate that ran well past midnight."
)

SENTENCES = [
    "The essay argues that cities grow along their rivers.",
    "Most readers skip the footnotes, which is a pity, because that is where "
    "the author hides her best jokes and her most careful caveats.",
    "Rain.",
    "Although the committee had promised a decision by spring, the members "
    "disagreed about the budget, the timetable, and even the purpose of the "
    "project, so nothing was settled until the following autumn.",
    LONG_SENTENCE,
    "\u2022",
    "Photosynthesis",
    "We met at a caf\u00e9 in Z\u00fcrich, where a na\u00efve tourist ordered "
    "cr\u00e8me br\u00fbl\u00e9e for breakfast and the waiter did not blink.",
    "The proverb \u201c\u5343\u91cc\u4e4b\u884c\uff0c\u59cb\u65bc\u8db3\u4e0b\u201d "
    "is often quoted next to the Greek \u03b3\u03bd\u1ff6\u03b8\u03b9 "
    "\u03c3\u03b5\u03b1\u03c5\u03c4\u03cc\u03bd.",
    "The launch went perfectly \U0001f680\U0001f389 and the whole team "
    "celebrated with pizza \U0001f355 and far too much coffee \u2615.",
    "Dr. Smith paid $1.13bn at 5 p.m. on 3 Jan. for a 12.5% stake, i.e. "
    "roughly 4x the 2019 valuation.",
    "\u201cIt isn\u2019t the heat,\u201d she said \u2014 and then, after a "
    "pause, \u2018it\u2019s the humidity.\u2019",
    "THE BOARD REJECTED THE PROPOSAL AND DEMANDED A FULL AUDIT BY FRIDAY.",
    "Send comments to editor@example.org or see "
    "https://example.org/essays/2024/rivers?draft=3#notes for the draft.",
    "Short sentences work. So do long ones, when they earn their length.",
    "In the end, the argument rests on a single survey of forty households, "
    "which is too few to carry the weight the author puts on it.",
]


def round_sig(x: float, digits: int = 7) -> float:
    return float(f"{x:.{digits - 1}e}")


def to_json(fixture: dict) -> str:
    """Pretty JSON with each embedding on one line, so diffs stay readable."""
    head = {k: v for k, v in fixture.items() if k != "sentences"}
    lines = ["{"]
    lines += [f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()]
    lines.append(' "sentences": [')
    for i, s in enumerate(fixture["sentences"]):
        comma = "," if i + 1 < len(fixture["sentences"]) else ""
        lines.append(
            f'  {{"text": {json.dumps(s["text"], ensure_ascii=False)},\n'
            f'   "embedding": {json.dumps(s["embedding"])}}}{comma}'
        )
    lines += [" ]", "}", ""]
    text = "\n".join(lines)
    assert json.loads(text) == fixture
    return text


def main() -> int:
    if not MODEL.is_dir():
        print(f"{MODEL} is missing: run `just setup` first", file=sys.stderr)
        return 1
    import sentence_transformers
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(MODEL), device="cpu")
    vectors = model.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True)

    tokenizer = model.tokenizer
    for text in SENTENCES:
        n = len(tokenizer(text, truncation=False)["input_ids"])
        if n > model.max_seq_length:
            print(f"{n} tokens (truncated to {model.max_seq_length}): {text[:50]}...", file=sys.stderr)
    assert max(
        len(tokenizer(t, truncation=False)["input_ids"]) for t in SENTENCES
    ) > model.max_seq_length + 40, "the long sentence must be well past max_seq_length"

    fixture = {
        "model": MODEL.name,
        "sentence_transformers": sentence_transformers.__version__,
        "torch": torch.__version__,
        "sentences": [
            {"text": text, "embedding": [round_sig(float(v)) for v in vector]}
            for text, vector in zip(SENTENCES, vectors)
        ],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(to_json(fixture), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(SENTENCES)} sentences, dimension {vectors.shape[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
