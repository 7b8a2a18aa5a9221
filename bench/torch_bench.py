"""PyTorch side of Aver's engine benchmarks (dev-time only; run by bench/run.sh).

Usage: /usr/bin/python3 bench/torch_bench.py BENCH --threads N [--seconds S]
BENCH: resnet-train | resnet-infer | bilstm | transformer | audio-cnn-train | fer-train | conv-shapes
Prints one JSON line: {"bench", "items_per_s", "cpu_ms_per_item", "peak_rss_mb", "threads"};
cpu_ms_per_item is the process CPU time (user + system) of the timed steps per item, which
other load on a shared machine disturbs less than the wall-clock rate.
"""
import argparse
import json
import resource
import os
import sys
import time


def _clock():
    """Process CPU seconds (the conv-shapes default), or wall-clock seconds with AVER_CONV_CLOCK=wall (as Aver.Bench)."""
    return time.perf_counter() if os.environ.get("AVER_CONV_CLOCK") == "wall" else time.process_time()


def _pin_blas_threads(argv):
    # torch.set_num_threads sizes only torch's OpenMP pool; Debian's torch hands matrix products to
    # OpenBLAS, whose own pool would otherwise take every core (a "1-thread" run then used two, and a
    # 2-thread run four threads on two cores). Its size must be set before the library loads.
    if "--threads" in argv and argv.index("--threads") + 1 < len(argv):
        n = argv[argv.index("--threads") + 1]
        os.environ["OPENBLAS_NUM_THREADS"] = n
        os.environ["OMP_NUM_THREADS"] = n


_pin_blas_threads(sys.argv)

import torch  # noqa: E402  (after the thread environment is set)
import torch.nn as nn  # noqa: E402


