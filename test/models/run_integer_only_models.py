#!/usr/bin/python3
"""--integer-only acceptance on real-world CNNs (architectures nobody on qcc
wrote: Conv, BatchNormalization, Relu, HardSigmoid, HardSwish, Sigmoid,
MaxPool, Concat, Slice, channel shuffles, GlobalAveragePool, ReduceMean,
bilinear Resize, Gemm).

For each model: the calibration and evaluation sets of run_quant_models.py
(random inputs drawn like the model's reference input), `qcc --quant=int8`
(float boundary) and `qcc --quant=int8 --integer-only` (8-bit I/O: inputs
quantized and outputs dequantized here with the exported parameters, as
TensorInfo.quantize/dequantize do). Passes when the integer-only SQNR
against float is within MAX_LOSS dB of the int8 build's (plus EXTRA_LOSS
where an 8-bit output itself costs more, with the reason), and its argmax
agreement with float is within MAX_DROP points of 100%.

Usage: /usr/bin/python3 test/models/run_integer_only_models.py
       [--only NAME ...] [--calib N] [--eval N] [--max-loss DB]
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
from run_quant_models import agreement, sample_sets  # noqa: E402

MODELS = ("mobilenet_v3_small", "resnet18", "squeezenet1_1",
          "shufflenet_v2_x0_5", "lraspp_mobilenet_v3_large")
# Allowed SQNR loss beyond --max-loss, with the reason. LR-ASPP's output is
# its segmentation logits upsampled 8x by a bilinear Resize: the 8-bit
# output alone measures 46.1 dB against float (its int8 build, with a float
# output, 43.4 dB), and the Add before the Resize is one more 8-bit value.
EXTRA_LOSS = {"lraspp_mobilenet_v3_large": 2.0}


def run_integer(model, x):
    """Float in, float out through the model's integer I/O."""
    (xi,) = model.inputs
    (yi,) = model.outputs
    y = next(iter(model(xi.quantize(x)).values()))
    return yi.dequantize(y)


def evaluate(name, info, args, work):
    calib_path, evals, model, shapes = sample_sets(name, info, args, work)
    build = lambda tag, **kw: qcc.compile_and_load(  # noqa: E731
        model, output=os.path.join(work, "%s_%s.so" % (name, tag)),
        input_shapes=shapes, **kw)
    f32 = build("f32")
    int8 = build("int8", quant="int8", calib=calib_path)
    t0 = time.time()
    io = build("io", quant="int8", calib=calib_path,
               extra_args=["--integer-only"])
    seconds = time.time() - t0
    signal = noise8 = noise_io = 0.0
    agree = []
    for x in evals:
        a = next(iter(f32(x).values())).astype(np.float64)
        b = next(iter(int8(x).values())).astype(np.float64)
        c = run_integer(io, x).astype(np.float64)
        signal += (a ** 2).sum()
        noise8 += ((a - b) ** 2).sum()
        noise_io += ((a - c) ** 2).sum()
        agree.append(agreement(a, c))
    db = lambda n: 10 * np.log10(signal / max(n, 1e-30))  # noqa: E731
    return {"int8": db(noise8), "io": db(noise_io),
            "agree": 100 * float(np.mean(agree)), "seconds": seconds}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models-dir", default=os.path.join(REPO, "build", "test-models"))
    ap.add_argument("--only", nargs="+", metavar="NAME", default=list(MODELS))
    ap.add_argument("--calib", type=int, default=16)
    ap.add_argument("--eval", type=int, default=16)
    ap.add_argument("--max-loss", type=float, default=1.0,
                    help="largest SQNR loss against the int8 build (dB)")
    ap.add_argument("--max-drop", type=float, default=2.0,
                    help="largest top-1 drop against float (points)")
    args = ap.parse_args()
    os.makedirs(args.models_dir, exist_ok=True)
    models = ensure_models(args)
    failed = 0
    print("%-22s %10s %10s %11s %8s  %s" % ("model", "int8 dB", "int-only",
                                            "agreement", "build s", "status"))
    with tempfile.TemporaryDirectory(prefix="qcc-iomodels-") as work:
        for name, info in models:
            try:
                r = evaluate(name, info, args, work)
            except Exception as e:  # noqa: BLE001  (report and go on)
                print("%-22s FAIL: %s" % (name, str(e).splitlines()[0]))
                failed += 1
                continue
            allowed = args.max_loss + EXTRA_LOSS.get(name, 0.0)
            ok = (r["io"] >= r["int8"] - allowed and
                  r["agree"] >= 100 - args.max_drop)
            failed += not ok
            print("%-22s %10.1f %10.1f %10.1f%% %8.1f  %s" % (
                name, r["int8"], r["io"], r["agree"], r["seconds"],
                "ok" if ok else "FAIL"))
    print("%d passed, %d failed" % (len(models) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
