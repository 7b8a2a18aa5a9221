#!/usr/bin/env bash
# Fuzzes Aver's file parsers with AFL++ through SharpFuzz (not part of CI or test.sh).
#   tools/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]      targets: wav safetensors onnx yaml csv mp4 image
#   FUZZ_JOBS=2 tools/fuzz/run.sh 600                       two targets at a time (one core each), same table
# Needs afl++ (apt-get install afl++); installs the sharpfuzz instrumenter (NuGet tool SharpFuzz.CommandLine)
# under tools/fuzz/.tools. Runs one target at a time at low priority (nice 15, no core pinning: the machine is
# shared) and prints, per target, the executions, distinct paths (AFL's corpus), crashes and hangs. Findings land
# in tools/fuzz/out/findings/TARGET; reproduce one uninstrumented with: dotnet run -c Release --project tools/fuzz/Aver.Fuzz -- TARGET FILE
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:-600}"; shift || true
targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(wav safetensors onnx yaml csv mp4 image)
out="${FUZZ_OUT:-$here/out}"; bin="$out/bin"

command -v afl-fuzz >/dev/null || { echo "run.sh: afl-fuzz not found: apt-get install afl++" >&2; exit 1; }
if [ ! -x "$here/.tools/sharpfuzz" ]; then
  dotnet tool install --tool-path "$here/.tools" SharpFuzz.CommandLine --version 2.3.0 >/dev/null
fi

# A fresh publish each run: sharpfuzz instruments in place and refuses an assembly it has already instrumented.
rm -rf "$bin"
nice -n 10 dotnet publish "$here/Aver.Fuzz" -c Release -o "$bin" -nologo -v q -clp:ErrorsOnly >&2
for dll in Aver.Tensors Aver.Media Aver.Data Aver.Training; do "$here/.tools/sharpfuzz" "$bin/$dll.dll" >/dev/null; done

export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
stat() { awk -F' *: *' -v k="$2" '$1 == k { print $2 }' "$1"; }
fuzz() {
  local t="$1"
  rm -rf "$out/findings/$t"; mkdir -p "$out/findings"
  nice -n 15 afl-fuzz -V "$seconds" -t 5000 -m none -i "$here/seeds/$t" -o "$out/findings/$t" -- dotnet "$bin/Aver.Fuzz.dll" "$t" \
    > "$out/findings/$t.log" 2>&1 || echo "run.sh: afl-fuzz on $t ended with status $? (see $out/findings/$t.log)" >&2
}
jobs="${FUZZ_JOBS:-1}"
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
  fuzz "$t" &
done
wait
printf '| parser | seconds | executions | distinct paths | crashes | hangs |\n| --- | --- | --- | --- | --- | --- |\n'
for t in "${targets[@]}"; do
  s="$out/findings/$t/default/fuzzer_stats"
  if [ -f "$s" ]; then
    printf '| %s | %s | %s | %s | %s | %s |\n' "$t" "$(stat "$s" run_time)" "$(stat "$s" execs_done)" "$(stat "$s" corpus_count)" "$(stat "$s" saved_crashes)" "$(stat "$s" saved_hangs)"
  else
    printf '| %s | - | - | - | - | - |\n' "$t"
  fi
done
