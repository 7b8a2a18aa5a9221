"""Reference values for Aver's ResNet-18 against torchvision's resnet18 (dev-time only).

Regenerate: /usr/bin/python3 tools/reference/resnet.py   (needs Debian python3-torch, python3-torchvision)

Weights are not stored: both sides fill every state-dict entry from the same formula (see
`fill`), so the fixture holds only inputs' recipe, outputs and a few gradients, plus the
torchvision state-dict names and shapes in its metadata.
"""
import math
import os

import torch
import torchvision

from safetensors_io import save

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "fixtures", "models")


def wave(n, phase, scale):
    """scale * u_i with u_i uniform in [-1, 1) from an integer hash of (i, phase): reproducible
    bit for bit in C# (tests/Aver.Models.Tests/ResNet/ResNet18Tests.cs) and uncorrelated, so the
    network stays well conditioned (a smooth pattern makes train-mode batch norm ill-conditioned)."""
    M = (1 << 32) - 1
    h = (torch.arange(n, dtype=torch.int64) * 2654435761 + int(phase) * 40503 + 12345) & M
    h = h ^ (h >> 15)
    h = (h * 2246822519) & M
    h = h ^ (h >> 13)
    u = h.to(torch.float64) / 2**32 * 2 - 1
    return (scale * u).to(torch.float32)


def fill(model):
    for t, (name, v) in enumerate(model.state_dict().items()):
        n = v.numel()
        if name.endswith("num_batches_tracked"):
            continue
        if name.endswith("running_var"):
            vals = 1.0 + 0.5 * wave(n, t, 1.0).abs()
        elif name.endswith("running_mean") or (v.dim() == 1 and name.endswith("bias")):
            vals = wave(n, t, 0.1)
        elif v.dim() == 1:  # batch-norm weight
            vals = 1.0 + wave(n, t, 0.1)
        else:
            fan_in = n // v.shape[0]
            vals = wave(n, t, math.sqrt(3.0 / fan_in))
        with torch.no_grad():
            v.copy_(vals.view_as(v))


def relu_margin(model, x):
    """The smallest |input| of any ReLU in a train-mode forward pass, in float64: how far the
    network's every ReLU stands from its kink. Below ~1e-5 a correct float32 kernel whose rounding
    differs from PyTorch's (Winograd's, another BLAS's) may flip that unit and its whole gradient."""
    seen = []
    hooks = [mod.register_forward_pre_hook(lambda _, inp: seen.append(inp[0].detach().abs().min().item()))
             for mod in model.modules() if isinstance(mod, torch.nn.ReLU)]
    model.train()
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    return min(seen)


def pick_input_phase(first=1000, count=200):
    """The input phase in [first, first + count) whose ReLUs stand farthest from their kinks
    (with ~380k ReLU inputs the nearest is ~1e-5 away for a typical phase, ~3e-5 for the best)."""
    m = torchvision.models.resnet18(weights=None, num_classes=8).double()
    fill(m)
    margins = [(relu_margin(m, wave(2 * 3 * 64 * 64, p, 1.0).double().view(2, 3, 64, 64)), p)
               for p in range(first, first + count)]
    return max(margins)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(2)
    margin, phase = pick_input_phase()
    print(f"input phase {phase}: every ReLU input at least {margin:.3g} from 0")
    # References in float64: the tests then measure Aver's float32 error alone.
    m = torchvision.models.resnet18(weights=None, num_classes=8).double()
    fill(m)
    x = wave(2 * 3 * 64 * 64, phase, 1.0).double().view(2, 3, 64, 64).requires_grad_(True)
    g = wave(2 * 8, 1001, 1.0).double().view(2, 8)

    m.eval()
    with torch.no_grad():
        y_eval = m(x)

    m.train()
    y_train = m(x)
    y_train.backward(g)
    sd = m.state_dict()
    names = ";".join(f"{k}:{'x'.join(map(str, v.shape))}" for k, v in sd.items())
    save(os.path.join(OUT, "resnet18.safetensors"), {
        "eval.output": y_eval,
        "train.output": y_train,
        "train.input_grad": x.grad,
        "train.conv1.weight.grad": m.conv1.weight.grad,
        "train.layer4.1.bn2.weight.grad": m.layer4[1].bn2.weight.grad,
        "train.layer2.0.downsample.0.weight.grad.sum": m.layer2[0].downsample[0].weight.grad.sum(dim=(1, 2, 3)),
        "train.fc.weight.grad": m.fc.weight.grad,
        "train.bn1.running_mean": sd["bn1.running_mean"],
        "train.layer3.0.downsample.1.running_var": sd["layer3.0.downsample.1.running_var"],
    }, {"state_dict": names, "input_phase": str(phase), "relu_margin": f"{margin:.3g}"})


if __name__ == "__main__":
    main()
