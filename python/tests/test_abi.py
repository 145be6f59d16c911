"""Tests of the qcc Python package.

The first group needs no compiler: it checks how ``qcc.compile`` builds the
driver's command line (against a fake driver script) and the workspace
alignment helper. The rest compile ``examples/make_mlp.py``'s model with the
real driver (``build/bin/qcc``, or ``$QCC_BIN``) and run it through the C ABI.

Run: /usr/bin/python3 -m pytest python/tests
"""

import ctypes
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python"))

import qcc  # noqa: E402
from qcc import _abi  # noqa: E402


# --- Without a compiler ---------------------------------------------------

def _fake_driver(tmp_path, exit_code=0):
    """A stand-in for qcc that records its arguments and writes stderr."""
    script = tmp_path / "fake-qcc"
    script.write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do echo "$a"; done > "%s"\n'
        'echo "fake qcc: error: boom" >&2\n'
        "exit %d\n" % (tmp_path / "args.txt", exit_code))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_compile_command_line(tmp_path):
    driver = _fake_driver(tmp_path)
    out = qcc.compile("dir/m.onnx", input_shapes={"x": (1, 3, 224, 224),
                                                  "mask": (1, 16)},
                      name="net", extra_args=["--O3"], qcc_binary=driver)
    assert out == "dir/m.so"
    args = (tmp_path / "args.txt").read_text().split("\n")[:-1]
    assert args == ["dir/m.onnx", "-o", "dir/m.so", "--emit=shared",
                    "--input-shape", "x=1x3x224x224",
                    "--input-shape", "mask=1x16",
                    "--name", "net", "--O3"]


def test_compile_error_carries_stderr(tmp_path):
    driver = _fake_driver(tmp_path, exit_code=3)
    with pytest.raises(qcc.CompileError) as info:
        qcc.compile("m.onnx", output=tmp_path / "m.o", emit="object",
                    qcc_binary=driver)
    assert info.value.returncode == 3
    assert "boom" in info.value.stderr
    assert "--emit=object" in info.value.cmd


def test_find_qcc_prefers_env(monkeypatch):
    monkeypatch.setenv("QCC_BIN", "/opt/qcc/bin/qcc")
    assert qcc.find_qcc() == "/opt/qcc/bin/qcc"
    assert qcc.find_qcc("/explicit/qcc") == "/explicit/qcc"


@pytest.mark.parametrize("nbytes", [1, 63, 64, 1000, 1 << 20])
def test_workspace_is_aligned(nbytes):
    ws = _abi._aligned_workspace(nbytes)
    assert ws.nbytes == nbytes
    assert ws.ctypes.data % 64 == 0


class _FakeLibrary:
    """The two ABI entry points as ctypes callbacks over Python code.

    Model: c[2x3 f32] = a[2x3 f32] + b[3 i32], 100 bytes of workspace; the
    run callback records the workspace address and returns ``status``.
    """

    def __init__(self, status=0):
        def tensor(name, dtype, shape):
            dims = (ctypes.c_int64 * len(shape))(*shape)
            self._keep.append(dims)
            return _abi._TensorInfo(name, dtype, len(shape), dims)

        self._keep = []
        self.status = status
        self.workspace = None
        ins = (_abi._TensorInfo * 2)(tensor(b"a", 1, (2, 3)),
                                     tensor(b"b", 6, (3,)))
        outs = (_abi._TensorInfo * 1)(tensor(b"c", 1, (2, 3)))
        self._info = _abi._ModelInfo(1, b"fake", 2, ins, 1, outs, 100,
                                     b"test-target")
        self._keep += [ins, outs]

        # Callbacks cannot return pointer types; Model sets restype itself.
        info_fn = ctypes.CFUNCTYPE(ctypes.c_void_p)(
            lambda: ctypes.addressof(self._info))
        run_fn = ctypes.CFUNCTYPE(
            ctypes.c_int, ctypes.POINTER(ctypes.c_void_p),
            ctypes.POINTER(ctypes.c_void_p), ctypes.c_void_p)(self._run)
        self.qcc_model_get_info = info_fn
        self.qcc_model_run = run_fn

    def _run(self, inputs, outputs, workspace):
        def view(ptr, ctype, shape):
            n = int(np.prod(shape))
            buf = (ctype * n).from_address(ptr)
            return np.ctypeslib.as_array(buf).reshape(shape)

        a = view(inputs[0], ctypes.c_float, (2, 3))
        b = view(inputs[1], ctypes.c_int32, (3,))
        view(outputs[0], ctypes.c_float, (2, 3))[...] = a + b
        self.workspace = workspace
        return self.status


def test_fake_library_round_trip():
    lib = _FakeLibrary()
    model = _abi.Model("fake.so", _library=lib)
    assert (model.name, model.target, model.workspace_bytes) == (
        "fake", "test-target", 100)
    assert [(t.name, t.dtype, t.shape) for t in model.inputs] == [
        ("a", np.dtype(np.float32), (2, 3)), ("b", np.dtype(np.int32), (3,))]
    a = np.arange(6, dtype=np.float32).reshape(3, 2).T  # non-contiguous
    b = np.array([10, 20, 30], dtype=np.int32)
    out = model(a, b=b)
    assert list(out) == ["c"]
    np.testing.assert_array_equal(out["c"], a + b)
    assert lib.workspace and lib.workspace % 64 == 0


