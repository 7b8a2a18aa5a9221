# Regenerate: /usr/bin/python3 tools/reference/features.py   (from the repository root; needs ../shared/data)
"""Reference values for Aver.Features from torch 1.13 / torchaudio 0.13.1 (Debian).

For two shared RAVDESS speech16k files, on the excerpt [1.0 s, 1.3 s) (speech, not the leading silence):
  - torch.stft magnitudes with MRPN's settings (Hann 512, hop 64, center, reflect) and AVEF's
    (Hamming 400 in a 512 frame, hop 160, center=False, on the excerpt padded by 56 zeros each side),
  - AVEF's log-mel (eq. 2.1, on the pre-emphasised excerpt) and compute_deltas of it (N = 2).
Also melscale_fbanks (HTK/none and Slaney/slaney) and torchaudio.functional.resample (Kaiser window)
of a fixed synthetic signal from 44.1 and 48 kHz to 16 kHz.
"""
import math
import os
import sys
import wave

import numpy as np
import torch
import torchaudio.functional as AF

sys.path.insert(0, os.path.dirname(__file__))
from safetensors_io import save  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.environ.get("AVER_SHARED_DATA", os.path.join(ROOT, "..", "shared", "data"))
OUT = os.path.join(ROOT, "tests", "fixtures", "features")
FILES = {
    "a01": "ravdess/speech16k/Actor_01/03-01-05-02-01-01-01.wav",
    "a02": "ravdess/speech16k/Actor_02/03-01-03-01-02-01-02.wav",
}
START, LENGTH = 16000, 4800  # [1.0 s, 1.3 s) at 16 kHz


def read_wav(path):
    with wave.open(path, "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1, path
        raw = w.readframes(w.getnframes())
        rate = w.getframerate()
    return torch.from_numpy(np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0), rate


def stft_mag(x, n_fft, hop, window, center):
    s = torch.stft(x, n_fft, hop_length=hop, win_length=window.numel(), window=window, center=center,
                   pad_mode="reflect", return_complex=True)
    return s.abs().T.contiguous()  # time-major [frames, bins], as Aver


def main():
    os.makedirs(OUT, exist_ok=True)
    fb = AF.melscale_fbanks(257, 0.0, 8000.0, 64, 16000, None, "htk")
    fb_slaney = AF.melscale_fbanks(257, 0.0, 8000.0, 64, 16000, "slaney", "slaney")
    save(os.path.join(OUT, "melbank.safetensors"), {"htk": fb, "slaney": fb_slaney},
         {"call": "melscale_fbanks(257, 0, 8000, 64, 16000, norm, mel_scale)"})

    for key, rel in FILES.items():
        x, rate = read_wav(os.path.join(DATA, rel))
        assert rate == 16000
        ex = x[START:START + LENGTH].contiguous()
        mrpn = stft_mag(ex, 512, 64, torch.hann_window(512), True)
        pre = torch.cat([ex[:1], ex[1:] - 0.97 * ex[:-1]])
        padded = torch.nn.functional.pad(pre, (56, 56))
        power = stft_mag(padded, 512, 160, torch.hamming_window(400), False) ** 2
        logmel = torch.log(power @ fb + 0.01)  # [frames, 64]
        d1 = AF.compute_deltas(logmel.T.contiguous(), win_length=5, mode="replicate").T.contiguous()
        d2 = AF.compute_deltas(d1.T.contiguous(), win_length=5, mode="replicate").T.contiguous()
        save(os.path.join(OUT, f"stft_{key}.safetensors"),
             {"excerpt": ex, "mrpn_magnitude": mrpn, "avef_power": power, "avef_logmel": logmel,
              "delta": d1, "delta2": d2},
             {"file": rel, "start": str(START), "length": str(LENGTH)})

    out = {}
    for rate in (44100, 48000):
        n = rate // 20  # 50 ms
        t = torch.arange(n, dtype=torch.float64) / rate
        sig = (0.5 * torch.sin(2 * math.pi * 440 * t) + 0.3 * torch.sin(2 * math.pi * 7900 * t)
               + 0.2 * torch.sin(2 * math.pi * (1000 + 40000 * t) * t)).float()
        out[f"in_{rate}"] = sig
        out[f"out_{rate}"] = AF.resample(sig, rate, 16000, lowpass_filter_width=16, rolloff=0.97,
                                         resampling_method="kaiser_window", beta=9.0)
    save(os.path.join(OUT, "resample.safetensors"), out,
         {"call": "resample(x, rate, 16000, lowpass_filter_width=16, rolloff=0.97, resampling_method='kaiser_window', beta=9.0)"})


if __name__ == "__main__":
    with torch.no_grad():
        main()
