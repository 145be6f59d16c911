"""ONNX models for the CUDA benchmark (bench/cuda/README.md).

gemm_int8.onnx  MatMulInteger of two int8 inputs, M = N = K (default 4096):
                the int8 tensor-core GEMM, compared with torch._int_mm.
gemv_w4.onnx    a float MatMul, one row times a K x N weight (default
                4096 x 4096), compiled with --quant=w4: the fused-dequantization
                GEMV, compared with the GPU's copy bandwidth and an fp16
                GEMV in torch.

usage: make_bench_models.py OUT [--size 4096]
Run with Debian's /usr/bin/python3 (onnx 1.12, numpy).
"""
import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("out")
parser.add_argument("--size", type=int, default=4096)
args = parser.parse_args()
os.makedirs(args.out, exist_ok=True)
n = args.size

gemm = helper.make_graph(
    [helper.make_node("MatMulInteger", ["a", "b"], ["y"])], "gemm_int8",
    [helper.make_tensor_value_info("a", TensorProto.INT8, [n, n]),
     helper.make_tensor_value_info("b", TensorProto.INT8, [n, n])],
    [helper.make_tensor_value_info("y", TensorProto.INT32, [n, n])])
model = helper.make_model(gemm, opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(model)
onnx.save(model, os.path.join(args.out, "gemm_int8.onnx"))

rng = np.random.default_rng(0)
w = (rng.standard_normal((n, n)) / np.sqrt(n)).astype(np.float32)
gemv = helper.make_graph(
    [helper.make_node("MatMul", ["x", "w"], ["y"])], "gemv_w4",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, n])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, n])],
    [numpy_helper.from_array(w, "w")])
model = helper.make_model(gemv, opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(model)
onnx.save(model, os.path.join(args.out, "gemv_w4.onnx"))