def test_fake_library_errors():
    model = _abi.Model("fake.so", _library=_FakeLibrary(status=7))
    a = np.zeros((2, 3), np.float32)
    b = np.zeros(3, np.int32)
    with pytest.raises(ValueError, match="'b'.*dtype"):
        model(a, b.astype(np.int64))
    with pytest.raises(ValueError, match="'a'.*shape"):
        model(a.T, b)
    with pytest.raises(RuntimeError, match="status 7"):
        model(a, b)


# --- With the real compiler -----------------------------------------------

def _example(tmp_path_factory, name):
    """Runs examples/make_<name>.py into a fresh temp dir and returns it."""
    out = tmp_path_factory.mktemp(name)
    subprocess.run([sys.executable, str(REPO / "examples" / ("make_%s.py" % name)),
                    str(out)], check=True, stdout=subprocess.DEVNULL)
    return out


@pytest.fixture(scope="module")
def mlp_dir(tmp_path_factory):
    """The MLP example (mlp.onnx, mlp_in.npy, mlp_out.npy) in a temp dir."""
    return _example(tmp_path_factory, "mlp")


@pytest.fixture(scope="module")
def mlp(mlp_dir):
    """The MLP compiled to a shared library and loaded."""
    return qcc.compile_and_load(mlp_dir / "mlp.onnx",
                                output=mlp_dir / "mlp.so")


def test_mlp_info(mlp):
    assert mlp.abi_version >= 1
    assert mlp.name == "mlp"  # default prefix: the file stem
    assert mlp.target
    assert [(t.name, t.dtype, t.shape) for t in mlp.inputs] == [
        ("x", np.dtype(np.float32), (4, 32))]
    assert [(t.name, t.dtype, t.shape) for t in mlp.outputs] == [
        ("y", np.dtype(np.float32), (4, 10))]


def test_mlp_matches_torch(mlp, mlp_dir):
    x = np.load(mlp_dir / "mlp_in.npy")
    ref = np.load(mlp_dir / "mlp_out.npy")
    y = mlp(x)["y"]
    np.testing.assert_allclose(y, ref, rtol=1e-4, atol=1e-5)
    # By name, and from a non-contiguous (Fortran-order) array.
    np.testing.assert_allclose(mlp(x=np.asfortranarray(x))["y"], ref,
                               rtol=1e-4, atol=1e-5)


def test_wrong_shape_names_input(mlp, mlp_dir):
    x = np.load(mlp_dir / "mlp_in.npy")
    with pytest.raises(ValueError, match="'x'.*shape"):
        mlp(x[:2])


def test_wrong_dtype_is_an_error(mlp, mlp_dir):
    x = np.load(mlp_dir / "mlp_in.npy")
    with pytest.raises(ValueError, match="'x'.*dtype"):
        mlp(x.astype(np.float64))


def test_bad_arguments(mlp, mlp_dir):
    x = np.load(mlp_dir / "mlp_in.npy")
    with pytest.raises(TypeError):
        mlp()
    with pytest.raises(TypeError):
        mlp(x, x)
    with pytest.raises(TypeError):
        mlp(z=x)


def test_symbol_prefix(mlp_dir, tmp_path):
    model = qcc.compile_and_load(mlp_dir / "mlp.onnx",
                                 output=tmp_path / "named.so", name="my_mlp")
    assert model.name == "my_mlp"


def test_bad_model_path_raises_compile_error(tmp_path):
    with pytest.raises(qcc.CompileError) as info:
        qcc.compile(tmp_path / "does-not-exist.onnx",
                    output=tmp_path / "x.so")
    assert info.value.stderr.strip()


@pytest.mark.parametrize("mode,min_sqnr", [("f16", 60.0), ("dynamic", 35.0)])
def test_quantized_compile_stays_accurate(mlp_dir, tmp_path, mode, min_sqnr):
    model = qcc.compile_and_load(mlp_dir / "mlp.onnx",
                                 output=tmp_path / ("mlp_%s.so" % mode),
                                 quant=mode)
    ref = np.load(mlp_dir / "mlp_out.npy").astype(np.float64)
    y = model(np.load(mlp_dir / "mlp_in.npy"))["y"].astype(np.float64)
    sqnr = 10 * np.log10((ref ** 2).sum() / max(((y - ref) ** 2).sum(), 1e-30))
    assert sqnr >= min_sqnr, sqnr


def test_unknown_quant_mode_is_a_compile_error(mlp_dir, tmp_path):
    with pytest.raises(qcc.CompileError, match="--quant=int3"):
        qcc.compile(mlp_dir / "mlp.onnx", output=tmp_path / "x.so",
                    quant="int3")


@pytest.fixture(scope="module")
def cnn_dir(tmp_path_factory):
    """The example CNN in a temp dir."""
    return _example(tmp_path_factory, "cnn")