def resnet18(classes, in_channels=3, width=64, small_stem=False):
    # torchvision is not packaged with Debian's torch; build ResNet-18 the same way (He et al. 2016).
    class Block(nn.Module):
        def __init__(self, i, o, s):
            super().__init__()
            self.conv1 = nn.Conv2d(i, o, 3, s, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(o)
            self.conv2 = nn.Conv2d(o, o, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(o)
            self.downsample = nn.Sequential(nn.Conv2d(i, o, 1, s, bias=False), nn.BatchNorm2d(o)) if s != 1 or i != o else None

        def forward(self, x):
            y = torch.relu(self.bn1(self.conv1(x)))
            y = self.bn2(self.conv2(y))
            return torch.relu(y + (x if self.downsample is None else self.downsample(x)))

    if small_stem:  # 3x3 stride 1, no max pool (Aver's ResNetStem.Small, for 48 px faces)
        layers = [nn.Conv2d(in_channels, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU()]
    else:
        layers = [nn.Conv2d(in_channels, width, 7, 2, 3, bias=False), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
    i = width
    for k, o in enumerate([width, 2 * width, 4 * width, 8 * width]):
        s = 1 if k == 0 else 2
        layers += [Block(i, o, s), Block(o, o, 1)]
        i = o
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8 * width, classes)]
    return nn.Sequential(*layers)


def cpu_seconds():
    t = os.times()
    return t.user + t.system


def timed(step, items, seconds):
    """Two warm-up steps, then steps until `seconds` passed and at least 3 ran: (items/s, CPU ms/item)."""
    if os.environ.get("AVER_BENCH_ALTERNATE") == "threads":
        alternate_threads(step, items, seconds)
    step()
    step()
    n, t0, c0 = 0, time.perf_counter(), cpu_seconds()
    while True:
        step()
        n += 1
        dt = time.perf_counter() - t0
        if dt >= seconds and n >= 3:
            return n * items / dt, (cpu_seconds() - c0) * 1000 / (n * items)


def alternate_threads(step, items, seconds):
    """AVER_BENCH_ALTERNATE=threads (as Aver.Bench): steps alternate between one thread (A) and --threads (B), ABBA,
    each timed alone, so a host whose speed drifts slows both alike; prints both rates and the median B/A time ratio
    (how the step scales), then exits."""
    threads = torch.get_num_threads()
    for k in range(4):
        torch.set_num_threads(threads if k % 2 else 1)
        step()
    a, b, t0 = [], [], time.perf_counter()
    while time.perf_counter() - t0 < seconds or len(a) < 3:
        b_first = len(a) % 2 == 1
        for k in range(2):
            use_b = (k == 0) == b_first
            torch.set_num_threads(threads if use_b else 1)
            t = time.perf_counter()
            step()
            (b if use_b else a).append(time.perf_counter() - t)
    med = lambda v: sorted(v)[len(v) // 2] if len(v) % 2 else sum(sorted(v)[len(v) // 2 - 1:len(v) // 2 + 1]) / 2
    print(json.dumps({"alternate": "threads", "off_items_per_s": round(items / med(a), 2), "on_items_per_s": round(items / med(b), 2),
                      "median_time_ratio_on_off": round(med([y / x for x, y in zip(a, b)]), 3), "pairs": len(a), "threads": threads}))
    sys.exit(0)


CONV_SHAPES = [  # name, C, size, Cout, kernel, stride, padding, count in ResNet-18 (ConvShapesBench.cs)
    ("stem 3->64 7x7/2 @112", 3, 112, 64, 7, 2, 3, 1),
    ("l1 64->64 3x3/1 @28", 64, 28, 64, 3, 1, 1, 4),
    ("l2a 64->128 3x3/2 @28", 64, 28, 128, 3, 2, 1, 1),
    ("l2ds 64->128 1x1/2 @28", 64, 28, 128, 1, 2, 0, 1),
    ("l2 128->128 3x3/1 @14", 128, 14, 128, 3, 1, 1, 3),
    ("l3a 128->256 3x3/2 @14", 128, 14, 256, 3, 2, 1, 1),
    ("l3ds 128->256 1x1/2 @14", 128, 14, 256, 1, 2, 0, 1),
    ("l3 256->256 3x3/1 @7", 256, 7, 256, 3, 1, 1, 3),
    ("l4a 256->512 3x3/2 @7", 256, 7, 512, 3, 2, 1, 1),
    ("l4ds 256->512 1x1/2 @7", 256, 7, 512, 1, 2, 0, 1),
    ("l4 512->512 3x3/1 @4", 512, 4, 512, 3, 1, 1, 3),
]


FER_SHAPES = [  # the FER2013 recipe's network at batch 64 (ConvShapesBench.FerShapes), with AVER_CONV_NET=fer
    ("stem 1->32 3x3/1 @48", 1, 48, 32, 3, 1, 1, 1),
    ("l1 32->32 3x3/1 @48", 32, 48, 32, 3, 1, 1, 4),
    ("l2a 32->64 3x3/2 @48", 32, 48, 64, 3, 2, 1, 1),
    ("l2ds 32->64 1x1/2 @48", 32, 48, 64, 1, 2, 0, 1),
    ("l2 64->64 3x3/1 @24", 64, 24, 64, 3, 1, 1, 3),
    ("l3a 64->128 3x3/2 @24", 64, 24, 128, 3, 2, 1, 1),
    ("l3ds 64->128 1x1/2 @24", 64, 24, 128, 1, 2, 0, 1),
    ("l3 128->128 3x3/1 @12", 128, 12, 128, 3, 1, 1, 3),
    ("l4a 128->256 3x3/2 @12", 128, 12, 256, 3, 2, 1, 1),
    ("l4ds 128->256 1x1/2 @12", 128, 12, 256, 1, 2, 0, 1),
    ("l4 256->256 3x3/1 @6", 256, 6, 256, 3, 1, 1, 3),
]


def train_rate(m, opt, x, y, seconds):
    """The training benches' step (zero grad, cross-entropy, backward, optimiser step) timed over a batch."""
    def step():
        opt.zero_grad()
        nn.functional.cross_entropy(m(x), y).backward()
        opt.step()
    return timed(step, len(x), seconds)


def best_ms(f, seconds):
    """Best process CPU ms of f() over at least 3 runs and about `seconds` (f returns its own timed ms or None)."""
    f()
    best, t0, n = float("inf"), time.perf_counter(), 0
    while n < 3 or time.perf_counter() - t0 < seconds:
        t = _clock()
        ms = f()
        best = min(best, ms if ms is not None else (_clock() - t) * 1000)
        n += 1
    return best


def conv_shapes(seconds):
    """Each ResNet-18 convolution alone: forward at batch 32 and 16, input and weight gradient at 16 (process CPU ms)."""
    fer = os.environ.get("AVER_CONV_NET") == "fer"
    shapes, infer_batch, train_batch = (FER_SHAPES, 64, 64) if fer else (CONV_SHAPES, 32, 16)
    print(f"shape | count | fwd{infer_batch} ms | fwd{train_batch} ms | bwd-input{train_batch} ms | bwd-weight{train_batch} ms")
    total = [0.0] * 4
    for name, c, size, cout, k, stride, pad, count in shapes:
        w = torch.randn(cout, c, k, k) * 0.05
        x32, x16 = torch.randn(infer_batch, c, size, size), torch.randn(train_batch, c, size, size)
        conv = lambda x, w: nn.functional.conv2d(x, w, None, stride, pad)
        with torch.no_grad():
            gy = torch.randn(conv(x16, w).shape)
        budget = seconds / len(shapes) / 4

        def fwd(x):
            with torch.no_grad():
                conv(x, w)

        def bwd(wrt_input):
            xi, wi = x16.clone().requires_grad_(wrt_input), w.clone().requires_grad_(not wrt_input)
            y = conv(xi, wi)
            t = _clock()
            y.backward(gy)
            return (_clock() - t) * 1000
        row = [best_ms(lambda: fwd(x32), budget), best_ms(lambda: fwd(x16), budget), best_ms(lambda: bwd(True), budget), best_ms(lambda: bwd(False), budget)]
        total = [t + r * count for t, r in zip(total, row)]
        print(f"{name} | {count} | " + " | ".join(f"{r:.2f}" for r in row))
    print("total (x count) | | " + " | ".join(f"{t:.1f}" for t in total))
    if fer:
        return
    # The stem's max pooling, the one other op of the network that walks windows.
    p32, p16, pgy = torch.randn(32, 64, 56, 56), torch.randn(16, 64, 56, 56), torch.randn(16, 64, 28, 28)
    budget = seconds / len(CONV_SHAPES) / 4

    def pool(x):
        with torch.no_grad():
            nn.functional.max_pool2d(x, 3, 2, 1)

    def pool_bwd():
        x = p16.clone().requires_grad_(True)
        y = nn.functional.max_pool2d(x, 3, 2, 1)
        t = _clock()
        y.backward(pgy)
        return (_clock() - t) * 1000
    row = [best_ms(lambda: pool(p32), budget), best_ms(lambda: pool(p16), budget), best_ms(pool_bwd, budget)]
    print("maxpool 64 3x3/2 @56 | 1 | " + " | ".join(f"{r:.2f}" for r in row) + " | -")


def resnet_ops(seconds):
    """ResNet-18's non-convolution ops as bench/Aver.Bench/ResNetOpsBench.cs: process CPU ms per batch."""
    stages = [(64, 28), (128, 14), (256, 7), (512, 4)]

    def build(n, train):
        def act(c, s):
            return torch.randn(n, c, s, s).requires_grad_(train)
        stem, stem_bn, pool = act(64, 56), nn.BatchNorm2d(64).train(train), nn.MaxPool2d(3, 2, 1)
        blocks = []
        for i, (c, s) in enumerate(stages):
            for b in range(2):
                down = i > 0 and b == 0
                blocks.append((nn.BatchNorm2d(c).train(train), nn.BatchNorm2d(c).train(train), nn.BatchNorm2d(c).train(train) if down else None,
                               act(c, s), act(c, s), act(c, s) if down else None, act(c, s)))
        leaves = [stem] + [t for blk in blocks for t in blk[3:] if t is not None]

        def step():
            with torch.set_grad_enabled(train):
                outs = [pool(torch.relu(stem_bn(stem)))]
                for bn1, bn2, dbn, x1, x2, xd, sc in blocks:
                    outs.append(torch.relu(bn1(x1)))
                    shortcut = sc if dbn is None else dbn(xd)
                    outs.append(torch.relu(bn2(x2) + shortcut))
            if not train:
                return
            for y in outs:
                y.backward(torch.ones_like(y))
            for x in leaves:
                x.grad = None
        return step

    def best(step, budget):
        step()
        step()
        b, t0, k = 1e9, time.time(), 0
        while k < 3 or time.time() - t0 < budget:
            t = time.process_time()
            step()
            b = min(b, (time.process_time() - t) * 1000)
            k += 1
        return b
    inference = best(build(32, False), seconds / 2)
    training = best(build(16, True), seconds / 2)
    print(f"resnet-ops (bn, relu, add, max pool) | inference 32: {inference:.1f} CPU ms | training 16: {training:.1f} CPU ms")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bench")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=10)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    if a.bench == "conv-shapes":
        conv_shapes(a.seconds)
        return
    if a.bench == "resnet-ops":
        resnet_ops(a.seconds)
        return
    if a.bench == "resnet-train":
        m = resnet18(8).train()
        opt = torch.optim.AdamW(m.parameters(), lr=1e-4)
        rate = train_rate(m, opt, torch.randn(16, 3, 112, 112), torch.randint(0, 8, (16,)), a.seconds)
    elif a.bench == "fer-train":
        # FerTrainBench.cs: the FER2013 recipe's network and optimiser, batch 64 of 1x48x48.
        m = resnet18(7, in_channels=1, width=32, small_stem=True).train()
        opt = torch.optim.SGD(m.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4, nesterov=True)
        rate = train_rate(m, opt, torch.randn(64, 1, 48, 48), torch.randint(0, 7, (64,)), a.seconds)
    elif a.bench == "resnet-infer":
        m = resnet18(8).eval()
        x = torch.randn(32, 3, 112, 112)

        def step():
            with torch.no_grad():
                m(x)
        rate = timed(step, 32, a.seconds)
    elif a.bench == "bilstm":
        m = nn.LSTM(512, 256, num_layers=2, bidirectional=True, batch_first=True)
        x = torch.randn(32, 50, 512)

        def step():
            out, _ = m(x)
            out.sum().backward()
        rate = timed(step, 32, a.seconds)
    elif a.bench == "transformer":
        m = nn.TransformerEncoderLayer(512, 8, 2048, dropout=0.1, batch_first=True).train()
        x = torch.randn(32, 50, 512)

        def step():
            m(x).sum().backward()
        rate = timed(step, 32, a.seconds)
    elif a.bench == "audio-cnn-train":
        # The tuned audio peer's network (../shared/peers/ravdess-audio-cnn-tuned.py), run as the peer runs it:
        # channels-last, and glibc told to keep freed buffers (mmap off, 1-GiB trim threshold; ~1.3x there).
        import ctypes
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-4, 0)
        libc.mallopt(-1, 1 << 30)
        def block(i, o):
            return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True), nn.MaxPool2d(2)]
        widths = [1, 32, 64, 128, 256]
        m = nn.Sequential(*sum((block(widths[k], widths[k + 1]) for k in range(4)), []),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.3), nn.Linear(256, 8)).train()
        m = m.to(memory_format=torch.channels_last)
        opt = torch.optim.AdamW(m.parameters(), lr=1e-3, weight_decay=1e-2)
        x = torch.randn(32, 1, 64, 301).contiguous(memory_format=torch.channels_last)
        rate = train_rate(m, opt, x, torch.randint(0, 8, (32,)), a.seconds)
    else:
        raise SystemExit(f"unknown bench {a.bench}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate, cpu = rate
    print(json.dumps({"bench": a.bench, "items_per_s": rate, "cpu_ms_per_item": cpu, "peak_rss_mb": peak, "threads": a.threads}))


if __name__ == "__main__":
    main()
