# Regenerate: cd tools/reference && /usr/bin/python3 optim.py   (after `AVER_WRITE_FIXTURES=1 dotnet test tests/Aver.Tensors.Tests -c Release --filter AverWritten`)
"""Reference values for Aver's optimisers, schedules, gradient clipping and safetensors interop.

Writes tests/fixtures/tensors/:
  optim.safetensors        parameter trajectories of SGD/Adam/AdamW from fixed params and gradients,
                           learning-rate sequences of ReduceLROnPlateau/StepLR/CosineAnnealingLR,
                           clip_grad_norm_ results.
  interop_mlp.safetensors  the state dict of torch nn.Sequential(Linear(4,8), ReLU(), Linear(8,3)) (PyTorch -> Aver)
  interop_mlp_io.safetensors  an input and that network's output
  dtypes.safetensors       F16, BF16 and I64 tensors written by torch, with their float32 values

It also VERIFIES THE OTHER DIRECTION (Aver -> PyTorch): aver_mlp.safetensors, written by Aver (a C# test
asserts the committed bytes are exactly what Aver writes), is loaded into the same torch Sequential with
load_state_dict(strict=True), and the network's output on the input in aver_mlp_io.safetensors must equal
the output Aver computed. The script exits non-zero if that fails.
"""
import json
import math
import os
import struct
import sys

import numpy as np
import torch

from safetensors_io import load, save

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "tests", "fixtures", "tensors")
STEPS = 6

torch.manual_seed(0)
out = {}

# ---- optimiser trajectories ----
init = {"p0": torch.randn(3, 4), "p1": torch.randn(5)}
grads = [{k: torch.randn_like(v) for k, v in init.items()} for _ in range(STEPS)]
for k, v in init.items():
    out[f"init.{k}"] = v
for s, g in enumerate(grads):
    for k, v in g.items():
        out[f"grad.{s}.{k}"] = v

CONFIGS = {
    "sgd_plain": (torch.optim.SGD, dict(lr=0.1)),
    "sgd_momentum": (torch.optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.1)),
    "sgd_nesterov_wd": (torch.optim.SGD, dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)),
    "adam": (torch.optim.Adam, dict(lr=0.01)),
    "adam_wd_amsgrad": (torch.optim.Adam, dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, amsgrad=True)),
    "adamw": (torch.optim.AdamW, dict(lr=0.01)),
    "adamw_amsgrad": (torch.optim.AdamW, dict(lr=0.02, weight_decay=0.05, amsgrad=True)),
    # Two groups: p0 with the defaults, p1 with its own lr and weight decay.
    "sgd_groups": (torch.optim.SGD, dict(lr=0.1, momentum=0.9)),
}
for name, (cls, kw) in CONFIGS.items():
    params = {k: v.clone().requires_grad_(True) for k, v in init.items()}
    if name == "sgd_groups":
        opt = cls([{"params": [params["p0"]]}, {"params": [params["p1"]], "lr": 0.01, "weight_decay": 0.1}], **kw)
    else:
        opt = cls(list(params.values()), **kw)
    for s in range(STEPS):
        for k, p in params.items():
            p.grad = grads[s][k].clone()
        opt.step()
        for k, p in params.items():
            out[f"{name}.{s}.{k}"] = p.detach().clone()

# ---- schedules ----
def lr_sequence(make, epochs, metrics=None, cap=None, groups=1):
    params = [torch.zeros(1, requires_grad=True) for _ in range(groups)]
    opt = torch.optim.SGD([{"params": [p], "lr": 0.1 * (i + 1)} for i, p in enumerate(params)], lr=0.1)
    sched = make(opt)
    lrs, reductions = [], 0
    for e in range(epochs):
        before = [g["lr"] for g in opt.param_groups]
        if metrics is None:
            opt.step()
            sched.step()
        elif cap is None or reductions < cap:
            # The cap (not in PyTorch) is emulated by no longer stepping once it is reached.
            sched.step(metrics[e])
            if [g["lr"] for g in opt.param_groups] != before:
                reductions += 1
        lrs.append([g["lr"] for g in opt.param_groups])
    return torch.tensor(lrs, dtype=torch.float64).float()


metric_seq = np.float32(np.concatenate([np.linspace(1.0, 0.6, 8), np.full(8, 0.61), np.linspace(0.6, 0.5, 6),
                                        0.5 + 0.02 * np.sin(np.arange(18))])).astype(np.float64)
