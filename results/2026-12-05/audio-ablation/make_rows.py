#!/usr/bin/python3
"""Ablation rows of issue 15 from each run's metrics.csv: mean ± sample std of accuracy and UAR over the folds."""
import csv
import statistics as st
import sys

ROWS = [
    ("peer recipe (parity run)", "../audio-parity/aver/metrics.csv", "configs/ravdess-audio-cnn-peer.yaml"),
    ("+ SpecAugment (2 x <= 8 bands, <= 25 frames) + mixup (alpha 0.4)", "specaug-mixup/metrics.csv", "configs/ravdess-audio-cnn-specaug-mixup.yaml"),
]
print("| row | folds | accuracy % (mean ± std) | UAR % (mean ± std) | per-fold accuracy | command |")
print("|---|---:|---:|---:|---|---|")
for name, path, config in ROWS:
    try:
        rows = list(csv.DictReader(open(path)))
    except FileNotFoundError:
        continue
    acc = [100 * float(r["accuracy"]) for r in rows]
    uar = [100 * float(r["uar"]) for r in rows]
    out = "runs/" + config.split("/")[-1].replace("ravdess-", "").replace(".yaml", "")
    print(f"| {name} | {len(rows)} | {st.mean(acc):.1f} ± {st.stdev(acc):.1f} | {st.mean(uar):.1f} ± {st.stdev(uar):.1f} | "
          f"{' '.join(f'{a:.1f}' for a in acc)} | `nice -n 5 ./aver evaluate {config} --out {out}` |")
