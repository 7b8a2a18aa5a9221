# Regenerate: /usr/bin/python3 tools/reference/layers.py   (from the repository root; torch 1.13)
"""PyTorch reference values for the layers area: batch norm, layer norm, activations, gather, losses.

Every case stores its inputs, the output, an upstream gradient `gy` (the loss is sum(y * gy))
and the resulting input/parameter gradients, in tests/fixtures/tensors/layers_*.safetensors.
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from safetensors_io import save  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fixtures", "tensors")
torch.manual_seed(7)


def leaf(*shape, scale=1.0, shift=0.0):
    return (torch.randn(*shape) * scale + shift).requires_grad_()


def backward(y, *leaves):
    gy = torch.randn_like(y)
    (y * gy).sum().backward()
    return gy, [t.grad.clone() for t in leaves]


def batch_norm():
    out = {}
    cases = {"bn1d2": (5, 3), "bn1d3": (4, 3, 5), "bn2d": (3, 2, 4, 5), "bn3d": (2, 2, 3, 3, 3)}
    for name, shape in cases.items():
        c = shape[1]
        x0 = torch.randn(*shape) * 2 + 0.5
        w0 = torch.rand(c) + 0.5
        b0 = torch.randn(c)
        rm0 = torch.randn(c) * 0.1
        rv0 = torch.rand(c) + 0.5
        out.update({f"{name}.x": x0, f"{name}.weight": w0, f"{name}.bias": b0,
                    f"{name}.running_mean0": rm0, f"{name}.running_var0": rv0})
        for mode in ("train", "eval"):
            x, w, b = x0.clone().requires_grad_(), w0.clone().requires_grad_(), b0.clone().requires_grad_()
            rm, rv = rm0.clone(), rv0.clone()
            y = F.batch_norm(x, rm, rv, w, b, training=(mode == "train"), momentum=0.1, eps=1e-5)
            gy, (dx, dw, db) = backward(y, x, w, b)
            out.update({f"{name}.{mode}.y": y, f"{name}.{mode}.gy": gy, f"{name}.{mode}.dx": dx,
                        f"{name}.{mode}.dweight": dw, f"{name}.{mode}.dbias": db,
                        f"{name}.{mode}.running_mean": rm, f"{name}.{mode}.running_var": rv})
    # nn.BatchNorm2d state dict after two training steps: names and num_batches_tracked
    m = torch.nn.BatchNorm2d(2)
    xs = [torch.randn(3, 2, 2, 2) for _ in range(2)]
    for i, xi in enumerate(xs):
        out[f"module.x{i}"] = xi
        m(xi)
    for k, v in m.state_dict().items():
        out[f"module.state.{k}"] = v.float()
    save(os.path.join(OUT, "layers_batchnorm.safetensors"), out)


def layer_norm():
    out = {}
    x, w, b = leaf(2, 3, 4, scale=2, shift=1), leaf(3, 4), leaf(3, 4)
    y = F.layer_norm(x, [3, 4], w, b, eps=1e-5)
    gy, (dx, dw, db) = backward(y, x, w, b)
    out.update({"affine.x": x, "affine.weight": w, "affine.bias": b, "affine.y": y, "affine.gy": gy,
                "affine.dx": dx, "affine.dweight": dw, "affine.dbias": db})
    x = leaf(5, 6, scale=3)
    y = F.layer_norm(x, [6], eps=1e-3)
    gy, (dx,) = backward(y, x)
    out.update({"plain.x": x, "plain.y": y, "plain.gy": gy, "plain.dx": dx})
    save(os.path.join(OUT, "layers_layernorm.safetensors"), out)


def activations():
    out = {}
    for name, fn in {"gelu": lambda t: F.gelu(t), "gelu_tanh": lambda t: F.gelu(t, approximate="tanh"),
                     "elu": lambda t: F.elu(t, 0.7), "leaky": lambda t: F.leaky_relu(t, 0.2)}.items():
        x = torch.linspace(-5, 5, 101).requires_grad_()
        y = fn(x)
        gy, (dx,) = backward(y, x)
        out.update({f"{name}.x": x, f"{name}.y": y, f"{name}.gy": gy, f"{name}.dx": dx})
    for name, c in {"prelu_channels": 3, "prelu_shared": 1}.items():
        x = leaf(2, 3, 4)
        w = (torch.rand(c) * 0.5).requires_grad_()
        y = F.prelu(x, w)
        gy, (dx, dw) = backward(y, x, w)
        out.update({f"{name}.x": x, f"{name}.weight": w, f"{name}.y": y, f"{name}.gy": gy,
                    f"{name}.dx": dx, f"{name}.dweight": dw})
    save(os.path.join(OUT, "layers_activations.safetensors"), out)


def gather():
    x = leaf(3, 4, 5)
    index = torch.randint(0, 4, (3, 2, 5))
    y = torch.gather(x, 1, index)
    gy, (dx,) = backward(y, x)
    save(os.path.join(OUT, "layers_gather.safetensors"),
         {"x": x, "index": index.float(), "y": y, "gy": gy, "dx": dx})


def losses():
    out = {}
    n, c = 6, 5
    logits0 = torch.randn(n, c) * 2
    targets = torch.tensor([0, 3, 4, 1, 3, 2])
    weight = torch.rand(c) + 0.2
    out.update({"logits": logits0, "targets": targets.float(), "weight": weight})
    for ls in (0.0, 0.1):
        for use_w in (False, True):
            for red in ("mean", "sum", "none"):
                key = f"ce.ls{ls}.{'w' if use_w else 'nw'}.{red}"
                x = logits0.clone().requires_grad_()
                y = F.cross_entropy(x, targets, weight=weight if use_w else None, label_smoothing=ls, reduction=red)
                gy, (dx,) = backward(y, x)
                out.update({f"{key}.y": y.reshape(-1) if red != "none" else y, f"{key}.gy": gy.reshape(-1), f"{key}.dx": dx})
    # ignore_index: the second sample is ignored
    tgt_ign = targets.clone()
    tgt_ign[1] = -100
    x = logits0.clone().requires_grad_()
    y = F.cross_entropy(x, tgt_ign, weight=weight, label_smoothing=0.1)
    gy, (dx,) = backward(y, x)
    out.update({"ce.ignore.targets": tgt_ign.float(), "ce.ignore.y": y.reshape(-1), "ce.ignore.gy": gy.reshape(-1), "ce.ignore.dx": dx})
    # ignore_index without weights: the mean is over the non-ignored samples
    x = logits0.clone().requires_grad_()
    y = F.cross_entropy(x, tgt_ign, label_smoothing=0.2)
    gy, (dx,) = backward(y, x)
    out.update({"ce.ignore_nw.y": y.reshape(-1), "ce.ignore_nw.gy": gy.reshape(-1), "ce.ignore_nw.dx": dx})
    # probability targets (soft labels) with weights and smoothing
    probs = torch.rand(n, c).softmax(1)
    x = logits0.clone().requires_grad_()
    y = F.cross_entropy(x, probs, weight=weight, label_smoothing=0.1)
    gy, (dx,) = backward(y, x)
    out.update({"ce.soft.targets": probs, "ce.soft.y": y.reshape(-1), "ce.soft.gy": gy.reshape(-1), "ce.soft.dx": dx})
    # NLL on log-probabilities with weights
    x = logits0.clone().log_softmax(1).detach().requires_grad_()
    y = F.nll_loss(x, targets, weight=weight)
    gy, (dx,) = backward(y, x)
    out.update({"nll.x": x, "nll.y": y.reshape(-1), "nll.gy": gy.reshape(-1), "nll.dx": dx})
    # BCE with logits, with pos_weight
    x = leaf(4, 3)
    t = torch.rand(4, 3)
    pw = torch.rand(3) + 0.5
    y = F.binary_cross_entropy_with_logits(x, t, pos_weight=pw)
    gy, (dx,) = backward(y, x)
    out.update({"bce.x": x, "bce.t": t, "bce.pos_weight": pw, "bce.y": y.reshape(-1), "bce.gy": gy.reshape(-1), "bce.dx": dx})
    save(os.path.join(OUT, "layers_losses.safetensors"), out)


if __name__ == "__main__":
    batch_norm()
    layer_norm()
    activations()
    gather()
    losses()
    print("wrote", sorted(f for f in os.listdir(OUT) if f.startswith("layers_")))
