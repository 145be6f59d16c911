#!/usr/bin/python3
"""int8 acceptance on real-world models (architectures nobody on qcc wrote).

For each model of make_models.py: a calibration set and a disjoint
evaluation set of random inputs (drawn like the model's reference input),
`qcc --quant=int8` against qcc float on the evaluation set. The task metric
is argmax agreement with float: top-1 per sample for classifiers, per pixel
for segmentation (the class axis 1), per timestep for sequences (the last
axis); agreement >= 100 - MAX_DROP percent means the int8 model's top-1
accuracy is within MAX_DROP points of float's, whatever the labels.

Usage: /usr/bin/python3 test/models/run_quant_models.py [--only NAME ...]
       [--calib N] [--eval N] [--max-drop POINTS]
"""

import argparse
import os
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, "python"))
import qcc  # noqa: E402
from run_models import ensure_models  # noqa: E402


def agreement(ref, got):
    """Share of argmax positions that agree (class axis by output rank)."""
    axis = 1 if ref.ndim == 4 else ref.ndim - 1
    return float((ref.argmax(axis) == got.argmax(axis)).mean())


def sample_sets(name, info, args, work):
    """Disjoint calibration (written to WORK/NAME_calib.npz) and evaluation
    sets of random inputs drawn like the model's reference input; returns
    (calib_path, evals, model_path, input_shapes)."""
    shape = tuple(info["shape"])
    x0 = np.load(os.path.join(args.models_dir, name + "_in.npy"))
    std = float(x0.std()) or 1.0
    rng = np.random.default_rng(11)
    draw = lambda n: (rng.standard_normal((n,) + shape) * std).astype(x0.dtype)  # noqa: E731
    calib, evals = draw(args.calib), draw(args.eval)
    calib_path = os.path.join(work, name + "_calib.npz")
    np.savez(calib_path, **{info["input"]: calib})
    model = os.path.join(args.models_dir, name + ".onnx")
    return calib_path, evals, model, {info["input"]: shape}


def evaluate(name, info, args, work):
    calib_path, evals, model, shapes = sample_sets(name, info, args, work)
    t0 = time.time()
    f32 = qcc.compile_and_load(model, output=os.path.join(work, name + "_f32.so"),
                               input_shapes=shapes)
    int8 = qcc.compile_and_load(model, output=os.path.join(work, name + "_int8.so"),
                                input_shapes=shapes, quant="int8", calib=calib_path)
    seconds = time.time() - t0
    signal = noise = 0.0
    agree = []
    for x in evals:
        a = next(iter(f32(x).values())).astype(np.float64)
        b = next(iter(int8(x).values())).astype(np.float64)
        signal += (a ** 2).sum()
        noise += ((a - b) ** 2).sum()
        agree.append(agreement(a, b))
    sqnr = 10 * np.log10(signal / max(noise, 1e-30))
    return {"model": name, "sqnr": sqnr, "agree": 100 * float(np.mean(agree)),
            "seconds": seconds}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models-dir", default=os.path.join(REPO, "build", "test-models"))
    ap.add_argument("--only", nargs="+", metavar="NAME")
    ap.add_argument("--calib", type=int, default=32)
    ap.add_argument("--eval", type=int, default=64)
    ap.add_argument("--max-drop", type=float, default=2.0,
                    help="largest allowed top-1 drop in points (default 2)")
    args = ap.parse_args()
    os.makedirs(args.models_dir, exist_ok=True)
    models = ensure_models(args)
    failed = 0
    print("%-28s %9s %11s %8s  %s" % ("model", "SQNR dB", "agreement", "build s", "status"))
    with tempfile.TemporaryDirectory(prefix="qcc-qmodels-") as work:
        for name, info in models:
            try:
                r = evaluate(name, info, args, work)
            except Exception as e:  # noqa: BLE001  (report and go on)
                print("%-28s %9s %11s %8s  FAIL: %s" % (name, "-", "-", "-",
                                                       str(e).splitlines()[0]))
                failed += 1
                continue
            ok = r["agree"] >= 100 - args.max_drop
            failed += not ok
            print("%-28s %9.1f %10.1f%% %8.1f  %s" % (
                name, r["sqnr"], r["agree"], r["seconds"], "ok" if ok else "FAIL"))
    print("%d passed, %d failed" % (len(models) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
