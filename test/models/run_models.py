#!/usr/bin/python3
"""Acceptance suite: real-world models compiled by qcc against ONNX Runtime.

For each model of make_models.py (exported on first use into MODELS_DIR):
ONNX Runtime (bench/ort_time.js, 1 thread) gives the reference output; qcc
compiles the model with `--emit=shared --input-shape NAME=...`; qcc-run runs
it with `--expect` at rtol 1e-4 / atol 1e-5 (the pass/fail verdict) and saves
its outputs, from which the maximum relative and absolute errors are printed.
Ends with `N passed, N failed`; exits 1 on any failure.

Usage: /usr/bin/python3 test/models/run_models.py [--qcc Q] [--qcc-run R]
       [--models-dir DIR] [--only NAME ...] [--jobs J]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "bench"))
from run_bench import ensure_node_modules  # noqa: E402  (npm install once)

RTOL, ATOL = 1e-4, 1e-5
# Relative error is |q - o| / max(|o|, EPS). EPS = ATOL / RTOL puts the
# switch from relative to absolute error where qcc-run's own test
# |q - o| <= ATOL + RTOL * |o| switches, so "rel err <= RTOL" means about the
# same as a pass, and elements near zero do not report huge relative errors.
EPS = ATOL / RTOL
TIMEOUT = 600  # seconds per tool invocation


class Failure(Exception):
    pass


def run(cmd, check=True):
    """Runs cmd and returns the process; with check, a non-zero exit raises
    Failure carrying the full output. A tool that times out or cannot start
    (say, mid-rebuild) is a Failure of that model, not a crash of the suite."""
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise Failure("%s timed out after %ds" % (os.path.basename(cmd[0]), TIMEOUT))
    except OSError as e:
        raise Failure("cannot run %s: %s" % (cmd[0], e))
    if check and p.returncode != 0:
        raise Failure(describe(p))
    return p


def describe(p):
    return "%s exited %d:\n%s" % (os.path.basename(p.args[0]), p.returncode,
                                  (p.stderr + p.stdout).strip())


def ensure_models(args):
    """Exports the models that are missing or older than make_models.py (one
    torch process for all of them); returns [(name, manifest entry)]."""
    maker = os.path.join(HERE, "make_models.py")
    manifest_path = os.path.join(args.models_dir, "models.json")
    manifest = {}
    if os.path.exists(manifest_path):
        with open(manifest_path) as f:
            manifest = json.load(f)
    if args.only:
        names = args.only
    else:
        sys.path.insert(0, HERE)
        from make_models import MODELS  # imports torch: only when needed
        names = sorted(MODELS)

    def stale(name):
        files = [os.path.join(args.models_dir, name + s) for s in (".onnx", "_in.npy")]
        return name not in manifest or not all(
            os.path.exists(f) and os.path.getmtime(f) >= os.path.getmtime(maker) for f in files)

    missing = [n for n in names if stale(n)]
    if missing:
        print("exporting %s..." % ", ".join(missing), file=sys.stderr)
        if subprocess.run([sys.executable, maker, args.models_dir, "--only"] + missing,
                          stdout=sys.stderr).returncode != 0:
            sys.exit("run_models: make_models.py failed")
        with open(manifest_path) as f:
            manifest = json.load(f)
    return [(n, manifest[n]) for n in names]


def check_model(name, info, args):
    """Returns a result row; failures are recorded, not raised."""
    res = {"model": name, "nodes": info["nodes"], "compile_s": None,
           "rel": None, "abs": None, "ref": None, "status": "ok", "detail": ""}
    base = os.path.join(args.models_dir, name)
    work = base + ".work"  # kept after the run for debugging
    shutil.rmtree(work, ignore_errors=True)  # no stale outputs from a past run
    inp = "%s=%s_in.npy" % (info["input"], base)
    try:
        ort_dir, qcc_dir = os.path.join(work, "ort"), os.path.join(work, "qcc")
        run(["node", os.path.join(REPO, "bench", "ort_time.js"), base + ".onnx",
             "--input", inp, "--threads", "1", "--runs", "1", "--warmup", "0",
             "--save-outputs", ort_dir])
        # ort_time.js names outputs output_<i>_<name>.npy: sorted is graph order.
        expects = sorted(os.listdir(ort_dir))

        lib = os.path.join(work, "lib%s.so" % name)
        shape = "x".join(str(d) for d in info["shape"])
        t0 = time.time()
        try:
            run([args.qcc, base + ".onnx", "--emit=shared", "-o", lib,
                 "--input-shape", "%s=%s" % (info["input"], shape)])
        except Failure:
            res["status"] = "FAIL compile"
            raise
        finally:
            res["compile_s"] = time.time() - t0

        cmd = [args.qcc_run, lib, "--input", inp, "--rtol", str(RTOL), "--atol", str(ATOL),
               "--output-dir", qcc_dir]
        for f in expects:
            cmd += ["--expect", os.path.join(ort_dir, f)]
        p = run(cmd, check=False)
        # Errors come from the saved outputs even when --expect fails, so a
        # mismatch is reported with its size.
        for f in expects:
            out_name = f.split("_", 2)[2]
            o = np.load(os.path.join(ort_dir, f)).astype(np.float64)
            q_path = os.path.join(qcc_dir, out_name)
            if not os.path.exists(q_path):
                break
            q = np.load(q_path).astype(np.float64)
            if q.shape != o.shape:
                raise Failure("output %s: shape %s, ORT has %s" % (out_name, q.shape, o.shape))
            err = np.abs(q - o)
            rel, ab = float(np.max(err / np.maximum(np.abs(o), EPS))), float(np.max(err))
            res["rel"], res["abs"] = max(res["rel"] or 0.0, rel), max(res["abs"] or 0.0, ab)
            res["ref"] = max(res["ref"] or 0.0, float(np.max(np.abs(o))))
        if p.returncode != 0:
            res["status"] = "FAIL mismatch" if "MISMATCH" in p.stdout \
                else "FAIL run"
            raise Failure(describe(p))
    except Failure as e:
        if res["status"] == "ok":
            res["status"] = "FAIL"
        res["detail"] = str(e)
    print("%s: %s" % (name, res["status"]), file=sys.stderr)
    return res


def print_table(results):
    fmt = lambda v, f: "-" if v is None else f % v  # noqa: E731
    # max |ORT| gives the scale that the absolute error is to be read against.
    head = ("model", "nodes", "compile s", "max rel err", "max abs err", "max |ORT|", "status")
    rows = [(r["model"], str(r["nodes"]), fmt(r["compile_s"], "%.1f"), fmt(r["rel"], "%.2e"),
             fmt(r["abs"], "%.2e"), fmt(r["ref"], "%.3g"), r["status"]) for r in results]
    widths = [max(len(row[i]) for row in rows + [head]) for i in range(len(head))]
    for row in [head] + rows:
        print("  ".join(c.ljust(w) if i in (0, len(head) - 1) else c.rjust(w)
                        for i, (c, w) in enumerate(zip(row, widths))).rstrip())


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--qcc", default=os.path.join(REPO, "build", "bin", "qcc"))
    ap.add_argument("--qcc-run", default=os.path.join(REPO, "build", "bin", "qcc-run"))
    ap.add_argument("--models-dir", default=os.path.join(REPO, "build", "test-models"),
                    help="exported models are cached here (default: %(default)s)")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="run only these models")
    ap.add_argument("--jobs", type=int, default=2,
                    help="models checked in parallel (default: %(default)s)")
    args = ap.parse_args()
    for tool in (args.qcc, args.qcc_run):
        if not os.access(tool, os.X_OK):
            sys.exit("run_models: %s not found (build qcc or pass --qcc/--qcc-run)" % tool)
    os.makedirs(args.models_dir, exist_ok=True)
    ensure_node_modules()
    models = ensure_models(args)

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda m: check_model(m[0], m[1], args), models))

    print_table(results)
    for r in results:
        if r["status"] != "ok":
            print("\n%s: %s\n%s" % (r["model"], r["status"], r["detail"]))
    failed = sum(r["status"] != "ok" for r in results)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
