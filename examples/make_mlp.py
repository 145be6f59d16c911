"""Generate mlp.onnx: a two-layer MLP classifier (Gemm, Relu, Softmax).

Input ``x`` is a static 4x32 float32 batch; output ``y`` is 4x10 class
probabilities. The smallest end-to-end model, used by the Python tests.

Usage: /usr/bin/python3 examples/make_mlp.py [OUT_DIR]
"""

import torch
from torch import nn

import _common


def main():
    out = _common.out_dir(__doc__.splitlines()[0])
    _common.seed(0)
    model = nn.Sequential(
        nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 10), nn.Softmax(dim=1))
    x = torch.randn(4, 32)
    _common.export(model, x, out, "mlp", opset=13, dynamic_axes=None)


if __name__ == "__main__":
    main()
