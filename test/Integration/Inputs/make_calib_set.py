"""Writes disjoint calibration and evaluation sets for the example CNN:
OUT/calib/sNNN/x.npy and OUT/eval/sNNN/x.npy (standard normal, like the
data the example's reference was made with).

usage: make_calib_set.py OUT NCALIB NEVAL [NAME=DIMS[:idsV]]
(NAME=DIMS, e.g. x=1x16x64, for another model's input; default x=1x3x32x32;
a suffix :idsV makes int64 token ids uniform in [0, V) instead)
"""
import os
import sys

import numpy as np

out, ncalib, neval = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
name_dims = sys.argv[4] if len(sys.argv) > 4 else "x=1x3x32x32"
input_name, dims = name_dims.split("=")
dims, _, ids = dims.partition(":ids")
shape = tuple(int(d) for d in dims.split("x"))
rng = np.random.default_rng(2024)
for name, count in (("calib", ncalib), ("eval", neval)):
    for i in range(count):
        d = os.path.join(out, name, "s%03d" % i)
        os.makedirs(d, exist_ok=True)
        value = (rng.integers(0, int(ids), shape, dtype=np.int64) if ids
                 else rng.standard_normal(shape).astype(np.float32))
        np.save(os.path.join(d, input_name + ".npy"), value)
