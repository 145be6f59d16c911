"""Generate transformer.onnx: one pre-norm transformer encoder block.

Embedding 64, 4 heads, feed-forward 256, erf GELU, written by hand (no
nn.MultiheadAttention) so it exports to plain MatMul, Softmax, Erf and
LayerNormalization (opset 17) ops. Input ``x`` is 1x16x64 float32 with
dynamic batch and sequence axes, so compiling needs
``--input-shape x=1x16x64``.

Usage: /usr/bin/python3 examples/make_transformer.py [OUT_DIR]
"""

import math

import torch
from torch import nn

import _common


class EncoderBlock(nn.Module):
    def __init__(self, dim=64, heads=4, ff=256):
        super().__init__()
        self.heads = heads
        self.dim = dim
        # The embedding axis is static: keep its arithmetic in Python so the
        # graph computes only the dynamic batch and sequence sizes.
        self.head_dim = dim // heads
        self.ln1 = nn.LayerNorm(dim)
        self.q = nn.Linear(dim, dim)
        self.k = nn.Linear(dim, dim)
        self.v = nn.Linear(dim, dim)
        self.proj = nn.Linear(dim, dim)
        self.ln2 = nn.LayerNorm(dim)
        self.fc1 = nn.Linear(dim, ff)
        self.fc2 = nn.Linear(ff, dim)

    def split_heads(self, t, b, s):
        # (b, s, d) -> (b, heads, s, d / heads).
        return t.reshape(b, s, self.heads, self.head_dim).transpose(1, 2)

    @staticmethod
    def gelu(t):
        # Exact (erf) GELU spelled out, so the graph holds Erf rather than
        # depending on how the exporter treats nn.GELU.
        return 0.5 * t * (1.0 + torch.erf(t / math.sqrt(2.0)))

    def forward(self, x):
        # Batch and sequence sizes are read from the input (Shape + Gather
        # in the graph) so both axes stay dynamic in the export.
        b, s, _ = x.shape
        h = self.ln1(x)
        q, k, v = (self.split_heads(f(h), b, s)
                   for f in (self.q, self.k, self.v))
        scale = 1.0 / math.sqrt(self.head_dim)
        scores = torch.matmul(q, k.transpose(-2, -1)) * scale
        attn = torch.matmul(torch.softmax(scores, dim=-1), v)
        x = x + self.proj(attn.transpose(1, 2).reshape(b, s, self.dim))
        return x + self.fc2(self.gelu(self.fc1(self.ln2(x))))


def main():
    out = _common.out_dir(__doc__.splitlines()[0])
    _common.seed(0)
    model = EncoderBlock()
    # Non-default LayerNorm affine parameters, so they are really applied.
    with torch.no_grad():
        for ln in (model.ln1, model.ln2):
            ln.weight.uniform_(0.5, 1.5)
            ln.bias.uniform_(-0.2, 0.2)
    x = torch.randn(1, 16, 64)
    axes = {0: "batch", 1: "seq"}
    _common.export(model, x, out, "transformer", opset=17,
                   dynamic_axes={"x": axes, "y": axes})


if __name__ == "__main__":
    main()
