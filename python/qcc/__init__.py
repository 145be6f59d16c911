"""Python API for qcc: drive the compiler and run compiled models.

    import qcc
    model = qcc.compile_and_load("mlp.onnx")
    y = model(x)["y"]

``compile`` runs the ``qcc`` driver in a subprocess; ``load`` binds the
compiled shared library's C ABI with ctypes. Neither needs a Python
extension module.
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ._abi import ABI_VERSION, Model, TensorInfo, load

__all__ = ["ABI_VERSION", "CompileError", "CompiledPath", "Model",
           "TensorInfo", "compile", "compile_and_load", "find_qcc", "load"]

# File suffix of each --emit kind, for the default output path.
_SUFFIXES = {"shared": ".so", "object": ".o", "mlir": ".mlir",
             "llvm": ".ll", "header": ".h"}


class CompileError(RuntimeError):
    """The qcc driver exited with a non-zero status.

    Attributes: ``cmd`` (argument list), ``returncode``, ``stderr`` (text).
    """

    def __init__(self, cmd, returncode, stderr):
        self.cmd = cmd
        self.returncode = returncode
        self.stderr = stderr
        super().__init__("qcc failed with exit status %d:\n%s"
                         % (returncode, stderr.rstrip()))


def find_qcc(qcc_binary=None):
    """Locate the qcc driver.

    Order: the explicit argument, ``$QCC_BIN``, the build tree next to this
    source tree (``<repo>/build/bin/qcc``), then ``PATH``.
    """
    if qcc_binary:
        return os.fspath(qcc_binary)
    env = os.environ.get("QCC_BIN")
    if env:
        return env
    # python/qcc/__init__.py -> repo root is two levels above the package.
    in_tree = Path(__file__).resolve().parents[2] / "build" / "bin" / "qcc"
    if in_tree.is_file() and os.access(in_tree, os.X_OK):
        return str(in_tree)
    found = shutil.which("qcc")
    if found:
        return found
    raise FileNotFoundError(
        "qcc driver not found: pass qcc_binary=, set QCC_BIN, build it into "
        "%s, or put it on PATH" % in_tree)


def _shape_arg(name, shape):
    return "%s=%s" % (name, "x".join(str(int(d)) for d in shape))


class CompiledPath(str):
    """The path ``compile`` wrote (a ``str``), with the quantization report
    as a dict in ``report`` when one was asked for (else ``None``)."""

    report = None


def _write_samples(samples, folder):
    """An iterable of {input name: array} dicts as a calibration folder (one
    sub-folder of ``<name>.npy`` files per sample); returns the count."""
    import numpy as np

    count = 0
    for i, sample in enumerate(samples):
        if not isinstance(sample, dict):
            raise TypeError("calibration sample %d is a %s, not a dict of "
                            "input name -> array" % (i, type(sample).__name__))
        sub = os.path.join(folder, "%06d" % i)
        os.makedirs(sub)
        for name, array in sample.items():
            if os.sep in name or name in ("", ".", ".."):
                raise ValueError("input name %r cannot be a file name" % name)
            np.save(os.path.join(sub, name + ".npy"), np.asarray(array))
        count += 1
    if count == 0:
        raise ValueError("the calibration iterable yielded no samples")
    return count


def _data_arg(data, flag, tmp):
    """A path (folder or .npz) as is; an iterable of dicts written under
    ``tmp`` first."""
    if isinstance(data, (str, os.PathLike)):
        return ["--%s=%s" % (flag, os.fspath(data))]
    folder = os.path.join(tmp, flag)
    os.makedirs(folder)
    _write_samples(data, folder)
    return ["--%s=%s" % (flag, folder)]


def compile(model_path, output=None, emit="shared", input_shapes=None,
            name=None, quant=None, calib=None, calib_method=None,
            calib_samples=None, eval=None, report=False, group_size=None,
            weight_bits=None, extra_args=(), qcc_binary=None):
    """Compile an ONNX model with the qcc driver and return the output path.

    model_path: the ``.onnx`` file.
    output: where to write; default is the model path with the suffix of
        ``emit`` (``.so`` for ``shared``).
    emit: the driver's ``--emit`` kind.
    input_shapes: ``{input name: shape tuple}`` specializing dynamic dims,
        passed as one ``--input-shape NAME=AxBxC`` flag per input.
    name: C symbol prefix (``--name``); the driver defaults to the file stem.
    quant: quantization mode (``--quant``): ``"f16"``, ``"dynamic"``,
        ``"int8"`` (needs ``calib``), ``"w8"``, ``"w4"`` or ``"w2"``;
        ``None`` keeps the model in float.
    calib: calibration set for ``int8``: a folder or ``.npz`` path, or an
        iterable of ``{input name: numpy array}`` dicts (one per sample).
    calib_method: ``"minmax"``, ``"moving-average"``, ``"percentile"``,
        ``"entropy"`` or ``"mse"``; calib_samples: use at most N.
    eval: evaluation set (same forms as ``calib``) for the report's
        measurements.
    report: when true, the result's ``report`` attribute holds the
        quantization report (``--report``) as a dict.
    group_size, weight_bits: the weight-only modes' ``--group-size`` and
        ``--weight-bits``.
    extra_args: further driver flags, passed through verbatim.
    qcc_binary: the driver to run; see ``find_qcc``.

    Returns a ``CompiledPath`` (a ``str``). Raises CompileError (with the
    driver's stderr) on failure.
    """
    model_path = os.fspath(model_path)
    if output is None:
        output = os.path.splitext(model_path)[0] + _SUFFIXES.get(
            emit, "." + emit)
    output = os.fspath(output)
    cmd = [find_qcc(qcc_binary), model_path, "-o", output, "--emit=" + emit]
    for input_name, shape in (input_shapes or {}).items():
        cmd += ["--input-shape", _shape_arg(input_name, shape)]
    if name is not None:
        cmd += ["--name", name]
    if quant is not None:
        cmd += ["--quant=" + quant]
    with tempfile.TemporaryDirectory(prefix="qcc-") as tmp:
        if calib is not None:
            cmd += _data_arg(calib, "calib", tmp)
        if calib_method is not None:
            cmd += ["--calib-method=" + calib_method]
        if calib_samples is not None:
            cmd += ["--calib-samples=%d" % calib_samples]
        if eval is not None:
            cmd += _data_arg(eval, "eval", tmp)
        if group_size is not None:
            cmd += ["--group-size=%d" % group_size]
        if weight_bits is not None:
            cmd += ["--weight-bits=%d" % weight_bits]
        report_path = os.path.join(tmp, "report.json")
        if report:
            cmd += ["--report=" + report_path]
        cmd += [os.fspath(a) for a in extra_args]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, universal_newlines=True)
        if proc.returncode != 0:
            raise CompileError(cmd, proc.returncode, proc.stderr)
        result = CompiledPath(output)
        if report:
            with open(report_path) as f:
                result.report = json.load(f)
    return result


def compile_and_load(model_path, output=None, **kwargs):
    """``compile`` to a shared library, then ``load`` it.

    Takes the same arguments as ``compile`` except ``emit``.
    """
    if kwargs.pop("emit", "shared") != "shared":
        raise ValueError("compile_and_load needs emit='shared'")
    return load(compile(model_path, output, emit="shared", **kwargs))
