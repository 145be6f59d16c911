"""Integer contractions with awkward shapes for the int8 dot-product
kernels: reductions that are not a multiple of 4, ragged output rows
(masked tails), row counts that are not a multiple of 4, signed and
unsigned activations with zero points, grouped and strided convolutions.
Writes int8_dot.onnx, the inputs and the exact int32 reference outputs
(computed in int64 by numpy) to OUT_DIR.

Usage: make_int8_dot_model.py OUT_DIR
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def conv_ref(x, w, zp, stride, pad, group):
    x = x.astype(np.int64) - zp
    n, c, h, wd = x.shape
    oc, cg, kh, kw = w.shape
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh = (h + 2 * pad - kh) // stride + 1
    ow = (wd + 2 * pad - kw) // stride + 1
    y = np.zeros((n, oc, oh, ow), np.int64)
    ocg = oc // group
    for o in range(oc):
        g = o // ocg
        for i in range(oh):
            for j in range(ow):
                win = x[:, g * cg:(g + 1) * cg, i * stride:i * stride + kh,
                        j * stride:j * stride + kw]
                y[:, o, i, j] = (win * w[o].astype(np.int64)).sum(axis=(1, 2, 3))
    return y.astype(np.int32)


def main():
    out = sys.argv[1]
    rng = np.random.default_rng(3)
    nodes, inits, inputs, outputs, feeds, refs = [], [], [], [], {}, {}

    def const(name, arr):
        inits.append(numpy_helper.from_array(arr, name))
        return name

    def graph_input(name, arr):
        inputs.append(helper.make_tensor_value_info(
            name, onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[arr.dtype], arr.shape))
        feeds[name] = arr

    def graph_output(name, ref):
        outputs.append(helper.make_tensor_value_info(name, TensorProto.INT32, ref.shape))
        refs[name] = ref

    # MatMulInteger, uint8 activations: K = 37, N = 21 (a masked tail), 3 rows.
    a = rng.integers(0, 256, (3, 37), dtype=np.uint8)
    b = rng.integers(-128, 128, (37, 21), dtype=np.int8)
    graph_input("a1", a)
    nodes.append(helper.make_node(
        "MatMulInteger", ["a1", const("b1", b), const("azp1", np.array(7, np.uint8))], ["y1"]))
    graph_output("y1", ((a.astype(np.int64) - 7) @ b.astype(np.int64)).astype(np.int32))

    # MatMulInteger, int8 activations with a negative zero point, 70 columns.
    a = rng.integers(-128, 128, (5, 19), dtype=np.int8)
    b = rng.integers(-128, 128, (19, 70), dtype=np.int8)
    graph_input("a2", a)
    nodes.append(helper.make_node(
        "MatMulInteger", ["a2", const("b2", b), const("azp2", np.array(-5, np.int8))], ["y2"]))
    graph_output("y2", ((a.astype(np.int64) + 5) @ b.astype(np.int64)).astype(np.int32))

    # ConvInteger 3x3, pad 1: K = 45, 99 output positions, 6 channels.
    x = rng.integers(0, 256, (1, 5, 9, 11), dtype=np.uint8)
    w = rng.integers(-128, 128, (6, 5, 3, 3), dtype=np.int8)
    graph_input("x3", x)
    nodes.append(helper.make_node(
        "ConvInteger", ["x3", const("w3", w), const("xzp3", np.array(128, np.uint8))],
        ["y3"], pads=[1, 1, 1, 1]))
    graph_output("y3", conv_ref(x, w, 128, 1, 1, 1))

    # Depthwise 3x3, stride 2: K = 9 per group.
    x = rng.integers(0, 256, (1, 8, 20, 20), dtype=np.uint8)
    w = rng.integers(-128, 128, (8, 1, 3, 3), dtype=np.int8)
    graph_input("x4", x)
    nodes.append(helper.make_node(
        "ConvInteger", ["x4", const("w4", w), const("xzp4", np.array(3, np.uint8))],
        ["y4"], pads=[1, 1, 1, 1], strides=[2, 2], group=8))
    graph_output("y4", conv_ref(x, w, 3, 2, 1, 8))

    # Pointwise, extreme values: every product at its largest magnitude.
    x = np.full((1, 64, 4, 8), 255, np.uint8)
    w = np.full((16, 64, 1, 1), -128, np.int8)
    w[::3, ::5] = 127  # not a splat (a splat folds into the loop body)
    graph_input("x5", x)
    nodes.append(helper.make_node("ConvInteger", ["x5", const("w5", w)], ["y5"]))
    graph_output("y5", conv_ref(x, w, 0, 1, 0, 1))

    # MatMulInteger with a zero point computed at run time (what dynamic
    # quantization produces): a graph input here.
    a = rng.integers(0, 256, (4, 24), dtype=np.uint8)
    b = rng.integers(-128, 128, (24, 33), dtype=np.int8)
    graph_input("a6", a)
    graph_input("azp6", np.array(201, np.uint8))
    nodes.append(helper.make_node("MatMulInteger", ["a6", const("b6", b), "azp6"], ["y6"]))
    graph_output("y6", ((a.astype(np.int64) - 201) @ b.astype(np.int64)).astype(np.int32))

    graph = helper.make_graph(nodes, "int8_dot", inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(out, "int8_dot.onnx"))
    for name, arr in {**feeds, **refs}.items():
        np.save(os.path.join(out, name + ".npy"), arr)


if __name__ == "__main__":
    main()
