#!/usr/bin/env bash
# Runs every test project and ends with one line: "Tests: N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"
./setup.sh --quiet || exit 1
log=$(mktemp)
dotnet test Aver.slnx -c Release -nologo 2>&1 | tee "$log" | grep -E "^(Passed!|Failed!)|\[FAIL\]|error" 
status=${PIPESTATUS[0]}
read -r passed failed skipped < <(awk '/^(Passed!|Failed!)/ {
    for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1));
      if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
  END { print p+0, f+0, s+0 }' "$log")
rm -f "$log"
echo "Tests: $passed passed, $failed failed, $skipped skipped"
[ "$status" = 0 ] && [ "$failed" = 0 ] && [ "$passed" -gt 0 ]