acc_seq = np.float32(np.concatenate([np.linspace(0.3, 0.7, 10), np.full(12, 0.705), np.linspace(0.7, 0.8, 6), np.full(12, 0.79)])).astype(np.float64)
out["plateau.metrics"] = torch.tensor(metric_seq).float()
out["plateau.accuracy"] = torch.tensor(acc_seq).float()
P = torch.optim.lr_scheduler.ReduceLROnPlateau
out["plateau.min_rel"] = lr_sequence(lambda o: P(o, factor=0.5, patience=3, cooldown=2, min_lr=0.01), 40, list(metric_seq))
out["plateau.max_abs"] = lr_sequence(lambda o: P(o, mode="max", factor=0.3, patience=2, threshold=0.01, threshold_mode="abs"), 40, list(acc_seq))
out["plateau.mrpn_capped"] = lr_sequence(lambda o: P(o, factor=0.5, patience=2), 40, [1.0] * 40, cap=2)
out["steplr"] = lr_sequence(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5), 20, groups=2)
out["cosine"] = lr_sequence(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=7, eta_min=0.001), 25, groups=2)

# ---- clip_grad_norm_ ----
clip_grads = [torch.randn(4, 3), torch.randn(7), torch.randn(2, 2, 2)]
for i, g in enumerate(clip_grads):
    out[f"clip.grad.{i}"] = g
for tag, max_norm, norm_type in [("l2", 1.0, 2.0), ("inf", 0.5, math.inf), ("l1_noclip", 100.0, 1.0), ("l3", 0.7, 3.0)]:
    ps = [torch.zeros_like(g, requires_grad=True) for g in clip_grads]
    for p, g in zip(ps, clip_grads):
        p.grad = g.clone()
    total = torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type)
    out[f"clip.{tag}.total"] = total.reshape(1)
    for i, p in enumerate(ps):
        out[f"clip.{tag}.{i}"] = p.grad
save(os.path.join(OUT, "optim.safetensors"), out)


# ---- PyTorch -> Aver: an MLP state dict, its input and output ----
def mlp():
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))


torch.manual_seed(1)
net = mlp()
x = torch.randn(5, 4)
save(os.path.join(OUT, "interop_mlp.safetensors"), net.state_dict())
save(os.path.join(OUT, "interop_mlp_io.safetensors"), {"input": x, "output": net(x)})


# ---- dtypes: F16, BF16 (numpy has no bfloat16, so raw bytes) and I64 from torch ----
def save_raw(path, entries):
    header, blobs, offset = {}, [], 0
    for name, dtype, shape, blob in entries:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


values = torch.cat([torch.randn(10) * 100, torch.tensor([0.0, -0.0, 1e-3, 65504.0, 3.0e38, -1.5])])
bn = torch.nn.BatchNorm1d(3)
for _ in range(3):
    bn(torch.randn(4, 3))
steps64 = torch.tensor([[0, 1, -7], [123456, 2 ** 24, -(2 ** 20)]], dtype=torch.int64)
f16 = values[:-2].half()  # 3e38 does not fit a half
bf16 = values.bfloat16()
save_raw(os.path.join(OUT, "dtypes.safetensors"), [
    ("f16", "F16", list(f16.shape), f16.numpy().tobytes()),
    ("f16.as_f32", "F32", list(f16.shape), f16.float().numpy().tobytes()),
    ("bf16", "BF16", list(bf16.shape), bf16.view(torch.int16).numpy().tobytes()),
    ("bf16.as_f32", "F32", list(bf16.shape), bf16.float().numpy().tobytes()),
    ("bn.num_batches_tracked", "I64", [], bn.num_batches_tracked.numpy().tobytes()),
    ("bn.running_mean", "F32", [3], bn.running_mean.numpy().tobytes()),
    ("i64", "I64", [2, 3], steps64.numpy().tobytes()),
])

# ---- Aver -> PyTorch: load Aver's file strictly and reproduce Aver's output ----
aver_path = os.path.join(OUT, "aver_mlp.safetensors")
if not os.path.exists(aver_path):
    sys.exit(f"{aver_path} is missing: run the AverWritten test with AVER_WRITE_FIXTURES=1 first")
state, meta = load(aver_path)
torch_net = mlp()
torch_net.load_state_dict(state, strict=True)  # raises on any missing, unexpected or mis-shaped key
io, _ = load(os.path.join(OUT, "aver_mlp_io.safetensors"))
with torch.no_grad():
    y = torch_net(io["input"])
err = (y - io["output"]).abs().max().item()
if err > 1e-5:
    sys.exit(f"Aver -> PyTorch: torch's output differs from Aver's by {err}")
print(f"Aver -> PyTorch verified: load_state_dict(strict=True) succeeded, metadata {meta}, max |diff| {err:.2e}")
print("wrote", sorted(f for f in os.listdir(OUT)))
