"""Runs a float and a quantized library on an evaluation set and checks
SQNR and top-1 agreement: eval_quantized.py FLOAT.so QUANT.so EVALDIR
MIN_SQNR_DB MIN_TOP1_PERCENT."""
import glob
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "python"))
import qcc  # noqa: E402

ref, quant = qcc.load(sys.argv[1]), qcc.load(sys.argv[2])
signal = noise = 0.0
agree = count = 0
for path in sorted(glob.glob(os.path.join(sys.argv[3], "*", "x.npy"))):
    x = np.load(path)
    a = ref(x)["y"].astype(np.float64)
    b = quant(x)["y"].astype(np.float64)
    signal += (a ** 2).sum()
    noise += ((a - b) ** 2).sum()
    agree += int(a.argmax() == b.argmax())
    count += 1
sqnr = 10 * np.log10(signal / max(noise, 1e-30))
top1 = 100.0 * agree / count
print("SQNR %.1f dB, top-1 agreement %.1f%% (%d samples)" % (sqnr, top1, count))
sys.exit(0 if sqnr >= float(sys.argv[4]) and top1 >= float(sys.argv[5]) else 1)
