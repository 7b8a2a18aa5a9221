#!/usr/bin/env python3
"""A faint noise floor and mp3 against a model's audio branch (issue 15, item 4), reproducibly.

28 clips of RAVDESS actors 15-16 (the default model's audio validation speakers): each of FER's 7 emotions (calm has
no FER class), normal intensity, statements 01 and 02, repetition 01. Each clip as it is, with white noise 30 dB
under its RMS (numpy, seed 0), and as 128 kbit/s mp3 (ffmpeg). `aver predict --json --only audio` answers each
version; the table counts the right answers and the answers that stay the clean clip's.

    python3 results/2026-12-06/audio-robustness/robustness.py [--aver "./aver"] [--work /tmp/robust] MODEL [MODEL ...]
"""
import argparse, json, os, shlex, subprocess, wave
import numpy as np

DATA = "../shared/data/ravdess/speech16k"
FER = {"01": "neutral", "03": "happy", "04": "sad", "05": "angry", "06": "fear", "07": "disgust", "08": "surprise"}


def clips():
    out = []
    for actor in (15, 16):
        for code, label in FER.items():
            for statement in ("01", "02"):
                out.append((os.path.join(DATA, f"Actor_{actor}", f"03-01-{code}-01-{statement}-01-{actor:02d}.wav"), label))
    return out


def read(path):
    with wave.open(path) as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float64) / 32768, w.getframerate()


def write(path, x, rate):
    with wave.open(path, "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)
        w.writeframes(np.clip(np.round(x * 32768), -32768, 32767).astype(np.int16).tobytes())


def versions(work):
    rng = np.random.default_rng(0)
    made = {"clean": [], "noise": [], "mp3": []}
    os.makedirs(work, exist_ok=True)
    for path, label in clips():
        name = os.path.basename(path)
        x, rate = read(path)
        noisy = os.path.join(work, "noise-" + name)
        write(noisy, x + rng.standard_normal(len(x)) * np.sqrt(np.mean(x ** 2)) * 10 ** (-30 / 20), rate)
        mp3 = os.path.join(work, name[:-4] + ".mp3")
        subprocess.run(["ffmpeg", "-v", "quiet", "-y", "-i", path, "-b:a", "128k", mp3], check=True)
        made["clean"].append((os.path.abspath(path), label)); made["noise"].append((noisy, label)); made["mp3"].append((mp3, label))
    return made


def answers(aver, model, files):
    out = subprocess.run(shlex.split(aver) + ["predict", *files, "--model", model, "--only", "audio", "--json", "--no-timeline"],
                         check=True, capture_output=True, text=True).stdout
    return [c["label"] for c in json.loads(out)["clips"]]


def main():
    a = argparse.ArgumentParser()
    a.add_argument("--aver", default="./aver")
    a.add_argument("--work", default="/tmp/aver-robustness")
    a.add_argument("models", nargs="+")
    o = a.parse_args()
    made = versions(o.work)
    print("| model | clean: right | + noise floor: same label | + noise floor: right | mp3: same label | mp3: right |")
    print("|---|---:|---:|---:|---:|---:|")
    for model in o.models:
        got = {k: answers(o.aver, model, [f for f, _ in v]) for k, v in made.items()}
        truth = [label for _, label in made["clean"]]
        right = {k: sum(g == t for g, t in zip(v, truth)) for k, v in got.items()}
        same = {k: sum(g == c for g, c in zip(v, got["clean"])) for k, v in got.items()}
        print(f"| {model} | {right['clean']} | {same['noise']} | {right['noise']} | {same['mp3']} | {right['mp3']} |")


if __name__ == "__main__":
    main()
