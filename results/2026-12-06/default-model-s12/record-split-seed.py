#!/usr/bin/env python3
"""Copies a default-model bundle made before session 12 and records in it the seed that drew its FER2013 hold-out.

Bundles made since session 12 record `visual.split_seed` in their spec's extra, so `aver build-model --visual BUNDLE`
can check that the bundle's networks and a new one share the calibration hold-out. The session-10 bundle (the model
shipped until session 12) predates the key; both its networks were pre-trained with split seed 1 (seed 1, and seed 2
with --split-seed 1: results/2026-12-06/fer-ensemble/report.md). Only the JSON header changes; tensors are copied as
they are.

    python3 results/2026-12-06/default-model-s12/record-split-seed.py SRC/model.safetensors DST/model.safetensors 1
"""
import json, os, struct, sys

src, dst, seed = sys.argv[1], sys.argv[2], sys.argv[3]
raw = open(src, "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n])
spec = json.loads(header["__metadata__"]["aver_spec"])
spec.setdefault("extra", {})["visual.split_seed"] = seed
header["__metadata__"]["aver_spec"] = json.dumps(spec, separators=(",", ":"))
text = json.dumps(header, separators=(",", ":")).encode()
text += b" " * (-len(text) % 8)
os.makedirs(os.path.dirname(os.path.abspath(dst)), exist_ok=True)
tmp = dst + ".tmp"
with open(tmp, "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + raw[8 + n:])
os.replace(tmp, dst)
