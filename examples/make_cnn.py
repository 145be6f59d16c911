"""Generate cnn.onnx: a small MobileNet-flavoured CNN with a decoder skip.

Covers Conv+BatchNorm+Relu, a depthwise Conv (group = channels), HardSwish,
a HardSigmoid squeeze-and-excite gate, MaxPool, ConvTranspose, nearest
Resize (scale 2), Add skips, GlobalAveragePool, Flatten and Gemm.
Input ``x`` is 1x3x32x32 float32 with a dynamic batch axis, so compiling
needs ``--input-shape x=1x3x32x32``.

Usage: /usr/bin/python3 examples/make_cnn.py [OUT_DIR]
"""

import torch
import torch.nn.functional as F
from torch import nn

import _common


def conv_bn(cin, cout, k, stride=1, groups=1):
    return nn.Sequential(
        nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False),
        nn.BatchNorm2d(cout))


class CNN(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.stem = conv_bn(3, 16, 3)
        self.dw = conv_bn(16, 16, 3, groups=16)          # depthwise
        self.pw = conv_bn(16, 32, 1)                     # pointwise
        self.se_reduce = nn.Conv2d(32, 8, 1)
        self.se_expand = nn.Conv2d(8, 32, 1)
        self.down = conv_bn(32, 64, 3, stride=2)
        self.up = nn.ConvTranspose2d(64, 32, 2, stride=2)
        self.lateral = nn.Conv2d(64, 32, 1)
        self.fc = nn.Linear(32, classes)

    def forward(self, x):
        x = F.relu(self.stem(x))                         # 16x32x32
        x = F.hardswish(self.dw(x))
        x = self.pw(x)                                   # 32x32x32
        # Squeeze-and-excite gate with a hard sigmoid, as in MobileNetV3.
        s = F.adaptive_avg_pool2d(x, 1)
        s = F.hardsigmoid(self.se_expand(F.relu(self.se_reduce(s))))
        a = F.max_pool2d(x * s, 2)                       # 32x16x16
        b = F.relu(self.down(a))                         # 64x8x8
        up = self.up(b)                                  # 32x16x16
        lat = F.interpolate(self.lateral(b), scale_factor=2.0, mode="nearest")
        x = a + up + lat
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return self.fc(x)


def randomize_batchnorm(model):
    """Non-trivial BN statistics, so folding BN into Conv is really tested."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            with torch.no_grad():
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 2.0)


def main():
    out = _common.out_dir(__doc__.splitlines()[0])
    _common.seed(0)
    model = CNN()
    randomize_batchnorm(model)
    x = torch.randn(1, 3, 32, 32)
    _common.export(model, x, out, "cnn", opset=13,
                   dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})


if __name__ == "__main__":
    main()
