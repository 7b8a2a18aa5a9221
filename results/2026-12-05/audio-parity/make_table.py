#!/usr/bin/python3
"""Builds the parity table of report.md from the run logs in this folder: peer.log (peer folds 1-4),
peer2.log + peer-folds5-8.json (peer folds 5-8, with UAR) and aver.log + aver/metrics.csv (Aver, all folds).
Prints Markdown. Per-epoch curves of both go to curves.md."""
import csv
import json
import re
import statistics as st

FOLDS = ["A1,2", "A3,4", "A5,6", "A7,8", "A9,10", "A11,12", "A13,14", "A15,16"]


def peer_texts():
    """The peer's logs present in this folder (folds 1-4, folds 5-8)."""
    for name in ["peer.log", "peer2.log"]:
        try:
            yield open(name).read()
        except FileNotFoundError:
            pass


def peer_folds():
    out = {}
    for text in peer_texts():
        for m in re.finditer(r"fold (\d+) done: test acc ([\d.]+)%.*best val acc ([\d.]+)% at epoch (\d+), (\d+)s", text):
            out[FOLDS[int(m[1]) - 1]] = dict(acc=float(m[2]), val=float(m[3]), epoch=int(m[4]), secs=int(m[5]))
    try:
        for r in json.load(open("peer-folds5-8.json")):
            out[r["test"]]["uar"] = r["uar"]
    except FileNotFoundError:
        pass
    return out


def peer_epochs():
    rows = []
    for text in peer_texts():
        for m in re.finditer(r"fold (\d+) epoch +(\d+): train loss ([\d.]+) acc +([\d.]+) \| val loss ([\d.]+) acc +([\d.]+) \| lr ([\d.e+-]+) \| ([\d.]+)s", text):
            rows.append((FOLDS[int(m[1]) - 1], int(m[2]), float(m[3]), float(m[4]), float(m[5]), float(m[6]), float(m[7]), float(m[8])))
    return rows


def aver_epochs():
    text = open("aver.log").read().replace("\r", "\n")
    rows = []
    for m in re.finditer(r"\[([^\]]+)\] epoch +(\d+)/\d+ +loss ([\d.]+) acc ([\d.]+) % +val loss ([\d.]+) acc ([\d.]+) % +lr ([\d.E+-]+) +([\d.]+)s", text):
        rows.append((m[1], int(m[2]), float(m[3]), float(m[4]), float(m[5]), float(m[6]), float(m[7]), float(m[8])))
    return rows


def aver_folds():
    out = {}
    with open("aver/metrics.csv") as f:
        for r in csv.DictReader(f):
            out[r["fold"]] = dict(acc=100 * float(r["accuracy"]), uar=100 * float(r["uar"]))
    secs = {}
    for fold, *_, s in aver_epochs():
        secs[fold] = secs.get(fold, 0) + s
    for fold in out:
        out[fold]["secs"] = secs.get(fold, float("nan"))
    return out


def ms(values):
    values = [v for v in values if v == v]
    if not values:
        return "n/a"
    return f"{st.mean(values):.1f} ± {st.stdev(values):.1f}" if len(values) > 1 else f"{values[0]:.1f}"


def main():
    p, a = peer_folds(), aver_folds()
    lines = ["| fold | peer accuracy | peer UAR | peer wall s | Aver accuracy | Aver UAR | Aver epochs s | Aver − peer |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for f in FOLDS:
        pf, af = p.get(f, {}), a.get(f, {})
        d = af.get("acc", float("nan")) - pf.get("acc", float("nan"))
        lines.append(f"| {f} | {pf.get('acc', float('nan')):.1f} | {pf.get('uar', float('nan')):.1f} | {pf.get('secs', float('nan')):.0f} | "
                     f"{af.get('acc', float('nan')):.1f} | {af.get('uar', float('nan')):.1f} | {af.get('secs', float('nan')):.0f} | {d:+.1f} |")
    lines.append(f"| mean ± std | {ms([p[f]['acc'] for f in p])} | {ms([p[f].get('uar', float('nan')) for f in p])} | {sum(p[f]['secs'] for f in p):.0f} | "
                 f"{ms([a[f]['acc'] for f in a])} | {ms([a[f]['uar'] for f in a])} | {sum(a[f]['secs'] for f in a):.0f} | "
                 f"{st.mean([a[f]['acc'] for f in a]) - st.mean([p[f]['acc'] for f in p]):+.1f} |")
    print("\n".join(lines))
    with open("curves.md", "w") as out:
        out.write("# Per-epoch curves: peer vs Aver (same fold, same epoch)\n\n")
        out.write("| fold | epoch | peer train loss | Aver train loss | peer train acc | Aver train acc | peer val loss | Aver val loss | peer val acc | Aver val acc | peer lr | Aver lr | peer s | Aver s |\n")
        out.write("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
        pe = {(r[0], r[1]): r for r in peer_epochs()}
        for r in aver_epochs():
            q = pe.get((r[0], r[1]))
            if q is None:
                continue
            out.write(f"| {r[0]} | {r[1]} | {q[2]:.3f} | {r[2]:.3f} | {q[3]:.1f} | {r[3]:.1f} | {q[4]:.3f} | {r[4]:.3f} | {q[5]:.1f} | {r[5]:.1f} | {q[6]:.1e} | {r[6]:.1e} | {q[7]:.0f} | {r[7]:.0f} |\n")


if __name__ == "__main__":
    main()
