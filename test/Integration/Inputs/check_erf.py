"""Checks a compiled Erf model (1-D input `x`, output `y` of N elements)
against the exact erf (torch, in double) on a dense sweep of [-5, 5], the
smallest and largest floats and the special values: the largest error of
qcc's vectorized approximation (docs/Numerics.md) and the sign and NaN
rules. Usage: check_erf.py LIB N"""
import sys

import numpy as np
import torch

import qcc

lib, n = sys.argv[1], int(sys.argv[2])
model = qcc.load(lib)
special = np.array([0.0, -0.0, 1e-45, -1e-45, 1e-38, 3.75, -3.75, 3.9, 10.0,
                    np.inf, -np.inf, np.nan], np.float32)
x = np.linspace(-5, 5, n - len(special), dtype=np.float32)
x = np.concatenate([special, x])
y = model(x=x)["y"]
ref = torch.erf(torch.from_numpy(x.astype(np.float64))).numpy()
finite = ~np.isnan(x)
err = np.abs(y[finite].astype(np.float64) - ref[finite])
ulp = err / np.spacing(np.abs(ref[finite]).astype(np.float32))
print("max abs error %.3g, max ulp %.2f" % (err.max(), ulp.max()))
assert err.max() <= 3e-7, err.max()
assert ulp.max() <= 5, ulp.max()
assert np.isnan(y[~finite]).all()
assert np.array_equal(np.signbit(y[:len(special)]), np.signbit(special))
assert y[list(special).index(np.float32(10.0))] == 1.0
print("erf: ok")
