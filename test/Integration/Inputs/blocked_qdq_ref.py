"""Input and numpy reference for opset21-blocked-qdq.onnxtxt."""
import os
import sys

import numpy as np

out = sys.argv[1]
x = np.array([[0.25, 0.75, -3.0, 100.0], [1.5, -2.5, 7.0, -300.0]], np.float32)
s = np.array([[0.5, 0.25], [1.0, 2.0]], np.float32)
z = np.array([[0, 1], [-1, 2]], np.int32)
sb, zb = np.repeat(s, 2, axis=1), np.repeat(z, 2, axis=1)
q = np.clip(np.rint(x / sb) + zb, -128, 127)  # rint: round half to even
y = ((q - zb) * sb).astype(np.float32)
np.save(os.path.join(out, "x.npy"), x)
np.save(os.path.join(out, "y.npy"), y)
