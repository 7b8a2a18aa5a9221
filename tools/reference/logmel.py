# Regenerate: /usr/bin/python3 tools/reference/logmel.py   (from the repository root)
"""Reference values for Aver.Features.LogMel from torch 1.13 / torchaudio 0.13.1 (Debian): the log-mel image
of the PyTorch peer ../shared/peers/ravdess-audio-cnn.py (load_features) of a fixed synthetic 4-s signal:
per-clip standardisation (x - mean) / (std + 1e-8), the centre 3.5 s, MelSpectrogram(n_fft 512, win 400,
hop 160, 64 mels, 0-8000 Hz, power 2, center) and log(mel + 1e-6) -> [64, 351]."""
import math
import os
import sys

import numpy as np
import torch
import torchaudio

sys.path.insert(0, os.path.dirname(__file__))
from safetensors_io import save  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "tests", "fixtures", "features", "logmel_peer.safetensors")
SR = 16000


def signal(n=4 * SR):
    """The same formula as LogMelSpectrogramTests.Signal: tones, an amplitude-modulated partial, a quiet high one."""
    t = np.arange(n, dtype=np.float64) / SR
    x = (0.3 * np.sin(2 * math.pi * 220 * t)
         + 0.2 * np.sin(2 * math.pi * 1375 * t + 0.5) * (1 + 0.5 * np.sin(2 * math.pi * 3 * t))
         + 0.05 * np.sin(2 * math.pi * 5000 * t) + 0.01 * t)
    return torch.from_numpy(x.astype(np.float32))


def main():
    x = signal()
    x = (x - x.mean()) / (x.std() + 1e-8)
    n = int(3.5 * SR)
    s = (x.numel() - n) // 2
    x = x[s:s + n]
    mel = torchaudio.transforms.MelSpectrogram(sample_rate=SR, n_fft=512, win_length=400, hop_length=160,
                                               f_min=0.0, f_max=8000.0, n_mels=64, power=2.0, center=True)
    image = torch.log(mel(x) + 1e-6).contiguous()
    assert image.shape == (64, 351), image.shape
    save(OUT, {"log_mel": image})
    print(OUT, tuple(image.shape))


if __name__ == "__main__":
    main()
