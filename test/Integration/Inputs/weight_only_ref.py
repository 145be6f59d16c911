"""Pins weight-only quantization (--quant=wN) against a numpy reference.

Builds y = x @ W (MatMul) and y = x @ V^T (Gemm, transB) models with an odd
output width (so sub-byte packing takes its interleaved path) and a
reduction length that is not a multiple of the group, compiles them with
the given qcc flags through the Python API, and checks the output equals x @
dequantize(quantize(W)) computed here from the documented rules (round half
to even, range widened to 0, zero scale -> 1).

Usage: python3 weight_only_ref.py OUT_DIR BITS GROUP [sym]
"""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import qcc

out, bits, group = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
symmetric = len(sys.argv) > 4 and sys.argv[4] == "sym"
K, N, M = 200, 33, 4
rng = np.random.default_rng(bits * 1000 + group)
w = rng.standard_normal((K, N)).astype(np.float32)
w[:, 3] = 0  # a zero column: scale 1, all values 0
w[:, 5] = np.abs(w[:, 5])  # all-positive: the range widens to include 0
x = rng.standard_normal((M, K)).astype(np.float32)


def quantize(w, axis_k):
    """Reference of qcc's RTN along axis_k; returns the dequantized weight."""
    wk = w if axis_k == 0 else w.T  # K x C
    k, c = wk.shape
    block = min(group, k) if group > 0 else k
    deq = np.zeros_like(wk)
    qmax = 2.0 ** (bits - 1) - 1 if symmetric else 2.0 ** bits - 1
    qmin = -qmax if symmetric else 0.0
    for g0 in range(0, k, block):
        blk = wk[g0:g0 + block].astype(np.float64)
        lo = np.minimum(blk.min(axis=0), 0)
        hi = np.maximum(blk.max(axis=0), 0)
        s = (np.maximum(-lo, hi) / qmax if symmetric
             else (hi - lo) / qmax).astype(np.float32)
        tiny = ~(s >= np.finfo(np.float32).tiny)
        s[tiny] = 1
        z = np.zeros_like(s) if symmetric else np.clip(
            np.round(-lo / s.astype(np.float64)), 0, qmax)
        z[tiny] = 0
        q = np.clip(np.round(wk[g0:g0 + block] / s) + z, qmin, qmax)
        deq[g0:g0 + block] = ((q - z) * s).astype(np.float32)
    return deq if axis_k == 0 else deq.T


def build(name, weight, node):
    graph = helper.make_graph(
        [node], name,
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [M, K])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [M, N])],
        [numpy_helper.from_array(weight, "W")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    path = os.path.join(out, name + ".onnx")
    onnx.save(model, path)
    return path


flags = ["--weight-bits=%d" % bits, "--group-size=%d" % group]
if symmetric:
    flags.append("--weight-symmetric")
cases = [
    ("matmul", w, helper.make_node("MatMul", ["x", "W"], ["y"]),
     x @ quantize(w, 0)),
    ("gemm_tb", np.ascontiguousarray(w.T),
     helper.make_node("Gemm", ["x", "W"], ["y"], transB=1),
     x @ quantize(np.ascontiguousarray(w.T), 1).T),
]
worst = 0.0
for name, weight, node, expect in cases:
    path = build(name, weight, node)
    model = qcc.compile_and_load(path, quant="w8", extra_args=flags)
    got = model(x=x)["y"]
    err = np.abs(got - expect).max() / np.abs(expect).max()
    # Only the float summation order differs from the reference.
    worst = max(worst, err)
    print("%s w%d g%d%s: max rel err %.2e (vs float %.2e)" % (
        name, bits, group, " sym" if symmetric else "", err,
        np.abs(got - x @ (weight if name == "matmul" else weight.T)).max()))
    # The quantization must also have happened: far from float.
    exact = x @ (weight if name == "matmul" else weight.T)
    if np.abs(got - exact).max() < 1e-4:
        print("%s: output equals float: not quantized" % name)
        worst = 1.0
sys.exit(0 if worst < 1e-5 else 1)
