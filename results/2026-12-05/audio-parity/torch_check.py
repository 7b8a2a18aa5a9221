#!/usr/bin/python3
"""Loads each fold's Aver model file (runs/audio-cnn-peer/folds/.../audio-cnn.safetensors: weights with the peer's
parameter names, band statistics in the spec) into the peer's own torch network and scores the fold's test clips
with the peer's own features and evaluation (3 averaged crops): the accuracy must be Aver's. A check of Aver's
forward pass (conv, batch norm in eval mode, pooling, linear) and front end against torch, fold by fold.
Usage (from the repository root): /usr/bin/python3 results/2026-12-05/audio-parity/torch_check.py runs/audio-cnn-peer"""
import importlib.util
import json
import os
import sys

import torch

sys.path.insert(0, "tools/reference")
from safetensors_io import load  # noqa: E402

spec = importlib.util.spec_from_file_location("peer", "../shared/peers/ravdess-audio-cnn.py")
peer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(peer)
torch.set_num_threads(2)
run = sys.argv[1]
feats, labels, actors = peer.load_features("../shared/data/ravdess/speech16k")
folds = ["a1-2", "a3-4", "a5-6", "a7-8", "a9-10", "a11-12", "a13-14", "a15-16"]
for k, name in enumerate(folds, start=1):
    path = os.path.join(run, "folds", "audio-cnn-32-64-128-128", name, "audio-cnn.safetensors")
    tensors, meta = load(path)
    end = json.loads(meta["aver_spec"])["front_ends"]["audio"]
    mu = torch.tensor(end["band_mean"]).view(1, 1, -1, 1)
    sd = torch.tensor(end["band_std"]).view(1, 1, -1, 1)
    test = (actors == 2 * k - 1) | (actors == 2 * k)
    net = peer.Net()
    missing = net.load_state_dict({n: torch.as_tensor(t) for n, t in tensors.items() if n != "drop"}, strict=True)
    acc, loss, _ = peer.evaluate(net, (feats[test] - mu) / sd, labels[test])
    print(f"fold {name}: torch with Aver's weights and band statistics: accuracy {acc:.1f}% (loss {loss:.3f})", flush=True)
