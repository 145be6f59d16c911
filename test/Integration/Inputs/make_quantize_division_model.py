"""QuantizeLinear at its rounding thresholds: for a few scales, every float
within 4 ulps of each (k + 0.5) * scale in the output range, plus +-0,
+-Inf, NaN, +-FLT_MAX and denormals. Writes quantize_division.onnx, the
inputs and the reference outputs (true f32 division, round half to even,
saturation, NaN to the lowest value) to OUT_DIR.

Usage: make_quantize_division_model.py OUT_DIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

CASES = [  # name, scale, zero point, output type
    ("u", 0.0123, 3, np.uint8),
    ("s", 0.00389891723, -37, np.int8),
    ("t", 0.1, 0, np.int8),
]


def inputs_for(scale, lo, hi):
    s = np.float32(scale)
    xs = []
    for k in range(lo, hi):
        x = np.float32((k + 0.5) * np.float64(s))
        for _ in range(4):
            x = np.nextafter(x, np.float32(-np.inf))
        for _ in range(9):
            xs.append(x)
            x = np.nextafter(x, np.float32(np.inf))
    f = np.finfo(np.float32)
    xs += [0.0, -0.0, np.inf, -np.inf, np.nan, f.max, -f.max, f.tiny,
           np.float32(1e-45), -np.float32(1e-45)]
    return np.array(xs, np.float32)


def reference(x, scale, zp, dtype):
    info = np.iinfo(dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        q = np.rint(x / np.float32(scale)).astype(np.float64) + zp
    q = np.where(np.isnan(q), info.min, np.clip(q, info.min, info.max))
    return q.astype(dtype)


def main():
    out = sys.argv[1]
    nodes, inits, inputs, outputs = [], [], [], []
    for name, scale, zp, dtype in CASES:
        info = np.iinfo(dtype)
        x = inputs_for(scale, info.min - zp, info.max - zp)
        elem = TensorProto.UINT8 if dtype == np.uint8 else TensorProto.INT8
        inits += [numpy_helper.from_array(np.array(scale, np.float32),
                                          "scale_" + name),
                  numpy_helper.from_array(np.array(zp, dtype), "zp_" + name)]
        nodes.append(helper.make_node(
            "QuantizeLinear", ["x_" + name, "scale_" + name, "zp_" + name],
            ["y_" + name]))
        inputs.append(helper.make_tensor_value_info(
            "x_" + name, TensorProto.FLOAT, list(x.shape)))
        outputs.append(helper.make_tensor_value_info(
            "y_" + name, elem, list(x.shape)))
        np.save(os.path.join(out, "x_%s.npy" % name), x)
        np.save(os.path.join(out, "y_%s.npy" % name),
                reference(x, scale, zp, dtype))
    graph = helper.make_graph(nodes, "quantize_division", inputs, outputs,
                              inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, "quantize_division.onnx"))


if __name__ == "__main__":
    main()
