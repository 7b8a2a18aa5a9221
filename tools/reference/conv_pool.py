# Regenerate: /usr/bin/python3 tools/reference/conv_pool.py  (writes tests/fixtures/tensors/conv_pool_{conv,pool}.safetensors)
"""PyTorch reference values for convolution and pooling: forward output and the gradients of
input, weight and bias for a fixed upstream gradient. Case names and arguments mirror
tests/Aver.Tensors.Tests/Nn/ConvReferenceTests.cs and PoolReferenceTests.cs."""
import os

import torch
import torch.nn.functional as F

from safetensors_io import save

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fixtures", "tensors")

# name: (conv fn, input shape, weight shape, bias, stride, padding, dilation, groups)
CONV = {
    "conv1d_strided_dilated_groups": (F.conv1d, (2, 4, 9), (6, 2, 3), True, 2, 1, 2, 2),
    "conv1d_pointwise": (F.conv1d, (2, 3, 10), (5, 3, 1), True, 1, 0, 1, 1),
    "conv2d_strided_padded": (F.conv2d, (2, 4, 7, 6), (6, 4, 3, 3), True, (2, 1), (1, 2), 1, 1),
    "conv2d_dilated_groups": (F.conv2d, (2, 6, 8, 7), (4, 3, 3, 2), True, 1, (2, 0), (2, 1), 2),
    "conv2d_depthwise": (F.conv2d, (2, 4, 6, 6), (8, 1, 3, 3), True, 2, 1, 1, 4),
    "conv2d_pointwise_nobias": (F.conv2d, (2, 5, 4, 4), (3, 5, 1, 1), False, 1, 0, 1, 1),
    "conv2d_resnet_stem": (F.conv2d, (1, 3, 15, 14), (4, 3, 7, 7), False, 2, 3, 1, 1),
    "conv3d_mixed": (F.conv3d, (2, 4, 5, 6, 5), (6, 2, 3, 2, 3), True, (1, 2, 1), (1, 0, 1), (1, 1, 2), 2),
    "conv3d_c3d": (F.conv3d, (1, 3, 4, 6, 6), (4, 3, 3, 3, 3), True, 1, 1, 1, 1),
}

# name: (fn, input shape)
POOL = {
    "maxpool1d": (lambda x: F.max_pool1d(x, 3, 2, 1), (2, 3, 11)),
    "maxpool2d_resnet": (lambda x: F.max_pool2d(x, 3, 2, 1), (2, 3, 9, 8)),
    "maxpool2d_dilated_ceil": (lambda x: F.max_pool2d(x, (2, 3), (2, 1), (1, 1), dilation=2, ceil_mode=True), (2, 2, 9, 8)),
    "maxpool3d": (lambda x: F.max_pool3d(x, (1, 2, 2), (1, 2, 2)), (2, 2, 3, 6, 7)),
    "avgpool1d": (lambda x: F.avg_pool1d(x, 3, 2, 1), (2, 3, 10)),
    "avgpool2d_ceil": (lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True), (2, 3, 8, 7)),
    "avgpool2d_exclude_pad": (lambda x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=False), (2, 3, 7, 7)),
    "avgpool3d": (lambda x: F.avg_pool3d(x, 2), (2, 2, 4, 5, 6)),
    "adaptiveavgpool1d": (lambda x: F.adaptive_avg_pool1d(x, 3), (2, 3, 7)),
    "adaptiveavgpool2d": (lambda x: F.adaptive_avg_pool2d(x, (3, 2)), (2, 3, 7, 5)),
    "adaptiveavgpool2d_global": (lambda x: F.adaptive_avg_pool2d(x, 1), (2, 3, 4, 5)),
    "adaptiveavgpool3d": (lambda x: F.adaptive_avg_pool3d(x, (2, 3, 4)), (2, 2, 5, 6, 7)),
}


def conv_cases():
    out = {}
    for name, (fn, xs, ws, has_bias, stride, padding, dilation, groups) in CONV.items():
        x = torch.randn(xs, requires_grad=True)
        w = (torch.randn(ws) * 0.3).requires_grad_()
        b = torch.randn(ws[0], requires_grad=True) if has_bias else None
        y = fn(x, w, b, stride, padding, dilation, groups)
        gy = torch.randn(y.shape)
        y.backward(gy)
        out.update({f"{name}.x": x, f"{name}.w": w, f"{name}.y": y, f"{name}.gy": gy, f"{name}.gx": x.grad, f"{name}.gw": w.grad})
        if has_bias:
            out.update({f"{name}.b": b, f"{name}.gb": b.grad})
    return out


def pool_cases():
    out = {}
    for name, (fn, xs) in POOL.items():
        x = torch.randn(xs, requires_grad=True)
        y = fn(x)
        gy = torch.randn(y.shape)
        y.backward(gy)
        out.update({f"{name}.x": x, f"{name}.y": y, f"{name}.gy": gy, f"{name}.gx": x.grad})
    return out


if __name__ == "__main__":
    torch.manual_seed(20261122)
    os.makedirs(OUT, exist_ok=True)
    meta = {"generator": "tools/reference/conv_pool.py", "torch": torch.__version__}
    save(os.path.join(OUT, "conv_pool_conv.safetensors"), conv_cases(), meta)
    save(os.path.join(OUT, "conv_pool_pool.safetensors"), pool_cases(), meta)
