#!/usr/bin/env bash
# Aver vs PyTorch engine benchmark; replaces the generated block of bench/README.md (hand-written sections stay).
# Usage: bench/run.sh [--threads N] [--seconds S] [--repeats R] [BENCH ...]
# Each bench runs in its own process per engine; the engines alternate (which one goes first
# flips every repeat) and the best rate of the R repeats counts, since the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/.."
threads=2 seconds=10 repeats=3 benches=()
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    *) benches+=("$1"); shift ;;
  esac
done
[ ${#benches[@]} -gt 0 ] || benches=(resnet-train resnet-infer bilstm transformer)
command="bench/run.sh --threads $threads --seconds $seconds --repeats $repeats ${benches[*]}"

dotnet build bench/Aver.Bench -c Release -v quiet -nologo >&2
aver=(dotnet bench/Aver.Bench/bin/Release/net10.0/Aver.Bench.dll)
torch=(/usr/bin/python3 bench/torch_bench.py)
results=$(mktemp)
trap 'rm -f "$results"' EXIT
load_before=$(uptime)
for ((r = 0; r < repeats; r++)); do
  for b in "${benches[@]}"; do
    if ((r % 2 == 0)); then order=(aver torch); else order=(torch aver); fi
    for engine in "${order[@]}"; do
      if [ "$engine" = aver ]; then cmd=("${aver[@]}"); else cmd=("${torch[@]}"); fi
      line=$("${cmd[@]}" "$b" --threads "$threads" --seconds "$seconds" | tail -n 1)
      echo "$engine $line" | tee -a "$results" >&2
    done
  done
done
load_after=$(uptime)
# The kernels' choices on this machine (ISA path, L2 size, Winograd), recorded with the run.
aver_info=$(./aver info --json --threads "$threads" 2>/dev/null || echo '{}')
python3 bench/summarize.py "$results" --command "$command" --load-before "$load_before" --load-after "$load_after" \
  --aver-info "$aver_info" --readme bench/README.md
cat bench/README.md
