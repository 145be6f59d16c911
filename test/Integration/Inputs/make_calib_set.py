"""Writes disjoint calibration and evaluation sets for the example CNN:
OUT/calib/sNNN/x.npy and OUT/eval/sNNN/x.npy (standard normal, like the
data the example's reference was made with).

usage: make_calib_set.py OUT NCALIB NEVAL
"""
import os
import sys

import numpy as np

out, ncalib, neval = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(2024)
for name, count in (("calib", ncalib), ("eval", neval)):
    for i in range(count):
        d = os.path.join(out, name, "s%03d" % i)
        os.makedirs(d, exist_ok=True)
        np.save(os.path.join(d, "x.npy"),
                rng.standard_normal((1, 3, 32, 32)).astype(np.float32))
