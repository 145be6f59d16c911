"""A model with one weight over 1 MiB (a MatMul), a Gemm with transB and a
bias, saved as one file (OUT/one) and with external data (OUT/ext), plus an
input x.npy."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh

out = sys.argv[1]
r = np.random.default_rng(0)
w = nh.from_array((r.standard_normal((512, 1024)) * 0.05).astype(np.float32), 'w')
g = nh.from_array((r.standard_normal((256, 1024)) * 0.05).astype(np.float32), 'g')
b = nh.from_array((r.standard_normal((1024,)) * 0.1).astype(np.float32), 'b')
graph = h.make_graph(
    [h.make_node('MatMul', ['x', 'w'], ['h']),
     h.make_node('Add', ['h', 'b'], ['a']),
     h.make_node('Relu', ['a'], ['r']),
     h.make_node('Gemm', ['r', 'g'], ['y'], transB=1)],
    'g', [h.make_tensor_value_info('x', T.FLOAT, [4, 512])],
    [h.make_tensor_value_info('y', T.FLOAT, [4, 256])], [w, g, b])
model = h.make_model(graph, opset_imports=[h.make_opsetid('', 17)])
onnx.save(model, os.path.join(out, 'one', 'model.onnx'))
onnx.save_model(model, os.path.join(out, 'ext', 'model.onnx'),
                save_as_external_data=True, all_tensors_to_one_file=True,
                location='model.data', size_threshold=0)
np.save(os.path.join(out, 'x.npy'), r.standard_normal((4, 512)).astype(np.float32))
