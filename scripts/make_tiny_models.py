#!/usr/bin/env python3
"""Writes tiny, randomly initialised summarisation models for tests.

    python3 scripts/make_tiny_models.py TARGET_DIR

creates

    TARGET_DIR/bart/  config.json  vocab.json  merges.txt  model.safetensors
    TARGET_DIR/t5/    config.json  spiece.model            model.safetensors

in a second or so, from the Python standard library alone (no torch, no
transformers, no download). The weights come from a seeded RNG, so the files
are the same on every machine and every run; what the models write is
gibberish. They exist to test precis's abstractive plumbing (loading,
chunking to the window, map-reduce, generation limits, errors), not its
output.

The tensors carry the names and shapes rust-bert 0.23 declares in its
`VarStore` for `BartForConditionalGeneration` and `T5ForConditionalGeneration`
(which are Hugging Face's names: rust-bert drops nothing but the tied
`encoder/decoder.embed_tokens` copies, which it reads from `shared`), and
`crates/abstractive/tests/abstractive.rs` checks them against rust-bert.
"""

import json
import os
import random
import re
import struct
import sys
from collections import Counter
from pathlib import Path

SEED = 20240611

# Both tokenizers are trained on these sentences: enough for a few hundred
# word pieces, so that the test's inputs take a realistic number of tokens.
CORPUS = """
Rain fell on the valley for a whole week and the river rose fast.
The farmers moved their sheep to the high fields before the flood came.
A small bridge near the mill was closed by the council on Monday.
Children watched the brown water carry branches past the school.
The weather service said the storm would pass by the weekend.
Engineers checked the old stone walls of the dam twice a day.
Shops in the market square stayed open although the streets were wet.
The local paper printed a map of the roads that were under water.
Volunteers filled sandbags at the station and carried them to the houses.
When the sun came back, the fields were green and the air was warm.
Scientists measured the water level and wrote down every change.
The mayor thanked the people who helped their neighbours during the rain.
Trains were late because a tree had fallen across the line.
Fishermen said the fish did well in the high, cold water.
Teachers used the flood to explain how rivers shape the land.
The town plans to build a higher wall along the river next year.
Essays about the flood were written by students in every class.
Each summary should keep the main idea and leave out small details.
Long documents are split into parts, and each part is summarised first.
The final summary joins the partial summaries into one short text.
""".strip().splitlines()

# --- safetensors ------------------------------------------------------------


def write_atomically(path, data):
    """Writes bytes so that a reader never sees half a file, even when two
    test runs make the same models at once."""
    part = path.with_name(path.name + ".%d.tmp" % os.getpid())
    part.write_bytes(data)
    os.replace(part, path)


def write_safetensors(path, tensors):
    """tensors: list of (name, shape, flat list of floats), written as F32."""
    header, offset, blobs = {}, 0, []
    for name, shape, values in tensors:
        blob = struct.pack("<%df" % len(values), *values)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # the data starts 8-byte aligned
    write_atomically(path, struct.pack("<Q", len(text)) + text + b"".join(blobs))


class Weights:
    """Collects tensors in declaration order, initialised as Hugging Face does:
    normal(0, 0.02) for matrices and embeddings, ones and zeros for norms."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.tensors = []

    def normal(self, name, *shape):
        n = 1
        for size in shape:
            n *= size
        self.tensors.append((name, list(shape), [self.rng.gauss(0.0, 0.02) for _ in range(n)]))

    def const(self, name, value, *shape):
        n = 1
        for size in shape:
            n *= size
        self.tensors.append((name, list(shape), [value] * n))

    def linear(self, name, n_in, n_out, bias=True):
        self.normal(name + ".weight", n_out, n_in)
        if bias:
            self.const(name + ".bias", 0.0, n_out)

    def layer_norm(self, name, width, bias=True):
        self.const(name + ".weight", 1.0, width)
        if bias:
            self.const(name + ".bias", 0.0, width)


# --- BART: byte-level BPE (vocab.json + merges.txt) -------------------------


def bytes_to_unicode():
    """GPT-2's map from bytes to printable characters."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    chars, extra = {}, 0
    for b in range(256):
        if b in keep:
            chars[b] = chr(b)
        else:
            chars[b] = chr(256 + extra)
            extra += 1
    return chars


