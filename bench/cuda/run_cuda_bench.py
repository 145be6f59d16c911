"""The CUDA target's benchmark and on-GPU checks (bench/cuda/README.md).

Two steps, on two machines:

  run_cuda_bench.py build OUT [--gpu-arch sm_90] [--size 4096] [--only ...]
      On a machine with qcc and the CUDA toolkit (no GPU needed): writes the
      ONNX models, compiles each for -target=cuda (a shared library) and,
      for the output comparison, for the CPU (x86-64-v3, so that any x86-64
      server can run it), and a manifest.

  run_cuda_bench.py run OUT [--json FILE] [--iters 50]
      On the GPU machine (Python with PyTorch built for CUDA): times and
      checks what `build` made, and prints

      - copy bandwidth: a 1 GiB device-to-device copy (bytes read + written);
      - int8 GEMM (M = N = K = --size): qcc's tensor-core kernel against
        torch._int_mm (cuBLAS), TOPS and the ratio; results must be equal;
      - W4A16 GEMV (one row, K x N int4 weights, groups of 128): bytes of
        packed weights, scales and zero points read per second, as a share
        of the copy bandwidth, and torch's fp16 GEMV (fp16 weights) beside;
      - the example models (CNN, transformer block, LLM block; float and
        quantized): latency per run through P_run_device (device buffers,
        CUDA events), and the GPU's outputs against the CPU target's
        (bit for bit, or the largest difference over the largest output).

Timings are means over --iters runs after warm-up, taken with CUDA events
on PyTorch's current stream.
"""
import argparse
import ctypes
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# The ctypes loader (qcc.Model), for host-pointer runs and model info.
sys.path.insert(0, os.path.join(ROOT, "python"))
import qcc  # noqa: E402

# (name, model file, input shape flag, qcc flags, calibration set shape).
EXAMPLES = [
    ("cnn", "cnn.onnx", "x=1x3x32x32", [], None),
    ("cnn_int8", "cnn.onnx", "x=1x3x32x32", ["--quant=int8"], "x=1x3x32x32"),
    ("cnn_f16", "cnn.onnx", "x=1x3x32x32", ["--quant=f16"], None),
    ("transformer", "transformer.onnx", "x=1x16x64", [], None),
    ("transformer_int8", "transformer.onnx", "x=1x16x64", ["--quant=int8"],
     "x=1x16x64"),
    ("transformer_dynamic", "transformer.onnx", "x=1x16x64",
     ["--quant=dynamic"], None),
    ("transformer_w4", "transformer.onnx", "x=1x16x64", ["--quant=w4"], None),
    ("llm_block", "llm_block.onnx", None, [], None),
    ("llm_block_w4", "llm_block.onnx", None, ["--quant=w4"], None),
    ("llm_block_w8", "llm_block.onnx", None, ["--quant=w8"], None),
]
# Models expected to give the CPU's bits: integer arithmetic and correctly
# rounded float steps; only the average pool's float sum is in another order
# (a last-bit difference there could move a requantized value by one).
EXACT = {"cnn_int8"}


def qcc_binary():
    for path in (os.path.join(ROOT, "build", "bin", "qcc"), "qcc"):
        if os.path.sep not in path or os.path.exists(path):
            return path
    return "qcc"


