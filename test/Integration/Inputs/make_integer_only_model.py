"""A model every op of which has an integer-only form: Conv+Relu, a
strided Conv with HardSwish (a lookup table), a pointwise Conv; a second
head: MaxPool, GlobalAveragePool, Flatten, Gemm; a third: a
squeeze-and-excite gate (GlobalAveragePool, Conv, Relu, Conv, HardSigmoid,
Mul) and a residual Add; the first head's logits also go through a
Softmax. Writes int_only.onnx, a
calibration folder calib/ (16 samples) and an evaluation input x.npy.

Usage: make_integer_only_model.py OUT_DIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    out = sys.argv[1]
    rng = np.random.default_rng(11)
    w1 = (rng.standard_normal((8, 3, 3, 3)) * 0.3).astype(np.float32)
    b1 = (rng.standard_normal(8) * 0.1).astype(np.float32)
    w2 = (rng.standard_normal((16, 8, 3, 3)) * 0.2).astype(np.float32)
    b2 = (rng.standard_normal(16) * 0.1).astype(np.float32)
    w3 = (rng.standard_normal((4, 16, 1, 1)) * 0.3).astype(np.float32)
    nodes = [
        helper.make_node("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("Conv", ["r1", "w2", "b2"], ["c2"], pads=[1, 1, 1, 1],
                         strides=[2, 2]),
        helper.make_node("HardSwish", ["c2"], ["r2"]),
        helper.make_node("Conv", ["r2", "w3"], ["y"]),
        helper.make_node("MaxPool", ["r2"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("GlobalAveragePool", ["p"], ["g"]),
        helper.make_node("Flatten", ["g"], ["f"]),
        helper.make_node("Gemm", ["f", "w4", "b4"], ["z"], transB=1),
    ]
    w4 = (rng.standard_normal((5, 16)) * 0.3).astype(np.float32)
    b4 = (rng.standard_normal(5) * 0.1).astype(np.float32)
    se1 = (rng.standard_normal((4, 8, 1, 1)) * 0.5).astype(np.float32)
    se2 = (rng.standard_normal((8, 4, 1, 1)) * 0.5).astype(np.float32)
    w5 = (rng.standard_normal((8, 8, 3, 3)) * 0.2).astype(np.float32)
    w6 = (rng.standard_normal((4, 8, 1, 1)) * 0.3).astype(np.float32)
    nodes += [
        helper.make_node("GlobalAveragePool", ["r1"], ["sg"]),
        helper.make_node("Conv", ["sg", "se1"], ["s1"]),
        helper.make_node("Relu", ["s1"], ["s1r"]),
        helper.make_node("Conv", ["s1r", "se2"], ["s2"]),
        helper.make_node("HardSigmoid", ["s2"], ["gate"], alpha=1.0 / 6),
        helper.make_node("Mul", ["r1", "gate"], ["gated"]),
        helper.make_node("Conv", ["gated", "w5"], ["c5"], pads=[1, 1, 1, 1]),
        helper.make_node("Add", ["c5", "r1"], ["res"]),
        helper.make_node("Conv", ["res", "w6"], ["w"]),
        helper.make_node("Softmax", ["z"], ["pz"], axis=1),
    ]
    inits = [numpy_helper.from_array(a, n) for a, n in
             ((w1, "w1"), (b1, "b1"), (w2, "w2"), (b2, "b2"), (w3, "w3"),
              (w4, "w4"), (b4, "b4"), (se1, "se1"), (se2, "se2"), (w5, "w5"),
              (w6, "w6"))]
    graph = helper.make_graph(
        nodes, "int_only",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 16, 16])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 8, 8]),
         helper.make_tensor_value_info("z", TensorProto.FLOAT, [1, 5]),
         helper.make_tensor_value_info("w", TensorProto.FLOAT, [1, 4, 16, 16]),
         helper.make_tensor_value_info("pz", TensorProto.FLOAT, [1, 5])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, "int_only.onnx"))
    for i in range(16):
        d = os.path.join(out, "calib", "s%02d" % i)
        os.makedirs(d)
        np.save(os.path.join(d, "x.npy"),
                rng.standard_normal((1, 3, 16, 16)).astype(np.float32))
    np.save(os.path.join(out, "x.npy"),
            rng.standard_normal((1, 3, 16, 16)).astype(np.float32))


if __name__ == "__main__":
    main()
