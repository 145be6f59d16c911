"""Prints the SQNR (dB) of an output against a float reference and fails
below a threshold: python3 sqnr.py REF.npy GOT.npy MIN_DB."""
import sys

import numpy as np

ref = np.load(sys.argv[1]).astype(np.float64)
got = np.load(sys.argv[2]).astype(np.float64)
noise = max(((got - ref) ** 2).sum(), 1e-30)
sqnr = 10 * np.log10((ref ** 2).sum() / noise)
print("SQNR %.1f dB" % sqnr)
sys.exit(0 if sqnr >= float(sys.argv[3]) else 1)
