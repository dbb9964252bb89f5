#!/usr/bin/env python3
"""A run folder with jittered copies of some documents, for checking that theme counts do not
fragment on near-duplicates (EVAL.md, Themes, "Tried this round and not kept").

    python3 scripts/duplicate_run.py RUN_DIR OUT_DIR N|all SD

OUT_DIR gets ingest/documents.jsonl, segment/sentences.jsonl and embed/embeddings.npy: RUN_DIR's,
plus a copy of N documents drawn with seed 7 (or of all of them), each copy with doc_id
"<id>-copy" and its sentence vectors plus N(0, SD) noise on each component, renormalised
(seed 11). Re-cluster it with the recluster example. Standard library only.
"""
import json, sys, os, struct, random, math, array
run, out, n, sd = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
docs = [json.loads(l) for l in open(f"{run}/ingest/documents.jsonl")]
sents = [json.loads(l) for l in open(f"{run}/segment/sentences.jsonl")]
raw = open(f"{run}/embed/embeddings.npy", "rb").read()
hlen = struct.unpack("<H", raw[8:10])[0]; header = raw[10:10+hlen].decode()
shape = eval(header)["shape"]; rows, dim = shape
data = array.array("f"); data.frombytes(raw[10+hlen:]); assert len(data) == rows*dim
ids = sorted(d["doc_id"] for d in docs)
chosen = set(ids if n == "all" else random.Random(7).sample(ids, int(n)))
rng = random.Random(11)
os.makedirs(f"{out}/ingest"); os.makedirs(f"{out}/segment"); os.makedirs(f"{out}/embed")
newdocs = docs + [dict(d, doc_id=d["doc_id"]+"-copy", source="copy/"+d["source"]) for d in docs if d["doc_id"] in chosen]
with open(f"{out}/ingest/documents.jsonl","w") as f:
    for d in newdocs: f.write(json.dumps(d)+"\n")
extra = array.array("f"); newsents = list(sents)
for i, s in enumerate(sents):
    if s["doc_id"] in chosen:
        newsents.append(dict(s, doc_id=s["doc_id"]+"-copy"))
        v = [x + rng.gauss(0, sd) for x in data[i*dim:(i+1)*dim]]
        nrm = math.sqrt(sum(x*x for x in v)); extra.extend(x/nrm for x in v)
with open(f"{out}/segment/sentences.jsonl","w") as f:
    for s in newsents: f.write(json.dumps(s)+"\n")
total = rows + len(extra)//dim
h = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }" % (total, dim)
h = h + " " * (63 - (10 + len(h)) % 64) + "\n"
with open(f"{out}/embed/embeddings.npy","wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h.encode()); f.write(data.tobytes()); f.write(extra.tobytes())
print(len(chosen), "copied,", total, "rows")
