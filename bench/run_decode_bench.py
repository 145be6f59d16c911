#!/usr/bin/env python3
"""LLM decoding speed: a 1 x K by K x N MatMul (one token through one
projection; default 4096 x 16384) with float, w8, w4 g128 and w2 weights,
as bytes of weights streamed per second, as a fraction of this machine's
DRAM read bandwidth measured in the same run (../shared/tools/peak.c), and
against ONNX Runtime on the same shapes: its float MatMul, and its 4-bit
MatMulNBits (com.microsoft; asymmetric uint4 in blocks of 128 along K, as
qcc's w4 g128) with the same thread count.

  /usr/bin/python3 bench/run_decode_bench.py [--k 4096 --n 16384] [--runs 50]
      [--threads 1,2] [--json out.json] [--llama DIR [--llama-modes w4,w8]]

With --llama, also one token through the LLaMA-shaped model of
../shared/tools/make_llama.py (default shapes, 1.26 G parameters; made in
DIR unless DIR/llama.onnx exists; 5 GB of disk, a few minutes per build):
tokens/s against bandwidth / weight bytes (the library's size).

qcc runs on its models' own thread pools (P_run_parallel, qcc-run
--threads), ONNX Runtime with intra-op threads.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from run_bench import BenchError, ensure_node_modules, parse_time, run  # noqa: E402

BIN = os.path.join(ROOT, "build", "bin")
PEAK_C = os.path.join(ROOT, "..", "shared", "tools", "peak.c")


def bandwidth(work):
    """DRAM read GB/s on 1 and 2 threads, from peak.c."""
    exe = os.path.join(work, "peak")
    if not os.path.exists(PEAK_C):
        raise BenchError("%s not found: the benchmarks measure this machine's "
                         "bandwidth with ../shared/tools/peak.c" % PEAK_C)
    run(["cc", "-O2", "-march=native", PEAK_C, "-o", exe, "-lpthread"], 120)
    out = run([exe], 300)
    found = dict((int(t), float(v)) for t, v in
                 re.findall(r"bandwidth, (\d+) thread\(s\): ([0-9.]+) GB/s", out))
    return found


def models(work, K, N):
    """The float MatMul and a MatMulNBits with the same shapes."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper
    rng = np.random.default_rng(0)
    w = (rng.standard_normal((K, N)) * 0.02).astype(np.float32)
    x = rng.standard_normal((1, K)).astype(np.float32)
    np.save(os.path.join(work, "x.npy"), x)
    vi = helper.make_tensor_value_info
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"])], "gemv",
        [vi("x", TensorProto.FLOAT, [1, K])], [vi("y", TensorProto.FLOAT, [1, N])],
        [numpy_helper.from_array(w, "w")])
    fmodel = os.path.join(work, "gemv.onnx")
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]),
              fmodel)
    # MatMulNBits: B[n, block, 64 bytes] (low nibble first), scales[n * blocks],
    # zero points two per byte; round to nearest, asymmetric, as qcc's w4.
    block = 128
    blocks = K // block
    wt = w.T.reshape(N, blocks, block)
    lo, hi = np.minimum(wt.min(-1), 0), np.maximum(wt.max(-1), 0)
    scale = np.where(hi > lo, (hi - lo) / 15, 1).astype(np.float32)
    zp = np.clip(np.rint(-lo / scale), 0, 15).astype(np.uint8)
    q = np.clip(np.rint(wt / scale[..., None]) + zp[..., None], 0, 15).astype(np.uint8)
    packed = (q[..., 0::2] | (q[..., 1::2] << 4)).astype(np.uint8)
    zpp = np.zeros((N, (blocks + 1) // 2), np.uint8)
    zpp[:, :] = zp[:, 0::2] | (np.pad(zp, ((0, 0), (0, blocks % 2)))[:, 1::2] << 4)
    node = helper.make_node(
        "MatMulNBits", ["x", "B", "scales", "zp"], ["y"], domain="com.microsoft",
        K=K, N=N, bits=4, block_size=block)
    graph = helper.make_graph(
        [node], "gemv4", [vi("x", TensorProto.FLOAT, [1, K])],
        [vi("y", TensorProto.FLOAT, [1, N])],
        [numpy_helper.from_array(packed, "B"),
         numpy_helper.from_array(scale.reshape(-1), "scales"),
         numpy_helper.from_array(zpp.reshape(-1), "zp")])
    nmodel = os.path.join(work, "gemv_nbits.onnx")
    onnx.save(helper.make_model(graph, opset_imports=[
        helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]), nmodel)
    return fmodel, nmodel


def weight_bytes(K, N, bits, group):
    """Bytes a decode step streams: packed weights plus per-group f32 scales
    and (for groups) 8-bit zero points."""
    if bits == 32:
        return K * N * 4
    groups = K // group if group else 1
    return K * N * bits // 8 + groups * N * (4 + 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--k", type=int, default=4096)
    ap.add_argument("--n", type=int, default=16384)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--json")
    ap.add_argument("--llama", metavar="DIR")
    ap.add_argument("--llama-modes", default="w4,w8")
    args = ap.parse_args()
    threads = [int(t) for t in args.threads.split(",")]
    ensure_node_modules()
    work = tempfile.mkdtemp(prefix="qcc-decode-")
    K, N = args.k, args.n
    bw = bandwidth(work)
    fmodel, nmodel = models(work, K, N)
    x = "x=" + os.path.join(work, "x.npy")
    rows = []
    for mode, bits, group in (("none", 32, 0), ("w8", 8, 128), ("w4", 4, 128),
                              ("w2", 2, 128)):
        lib = os.path.join(work, "lib%s.so" % mode)
        flags = ["--quant=" + mode] + (["--group-size=128"] if bits < 32 else [])
        run([os.path.join(BIN, "qcc"), fmodel, "--emit=shared", "-o", lib] + flags,
            1200)
        for th in threads:
            t = parse_time(run([os.path.join(BIN, "qcc-run"), lib, "--input", x,
                                "--time", str(args.runs), "--threads", str(th)],
                               600), "qcc-run")
            rows.append(("qcc " + mode, th, weight_bytes(K, N, bits, group), t))
    for th in threads:
        for name, model, bits in (("ORT float MatMul", fmodel, 32),
                                  ("ORT MatMulNBits 4-bit", nmodel, 4)):
            try:
                t = parse_time(run(["node", os.path.join(HERE, "ort_time.js"), model,
                                    "--input", x, "--threads", str(th), "--runs",
                                    str(args.runs)], 600), "ort_time.js")
            except BenchError as e:
                print("%s: %s" % (name, e), file=sys.stderr)
                continue
            rows.append((name, th, weight_bytes(K, N, bits, 128 if bits < 32 else 0), t))
    print("decode GEMV 1x%d by %dx%d; DRAM read %s" % (
        K, K, N, ", ".join("%.1f GB/s on %d thread%s" % (v, k, "s" if k > 1 else "")
                           for k, v in sorted(bw.items()))))
    print("%-24s %7s %10s %9s %9s %9s" % ("build", "threads", "MB", "min ms", "GB/s",
                                         "of DRAM"))
    result = []
    for name, th, nbytes, t in rows:
        gbs = nbytes / (t["min_ms"] * 1e-3) / 1e9
        frac = gbs / bw.get(th, float("nan"))
        print("%-24s %7d %10.1f %9.3f %9.2f %8.0f%%" % (name, th, nbytes / 1e6,
                                                     t["min_ms"], gbs, 100 * frac))
        result.append({"build": name, "threads": th, "bytes": nbytes, **t,
                       "gb_per_s": gbs, "fraction_of_bandwidth": frac})
    by = {(r["build"], r["threads"]): r for r in result}
    for mine, theirs in (("qcc w4", "ORT MatMulNBits 4-bit"), ("qcc none", "ORT float MatMul")):
        for th in threads:
            if (mine, th) in by and (theirs, th) in by:
                print("%s vs %s, %d thread%s: ORT takes %.2fx qcc's time" % (
                    mine, theirs, th, "s" if th > 1 else "",
                    by[(theirs, th)]["min_ms"] / by[(mine, th)]["min_ms"]))
    llama = []
    if args.llama:
        llama = llama_rows(args.llama, args.llama_modes.split(","), bw, work,
                           threads)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"k": K, "n": N, "bandwidth_gb_s": bw, "rows": result,
                       "llama": llama}, f, indent=2)


