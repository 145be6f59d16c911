"""Checks qcc-fuse-weight-gemv end to end, per mode, against the same
compile with the fusion off (the pipeline option weight-gemv-rows=0): the
exact fusion (weight-gemv-exact=true) bit for bit, the default build within
1e-5 of the outputs' largest magnitude (the affine form scales once per
group: docs/Numerics.md), and the workspace without the float weights.
qcc, qcc-opt and qcc-run come from PATH.

usage: weight_gemv_check.py MODEL.onnx INPUT.npy WORKDIR MODE...
(MODE: qcc's weight-only flags joined by commas, e.g. --quant=w4,--group-size=32)
"""
import os
import re
import subprocess
import sys

import numpy as np

model, inp, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)


def run(*cmd):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True)


def outputs(lib, tag):
    out = os.path.join(work, tag)
    log = run("qcc-run", lib, "--input", inp, "--output-dir", out, "--quiet")
    names = sorted(os.listdir(out))
    return [np.load(os.path.join(out, n)) for n in names]


def workspace(lib):
    text = run("qcc-run", lib, "--input", inp).stdout
    return int(re.search(r"workspace (\d+) bytes", text).group(1))


failed = 0
for i, mode in enumerate(sys.argv[4:]):
    flags = mode.split(",")
    fused = os.path.join(work, "fused%d.so" % i)
    ref = os.path.join(work, "ref%d.so" % i)
    imported = os.path.join(work, "imported%d.mlir" % i)
    lowered = os.path.join(work, "ref%d.mlir" % i)
    run("qcc", model, *flags, "--emit=shared", "-o", fused, "--name=m")
    # The imported IR, and (its "continue" line) the options that take it
    # to LLVM as the compile does; replayed with the fusion off below.
    log = run("qcc", model, *flags, "--compile-to=import", "--emit=mlir",
              "-o", imported).stderr
    options = re.search(r"--qcc-pipeline='(from=import to=llvm [^']*)'",
                        log).group(1)
    def replayed(extra, lib, tag):
        run("qcc-opt", imported, "--qcc-pipeline=" + options + " " + extra,
            "-o", lowered)
        run("qcc", lowered, "--compile-from=llvm", "--emit=shared", "-o", lib,
            "--name=m")
        return outputs(lib, tag)
    b = replayed("weight-gemv-rows=0", ref, "ref%d" % i)
    exact = replayed("weight-gemv-exact=true",
                     os.path.join(work, "exact%d.so" % i), "exact%d" % i)
    a = outputs(fused, "fused%d" % i)
    same = all(np.array_equal(x, y) for x, y in zip(exact, b))
    err = max(float(np.abs(x - y).max() / max(np.abs(y).max(), 1e-30))
              for x, y in zip(a, b))
    wa, wb = workspace(fused), workspace(ref)
    print("%s: exact %s, default within %s of max|y|, workspace %d -> %d "
          "bytes" % (" ".join(flags), "identical" if same else "DIFFERENT",
                     "1e-5" if err <= 1e-5 else "%.3g" % err, wb, wa))
    failed += not same or err > 1e-5 or wa > wb
sys.exit(1 if failed else 0)
