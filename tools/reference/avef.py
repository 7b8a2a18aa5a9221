"""Reference values for AVEF's audio-network and visual-network layouts (dev-time only).

Regenerate: /usr/bin/python3 tools/reference/avef.py   (needs Debian python3-torch)

The torch modules below restate the C# layouts of src/Aver.Models/Avef/AudioNet.cs (AlexNet-style,
5x5/2 stem) and VisualNet.cs (C3D-style, pool5 padding (0, 1, 1)) at tiny widths; weights and
inputs come from resnet.py's `wave` formula, so the fixture holds only the outputs.
"""
import math
import os

import torch
from torch import nn

from resnet import wave
from safetensors_io import save

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "fixtures", "models")


class AudioNet(nn.Module):
    def __init__(self, widths, fc, classes):
        super().__init__()
        k, s, p = [5, 5, 3, 3, 3], [2, 1, 1, 1, 1], [2, 2, 1, 1, 1]
        cin = 3
        for i, w in enumerate(widths):
            setattr(self, f"conv{i + 1}", nn.Conv2d(cin, w, k[i], s[i], p[i]))
            cin = w
        self.fc6 = nn.Linear(cin * 3 * 3, fc)
        self.fc7 = nn.Linear(fc, fc)
        self.fc8 = nn.Linear(fc, classes)

    def features(self, x):
        pool = nn.functional.max_pool2d
        for i in range(5):
            x = torch.relu(getattr(self, f"conv{i + 1}")(x))
            if i in (0, 1, 4):
                x = pool(x, 3, 2)
        x = torch.relu(self.fc6(x.flatten(1)))
        return torch.relu(self.fc7(x))


class VisualNet(nn.Module):
    NAMES = ["conv1a", "conv2a", "conv3a", "conv3b", "conv4a", "conv4b", "conv5a", "conv5b"]
    POOLS = {0: ((1, 2, 2), 0), 1: ((2, 2, 2), 0), 3: ((2, 2, 2), 0), 5: ((2, 2, 2), 0), 7: ((2, 2, 2), (0, 1, 1))}

    def __init__(self, cin, widths, flat, fc, classes):
        super().__init__()
        for name, w in zip(self.NAMES, widths):
            setattr(self, name, nn.Conv3d(cin, w, 3, padding=1))
            cin = w
        self.fc6 = nn.Linear(flat, fc)
        self.fc7 = nn.Linear(fc, fc)
        self.fc8 = nn.Linear(fc, classes)

    def features(self, x):
        for i, name in enumerate(self.NAMES):
            x = torch.relu(getattr(self, name)(x))
            if i in self.POOLS:
                k, p = self.POOLS[i]
                x = nn.functional.max_pool3d(x, k, k, p)
        x = torch.relu(self.fc6(x.flatten(1)))
        return torch.relu(self.fc7(x))


def fill(model):
    for t, (name, v) in enumerate(model.state_dict().items()):
        n = v.numel()
        fan_in = n // v.shape[0] if v.dim() > 1 else 1
        vals = wave(n, t, 0.1) if v.dim() == 1 else wave(n, t, math.sqrt(6.0 / fan_in))
        with torch.no_grad():
            v.copy_(vals.view_as(v))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(2)
    audio = AudioNet([6, 16, 24, 24, 16], 16, 6).eval()
    visual = VisualNet(1, [2, 4, 8, 8, 16, 16, 16, 16], 16 * 1 * 1 * 1, 12, 6).eval()
    fill(audio)
    fill(visual)
    xa = wave(2 * 3 * 64 * 64, 2000, 1.0).view(2, 3, 64, 64)
    xv = wave(2 * 1 * 16 * 16 * 16, 2001, 1.0).view(2, 1, 16, 16, 16)
    with torch.no_grad():
        fa, fv = audio.features(xa), visual.features(xv)
        tensors = {"audio_features": fa, "audio_scores": audio.fc8(fa), "visual_features": fv, "visual_scores": visual.fc8(fv)}
    names = lambda m: ";".join(f"{k}:{'x'.join(map(str, v.shape))}" for k, v in m.state_dict().items())
    save(os.path.join(OUT, "avef_nets.safetensors"), tensors, {"audio_state_dict": names(audio), "visual_state_dict": names(visual)})


if __name__ == "__main__":
    main()
