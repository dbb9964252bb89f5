#!/usr/bin/env python3
"""Print a run's themes by facet as a Markdown table (python3 stdlib only).

    python3 scripts/facet_table.py RUN FACET

Reads RUN/themes/by_<FACET>.jsonl and RUN/themes/themes.json, and prints, for each value of
the facet, its distinctive themes (most distinctive first): the theme's label, the value's
share of it against the rest's, the z-score, and the value's sentence nearest the theme's centre.
"""

import json
import os
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    run, facet = sys.argv[1], sys.argv[2]
    themes_dir = os.path.join(run, "themes")
    with open(os.path.join(themes_dir, "themes.json"), encoding="utf-8") as f:
        label = {t["id"]: t["label"] for t in json.load(f)["themes"]}
    with open(os.path.join(themes_dir, f"by_{facet}.jsonl"), encoding="utf-8") as f:
        values = [json.loads(line) for line in f if line.strip()]
    count = {t: sum(e["sentences"] for v in values for e in v["themes"] if e["theme"] == t) for t in label}
    total = sum(v["sentences"] for v in values)
    print(f"| {facet} | essays | distinctive theme | share here | share elsewhere | z | its sentence nearest the theme's centre |")
    print("|---|---|---|---|---|---|---|")
    for value in values:
        entries = {e["theme"]: e for e in value["themes"]}
        first = True
        for d in value["distinctive"]:
            e = entries[d["theme"]]
            rest = total - value["sentences"]
            elsewhere = (count[d["theme"]] - e["sentences"]) / rest if rest else 0.0
            example = d["examples"][0]["text"].replace("|", "\\|") if d["examples"] else ""
            if len(example) > 120:
                example = example[:117] + "…"
            name = (value["value"], str(value["documents"])) if first else ("", "")
            print(f"| {name[0]} | {name[1]} | {label[d['theme']]} | {e['share']:.2f} | {elsewhere:.2f} | {d['z']:.1f} | {example} |")
            first = False
        if first:
            print(f"| {value['value']} | {value['documents']} | (none stands out) | | | | |")


if __name__ == "__main__":
    main()
