#!/usr/bin/env python3
"""Ensembles of finished 8-fold audio-cnn runs, per fold, by averaging class probabilities (issue 15, item 3).

Each run folder (runs/audio-cnn-<recipe>) holds one network per fold (folds/<row>/<fold>/audio-cnn.safetensors),
trained on the fold's 12 training actors with its epoch chosen on the validation pair (the next actor pair).
`aver score` runs every fold's network on that fold's validation pair and its test pair (score.json keeps each
clip's probabilities); this script then averages the probabilities of every subset of runs, clip by clip, and
reports each subset's validation and test accuracy per fold. The subset is chosen by mean validation accuracy
only; the test pairs choose nothing.

    python3 results/2026-12-06/audio-recipe-ensemble/ensemble.py [--aver "dotnet /tmp/aver-dev/aver.dll"] RUN...

Scores are cached under runs/recipe-ensemble/<run>/<fold>-<side>/ (delete to redo).
"""
import argparse, itertools, json, os, shlex, statistics, subprocess, sys

DATA = "../shared/data/ravdess/speech16k"
FOLDS = [(2 * p - 1, 2 * p) for p in range(1, 9)]          # A1,2 ... A15,16
LABELS = {"01": "neutral", "02": "calm", "03": "happy", "04": "sad", "05": "angry", "06": "fearful", "07": "disgust", "08": "surprised"}


def manifest(actors, path):
    rows = ["path,label,speaker"]
    for a in actors:
        folder = os.path.abspath(os.path.join(DATA, f"Actor_{a:02d}"))
        for f in sorted(os.listdir(folder)):
            if f.endswith(".wav"):
                rows.append(f"{os.path.join(folder, f)},{LABELS[f.split('-')[2]]},{a:02d}")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as w:
        w.write("\n".join(rows) + "\n")


def fold_model(run, fold):
    root = os.path.join(run, "folds")
    (row,) = os.listdir(root)
    return os.path.join(root, row, f"a{fold[0]}-{fold[1]}")


def scores(aver, run, fold, side, actors, cache):
    out = os.path.join(cache, os.path.basename(run.rstrip("/")), f"a{fold[0]}-{fold[1]}-{side}")
    if not os.path.exists(os.path.join(out, "score.json")):
        m = os.path.join(cache, "manifests", f"a{fold[0]}-{fold[1]}-{side}.csv")
        manifest(actors, m)
        subprocess.run(shlex.split(aver) + ["score", fold_model(run, fold), m, "--out", out, "--force"], check=True, stdout=subprocess.DEVNULL)
    d = json.load(open(os.path.join(out, "score.json")))
    return {os.path.basename(f["file"]): (f["expected"], f["probabilities"]) for f in d["files"]}, d["modelLabels"]


def accuracy(members):
    """Accuracy and UAR (%) of the mean probability of several runs' answers on the same clips."""
    first, labels = members[0]
    right, per = 0, {}
    for clip, (truth, _) in first.items():
        p = [sum(m[0][clip][1][k] for m in members) for k in range(len(labels))]
        hit = labels[p.index(max(p))] == truth
        right += hit
        n, h = per.get(truth, (0, 0))
        per[truth] = (n + 1, h + hit)
    return 100.0 * right / len(first), 100.0 * statistics.mean(h / n for n, h in per.values())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("runs", nargs="+")
    ap.add_argument("--aver", default="./aver")
    ap.add_argument("--cache", default="runs/recipe-ensemble")
    a = ap.parse_args()
    names = [os.path.basename(r.rstrip("/")) for r in a.runs]
    table = {}   # (run, fold index, side) -> scores
    for r in a.runs:
        for i, fold in enumerate(FOLDS):
            val = FOLDS[(i + 1) % len(FOLDS)]
            table[(r, i, "validation")] = scores(a.aver, r, fold, "validation", val, a.cache)
            table[(r, i, "test")] = scores(a.aver, r, fold, "test", fold, a.cache)
            print(f"scored {r} fold {i + 1}/8", file=sys.stderr)
    rows = []
    for k in range(1, len(a.runs) + 1):
        for subset in itertools.combinations(range(len(a.runs)), k):
            scored = {side: [accuracy([table[(a.runs[j], i, side)] for j in subset]) for i in range(len(FOLDS))] for side in ("validation", "test")}
            per = {"validation": [x[0] for x in scored["validation"]], "test": [x[0] for x in scored["test"]], "uar": [x[1] for x in scored["test"]]}
            rows.append((subset, per))
    best = max(rows, key=lambda r: statistics.mean(r[1]["validation"]))
    print("| runs averaged | validation accuracy % (mean ± std) | test accuracy % (mean ± std) | test UAR % (mean ± std) | test accuracy per fold (A1,2 ... A15,16) |")
    print("|---|---:|---:|---:|---|")
    for subset, per in sorted(rows, key=lambda r: -statistics.mean(r[1]["validation"])):
        mark = " **(chosen by validation)**" if (subset, per) == best else ""
        v, t, u = per["validation"], per["test"], per["uar"]
        print(f"| {' + '.join(names[j] for j in subset)}{mark} | {statistics.mean(v):.1f} ± {statistics.stdev(v):.1f} | "
              f"{statistics.mean(t):.1f} ± {statistics.stdev(t):.1f} | {statistics.mean(u):.1f} ± {statistics.stdev(u):.1f} | {' '.join(f'{x:.1f}' for x in t)} |")


if __name__ == "__main__":
    main()
