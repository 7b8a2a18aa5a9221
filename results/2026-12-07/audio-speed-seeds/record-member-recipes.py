#!/usr/bin/env python3
"""Records, in the session-15 default model (commit dbcdf91), each audio network's own recipe (`audio.N.recipe`).

Bundles written since session 16 carry one recipe per audio network; the session-15 model carried only its branch's,
which nested every earlier bundle's. This adds the four networks' recipes, as its card gives them, to the file's model
spec (metadata only: the tensors are copied byte for byte), so the session-16 rebuild that keeps three of them
records where each came from once. Atomic (temporary name, then rename).

    python3 results/2026-12-07/audio-speed-seeds/record-member-recipes.py models/default/model.safetensors
"""
import json, os, struct, sys

RECIPE = ("best epoch {e} by validation ValidationAccuracyThenLoss (AdamW lr 0.001, Cosine schedule, batch 32, seed 0; "
          "the recipe of `configs/{c}.yaml`)")
NETWORKS = [(21, "ravdess-audio-cnn-tuned-noise"), (42, "ravdess-audio-reslstm-paper-codec-specaug"),
            (5, "ravdess-audio-reslstm-paper-codec-swalr"), (46, "ravdess-audio-reslstm-paper-codec-swalr-speed")]


def main(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header, data = json.loads(raw[8:8 + n]), raw[8 + n:]
    spec = header["__metadata__"]["aver_spec"]
    if spec.count('"extra":{') != 1 or '"audio.0.recipe"' in spec:
        sys.exit(f"{path}: not the session-15 default model (no single extra section, or recipes already recorded)")
    keys = "".join(f'{json.dumps(f"audio.{i}.recipe")}:{json.dumps(RECIPE.format(e=e, c=c))},' for i, (e, c) in enumerate(NETWORKS))
    header["__metadata__"]["aver_spec"] = spec.replace('"extra":{', '"extra":{' + keys)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path + ".tmp", "wb") as w:
        w.write(struct.pack("<Q", len(h)) + h + data)
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main(sys.argv[1])