def llama_rows(folder, modes, bw, work, threads):
    """One decode step of the 1.26 G-parameter LLaMA shape per mode."""
    model = os.path.join(folder, "llama.onnx")
    if not os.path.exists(model):
        run(["/usr/bin/python3", os.path.join(ROOT, "..", "shared", "tools",
                                              "make_llama.py"), folder], 3600)
    ids = "input_ids=" + os.path.join(folder, "input_ids.npy")
    rows = []
    print("LLaMA shape (make_llama.py defaults), one token; the bound reads the "
          "whole library per token (its float embedding table too, of which a "
          "token reads one row):")
    print("%-6s %7s %10s %9s %9s %12s %9s" % ("mode", "threads", "lib MB", "ms/token",
                                            "tokens/s", "BW bound t/s", "of bound"))
    for mode in modes:
        lib = os.path.join(work, "libllama_%s.so" % mode)
        run([os.path.join(BIN, "qcc"), model, "--quant=" + mode, "--emit=shared",
             "-o", lib], 3600)
        nbytes = os.path.getsize(lib)
        for th in threads:
            t = parse_time(run([os.path.join(BIN, "qcc-run"), lib, "--input", ids,
                                "--time", "5", "--threads", str(th)], 1200),
                           "qcc-run")
            tps = 1e3 / t["min_ms"]
            bound = bw.get(th, float("nan")) * 1e9 / nbytes
            print("%-6s %7d %10.1f %9.1f %9.2f %12.2f %8.0f%%" % (
                mode, th, nbytes / 1e6, t["min_ms"], tps, bound, 100 * tps / bound))
            rows.append({"mode": mode, "threads": th, "bytes": nbytes, **t,
                         "tokens_per_s": tps, "bandwidth_bound_tokens_per_s": bound})
        os.remove(lib)
    return rows


if __name__ == "__main__":
    try:
        main()
    except BenchError as e:
        print("run_decode_bench: %s" % e, file=sys.stderr)
        sys.exit(1)
