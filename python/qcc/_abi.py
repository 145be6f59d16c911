"""ctypes view of the compiled-model C ABI (see docs / DESIGN.md).

A shared library built with ``qcc --emit=shared`` exports, besides the
prefixed ``P_info``/``P_run``, the unprefixed aliases ``qcc_model_get_info``
and ``qcc_model_run``; this module binds only those, so it needs no prefix.
"""

import ctypes
import os
from collections import OrderedDict

import numpy as np

#: The oldest ABI version readable here: later versions only add symbols
#: (never change these structs). Version 2 adds qcc_model_get_quant_info.
ABI_VERSION = 1

# ONNX TensorProto.DataType codes -> numpy dtypes.
_DTYPES = {
    1: np.float32,
    2: np.uint8,
    3: np.int8,
    4: np.uint16,
    5: np.int16,
    6: np.int32,
    7: np.int64,
    9: np.bool_,
    10: np.float16,
    11: np.float64,
    12: np.uint32,
    13: np.uint64,
}

# Workspace alignment the ABI promises to the generated code.
_WORKSPACE_ALIGN = 64


class _TensorInfo(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("dtype", ctypes.c_int32),
        ("rank", ctypes.c_int32),
        ("shape", ctypes.POINTER(ctypes.c_int64)),
    ]


class _ModelInfo(ctypes.Structure):
    _fields_ = [
        ("abi_version", ctypes.c_uint32),
        ("name", ctypes.c_char_p),
        ("num_inputs", ctypes.c_int32),
        ("inputs", ctypes.POINTER(_TensorInfo)),
        ("num_outputs", ctypes.c_int32),
        ("outputs", ctypes.POINTER(_TensorInfo)),
        ("workspace_bytes", ctypes.c_uint64),
        ("target", ctypes.c_char_p),
    ]


class _TensorQuant(ctypes.Structure):
    _fields_ = [
        ("quantized", ctypes.c_int32),
        ("scale", ctypes.c_float),
        ("zero_point", ctypes.c_int32),
    ]


class _QuantInfo(ctypes.Structure):
    _fields_ = [
        ("num_inputs", ctypes.c_int32),
        ("inputs", ctypes.POINTER(_TensorQuant)),
        ("num_outputs", ctypes.c_int32),
        ("outputs", ctypes.POINTER(_TensorQuant)),
    ]


class TensorInfo:
    """Name, numpy dtype and static shape of one model input or output.

    ``scale`` and ``zero_point`` are set (else None) for the 8-bit inputs
    and outputs of a model built with --integer-only: real values are
    ``(q - zero_point) * scale``.
    """

    __slots__ = ("name", "dtype", "shape", "scale", "zero_point")

    def __init__(self, name, dtype, shape, scale=None, zero_point=None):
        self.name = name
        self.dtype = np.dtype(dtype)
        self.shape = tuple(shape)
        self.scale = scale
        self.zero_point = zero_point

    def __repr__(self):
        quant = ("" if self.scale is None else ", scale=%r, zero_point=%d"
                 % (self.scale, self.zero_point))
        return "TensorInfo(name=%r, dtype=%s, shape=%r%s)" % (
            self.name, self.dtype, self.shape, quant)

    def quantize(self, x):
        """``x`` (real values) as this 8-bit tensor holds them: round half
        to even, add the zero point, saturate."""
        info = np.iinfo(self.dtype)
        q = np.rint(np.asarray(x, np.float32) / np.float32(self.scale))
        return np.clip(q + self.zero_point, info.min, info.max).astype(
            self.dtype)

    def dequantize(self, q):
        """The real values of this 8-bit tensor's ``q``."""
        return ((np.asarray(q).astype(np.int32) - self.zero_point)
                .astype(np.float32) * np.float32(self.scale))


def _decode(raw):
    return raw.decode("utf-8") if raw is not None else ""


