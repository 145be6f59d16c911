"""y = x @ W with x the 64x64 identity: the output is W exactly as the
compiled model stores it. W holds the cases float16 rounding must get right
(ties to even, the largest finite value and just below overflow, normal and
subnormal boundaries, tiny values that round to zero or to the smallest
subnormal); the reference is numpy's float32 -> float16 conversion (round
to nearest even). Writes OUT/f16.onnx, OUT/eye.npy, OUT/expected.npy."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh

out = sys.argv[1]
r = np.random.default_rng(7)
special = np.array([
    0.0, -0.0, 1.0, -1.0, 65504.0, -65504.0, 65519.0, 65519.99, -65519.0,
    1.0 + 2.0 ** -11, 1.0 + 3 * 2.0 ** -11, 1.0 + 2.0 ** -11 + 2.0 ** -20,
    2.0 ** -14, 2.0 ** -14 * (1 - 2.0 ** -11), 2.0 ** -14 * (1 - 2.0 ** -12),
    2.0 ** -24, 2.0 ** -25, 2.0 ** -25 * 1.0001, 3 * 2.0 ** -25, 2.0 ** -26,
    1e-8, -1e-8, 6.1e-5, 5.96e-8, 1234.5678, 0.1, 1.0 / 3.0, 2049.0, 2051.0,
    4097.0, 32769.0, -2.0 ** -24,
], dtype=np.float32)
w = np.concatenate([
    special,
    (r.standard_normal(2048) * 10).astype(np.float32),
    (r.standard_normal(2048) * 1e-5).astype(np.float32),
])[:4096].astype(np.float32).reshape(64, 64)
graph = h.make_graph(
    [h.make_node('MatMul', ['x', 'w'], ['y'])], 'g',
    [h.make_tensor_value_info('x', T.FLOAT, [64, 64])],
    [h.make_tensor_value_info('y', T.FLOAT, [64, 64])], [nh.from_array(w, 'w')])
onnx.save(h.make_model(graph, opset_imports=[h.make_opsetid('', 17)]),
          os.path.join(out, 'f16.onnx'))
np.save(os.path.join(out, 'eye.npy'), np.eye(64, dtype=np.float32))
np.save(os.path.join(out, 'expected.npy'),
        w.astype(np.float16).astype(np.float32))
