#!/usr/bin/env bash
# Feature-extraction throughput, Aver against torchaudio in the same run: MRPN spectrogram segments and AVEF
# log-mel + delta stacks of one hour of 16 kHz speech (the shared RAVDESS speech16k files, looped), clip by clip.
#   bench/features/run.sh [--threads N] [--hours H]        (defaults: 1 thread, 1 hour)
# First checks that both sides agree on the first file (bounds in bench/features/README.md); fails if not.
# Prints x-real-time (audio seconds per wall second and per CPU second) for both sides and the ratio
# Aver / torchaudio (> 1: Aver is faster). CPU-second figures are the fairer ones on a shared, loaded machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
THREADS=1; HOURS=1; DATA="${AVER_SHARED_DATA:-../shared/data}/ravdess/speech16k"
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) THREADS="$2"; shift 2 ;;
    --hours) HOURS="$2"; shift 2 ;;
    *) echo "usage: $0 [--threads N] [--hours H]" >&2; exit 2 ;;
  esac
done
[ -d "$DATA" ] || { echo "$DATA: not found (set AVER_SHARED_DATA)" >&2; exit 1; }
dotnet build bench/Aver.Bench.Features -c Release -v q -nologo >/dev/null
OUT=$(mktemp); trap 'rm -f "$OUT"' EXIT
# Passive OpenMP waits: with spinning workers torch burns its CPU share on a loaded machine (10x slower at 2 threads).
export OMP_NUM_THREADS="$THREADS" MKL_NUM_THREADS="$THREADS" OPENBLAS_NUM_THREADS="$THREADS" OMP_WAIT_POLICY=PASSIVE
# Agreement first: both sides' outputs for the first file (the bounds are in the README).
AGREE=$(mktemp -d); trap 'rm -rf "$OUT" "$AGREE"' EXIT
/usr/bin/python3 bench/features/torchaudio_bench.py --data "$DATA" --dump "$AGREE"
dotnet bench/Aver.Bench.Features/bin/Release/net10.0/Aver.Bench.Features.dll --data "$DATA" --check "$AGREE"
dotnet bench/Aver.Bench.Features/bin/Release/net10.0/Aver.Bench.Features.dll --data "$DATA" --hours "$HOURS" --threads "$THREADS" | tee -a "$OUT"
/usr/bin/python3 bench/features/torchaudio_bench.py --data "$DATA" --hours "$HOURS" --threads "$THREADS" | tee -a "$OUT"
/usr/bin/python3 - "$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
by = {(r["side"], r["features"]): r for r in rows}
print(f"\n{'features':<6} {'aver x-RT':>10} {'torch x-RT':>11} {'ratio':>6}   {'aver x-RT/CPU':>14} {'torch x-RT/CPU':>15} {'ratio':>6}")
for f in ("mrpn", "avef"):
    a, t = by[("aver", f)], by[("torchaudio", f)]
    print(f"{f:<6} {a['x_real_time']:>10.0f} {t['x_real_time']:>11.0f} {a['x_real_time'] / t['x_real_time']:>6.2f}   "
          f"{a['x_real_time_per_cpu_second']:>14.0f} {t['x_real_time_per_cpu_second']:>15.0f} "
          f"{a['x_real_time_per_cpu_second'] / t['x_real_time_per_cpu_second']:>6.2f}")
print(f"({a['audio_seconds']:.0f} s of audio, {a['clips']} clips, {a['threads']} thread(s); load average {open('/proc/loadavg').read().split()[0]})")
PY
