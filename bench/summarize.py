"""Turns the JSON lines collected by bench/run.sh ("ENGINE {json}" per line) into bench/README.md on stdout."""
import argparse
import datetime
import json
import os
import subprocess

ROWS = [
    ("resnet-train", "ResNet-18 training step (AdamW, batch 16, 3x112x112, 8 classes)", "images/s"),
    ("resnet-infer", "ResNet-18 inference (eval, no grad, batch 32, 3x112x112)", "images/s"),
    ("bilstm", "2-layer BiLSTM, input 512, hidden 256, batch 32, T=50, forward+backward", "sequences/s"),
    ("transformer", "Transformer encoder layer, d_model 512, 8 heads, ff 2048, T=50, batch 32, train, forward+backward", "sequences/s"),
]


def best_runs(path):
    best = {}
    for line in open(path):
        engine, _, payload = line.strip().partition(" ")
        rec = json.loads(payload)
        key = (rec["bench"], engine)
        if key not in best or rec["items_per_s"] > best[key]["items_per_s"]:
            best[key] = rec
    return best


def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--command", required=True)
    ap.add_argument("--load-before", default="")
    ap.add_argument("--load-after", default="")
    a = ap.parse_args()
    best = best_runs(a.results)
    threads = next(iter(best.values()))["threads"] if best else "?"
    out = []
    out.append("# Engine benchmark: Aver vs PyTorch\n")
    out.append("Issue 2, item 8. Each bench runs in its own process per engine, the two engines alternating; "
               "the best of the repeats counts (the machine is shared with other work). Rates are items per "
               "second of wall-clock time after two warm-up steps; CPU is the process CPU time (user + system) "
               "per item over the same steps; peak is each process's peak RSS (VmHWM / ru_maxrss). "
               "Ratio = Aver / PyTorch rate (above 1: Aver is faster).\n")
    out.append("| Bench | Unit | Aver | PyTorch | Ratio | Aver CPU ms/item | PyTorch CPU ms/item | Aver peak MB | PyTorch peak MB |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for bench, desc, unit in ROWS:
        av, pt = best.get((bench, "aver")), best.get((bench, "torch"))
        if av is None or pt is None:
            continue
        ratio = av["items_per_s"] / pt["items_per_s"]
        out.append(f"| {desc} | {unit} | {av['items_per_s']:.1f} | {pt['items_per_s']:.1f} | **{ratio:.2f}** | "
                   f"{av['cpu_ms_per_item']:.0f} | {pt['cpu_ms_per_item']:.0f} | {av['peak_rss_mb']:.0f} | {pt['peak_rss_mb']:.0f} |")
    out.append("")
    out.append("## Setup\n")
    out.append(f"- Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC")
    out.append(f"- Machine: {os.cpu_count()} cores (`nproc`: {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()}), {cpu_model()}")
    out.append(f"- Threads: {threads} for both engines (Aver `Engine.Threads`, which also sets OpenBLAS's; PyTorch `torch.set_num_threads`)")
    out.append("- Aver: .NET 10 Release build, OpenBLAS sgemm; PyTorch: Debian's torch 1.13 (`/usr/bin/python3`)")
    out.append(f"- OPENBLAS_CORETYPE: {os.environ.get('OPENBLAS_CORETYPE', 'unset')}")
    out.append(f"- Load before: `{a.load_before.strip()}`")
    out.append(f"- Load after: `{a.load_after.strip()}`")
    out.append("")
    out.append("Other engineers share this machine, so the absolute rates vary with its load (PyTorch's "
               "OpenMP threads suffer more from oversubscription than Aver's); compare the two engines "
               "within one run, and the CPU columns, rather than across runs. For orientation, issue 2 quotes "
               "PyTorch 1.13 at about 42 training and 125 inference images/s with 2 threads on an idle machine "
               "of this kind; when this run's PyTorch rates are far below those, the machine was loaded and the "
               "ratios say how the engines fare under load, not on an idle machine.\n")
    out.append("## Reproduce\n")
    out.append("```")
    out.append(a.command)
    out.append("```\n")
    out.append("`bench/Aver.Bench` (one file per bench) and `bench/torch_bench.py` build the same models and "
               "inputs; a single bench: `dotnet bench/Aver.Bench/bin/Release/net10.0/Aver.Bench.dll resnet-train "
               "--threads 2 --seconds 10` or `/usr/bin/python3 bench/torch_bench.py resnet-train --threads 2 "
               "--seconds 10`. `AVER_PROFILE=1` makes the Aver side print a per-op time breakdown on stderr.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
