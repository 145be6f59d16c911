"""Generate token_classifier.onnx: token ids -> one encoder block -> logits.

A transformer as integer-only devices run one: int64 token ids ``x``
(1x16, ids below 256, dynamic batch and sequence axes) index an embedding
table (Gather), examples/make_transformer.py's pre-norm encoder block
follows, then a final LayerNormalization and a per-token linear head of 8
classes ``y``. Compiling needs ``--input-shape x=1x16``.

Usage: /usr/bin/python3 examples/make_token_classifier.py [OUT_DIR]
"""

import torch
from torch import nn

import _common
from make_transformer import EncoderBlock

VOCAB = 256


class TokenClassifier(nn.Module):
    def __init__(self, dim=64, classes=8):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, dim)
        self.block = EncoderBlock(dim)
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, classes)

    def forward(self, ids):
        return self.head(self.norm(self.block(self.embed(ids))))


def main():
    out = _common.out_dir(__doc__.splitlines()[0])
    _common.seed(0)
    model = TokenClassifier()
    with torch.no_grad():
        for ln in (model.block.ln1, model.block.ln2, model.norm):
            ln.weight.uniform_(0.5, 1.5)
            ln.bias.uniform_(-0.2, 0.2)
    ids = torch.randint(0, VOCAB, (1, 16))
    axes = {0: "batch", 1: "seq"}
    _common.export(model, ids, out, "token_classifier", opset=17,
                   dynamic_axes={"x": axes, "y": axes})


if __name__ == "__main__":
    main()