def _cnn_samples(n, seed):
    rng = np.random.default_rng(seed)
    return [{"x": rng.standard_normal((1, 3, 32, 32)).astype(np.float32)}
            for _ in range(n)]


def test_int8_from_an_iterable_with_report(cnn_dir, tmp_path):
    # A generator: read once, as a stream would be.
    calib = (s for s in _cnn_samples(8, 1))
    out = qcc.compile(cnn_dir / "cnn.onnx", output=tmp_path / "cnn8.so",
                      input_shapes={"x": (1, 3, 32, 32)}, quant="int8",
                      calib=calib, calib_method="mse",
                      eval=_cnn_samples(4, 2), report=True)
    assert out == str(tmp_path / "cnn8.so")
    report = out.report
    assert report["mode"] == "int8"
    assert report["calibration"]["method"] == "mse"
    assert report["evaluation"]["samples"] == 4
    convs = [l for l in report["layers"] if l["op"] == "Conv"]
    assert convs and all(l["weights"] == "int8 sym per-channel" for l in convs)
    assert all(l["sqnr_db"] is None or l["sqnr_db"] > 25 for l in convs)
    (y,) = report["evaluation"]["outputs"]
    assert y["cosine"] > 0.999
    model = qcc.load(out)
    assert model(_cnn_samples(1, 3)[0]["x"])["y"].shape == (1, 10)


def test_calibration_from_npz(cnn_dir, tmp_path):
    xs = np.stack([s["x"] for s in _cnn_samples(4, 4)])
    np.savez(tmp_path / "calib.npz", x=xs)
    out = qcc.compile(cnn_dir / "cnn.onnx", output=tmp_path / "npz.so",
                      input_shapes={"x": (1, 3, 32, 32)}, quant="int8",
                      calib=tmp_path / "calib.npz")
    assert out.report is None


def test_bad_calibration_iterables(cnn_dir, tmp_path):
    common = dict(output=tmp_path / "bad.so", quant="int8",
                  input_shapes={"x": (1, 3, 32, 32)})
    with pytest.raises(ValueError, match="no samples"):
        qcc.compile(cnn_dir / "cnn.onnx", calib=[], **common)
    with pytest.raises(TypeError, match="not a dict"):
        qcc.compile(cnn_dir / "cnn.onnx", calib=[np.zeros(3)], **common)
    with pytest.raises(qcc.CompileError, match="input 'x' is float32"):
        qcc.compile(cnn_dir / "cnn.onnx",
                    calib=[{"x": np.zeros((1, 3, 8, 8), np.float32)}], **common)


def test_weight_only_report(mlp_dir, tmp_path):
    out = qcc.compile(mlp_dir / "mlp.onnx", output=tmp_path / "w4.so",
                      quant="w4", group_size=16, report=True,
                      extra_args=["--weight-symmetric"])
    gemms = [l for l in out.report["layers"] if l["op"] == "Gemm"]
    assert len(gemms) == 2
    assert all(l["weights"] == "int4 sym g16" and l["bits"] == 4
               for l in gemms), gemms


def test_integer_only_io(mlp_dir, tmp_path):
    # --integer-only: 8-bit input and output whose scales and zero points
    # come with the model (ABI version 2); the caller converts at the edge.
    rng = np.random.default_rng(5)
    calib = [{"x": rng.standard_normal((4, 32)).astype(np.float32)}
             for _ in range(8)]
    model = qcc.compile_and_load(mlp_dir / "mlp.onnx",
                                 output=tmp_path / "mlp_io.so", quant="int8",
                                 calib=calib, extra_args=["--integer-only"])
    assert model.abi_version >= 2
    (x_info,) = model.inputs
    (y_info,) = model.outputs
    assert x_info.dtype in (np.uint8, np.int8) and x_info.scale > 0
    assert y_info.dtype in (np.uint8, np.int8) and y_info.scale > 0
    x = np.load(mlp_dir / "mlp_in.npy")
    q = model(x_info.quantize(x))["y"]
    assert q.dtype == y_info.dtype
    y = y_info.dequantize(q).astype(np.float64)
    ref = np.load(mlp_dir / "mlp_out.npy").astype(np.float64)
    sqnr = 10 * np.log10((ref ** 2).sum() / ((y - ref) ** 2).sum())
    assert sqnr > 20, sqnr


def test_cuda_model_without_driver_says_why(mlp_dir, tmp_path, monkeypatch):
    # A -target=cuda library loads and describes itself anywhere; running
    # it without a CUDA driver raises with the runtime's reason.
    monkeypatch.setenv("QCC_CUDA_DRIVER", str(tmp_path / "no" / "libcuda.so.1"))
    model = qcc.compile_and_load(mlp_dir / "mlp.onnx",
                                 output=tmp_path / "mlp_cuda.so",
                                 extra_args=["-target=cuda"])
    assert model.abi_version == 3
    assert model.target == "cuda:sm_80"
    assert model.workspace_bytes == 0
    x = np.load(mlp_dir / "mlp_in.npy")
    with pytest.raises(RuntimeError, match="status 2: no CUDA driver"):
        model(x)