def train_byte_bpe(lines, n_merges):
    byte_char = bytes_to_unicode()
    words = Counter()
    for line in lines:
        for word in re.findall(r" ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+", line):
            words[tuple(byte_char[b] for b in word.encode())] += 1
    merges = []
    for _ in range(n_merges):
        pairs = Counter()
        for word, count in words.items():
            for pair in zip(word, word[1:]):
                pairs[pair] += count
        if not pairs:
            break
        # Most frequent first; ties in a fixed order, so the vocabulary is reproducible.
        best = min(pairs, key=lambda pair: (-pairs[pair], pair))
        merges.append(best)
        merged = Counter()
        for word, count in words.items():
            out, i = [], 0
            while i < len(word):
                if i + 1 < len(word) and (word[i], word[i + 1]) == best:
                    out.append(word[i] + word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] += count
        words = merged
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for b in range(256):
        vocab.setdefault(byte_char[b], len(vocab))
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    vocab["<mask>"] = len(vocab)
    return vocab, merges


def make_bart(folder):
    vocab, merges = train_byte_bpe(CORPUS, 300)
    d_model, heads, ffn, layers, positions = 16, 2, 32, 1, 64
    config = {
        "model_type": "bart",
        "architectures": ["BartForConditionalGeneration"],
        "vocab_size": len(vocab),
        "d_model": d_model,
        "encoder_layers": layers,
        "decoder_layers": layers,
        "num_hidden_layers": layers,
        "encoder_attention_heads": heads,
        "decoder_attention_heads": heads,
        "encoder_ffn_dim": ffn,
        "decoder_ffn_dim": ffn,
        # Small on purpose: a paragraph overflows it, so tests reach the chunking.
        "max_position_embeddings": positions,
        "activation_function": "gelu",
        "activation_dropout": 0.0,
        "attention_dropout": 0.0,
        "dropout": 0.0,
        "classif_dropout": 0.0,
        "encoder_layerdrop": 0.0,
        "decoder_layerdrop": 0.0,
        "init_std": 0.02,
        "scale_embedding": False,
        "normalize_embedding": True,
        "static_position_embeddings": False,
        "is_encoder_decoder": True,
        "bos_token_id": 0,
        "pad_token_id": 1,
        "eos_token_id": 2,
        "decoder_start_token_id": 2,
        "forced_bos_token_id": 0,
        "forced_eos_token_id": 2,
    }
    w = Weights(SEED)
    w.normal("model.shared.weight", len(vocab), d_model)
    for stack in ("encoder", "decoder"):
        p = "model." + stack
        # rust-bert's LearnedPositionalEmbedding keeps Hugging Face's offset of 2.
        w.normal(p + ".embed_positions.weight", positions + 2, d_model)
        w.layer_norm(p + ".layernorm_embedding", d_model)
        for i in range(layers):
            q = "%s.layers.%d" % (p, i)
            attentions = ["self_attn"] + (["encoder_attn"] if stack == "decoder" else [])
            for attention in attentions:
                for proj in ("k_proj", "v_proj", "q_proj", "out_proj"):
                    w.linear("%s.%s.%s" % (q, attention, proj), d_model, d_model)
                w.layer_norm("%s.%s_layer_norm" % (q, attention), d_model)
            w.linear(q + ".fc1", d_model, ffn)
            w.linear(q + ".fc2", ffn, d_model)
            w.layer_norm(q + ".final_layer_norm", d_model)

    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(folder / "config.json", (json.dumps(config, indent=2) + "\n").encode())
    write_atomically(folder / "vocab.json", (json.dumps(vocab, ensure_ascii=False) + "\n").encode())
    merges_txt = "#version: 0.2\n" + "".join("%s %s\n" % pair for pair in merges)
    write_atomically(folder / "merges.txt", merges_txt.encode())
    write_safetensors(folder / "model.safetensors", w.tensors)


# --- T5: a SentencePiece unigram model (spiece.model) -----------------------