def call(cmd):
    print("+ " + " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)


def build(args):
    out = os.path.abspath(args.out)
    os.makedirs(os.path.join(out, "inputs"), exist_ok=True)
    # The ONNX files (the GEMV's weights in f32: 64 MiB at 4096) stay out
    # of OUT, which travels to the GPU machine.
    models = args.models or tempfile.mkdtemp(prefix="qcc-cuda-bench-")
    os.makedirs(models, exist_ok=True)
    python = sys.executable
    qcc = args.qcc or qcc_binary()
    want = lambda name: not args.only or any(
        name == o or name.startswith(o + "_") for o in args.only)
    manifest = {"gpu_arch": args.gpu_arch, "size": args.size, "kernels": [],
                "examples": []}

    if want("gemm") or want("gemv"):
        call([python, os.path.join(HERE, "make_bench_models.py"), models,
              "--size", str(args.size)])
    if want("gemm"):
        so = os.path.join(out, "gemm_int8.so")
        call([qcc, os.path.join(models, "gemm_int8.onnx"), "-target=cuda",
              "--gpu-arch=" + args.gpu_arch, "-mcpu=x86-64-v3",
              "--emit=shared", "-o", so])
        manifest["kernels"].append({"name": "gemm_int8", "cuda": so})
    if want("gemv"):
        entry = {"name": "gemv_w4", "group_size": 128}
        for target, so in (("cuda", "gemv_w4.so"), ("cpu", "gemv_w4_cpu.so")):
            so = os.path.join(out, so)
            flags = (["-target=cuda", "--gpu-arch=" + args.gpu_arch]
                     if target == "cuda" else [])
            call([qcc, os.path.join(models, "gemv_w4.onnx"), "--quant=w4",
                  "--group-size=128", "-mcpu=x86-64-v3", "--emit=shared",
                  "-o", so] + flags)
            entry[target] = so
        manifest["kernels"].append(entry)

    examples = [e for e in EXAMPLES if want(e[0])]
    made = set()
    for name, onnx_file, shape, flags, calib in examples:
        generator = "make_" + onnx_file[:-len(".onnx")] + ".py"
        if generator not in made:
            call([python, os.path.join(ROOT, "examples", generator), models])
            made.add(generator)
        shape_flags = ["--input-shape", shape] if shape else []
        calib_flags = []
        if calib:
            calib_dir = os.path.join(models, "calib_" + onnx_file[:-5])
            call([python, os.path.join(ROOT, "test", "Integration", "Inputs",
                                       "make_calib_set.py"),
                  calib_dir, "8", "0", calib])
            calib_flags = ["--calib=" + os.path.join(calib_dir, "calib")]
        example_input = os.path.join(out, "inputs", onnx_file[:-5] + ".npy")
        shutil.copyfile(os.path.join(models, onnx_file[:-5] + "_in.npy"),
                        example_input)
        entry = {"name": name, "exact": name in EXACT,
                 "input": example_input}
        for target in ("cuda", "cpu"):
            so = os.path.join(out, name + ("" if target == "cuda" else "_cpu")
                              + ".so")
            target_flags = (["-target=cuda", "--gpu-arch=" + args.gpu_arch]
                            if target == "cuda" else [])
            call([qcc, os.path.join(models, onnx_file), "-mcpu=x86-64-v3",
                  "--emit=shared", "-o", so] + shape_flags + flags +
                 calib_flags + target_flags)
            entry[target] = so
        manifest["examples"].append(entry)

    # Paths relative to OUT, so that the folder can move to the GPU machine.
    def relative(entry):
        return {k: (os.path.relpath(v, out) if isinstance(v, str) and
                    v.startswith(out) else v) for k, v in entry.items()}
    manifest["kernels"] = [relative(e) for e in manifest["kernels"]]
    manifest["examples"] = [relative(e) for e in manifest["examples"]]
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    if not args.models:
        shutil.rmtree(models)
    print("wrote %s" % os.path.join(out, "manifest.json"))


class DeviceModel:
    """A CUDA model's device-pointer entry point (ABI version 3)."""

    def __init__(self, path):
        self.host = qcc.Model(path)
        lib = ctypes.CDLL(os.path.abspath(path))
        self.run_device = lib.qcc_model_run_device
        self.run_device.restype = ctypes.c_int
        self.run_device.argtypes = [ctypes.POINTER(ctypes.c_void_p),
                                    ctypes.POINTER(ctypes.c_void_p),
                                    ctypes.c_void_p, ctypes.c_void_p]
        self.last_error = lib.qcc_model_last_error
        self.last_error.restype = ctypes.c_char_p
        workspace = lib.qcc_model_device_workspace_bytes
        workspace.restype = ctypes.c_uint64
        self.workspace_bytes = int(workspace())

    def bind(self, torch, inputs, outputs):
        """A function that enqueues one run on PyTorch's current stream."""
        workspace = torch.empty(max(self.workspace_bytes, 1) + 64,
                                dtype=torch.uint8, device="cuda")
        base = workspace.data_ptr()
        aligned = base + (-base) % 64
        ins = (ctypes.c_void_p * len(inputs))(*[t.data_ptr() for t in inputs])
        outs = (ctypes.c_void_p * len(outputs))(
            *[t.data_ptr() for t in outputs])
        keep = (workspace, inputs, outputs)

        def run():
            stream = torch.cuda.current_stream().cuda_stream
            status = self.run_device(ins, outs, aligned, stream)
            if status != 0:
                raise RuntimeError("run_device returned %d: %s" % (
                    status, (self.last_error() or b"").decode()))
            return keep
        return run


def time_gpu(torch, fn, iters, warmup=3):
    """Mean milliseconds of fn() on the current stream (CUDA events)."""
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    start = torch.cuda.Event(enable_timing=True)
    end = torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(iters):
        fn()
    end.record()
    torch.cuda.synchronize()
    return start.elapsed_time(end) / iters


def torch_dtype(torch, numpy_dtype):
    import numpy as np
    return {np.dtype(np.float32): torch.float32,
            np.dtype(np.float16): torch.float16,
            np.dtype(np.int8): torch.int8, np.dtype(np.uint8): torch.uint8,
            np.dtype(np.int32): torch.int32,
            np.dtype(np.int64): torch.int64}[np.dtype(numpy_dtype)]


def compare(gpu, cpu):
    """(bit-identical, largest |gpu - cpu| over the largest |cpu|)."""
    import numpy as np
    same = gpu.tobytes() == cpu.tobytes()
    g = gpu.astype(np.float64)
    c = cpu.astype(np.float64)
    scale = max(float(np.max(np.abs(c))), 1e-30)
    return same, float(np.max(np.abs(g - c))) / scale


def run(args):
    import numpy as np
    import torch
    if not torch.cuda.is_available():
        print("run_cuda_bench: no CUDA GPU visible to PyTorch")
        return 2
    out = os.path.abspath(args.out)
    with open(os.path.join(out, "manifest.json")) as f:
        manifest = json.load(f)
    path = lambda p: os.path.join(out, p)
    report = {"device": torch.cuda.get_device_name(0),
              "gpu_arch": manifest["gpu_arch"], "size": manifest["size"],
              "errors": []}
    print("device: %s" % report["device"])

    # Copy bandwidth, counting bytes read and written.
    src = torch.empty(1 << 30, dtype=torch.uint8, device="cuda")
    dst = torch.empty_like(src)
    ms = time_gpu(torch, lambda: dst.copy_(src), 20)
    copy_gbs = 2 * src.numel() / (ms * 1e-3) / 1e9
    report["copy_GBps"] = copy_gbs
    print("copy bandwidth: %.0f GB/s (read + write)" % copy_gbs)
    del src, dst

    for entry in manifest["kernels"]:
        try:
            if entry["name"] == "gemm_int8":
                report["gemm_int8"] = bench_gemm(torch, entry, path, args)
            elif entry["name"] == "gemv_w4":
                report["gemv_w4"] = bench_gemv(torch, np, entry, path, args,
                                               copy_gbs)
        except Exception as e:  # keep going: every figure counts
            report["errors"].append("%s: %s" % (entry["name"], e))
            print("%s: FAILED: %s" % (entry["name"], e))

    rows = []
    for entry in manifest["examples"]:
        try:
            rows.append(bench_example(torch, np, entry, path, args))
        except Exception as e:
            report["errors"].append("%s: %s" % (entry["name"], e))
            print("%s: FAILED: %s" % (entry["name"], e))
    report["examples"] = rows
    if rows:
        print("\n%-22s %10s  %s" % ("model", "ms/run", "GPU vs CPU"))
        for r in rows:
            print("%-22s %10.4f  %s" % (
                r["name"], r["ms"],
                "bit-identical" if r["identical"] else
                "max diff %.2e of max |y|%s" % (
                    r["max_rel_diff"],
                    " (expected identical: look why)" if r["exact"] else
                    "")))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
    return 1 if report["errors"] else 0


def bench_gemm(torch, entry, path, args):
    model = DeviceModel(path(entry["cuda"]))
    n = model.host.inputs[0].shape[0]
    gen = torch.Generator(device="cuda").manual_seed(0)
    a = torch.randint(-128, 128, (n, n), dtype=torch.int8, device="cuda",
                      generator=gen)
    b = torch.randint(-128, 128, (n, n), dtype=torch.int8, device="cuda",
                      generator=gen)
    y = torch.empty((n, n), dtype=torch.int32, device="cuda")
    fn = model.bind(torch, [a, b], [y])
    fn()
    ref = torch._int_mm(a, b)
    torch.cuda.synchronize()
    equal = bool(torch.equal(y, ref))
    qcc_ms = time_gpu(torch, fn, args.iters)
    torch_ms = time_gpu(torch, lambda: torch._int_mm(a, b), args.iters)
    ops = 2.0 * n * n * n
    result = {"n": n, "equal_to_torch": equal,
              "qcc_TOPS": ops / (qcc_ms * 1e-3) / 1e12,
              "torch_TOPS": ops / (torch_ms * 1e-3) / 1e12}
    result["ratio"] = result["qcc_TOPS"] / result["torch_TOPS"]
    print("int8 GEMM %d^3: qcc %.1f TOPS, torch._int_mm %.1f TOPS, ratio "
          "%.2f, results %s" % (n, result["qcc_TOPS"], result["torch_TOPS"],
                                result["ratio"],
                                "equal" if equal else "DIFFER"))
    if not equal:
        raise RuntimeError("int8 GEMM results differ from torch._int_mm")
    return result


def bench_gemv(torch, np, entry, path, args, copy_gbs):
    model = DeviceModel(path(entry["cuda"]))
    cpu_model = qcc.Model(path(entry["cpu"]))
    k = model.host.inputs[0].shape[1]
    n = model.host.outputs[0].shape[1]
    rng = np.random.default_rng(1)
    x = rng.standard_normal((1, k)).astype(np.float32)
    same, diff = compare(list(model.host(x).values())[0],
                         list(cpu_model(x).values())[0])
    xd = torch.from_numpy(x).cuda()
    y = torch.empty((1, n), dtype=torch.float32, device="cuda")
    fn = model.bind(torch, [xd], [y])
    qcc_ms = time_gpu(torch, fn, args.iters)
    group = entry["group_size"]
    # Packed 4-bit weights, one f32 scale and one 8-bit zero point per group.
    weight_bytes = k * n // 2 + (k // group) * n * 5
    w16 = torch.randn((k, n), dtype=torch.float16, device="cuda")
    x16 = torch.randn((1, k), dtype=torch.float16, device="cuda")
    torch_ms = time_gpu(torch, lambda: torch.matmul(x16, w16), args.iters)
    result = {"k": k, "n": n, "qcc_us": qcc_ms * 1e3,
              "qcc_GBps": weight_bytes / (qcc_ms * 1e-3) / 1e9,
              "torch_fp16_us": torch_ms * 1e3,
              "torch_fp16_GBps": 2 * k * n / (torch_ms * 1e-3) / 1e9,
              "max_rel_diff_vs_cpu": diff}
    result["share_of_copy"] = result["qcc_GBps"] / copy_gbs
    print("W4 GEMV 1x%dx%d: qcc %.1f us, %.0f GB/s of weights = %.0f%% of "
          "copy bandwidth; torch fp16 GEMV %.1f us (%.0f GB/s); vs CPU max "
          "diff %.1e" % (k, n, result["qcc_us"], result["qcc_GBps"],
                         100 * result["share_of_copy"],
                         result["torch_fp16_us"], result["torch_fp16_GBps"],
                         diff))
    return result


def bench_example(torch, np, entry, path, args):
    model = DeviceModel(path(entry["cuda"]))
    cpu_model = qcc.Model(path(entry["cpu"]))
    x = np.load(path(entry["input"]))
    info = model.host.inputs[0]
    x = x.astype(info.dtype).reshape(info.shape)
    gpu_out = list(model.host(x).values())[0]
    cpu_out = list(cpu_model(x).values())[0]
    same, diff = compare(gpu_out, cpu_out)
    xd = torch.from_numpy(np.ascontiguousarray(x)).cuda()
    outs = [torch.empty(t.shape, dtype=torch_dtype(torch, t.dtype),
                        device="cuda") for t in model.host.outputs]
    ms = time_gpu(torch, model.bind(torch, [xd], outs), args.iters)
    return {"name": entry["name"], "ms": ms, "identical": same,
            "max_rel_diff": diff, "exact": entry["exact"]}


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    sub = parser.add_subparsers(dest="step", required=True)
    b = sub.add_parser("build", help="compile the models (no GPU needed)")
    b.add_argument("out")
    b.add_argument("--gpu-arch", default="sm_90")
    b.add_argument("--size", type=int, default=4096,
                   help="M = N = K of the GEMM, K = N of the GEMV")
    b.add_argument("--only", action="append",
                   help="gemm, gemv or an example name (repeatable)")
    b.add_argument("--qcc", help="the qcc binary (default build/bin/qcc)")
    b.add_argument("--models", help="keep the ONNX models here (default: a "
                   "temporary folder, removed)")
    r = sub.add_parser("run", help="time and check on the GPU")
    r.add_argument("out")
    r.add_argument("--iters", type=int, default=50)
    r.add_argument("--json", help="also write the figures here")
    args = parser.parse_args()
    if args.step == "build":
        build(args)
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
