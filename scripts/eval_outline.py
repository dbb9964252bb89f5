#!/usr/bin/env python3
"""Checks the outlines of a precis run: every section quotes a sentence of its own section.

    python3 scripts/eval_outline.py RUN_DIR --doc DOC_ID --shape 3,3
    python3 scripts/eval_outline.py RUN_DIR --none

With --doc: the document's outline must have one top-level section per number of --shape,
each with that many subsections and none deeper, and each subsection's heading must be one
of the document's bulleted lines, in order (the seed essay: two headings, three bulleted
claims under each). With --none: no document of the run has an outline (plain-text essays
whose headings would be guesses). Prints the outline(s); exits 1 when a check fails.
Standard library only.
"""
import argparse
import bisect
import json
import sys


def jsonl(path):
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def rows(sections, depth=0):
    for section in sections:
        yield depth, section
        yield from rows(section["children"], depth + 1)


def section_errors(document, sentences, outline):
    """Each section's sentence must lie in its own section, outside any heading."""
    text = document["text"]
    starts = [span[0] for span in document["paragraphs"]]
    headings = [
        (text[document["paragraphs"][h["paragraph"]][0]:document["paragraphs"][h["paragraph"]][1]],
         h["paragraph"], h["level"])
        for h in document.get("headings", [])
    ]
    heading_paragraphs = {p for _, p, _ in headings}
    start_of = {s["index"]: s["start"] for s in sentences}
    errors = []
    for _, section in rows(outline):
        at = next(i for i, h in enumerate(headings) if h[0] == section["heading"])
        _, first, level = headings[at]
        end = next((p for _, p, l in headings[at + 1:] if l <= level), len(starts))
        if "index" not in section:
            errors.append(f"{section['heading']!r} has no sentence")
            continue
        paragraph = bisect.bisect_right(starts, start_of[section["index"]]) - 1
        if not first < paragraph < end or paragraph in heading_paragraphs:
            errors.append(f"{section['heading']!r} quotes paragraph {paragraph}, outside {first}..{end}")
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", help="a precis output folder")
    parser.add_argument("--doc", help="the doc_id whose outline to check")
    parser.add_argument("--shape", help="subsections per top-level section, e.g. 3,3")
    parser.add_argument("--none", action="store_true", help="no document may have an outline")
    args = parser.parse_args()
    documents = {d["doc_id"]: d for d in jsonl(f"{args.run}/ingest/documents.jsonl")}
    summaries = {s["doc_id"]: s for s in jsonl(f"{args.run}/summaries/documents.jsonl")}
    sentences = {}
    for s in jsonl(f"{args.run}/segment/sentences.jsonl"):
        sentences.setdefault(s["doc_id"], []).append(s)

    if args.none:
        outlined = sorted(d for d, s in summaries.items() if s.get("outline"))
        print(f"outlines: {len(outlined)} of {len(summaries)} documents (target 0)")
        for doc_id in outlined:
            print(f"  {doc_id}: {[s['heading'] for _, s in rows(summaries[doc_id]['outline'])]}")
        return 1 if outlined else 0

    outline = summaries[args.doc].get("outline", [])
    for depth, section in rows(outline):
        print(f"{'  ' * depth}- {section['heading']}")
        print(f"{'  ' * depth}    {section.get('sentence', '(no sentence)')[:110]}")
    errors = section_errors(documents[args.doc], sentences[args.doc], outline)
    shape = [len(s["children"]) for s in outline]
    wanted = [int(n) for n in args.shape.split(",")] if args.shape else shape
    if shape != wanted:
        errors.append(f"subsections per section {shape}, not {wanted}")
    if any(depth > 1 for depth, _ in rows(outline)):
        errors.append("sections nested deeper than two levels")
    with open(f"{args.run}/manifest.json", encoding="utf-8") as manifest:
        input_dir = json.load(manifest)["config"]["input"]
    with open(f"{input_dir}/{documents[args.doc]['source']}", encoding="utf-8") as source:
        bullets = [line.strip().lstrip("•").strip() for line in source if line.strip().startswith("•")]
    claims = [s["heading"] for depth, s in rows(outline) if depth == 1]
    if claims != bullets:
        errors.append(f"subsections {claims} are not the bulleted lines {bullets}")
    print(f"{len(outline)} sections, {len(claims)} bulleted claims under them"
          f" ({'ok' if not errors else 'FAILED'})")
    for error in errors:
        print(f"  {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
