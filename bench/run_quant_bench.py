#!/usr/bin/python3
"""Benchmark qcc's quantized builds: against qcc float and against ONNX
Runtime running the same quantization.

For each configuration it exports the example model, builds a calibration
set where needed, compiles float and quantized libraries with qcc, and
times, in the same run and with the same thread count:

* qcc float and qcc quantized (the speedup quantization buys in qcc);
* ONNX Runtime on the float model, and for int8 on qcc's own `--emit=onnx`
  QDQ export (the same quantization, run by ORT's int8 kernels);
* the quantized object's size as a share of the float one, and the output
  SQNR against float.

Each timer runs --rounds times, the timers taking turns, and reports the
mean of its best round: on a shared machine a burst of load then hits every
timer alike and the least disturbed round is kept (as timeit does).

Usage: /usr/bin/python3 bench/run_quant_bench.py [--runs N] [--rounds R]
       [--threads T] [--json FILE] [--workdir DIR]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
sys.path.insert(0, BENCH)
from run_bench import BenchError, ensure_node_modules, parse_time, run  # noqa: E402

# name, generator, input shape flag, quant flags, ORT runs the QDQ export?
CONFIGS = [
    ("cnn", "make_cnn.py", "x=1x3x32x32", ["--quant=int8", "--calib={calib}"], True),
    ("transformer", "make_transformer.py", "x=1x16x64", ["--quant=dynamic"], False),
    ("llm_block", "make_llm_block.py", None, ["--quant=w8"], False),
    ("llm_block", "make_llm_block.py", None, ["--quant=w4"], False),
]


def calib_set(work, shape, n=16, seed=7):
    d = os.path.join(work, "calib_%s" % "x".join(map(str, shape)))
    if not os.path.isdir(d):
        rng = np.random.default_rng(seed)
        for i in range(n):
            os.makedirs(os.path.join(d, "s%03d" % i))
            np.save(os.path.join(d, "s%03d" % i, "x.npy"),
                    rng.standard_normal(shape).astype(np.float32))
    return d


def sqnr(ref, got):
    ref, got = ref.astype(np.float64), got.astype(np.float64)
    return 10 * np.log10((ref ** 2).sum() / max(((got - ref) ** 2).sum(), 1e-30))


def bench(args, work, name, gen, shape_flag, qflags, ort_qdq):
    mode = qflags[0].split("=")[1]
    res = {"model": name, "mode": mode}
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    onnx_path = os.path.join(d, name + ".onnx")
    if not os.path.exists(onnx_path):
        run([sys.executable, os.path.join(REPO, "examples", gen), d], args.timeout)
    inp = os.path.join(d, name + "_in.npy")
    x = np.load(inp)
    common = [onnx_path] + (["--input-shape", shape_flag] if shape_flag else [])
    calib = calib_set(work, x.shape)
    qflags = [f.format(calib=calib) for f in qflags]
    libs, objs = {}, {}
    for kind, flags in (("float", []), (mode, qflags)):
        libs[kind] = os.path.join(d, "lib%s_%s.so" % (name, kind))
        objs[kind] = os.path.join(d, "%s_%s.o" % (name, kind))
        run([args.qcc] + common + flags + ["--emit=shared", "-o", libs[kind]], args.timeout)
        run([args.qcc] + common + flags + ["-o", objs[kind]], args.timeout)
    res["size_ratio"] = os.path.getsize(objs[mode]) / os.path.getsize(objs["float"])
    outs = {}
    for kind in ("float", mode):
        od = os.path.join(d, "out_" + kind)
        shutil.rmtree(od, ignore_errors=True)
        run([args.qcc_run, libs[kind], "--input", "x=" + inp, "--output-dir", od],
            args.timeout)
        outs[kind] = np.load(os.path.join(od, sorted(os.listdir(od))[0]))
    res["sqnr_db"] = sqnr(outs["float"], outs[mode])
    timers = {
        "qcc_float": [args.qcc_run, libs["float"], "--input", "x=" + inp],
        "qcc_quant": [args.qcc_run, libs[mode], "--input", "x=" + inp],
        "ort_float": ["node", os.path.join(BENCH, "ort_time.js"), onnx_path],
    }
    if ort_qdq:
        qdq = os.path.join(d, name + ".qdq.onnx")
        run([args.qcc] + common + qflags + ["--emit=onnx", "-o", qdq], args.timeout)
        timers["ort_quant"] = ["node", os.path.join(BENCH, "ort_time.js"), qdq]
    # The timers take turns, round after round: a burst of load on this
    # shared machine then hits every one of them, and each keeps its best
    # round (the least disturbed), as timeit does.
    for key in timers:
        res[key] = {"rounds": []}
    for _ in range(args.rounds):
        for key, cmd in timers.items():
            if key.startswith("qcc"):
                cmd = cmd + ["--time", str(args.runs), "--warmup", str(args.warmup)]
            else:
                cmd = cmd + ["--input", "x=" + inp, "--threads", str(args.threads),
                             "--runs", str(args.runs), "--warmup", str(args.warmup)]
            t = parse_time(run(cmd, args.timeout), os.path.basename(cmd[0]))
            res[key]["rounds"].append(t["mean_ms"])
    for key in timers:
        res[key]["mean_ms"] = min(res[key]["rounds"])
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--qcc", default=os.path.join(REPO, "build", "bin", "qcc"))
    ap.add_argument("--qcc-run", default=os.path.join(REPO, "build", "bin", "qcc-run"))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=10,
                    help="timing rounds, interleaved; each timer reports its best round")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--workdir")
    ap.add_argument("--json")
    ap.add_argument("--only", action="append", metavar="MODEL[:MODE]",
                    help="benchmark only these (repeatable): cnn, transformer, "
                         "llm_block, llm_block:w4, ...")
    args = ap.parse_args()
    if args.threads != 1:
        sys.exit("run_quant_bench: qcc runs single-threaded; compare at --threads 1")
    ensure_node_modules()
    work = args.workdir or tempfile.mkdtemp(prefix="qcc-qbench-")
    results, failed = [], False
    try:
        for cfg in CONFIGS:
            mode = cfg[3][0].split("=")[1]
            if args.only and not any(o in (cfg[0], "%s:%s" % (cfg[0], mode))
                                     for o in args.only):
                continue
            try:
                results.append(bench(args, work, *cfg))
            except BenchError as e:
                results.append({"model": cfg[0], "mode": cfg[3][0], "error": str(e)})
                failed = True
            print("%s %s: done" % (cfg[0], cfg[3][0]), file=sys.stderr)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    stat = "mean_ms"
    print("threads=%d runs=%d rounds=%d (ms: mean of the best round; speedup = qcc float "
          "/ qcc quantized; vs ORT = qcc quantized / ORT same quantization)"
          % (args.threads, args.runs, args.rounds))
    head = ("model", "mode", "qcc float", "qcc quant", "speedup", "ORT float",
            "ORT quant", "vs ORT", "size", "SQNR dB")
    rows = [head]
    for r in results:
        if "error" in r:
            rows.append((r["model"], r["mode"], "error: " + r["error"]) + ("",) * 7)
            continue
        qf, qq = r["qcc_float"][stat], r["qcc_quant"][stat]
        of = r["ort_float"][stat]
        oq = r.get("ort_quant", {}).get(stat)
        rows.append((r["model"], r["mode"], "%.3f" % qf, "%.3f" % qq, "%.2fx" % (qf / qq),
                     "%.3f" % of, "%.3f" % oq if oq else "-",
                     "%.2f" % (qq / oq) if oq else "-",
                     "%.0f%%" % (100 * r["size_ratio"]), "%.1f" % r["sqnr_db"]))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(head))]
    for row in rows:
        print("  ".join(str(c).rjust(w) for c, w in zip(row, widths)))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
