"""Writes edge-case MatMul models to OUT_DIR: nan_weight.onnx (a NaN in the
weight 'W' at flat index 13) and long_k.onnx (K = 70000, beyond what int32
accumulation of u8 x s8 products is guaranteed to hold)."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
rng = np.random.default_rng(0)
nan = rng.standard_normal((64, 4)).astype(np.float32)
nan[3, 1] = np.nan
long_k = (rng.standard_normal((70000, 4)) * 0.01).astype(np.float32)
for name, w in (("nan_weight", nan), ("long_k", long_k)):
    k = w.shape[0]
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "W"], ["y"], name="mm")], name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, k])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])],
        [numpy_helper.from_array(w, "W")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.save(model, os.path.join(out, name + ".onnx"))
