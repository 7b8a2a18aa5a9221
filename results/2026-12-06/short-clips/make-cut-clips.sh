#!/usr/bin/env bash
# RAVDESS speech of actors 15-16 (the default model's audio validation speakers) as they are, and with the pauses cut
# off (ffmpeg silenceremove at -45 dB: 1.2-1.6 s of speech left), as manifests for `aver score`. Output in $1 (default /tmp/trim).
set -euo pipefail
out="${1:-/tmp/trim}"; data="$(cd "$(dirname "$0")/../../.." && pwd)/../shared/data/ravdess/speech16k"
mkdir -p "$out"
declare -A L=([01]=neutral [02]=calm [03]=happy [04]=sad [05]=angry [06]=fearful [07]=disgust [08]=surprised)
echo "path,label,speaker" > "$out/manifest-orig.csv"; echo "path,label,speaker" > "$out/manifest-trim.csv"
for a in 15 16; do for f in "$data"/Actor_$a/*.wav; do
  b=$(basename "$f"); e=$(echo "$b" | cut -d- -f3)
  ffmpeg -v quiet -y -i "$f" -af "silenceremove=start_periods=1:start_threshold=-45dB:stop_periods=-1:stop_threshold=-45dB:stop_duration=0.3" "$out/trim-$b"
  echo "$f,${L[$e]},$a" >> "$out/manifest-orig.csv"; echo "$out/trim-$b,${L[$e]},$a" >> "$out/manifest-trim.csv"
done; done
