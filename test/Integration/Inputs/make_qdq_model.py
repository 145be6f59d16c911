"""Builds a small QDQ model (DQ -> Conv -> Relu -> Q and DQ -> MatMul -> Add
-> Q, the shape quantization-aware training exports) with input data and
the float QDQ graph's result computed with NumPy.

usage: make_qdq_model.py OUTDIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
rng = np.random.default_rng(7)

sx, zx = np.float32(0.05), np.uint8(128)
sw = (rng.random(8).astype(np.float32) * 0.02 + 0.01)  # per output channel
wq = rng.integers(-127, 128, size=(8, 3, 3, 3)).astype(np.int8)
bias = (rng.standard_normal(8) * 0.1).astype(np.float32)
sy, zy = np.float32(0.04), np.uint8(10)
sm = (rng.random(6).astype(np.float32) * 0.01 + 0.005)  # per column
mq = rng.integers(-127, 128, size=(8 * 4 * 4, 6)).astype(np.int8)
mbias = (rng.standard_normal(6) * 0.1).astype(np.float32)
sz, zz = np.float32(0.1), np.uint8(120)

inits = [
    numpy_helper.from_array(np.array(sx), "sx"), numpy_helper.from_array(np.array(zx), "zx"),
    numpy_helper.from_array(wq, "wq"), numpy_helper.from_array(sw, "sw"),
    numpy_helper.from_array(np.zeros(8, np.int8), "zw"),
    numpy_helper.from_array(bias, "b"),
    numpy_helper.from_array(np.array(sy), "sy"), numpy_helper.from_array(np.array(zy), "zy"),
    numpy_helper.from_array(mq, "mq"), numpy_helper.from_array(sm, "sm"),
    numpy_helper.from_array(np.zeros(6, np.int8), "zm"),
    numpy_helper.from_array(mbias, "mb"),
    numpy_helper.from_array(np.array(sz), "sz"), numpy_helper.from_array(np.array(zz), "zz"),
    numpy_helper.from_array(np.array([1, -1], np.int64), "flat"),
]
nodes = [
    helper.make_node("DequantizeLinear", ["xq", "sx", "zx"], ["x"]),
    helper.make_node("DequantizeLinear", ["wq", "sw", "zw"], ["w"], axis=0),
    helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1], strides=[2, 2]),
    helper.make_node("Relu", ["c"], ["r"]),
    helper.make_node("QuantizeLinear", ["r", "sy", "zy"], ["yq"]),
    helper.make_node("DequantizeLinear", ["yq", "sy", "zy"], ["y"]),
    helper.make_node("Reshape", ["y", "flat"], ["f"]),
    helper.make_node("QuantizeLinear", ["f", "sy", "zy"], ["fq"]),
    helper.make_node("DequantizeLinear", ["fq", "sy", "zy"], ["fd"]),
    helper.make_node("DequantizeLinear", ["mq", "sm", "zm"], ["m"], axis=1),
    helper.make_node("MatMul", ["fd", "m"], ["mm"]),
    helper.make_node("Add", ["mm", "mb"], ["a"]),
    helper.make_node("QuantizeLinear", ["a", "sz", "zz"], ["z"]),
]
graph = helper.make_graph(
    nodes, "qdq", [helper.make_tensor_value_info("xq", TensorProto.UINT8, [1, 3, 8, 8])],
    [helper.make_tensor_value_info("yq", TensorProto.UINT8, [1, 8, 4, 4]),
     helper.make_tensor_value_info("z", TensorProto.UINT8, [1, 6])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "qdq.onnx"))

# The float QDQ graph, as ONNX defines it (float32 values, float math).
xq = rng.integers(0, 256, size=(1, 3, 8, 8)).astype(np.uint8)
x = (xq.astype(np.float32) - np.float32(zx)) * sx
w = wq.astype(np.float32) * sw[:, None, None, None]
xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
c = np.zeros((1, 8, 4, 4), np.float32)
for oc in range(8):
    for i in range(4):
        for j in range(4):
            c[0, oc, i, j] = (xp[0, :, 2 * i:2 * i + 3, 2 * j:2 * j + 3] * w[oc]).sum() + bias[oc]


def quantize(v, s, z):
    return np.clip(np.rint(v / s) + np.float32(z), 0, 255).astype(np.uint8)


yq = quantize(np.maximum(c, 0), sy, zy)
fd = (yq.reshape(1, -1).astype(np.float32) - np.float32(zy)) * sy
m = mq.astype(np.float32) * sm
z = quantize(fd @ m + mbias, sz, zz)
np.save(os.path.join(out, "xq.npy"), xq)
np.save(os.path.join(out, "yq.npy"), yq)
np.save(os.path.join(out, "z.npy"), z)
