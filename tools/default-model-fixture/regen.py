#!/usr/bin/env python3
"""Rewrites tests/fixtures/predict/default-model-answers.json after the default model is rebuilt: the same clips,
answered by `./aver predict --json --no-timeline` with models/default, probabilities rounded to 4 places (the
regression test allows the last digit's rounding).

usage: tools/default-model-fixture/regen.py "ABOUT: how this model was made"     (from the repository root)"""
import json
import os
import subprocess
import sys

if len(sys.argv) != 2:
    sys.exit(__doc__)
about = sys.argv[1]
repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
fixture = os.path.join(repo, "tests", "fixtures", "predict", "default-model-answers.json")
data = os.path.normpath(os.path.join(repo, "..", "shared", "data"))
files = [clip["file"] for clip in json.load(open(fixture))["clips"]]
answer = json.loads(subprocess.run(
    [os.path.join(repo, "aver"), "predict", *[os.path.join(data, f) for f in files], "--json", "--no-timeline",
     "--model", os.path.join(repo, "models", "default")],
    check=True, capture_output=True, text=True, cwd=repo).stdout)


def rounded(probabilities):
    return None if probabilities is None else {k: round(v, 4) for k, v in probabilities.items()}


clips = []
for file, clip in zip(files, answer["clips"]):
    branches = {b["name"]: rounded(b.get("probabilities")) for b in clip["branches"]}
    clips.append({"file": file, "label": clip["label"], "probabilities": rounded(clip["probabilities"]),
                  "branches": {"audio": branches.get("audio"), "visual": branches.get("visual")}})
tmp = fixture + ".tmp"
with open(tmp, "w") as out:
    json.dump({"about": about, "clips": clips}, out, indent=2)
    out.write("\n")
os.replace(tmp, fixture)
print("wrote", fixture)
