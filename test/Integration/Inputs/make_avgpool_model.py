"""Writes OUT/avgpool.onnx: Conv-Relu, then AveragePool k3 s2 p1 without
padding in the count -> Conv 1x1 (y), and AveragePool k2 s2 p1 counting the
padding (z); OUT/calib/sNNN/x.npy (4 samples) and OUT/x.npy.

usage: make_avgpool_model.py OUT
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
rng = np.random.default_rng(5)
w1 = (rng.standard_normal((4, 3, 3, 3)) * 0.3).astype(np.float32)
b1 = (rng.standard_normal(4) * 0.1).astype(np.float32)
w2 = (rng.standard_normal((4, 4, 1, 1)) * 0.5).astype(np.float32)
nodes = [
    helper.make_node("Conv", ["x", "w1", "b1"], ["c"], pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c"], ["r"]),
    helper.make_node("AveragePool", ["r"], ["p"], kernel_shape=[3, 3],
                     strides=[2, 2], pads=[1, 1, 1, 1], count_include_pad=0),
    helper.make_node("Conv", ["p", "w2"], ["y"]),
    helper.make_node("AveragePool", ["r"], ["z"], kernel_shape=[2, 2],
                     strides=[2, 2], pads=[1, 1, 1, 1], count_include_pad=1),
]
graph = helper.make_graph(
    nodes, "avgpool",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 12, 12])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 6, 6]),
     helper.make_tensor_value_info("z", TensorProto.FLOAT, [1, 4, 7, 7])],
    [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(b1, "b1"),
     numpy_helper.from_array(w2, "w2")])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "avgpool.onnx"))
for i in range(4):
    d = os.path.join(out, "calib", "s%03d" % i)
    os.makedirs(d, exist_ok=True)
    np.save(os.path.join(d, "x.npy"),
            rng.standard_normal((1, 3, 12, 12)).astype(np.float32))
np.save(os.path.join(out, "x.npy"),
        rng.standard_normal((1, 3, 12, 12)).astype(np.float32))
