# Regenerate: /usr/bin/python3 tools/reference/audio_cnn.py   (from the repository root)
"""Training-step reference for Aver's audio-cnn family from torch 1.13: the PyTorch audio peer's network
(../shared/peers/ravdess-audio-cnn.py, class Net: conv3x3 no bias - BatchNorm - ReLU - maxpool 2 blocks, global
average pooling, dropout, linear) with widths 4-8, dropout 0, 3 classes, trained 3 steps with the peer's AdamW
(lr 1e-3, weight decay 1e-2) and cross-entropy on a fixed batch [6, 1, 16, 20]. Writes the initial state dict, the
batch, the loss of each step and the state dict after the steps (running statistics included) to
tests/fixtures/models/audio_cnn_steps.safetensors."""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from safetensors_io import save  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fixtures", "models", "audio_cnn_steps.safetensors")


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True), nn.MaxPool2d(2))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.cnn = nn.Sequential(block(1, 4), block(4, 8))
        self.drop = nn.Dropout(0.0)
        self.fc = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc(self.drop(self.cnn(x).mean(dim=(2, 3))))


def main():
    torch.manual_seed(0)
    net = Net()
    out = {f"init.{n}": t.detach().clone().float() for n, t in net.state_dict().items()}
    x = torch.randn(6, 1, 16, 20)
    y = torch.tensor([0, 1, 2, 1, 0, 2])
    opt = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=1e-2)
    losses = []
    net.train()
    for _ in range(3):
        loss = F.cross_entropy(net(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    out.update({f"final.{n}": t.detach().clone().float() for n, t in net.state_dict().items()})
    out["input"] = x
    out["targets"] = y.float()
    out["losses"] = torch.tensor(losses)
    save(OUT, out)
    print(OUT, losses)


if __name__ == "__main__":
    main()
