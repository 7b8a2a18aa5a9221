#!/usr/bin/python3
"""Runs the PyTorch peer (../shared/peers/ravdess-audio-cnn.py) exactly as its main() does, through its own
functions, and also writes each fold's UAR and confusion matrix (the peer prints only accuracy per fold).
Usage: /usr/bin/python3 peer_with_uar.py PEER_SCRIPT --data DIR --folds 5-8 --table FILE --uar FILE"""
import importlib.util
import json
import sys
import time

import numpy as np
import torch

spec = importlib.util.spec_from_file_location("peer", sys.argv[1])
peer = importlib.util.module_from_spec(spec)
spec.loader.exec_module(peer)
args = dict(zip(sys.argv[2::2], sys.argv[3::2]))
torch.set_num_threads(2)
peer.keep_freed_memory()
a, _, b = args["--folds"].partition("-")
folds = list(range(int(a), int(b or a) + 1))
t_start = time.time()
feats, labels, actors = peer.load_features(args["--data"])
peer.log(f"features: {tuple(feats.shape)} in {time.time() - t_start:.0f}s")
present = set(actors.tolist())
n_pairs = max([k for k in range(1, peer.N_FOLDS + 1) if {2 * k - 1, 2 * k} <= present] or [peer.N_FOLDS])
epochs = int(args.get("--epochs", 11))
results, per_fold = [], []
for k in folds:
    r = peer.run_fold(k, feats, labels, actors, epochs, 32, n_pairs)
    results.append(r)
    cm = np.zeros((8, 8), dtype=int)
    for t, p in zip(r["y"].tolist(), r["pred"].tolist()):
        cm[t, p] += 1
    recall = [cm[i, i] / cm[i].sum() for i in range(8) if cm[i].sum() > 0]
    per_fold.append(dict(fold=k, test=r["test"], accuracy=r["test_acc"], uar=100.0 * float(np.mean(recall)),
                         best_epoch=r["best_epoch"], secs=r["secs"], confusion=cm.tolist()))
    with open(args["--uar"], "w") as f:
        json.dump(per_fold, f, indent=1)
text = peer.table(results, epochs, time.time() - t_start)
print("\n" + text, flush=True)
with open(args["--table"], "w") as f:
    f.write(text + "\n")
