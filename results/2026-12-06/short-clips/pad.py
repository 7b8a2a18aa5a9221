"""The cut clips centred in a 3.5-s window outside Aver, with digital zeros or with white noise 50 dB under the clip's
RMS (seed 0): what the front end did before session 10 against what a recording's own silence looks like.
    /usr/bin/python3 results/2026-12-06/short-clips/pad.py /tmp/trim"""
import os, sys, wave
import numpy as np
out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/trim"
def read(p):
    w = wave.open(p); x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768
    return x, w.getframerate()
def write(p, x, sr):
    w = wave.open(p, "wb"); w.setnchannels(1); w.setsampwidth(2); w.setframerate(sr)
    w.writeframes((np.clip(x, -1, 1) * 32767).astype(np.int16).tobytes()); w.close()
rng = np.random.default_rng(0)
for v in ["zero", "noise"]:
    os.makedirs(f"{out}/{v}", exist_ok=True)
    lines = ["path,label,speaker"]
    for line in open(f"{out}/manifest-trim.csv").read().split("\n")[1:]:
        if not line: continue
        p, label, speaker = line.split(",")
        x, sr = read(p); total = int(3.5 * sr); a = max(0, total - len(x)) // 2
        y = np.zeros(max(total, len(x)), dtype=np.float32); y[a:a + len(x)] = x
        if v == "noise": y += rng.normal(0, np.sqrt((x ** 2).mean()) * 10 ** (-50 / 20), len(y)).astype(np.float32)
        q = f"{out}/{v}/{os.path.basename(p)}"; write(q, y, sr); lines.append(f"{q},{label},{speaker}")
    open(f"{out}/manifest-{v}.csv", "w").write("\n".join(lines) + "\n")
