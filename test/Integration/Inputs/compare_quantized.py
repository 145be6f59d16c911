"""Compares integer outputs: every element within one quantization step and
at least 98% identical (the integer path rounds once where the float QDQ
graph rounds after every operation).

usage: compare_quantized.py EXPECTED.npy GOT.npy
"""
import sys

import numpy as np

exp = np.load(sys.argv[1]).astype(np.int64)
got = np.load(sys.argv[2]).astype(np.int64)
diff = np.abs(exp - got)
same = float((diff == 0).mean())
print("max step difference %d, identical %.1f%%" % (diff.max(), 100 * same))
sys.exit(0 if diff.max() <= 1 and same >= 0.98 else 1)
