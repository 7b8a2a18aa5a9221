#!/usr/bin/env bash
# Before/after of prediction-speed changes in one run: builds of aver (each a copy of src/Aver.Cli/bin/Release/net10.0,
# made at one commit) alternated six times on the shared RAVDESS 720p clips; median x real time, and whether the
# answers stay the same as the first build's. Usage: bench/predict/levers.sh DIR_OF_BUILDS NAME...
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
builds="$1"; shift
names="$*"
cd "$root"
export OPENBLAS_CORETYPE=Haswell
for rep in 1 2 3 4 5 6; do
  for b in $names; do
    dotnet "$builds/$b/aver.dll" predict ../shared/data/ravdess/av --json > "$builds/$b.$rep.json" 2>/dev/null
  done
done
BUILDS="$builds" NAMES="$names" python3 - <<'PY'
import json,os,statistics as st
d0=os.environ['BUILDS']; names=os.environ['NAMES'].split()
base=json.load(open(f'{d0}/{names[0]}.1.json'))
for b in names:
    xs=[];cpus=[]
    for r in range(1,7):
        d=json.load(open(f'{d0}/{b}.{r}.json')); xs.append(d['realTimeFactor']); cpus.append(d['mediaSeconds']/d['cpuSeconds'])
    d=json.load(open(f'{d0}/{b}.1.json'))
    pairs=[(c0,c) for c0,c in zip(base['clips'],d['clips']) if 'label' in c]
    same=sum(c0['label']==c['label'] for c0,c in pairs)
    ws=[(s0['label']==s['label']) for c0,c in zip(base['clips'],d['clips']) for s0,s in zip(c0.get('timeline',[]),c.get('timeline',[]))]
    dp=max(abs(c0['probabilities'][k]-c['probabilities'][k]) for c0,c in zip(base['clips'],d['clips']) if 'label' in c for k in c['probabilities'])
    print(f"{b}: x real time (wall) median {st.median(xs):.2f} [{min(xs):.2f}-{max(xs):.2f}], per CPU-s median {st.median(cpus):.2f}; clip labels same {same}/{len(pairs)}, windows same {sum(ws)}/{len(ws)}, max |dp| clip {dp:.4f}")
PY
