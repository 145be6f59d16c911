"""Compare two dequantized outputs in units of their quantization step.

Usage: compare_steps.py A.npy B.npy MAX_STEPS MAX_FRACTION
Passes when every element differs by at most MAX_STEPS steps and at most
MAX_FRACTION of the elements differ at all. The step is the smallest gap
between distinct values of A (outputs are zp-offset multiples of it).
"""
import sys

import numpy as np

a, b = np.load(sys.argv[1]).ravel(), np.load(sys.argv[2]).ravel()
values = np.unique(a)
step = np.diff(values).min()
diff = np.abs(a - b) / step
differ = (diff > 1e-3).mean()
print("step %.6g, max %.3f steps, %.2f%% of elements differ" %
      (step, diff.max(), 100 * differ))
ok = diff.max() <= float(sys.argv[3]) + 1e-3 and differ <= float(sys.argv[4])
print("ok" if ok else "MISMATCH")
sys.exit(0 if ok else 1)
