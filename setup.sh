#!/usr/bin/env bash
# Installs what Aver needs and is missing, then builds. Idempotent: a second run installs nothing.
# Usage: ./setup.sh [--quiet]   (run as root on Debian 12 with the .NET SDK)
set -euo pipefail
cd "$(dirname "$0")"
quiet=0; [ "${1:-}" = "--quiet" ] && quiet=1
say() { [ $quiet = 1 ] || echo "setup: $*"; }

# Debian packages: OpenBLAS for matrix products, ffmpeg for media, libsvm for AVEF's SVM.
packages=(libopenblas0-pthread ffmpeg libsvm3)
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

command -v dotnet >/dev/null || { echo "setup: the .NET SDK (dotnet) is required" >&2; exit 1; }
say "building"
dotnet build src/Aver.Cli/Aver.Cli.csproj -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
say "ready: ./aver --help"
