#!/usr/bin/python3
"""Benchmark qcc-compiled models against ONNX Runtime on the same inputs.

For every ``<name>.onnx`` in MODELS_DIR that has a ``<name>_in.npy`` (the
value of graph input ``x``), this compiles the model with qcc, checks the
compiled model's outputs against ONNX Runtime's, times both with the same
thread count and prints one table row per model.

Usage: /usr/bin/python3 bench/run_bench.py [MODELS_DIR] [NAME ...] [--threads T]
       [--runs N] [--warmup W] [--json FILE]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH_DIR)
TIME_RE = re.compile(r"^time: mean_ms=([0-9.eE+-]+) min_ms=([0-9.eE+-]+) runs=(\d+)", re.M)


class BenchError(Exception):
    pass


def run(cmd, timeout, env=None):
    """Runs cmd; returns stdout, raises BenchError with the first stderr lines on failure."""
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise BenchError("timed out after %ds: %s" % (timeout, os.path.basename(cmd[0])))
    if p.returncode != 0:
        lines = [l for l in (p.stderr + p.stdout).splitlines() if l.strip()]
        raise BenchError("%s exited %d: %s" % (os.path.basename(cmd[0]), p.returncode,
                                               " | ".join(lines[:3]) or "(no output)"))
    return p.stdout


def parse_time(out, tool):
    m = TIME_RE.search(out)
    if not m:
        raise BenchError("%s printed no 'time:' line" % tool)
    return {"mean_ms": float(m.group(1)), "min_ms": float(m.group(2)), "runs": int(m.group(3))}


def ensure_node_modules():
    # --ignore-scripts: onnxruntime-node's postinstall fetches optional GPU
    # binaries from the network; the CPU binding is already in the package.
    if not os.path.isdir(os.path.join(BENCH_DIR, "node_modules", "onnxruntime-node")):
        print("installing bench dependencies (npm)...", file=sys.stderr)
        subprocess.run(["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund"],
                       cwd=BENCH_DIR, check=True, stdout=sys.stderr)


def find_models(models_dir, names):
    found = sorted(f[:-5] for f in os.listdir(models_dir) if f.endswith(".onnx"))
    if names:
        missing = [n for n in names if n not in found]
        if missing:
            sys.exit("run_bench: no such model in %s: %s" % (models_dir, ", ".join(missing)))
        found = names
    models = []
    for name in found:
        inp = os.path.join(models_dir, name + "_in.npy")
        if os.path.exists(inp):
            models.append((name, os.path.join(models_dir, name + ".onnx"), inp))
        else:
            print("run_bench: skipping %s: no %s_in.npy" % (name, name), file=sys.stderr)
    return models


def bench_one(name, model, inp, args, work):
    """Returns a result dict for one model; errors are recorded, not raised."""
    res = {"model": name, "threads": args.threads}
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    try:
        shape = np.load(inp, mmap_mode="r").shape
        lib = os.path.join(d, name + ".so")
        run([args.qcc, model, "-o", lib, "--emit=shared",
             "--input-shape", "x=" + "x".join(str(s) for s in shape)], args.timeout)

        ort_out = os.path.join(d, "ort_out")
        ort = run(["node", os.path.join(BENCH_DIR, "ort_time.js"), model, "--input", "x=" + inp,
                   "--threads", str(args.threads), "--runs", str(args.runs),
                   "--warmup", str(args.warmup), "--save-outputs", ort_out], args.timeout)
        res["ort"] = parse_time(ort, "ort_time.js")

        # Check before timing: a fast wrong answer is not a result. ORT's
        # outputs are named output_<i>_<name>.npy, so sorting keeps graph order
        # for fewer than 10 outputs.
        expects = sorted(os.listdir(ort_out))
        check = [args.qcc_run, lib, "--input", "x=" + inp, "--rtol", str(args.rtol),
                 "--atol", str(args.atol)]
        for f in expects:
            check += ["--expect", os.path.join(ort_out, f)]
        try:
            run(check, args.timeout)
            res["check"] = "ok"
        except BenchError as e:
            res["check"] = "MISMATCH"
            res["check_detail"] = str(e)

        # The check run above doubles as qcc's warm-up (page faults, caches).
        timing = [args.qcc_run, lib, "--input", "x=" + inp, "--time", str(args.runs)]
        if args.threads > 1:
            # qcc-run has no thread option yet; this fails loudly until it does.
            timing += ["--threads", str(args.threads)]
        res["qcc"] = parse_time(run(timing, args.timeout), "qcc-run")
        res["ratio"] = res["qcc"][args.stat] / res["ort"][args.stat]
    except BenchError as e:
        res["error"] = str(e)
    return res


def print_table(results, stat):
    label = stat.replace("_ms", "")
    head = ("model", "qcc ms (%s)" % label, "ORT ms (%s)" % label, "qcc/ORT", "check")
    rows = []
    for r in results:
        if "error" in r and "qcc" not in r:
            rows.append((r["model"], "-", "%.3f" % r["ort"][stat] if "ort" in r else "-", "-",
                         "error: " + r["error"]))
            continue
        rows.append((r["model"], "%.3f" % r["qcc"][stat], "%.3f" % r["ort"][stat],
                     "%.2f" % r["ratio"], r["check"]))
    widths = [max(len(row[i]) for row in rows + [head]) for i in range(4)]
    for row in [head] + rows:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in
                        enumerate(zip(row[:4], widths))) + "  " + row[4])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models_dir", nargs="?", default=os.path.join(REPO, "examples", "models"))
    ap.add_argument("names", nargs="*", help="models to run (default: all in MODELS_DIR)")
    ap.add_argument("--qcc", default=os.path.join(REPO, "build", "bin", "qcc"))
    ap.add_argument("--qcc-run", default=os.path.join(REPO, "build", "bin", "qcc-run"))
    ap.add_argument("--threads", type=int, default=1,
                    help="threads for both (ORT intra-op; qcc is single-threaded for now)")
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--stat", choices=("mean_ms", "min_ms"), default="mean_ms",
                    help="statistic shown and used for the ratio")
    ap.add_argument("--rtol", type=float, default=1e-3, help="output check tolerance vs ORT")
    ap.add_argument("--atol", type=float, default=1e-4)
    ap.add_argument("--timeout", type=int, default=600, help="seconds per tool invocation")
    ap.add_argument("--workdir", help="keep compiled models and outputs here (default: temp)")
    ap.add_argument("--json", help="write the results to this file")
    args = ap.parse_args()

    for tool in (args.qcc, args.qcc_run):
        if not shutil.which(tool):
            sys.exit("run_bench: %s not found (build qcc or pass --qcc/--qcc-run)" % tool)
    ensure_node_modules()
    models = find_models(args.models_dir, args.names)
    if not models:
        sys.exit("run_bench: no models with inputs in %s" % args.models_dir)

    work = args.workdir or tempfile.mkdtemp(prefix="qcc-bench-")
    try:
        results = []
        for name, model, inp in models:
            results.append(bench_one(name, model, inp, args, work))
            print("%s: %s" % (name, "error" if "error" in results[-1] else "done"),
                  file=sys.stderr)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)

    print("threads=%d runs=%d warmup=%d" % (args.threads, args.runs, args.warmup))
    print_table(results, args.stat)
    for r in results:
        if r.get("check") == "MISMATCH":
            print("%s: qcc output differs from ORT: %s" % (r["model"], r["check_detail"]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"threads": args.threads, "runs": args.runs, "warmup": args.warmup,
                       "results": results}, f, indent=2)
    failed = any("error" in r or r.get("check") != "ok" for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
