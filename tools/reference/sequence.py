# Regenerate: /usr/bin/python3 tools/reference/sequence.py   (from the repository root; torch 1.13)
"""PyTorch reference values for the sequence layers: LSTM, MultiheadAttention, TransformerEncoder(Layer).

Each fixture holds the torch module's state dict under `state.` (the test loads it into Aver's
module with LoadStateDict, which also proves the parameter names match), the inputs, the outputs,
fixed upstream gradients `g.*` (the loss is the sum of output * gradient over every output) and the
resulting input and parameter gradients under `grad.`. Modules run in eval mode (dropout off).
Written to tests/fixtures/tensors/sequence_*.safetensors.
"""
import os
import sys

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

sys.path.insert(0, os.path.dirname(__file__))
from safetensors_io import save  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fixtures", "tensors")


def state_and_grads(module):
    out = {}
    for name, p in module.state_dict().items():
        out[f"state.{name}"] = p
    for name, p in module.named_parameters():
        out[f"grad.{name}"] = p.grad
    return out


def lstm_case(name, input_size, hidden, layers, bidirectional, lengths, T, with_state):
    torch.manual_seed(11)
    lstm = nn.LSTM(input_size, hidden, layers, batch_first=True, bidirectional=bidirectional).eval()
    n, dirs = len(lengths), 2 if bidirectional else 1
    x = torch.randn(n, T, input_size, requires_grad=True)
    h0 = torch.randn(layers * dirs, n, hidden, requires_grad=True) if with_state else None
    c0 = torch.randn(layers * dirs, n, hidden, requires_grad=True) if with_state else None
    lens = torch.tensor(lengths, dtype=torch.int64)
    packed = pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False)
    y, (h, c) = lstm(packed, (h0, c0) if with_state else None)
    y, _ = pad_packed_sequence(y, batch_first=True, total_length=T)
    gy, gh, gc = torch.randn_like(y), torch.randn_like(h), torch.randn_like(c)
    ((y * gy).sum() + (h * gh).sum() + (c * gc).sum()).backward()
    out = {"x": x, "lengths": lens, "output": y, "h": h, "c": c, "g.output": gy, "g.h": gh, "g.c": gc, "grad.x": x.grad}
    if with_state:
        out.update({"h0": h0, "c0": c0, "grad.h0": h0.grad, "grad.c0": c0.grad})
    out.update(state_and_grads(lstm))
    meta = {"input_size": input_size, "hidden_size": hidden, "num_layers": layers, "bidirectional": int(bidirectional)}
    save(os.path.join(OUT, f"sequence_{name}.safetensors"), out, meta)


def perturb(module):
    """Moves every parameter off its init (zero biases, unit norms, identical deep copies) so each one matters."""
    with torch.no_grad():
        for p in module.parameters():
            p.add_(torch.randn_like(p) * 0.2)


def padding_mask(lengths, T):
    return torch.arange(T)[None, :] >= torch.tensor(lengths)[:, None]


def attention_case(name, E, heads, lengths, T):
    torch.manual_seed(13)
    attn = nn.MultiheadAttention(E, heads, dropout=0.1, batch_first=True).eval()
    perturb(attn)
    x = torch.randn(len(lengths), T, E, requires_grad=True)
    mask = padding_mask(lengths, T)
    y, w = attn(x, x, x, key_padding_mask=mask, need_weights=True, average_attn_weights=False)
    gy = torch.randn_like(y)
    (y * gy).sum().backward()
    out = {"x": x, "mask": mask.float(), "output": y, "weights": w, "g.output": gy, "grad.x": x.grad}
    out.update(state_and_grads(attn))
    save(os.path.join(OUT, f"sequence_{name}.safetensors"), out, {"embed_dim": E, "num_heads": heads})


def encoder_case(name, d, heads, ff, layers, activation, norm_first, final_norm, lengths, T):
    torch.manual_seed(17)
    layer = nn.TransformerEncoderLayer(d, heads, ff, dropout=0.1, activation=activation, batch_first=True, norm_first=norm_first)
    if layers == 0:
        module = layer
    else:
        module = nn.TransformerEncoder(layer, layers, norm=nn.LayerNorm(d) if final_norm else None, enable_nested_tensor=False)
    module.eval()
    perturb(module)
    x = torch.randn(len(lengths), T, d, requires_grad=True)
    mask = padding_mask(lengths, T)
    y = module(x, src_key_padding_mask=mask)
    gy = torch.randn_like(y)
    (y * gy).sum().backward()
    out = {"x": x, "mask": mask.float(), "output": y, "g.output": gy, "grad.x": x.grad}
    out.update(state_and_grads(module))
    meta = {"d_model": d, "nhead": heads, "dim_feedforward": ff, "num_layers": layers, "activation": activation,
            "norm_first": int(norm_first), "final_norm": int(final_norm)}
    save(os.path.join(OUT, f"sequence_{name}.safetensors"), out, meta)


def main():
    os.makedirs(OUT, exist_ok=True)
    lstm_case("lstm_uni", 4, 5, 1, False, [6, 6], 6, False)
    lstm_case("lstm_bi2", 5, 6, 2, True, [7, 4, 2], 7, True)
    attention_case("attention", 8, 2, [5, 3, 4], 5)
    encoder_case("encoder_layer_relu", 8, 2, 16, 0, "relu", False, False, [5, 3, 4], 5)
    encoder_case("encoder_layer_gelu_prenorm", 8, 2, 16, 0, "gelu", True, False, [5, 3, 4], 5)
    encoder_case("encoder_2layers", 8, 2, 16, 2, "relu", False, True, [5, 2, 4], 5)


if __name__ == "__main__":
    main()