def _tensor_infos(array, count, what):
    infos = []
    for i in range(count):
        t = array[i]
        if t.dtype not in _DTYPES:
            raise ValueError("%s %d (%r) has unsupported dtype code %d"
                             % (what, i, _decode(t.name), t.dtype))
        # A rank-0 tensor may come with a NULL shape pointer.
        shape = [t.shape[d] for d in range(t.rank)] if t.rank else []
        infos.append(TensorInfo(_decode(t.name), _DTYPES[t.dtype], shape))
    return infos


def _aligned_workspace(nbytes):
    """A zeroed numpy byte buffer of ``nbytes`` whose data is 64-byte aligned.

    numpy only guarantees 16-byte alignment, so over-allocate and slice.
    """
    raw = np.zeros(nbytes + _WORKSPACE_ALIGN, dtype=np.uint8)
    offset = (-raw.ctypes.data) % _WORKSPACE_ALIGN
    return raw[offset:offset + nbytes]


class Model:
    """A compiled model loaded from a qcc shared library.

    Call it with numpy arrays (by position in graph order, or by input name);
    it returns an ordered dict mapping output names to new arrays.
    """

    def __init__(self, path, _library=None, threads=1):
        # ``_library`` lets tests pass an object with the two entry points
        # as ctypes callbacks instead of a real shared library.
        self.path = os.fspath(path)
        # Keep the library handle on the instance: unloading it would leave
        # the info pointers below dangling.
        self._lib = (_library if _library is not None
                     else ctypes.CDLL(os.path.abspath(self.path)))
        try:
            get_info = self._lib.qcc_model_get_info
            run = self._lib.qcc_model_run
        except AttributeError as e:
            raise OSError("%s is not a qcc shared library (%s)"
                          % (self.path, e)) from None
        get_info.restype = ctypes.POINTER(_ModelInfo)
        get_info.argtypes = []
        run.restype = ctypes.c_int
        run.argtypes = [ctypes.POINTER(ctypes.c_void_p),
                        ctypes.POINTER(ctypes.c_void_p), ctypes.c_void_p]
        self._run = run

        info_ptr = get_info()
        if not info_ptr:
            raise OSError("%s: qcc_model_get_info returned NULL" % self.path)
        info = info_ptr.contents
        if info.abi_version < ABI_VERSION:
            raise OSError("%s: unsupported qcc ABI version %d"
                          % (self.path, info.abi_version))
        self.abi_version = info.abi_version
        self.name = _decode(info.name)
        self.target = _decode(info.target)
        self.workspace_bytes = int(info.workspace_bytes)
        self._quant = None
        # Threads (ABI version 4): the model's own pool, kept for its life.
        self.threads = int(threads)
        self._pool = None
        if self.threads < 1:
            raise ValueError("threads must be at least 1")
        if self.threads > 1:
            try:
                create = self._lib.qcc_model_parallel_create
                self._destroy = self._lib.qcc_model_parallel_destroy
                run_parallel = self._lib.qcc_model_run_parallel
            except AttributeError:
                raise OSError("%s: threads=%d needs a model with threaded "
                              "entry points (ABI version 4: a CPU model not "
                              "built with --integer-only)"
                              % (self.path, self.threads)) from None
            create.restype = ctypes.c_void_p
            create.argtypes = [ctypes.c_int32]
            self._destroy.restype = None
            self._destroy.argtypes = [ctypes.c_void_p]
            run_parallel.restype = ctypes.c_int
            run_parallel.argtypes = [ctypes.POINTER(ctypes.c_void_p),
                                     ctypes.POINTER(ctypes.c_void_p),
                                     ctypes.c_void_p, ctypes.c_void_p]
            self._pool = create(self.threads)
            if not self._pool:
                raise OSError("%s: the model has no thread pool of its own"
                              % self.path)
            pool = self._pool
            self._run = lambda i, o, w: run_parallel(i, o, w, pool)
        if info.abi_version >= 2:
            get_quant = getattr(self._lib, "qcc_model_get_quant_info", None)
            if get_quant is None:
                raise OSError("%s: ABI version %d without "
                              "qcc_model_get_quant_info"
                              % (self.path, info.abi_version))
            get_quant.restype = ctypes.POINTER(_QuantInfo)
            get_quant.argtypes = []
            quant = get_quant()
            if not quant:
                raise OSError("%s: qcc_model_get_quant_info returned NULL"
                              % self.path)
            self._quant = quant.contents
        self.inputs = _tensor_infos(info.inputs, info.num_inputs, "input")
        self.outputs = _tensor_infos(info.outputs, info.num_outputs, "output")
        if self._quant is not None:
            for infos, count, quants in (
                    (self.inputs, self._quant.num_inputs, self._quant.inputs),
                    (self.outputs, self._quant.num_outputs,
                     self._quant.outputs)):
                if count != len(infos):
                    raise OSError("%s: quantization info does not match the "
                                  "model's tensors" % self.path)
                for i, t in enumerate(infos):
                    if quants[i].quantized:
                        t.scale = float(quants[i].scale)
                        t.zero_point = int(quants[i].zero_point)

    def __repr__(self):
        return "<qcc.Model %r target=%r inputs=%r outputs=%r>" % (
            self.name, self.target, self.inputs, self.outputs)

    def _bind(self, args, kwargs):
        """Map positional and keyword arguments onto the inputs, in order."""
        if len(args) > len(self.inputs):
            raise TypeError("%s takes %d inputs, got %d positional"
                            % (self.name, len(self.inputs), len(args)))
        bound = dict(zip((t.name for t in self.inputs), args))
        for key, value in kwargs.items():
            if not any(t.name == key for t in self.inputs):
                raise TypeError("%s has no input named %r" % (self.name, key))
            if key in bound:
                raise TypeError("input %r given twice" % key)
            bound[key] = value
        missing = [t.name for t in self.inputs if t.name not in bound]
        if missing:
            raise TypeError("missing inputs: %s" % ", ".join(missing))
        return [bound[t.name] for t in self.inputs]

    def __del__(self):
        pool = getattr(self, "_pool", None)
        if pool:
            self._destroy(pool)
            self._pool = None

    def __call__(self, *args, **kwargs):
        """Run the model; see the class docstring."""
        arrays = []
        for t, value in zip(self.inputs, self._bind(args, kwargs)):
            a = np.asarray(value)
            # No implicit casts: a silent f64->f32 or i64->i32 conversion
            # would hide caller bugs and change numerics.
            if a.dtype != t.dtype:
                raise ValueError("input %r: expected dtype %s, got %s"
                                 % (t.name, t.dtype, a.dtype))
            if a.shape != t.shape:
                raise ValueError("input %r: expected shape %s, got %s"
                                 % (t.name, t.shape, a.shape))
            # The generated code reads dense row-major buffers.
            arrays.append(np.ascontiguousarray(a))
        results = OrderedDict(
            (t.name, np.empty(t.shape, dtype=t.dtype)) for t in self.outputs)

        in_ptrs = (ctypes.c_void_p * len(arrays))(
            *[a.ctypes.data for a in arrays])
        out_ptrs = (ctypes.c_void_p * len(results))(
            *[a.ctypes.data for a in results.values()])
        workspace = None
        if self.workspace_bytes:
            workspace = _aligned_workspace(self.workspace_bytes)
        status = self._run(in_ptrs, out_ptrs,
                           workspace.ctypes.data if workspace is not None
                           else None)
        if status != 0:
            why = ""
            # CUDA models (ABI version 3) say why a run failed.
            last_error = getattr(self._lib, "qcc_model_last_error", None)
            if last_error is not None:
                last_error.restype = ctypes.c_char_p
                last_error.argtypes = []
                message = last_error()
                if message:
                    why = ": " + message.decode("utf-8", "replace")
            raise RuntimeError("%s: qcc_model_run failed with status %d%s"
                               % (self.name, status, why))
        return results


def load(path, threads=1):
    """Load a shared library produced by ``qcc --emit=shared``; with
    ``threads`` > 1 it runs on that many threads (its own pool). Outputs
    are the same for every thread count."""
    return Model(path, threads=threads)