def protobuf_sentencepiece(pieces):
    """A minimal sentencepiece ModelProto: field 1, repeated SentencePiece
    {1: piece, 2: score (float), 3: type}. rust_tokenizers reads only these."""

    def varint(n):
        out = bytearray()
        while True:
            byte = n & 0x7F
            n >>= 7
            if n:
                out.append(byte | 0x80)
            else:
                out.append(byte)
                return bytes(out)

    def field(number, wire_type, payload):
        return varint(number << 3 | wire_type) + payload

    model = bytearray()
    for piece, score, kind in pieces:
        text = piece.encode()
        body = field(1, 2, varint(len(text)) + text) + field(2, 5, struct.pack("<f", score)) + field(3, 0, varint(kind))
        model += field(1, 2, varint(len(body)) + body)
    return bytes(model)


def make_t5(folder):
    normal, unknown, control = 1, 2, 3
    pieces = [("<pad>", 0.0, control), ("</s>", 0.0, control), ("<unk>", 0.0, unknown)]
    words = Counter(word for line in CORPUS for word in re.findall(r"[A-Za-z]+|[0-9]+|[^\sA-Za-z0-9]", line))
    chars = sorted({c for line in CORPUS for c in line if not c.isspace()} | set("abcdefghijklmnopqrstuvwxyz0123456789"))
    pieces.append(("\u2581", -2.0, normal))
    # Whole words (by frequency) score above single characters, so a word the
    # corpus knows is one piece and anything else spells out.
    for word, count in sorted(words.items(), key=lambda item: (-item[1], item[0])):
        pieces.append(("\u2581" + word, -3.0 - 1.0 / count, normal))
    for c in chars:
        pieces.append((c, -8.0, normal))
    vocab_size = len(pieces)
    d_model, d_kv, heads, d_ff, layers, buckets = 16, 8, 2, 32, 1, 8
    config = {
        "model_type": "t5",
        "architectures": ["T5ForConditionalGeneration"],
        "vocab_size": vocab_size,
        "d_model": d_model,
        "d_kv": d_kv,
        "d_ff": d_ff,
        "num_heads": heads,
        "num_layers": layers,
        "num_decoder_layers": layers,
        # Hugging Face's T5 configs give the window it was trained on as n_positions.
        "n_positions": 64,
        "relative_attention_num_buckets": buckets,
        "relative_attention_max_distance": 32,
        "dropout_rate": 0.0,
        "layer_norm_epsilon": 1e-6,
        "initializer_factor": 1.0,
        "feed_forward_proj": "relu",
        "tie_word_embeddings": True,
        "is_encoder_decoder": True,
        "pad_token_id": 0,
        "eos_token_id": 1,
        "decoder_start_token_id": 0,
    }
    inner = heads * d_kv
    w = Weights(SEED + 1)
    w.normal("shared.weight", vocab_size, d_model)
    for stack in ("encoder", "decoder"):
        for i in range(layers):
            p = "%s.block.%d.layer" % (stack, i)
            attentions = ["SelfAttention"] + (["EncDecAttention"] if stack == "decoder" else [])
            for n, attention in enumerate(attentions):
                for proj in ("q", "k", "v"):
                    w.linear("%s.%d.%s.%s" % (p, n, attention, proj), d_model, inner, bias=False)
                w.linear("%s.%d.%s.o" % (p, n, attention), inner, d_model, bias=False)
                if i == 0 and attention == "SelfAttention":
                    w.normal("%s.%d.%s.relative_attention_bias.weight" % (p, n, attention), buckets, heads)
                w.layer_norm("%s.%d.layer_norm" % (p, n), d_model, bias=False)
            n = len(attentions)
            w.linear("%s.%d.DenseReluDense.wi" % (p, n), d_model, d_ff, bias=False)
            w.linear("%s.%d.DenseReluDense.wo" % (p, n), d_ff, d_model, bias=False)
            w.layer_norm("%s.%d.layer_norm" % (p, n), d_model, bias=False)
        w.layer_norm(stack + ".final_layer_norm", d_model, bias=False)

    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(folder / "config.json", (json.dumps(config, indent=2) + "\n").encode())
    write_atomically(folder / "spiece.model", protobuf_sentencepiece(pieces))
    write_safetensors(folder / "model.safetensors", w.tensors)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_tiny_models.py TARGET_DIR")
    target = Path(sys.argv[1])
    make_bart(target / "bart")
    make_t5(target / "t5")


if __name__ == "__main__":
    main()
