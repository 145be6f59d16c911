"""Generate llm_block.onnx: one LLaMA-style decoder block, weight-dominated.

Embedding 256, 4 heads, RMSNorm, bias-free projections, a causal mask and a
SwiGLU feed-forward of 768: about 0.85 M weights (3.4 MB in float32) in
MatMul ops, the shape of model weight-only quantization (--quant=w4) is
for. Input ``x`` is a static 1x8x256 float32 sequence of hidden states.

Usage: /usr/bin/python3 examples/make_llm_block.py [OUT_DIR]
"""

import math

import torch
from torch import nn

import _common


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.empty(dim).uniform_(0.8, 1.2))

    def forward(self, x):
        rms = torch.sqrt(torch.mean(x * x, dim=-1, keepdim=True) + self.eps)
        return x / rms * self.weight


class DecoderBlock(nn.Module):
    def __init__(self, dim=256, heads=4, ff=768, seq=8):
        super().__init__()
        self.heads = heads
        self.dim = dim
        self.head_dim = dim // heads
        self.norm1 = RMSNorm(dim)
        self.q = nn.Linear(dim, dim, bias=False)
        self.k = nn.Linear(dim, dim, bias=False)
        self.v = nn.Linear(dim, dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)
        self.norm2 = RMSNorm(dim)
        self.gate = nn.Linear(dim, ff, bias=False)
        self.up = nn.Linear(dim, ff, bias=False)
        self.down = nn.Linear(ff, dim, bias=False)
        # Additive causal mask, a constant for the static sequence length.
        mask = torch.triu(torch.full((seq, seq), -1e9), diagonal=1)
        self.register_buffer("mask", mask)

    def split_heads(self, t, s):
        return t.reshape(1, s, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x):
        s = x.shape[1]
        h = self.norm1(x)
        q, k, v = (self.split_heads(f(h), s) for f in (self.q, self.k, self.v))
        scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(self.head_dim)
        attn = torch.matmul(torch.softmax(scores + self.mask, dim=-1), v)
        x = x + self.o(attn.transpose(1, 2).reshape(1, s, self.dim))
        h = self.norm2(x)
        g = self.gate(h)
        return x + self.down(g * torch.sigmoid(g) * self.up(h))


def main():
    out = _common.out_dir(__doc__.splitlines()[0])
    _common.seed(0)
    model = DecoderBlock()
    x = torch.randn(1, 8, 256)
    _common.export(model, x, out, "llm_block", opset=17, dynamic_axes=None)


if __name__ == "__main__":
    main()
