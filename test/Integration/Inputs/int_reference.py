#!/usr/bin/python3
"""A small integer reference evaluator for --integer-only models.

usage: int_reference.py MODEL.mlir INPUTS.bin OUTPUTS.bin

MODEL.mlir is `qcc --integer-only --compile-to=quantize --emit=mlir`: the
graph after the integer-only rewrites, every value an integer tensor. The
evaluator runs it with NumPy on the raw input bytes (the model's inputs in
order, as a -nostdlib program reads them) and writes the raw output bytes.
It pins the semantics the compiled code must match bit for bit, written
independently of the compiler's lowering (docs/IntegerOnly.md):

  * qcc.requantize: (x * m + 2^(s-1)) >> s, the product exact in 64 bits,
    the shift arithmetic (round half up), + zero point, saturated;
  * int32 arithmetic never overflows (checked here: the rewrites bound it);
  * ConvInteger / MatMulInteger subtract zero points, accumulate in int32,
    pad the shifted input with zeros;
  * qcc.lookup indexes a 256-entry table by the byte (int8: byte + 128);
  * MaxPool ignores padding; ReduceSum and ReduceMax are exact;
  * integer Div truncates toward zero (C, ONNX), by a non-zero divisor;
  * qcc.layer_norm_integer: exact row sums, Python's math.isqrt, then the
    op's fixed-point steps (docs/IntegerOnly.md), checked for overflow;
  * Gather reads rows of a constant (an 8-bit embedding table); Slice,
    Concat, Transpose and reshapes only move values.

An op it does not know is an error: extend it with the op's semantics.
"""
import math
import re
import sys

import numpy as np

DTYPES = {"ui8": np.uint8, "i8": np.int8, "i16": np.int16, "ui16": np.uint16,
          "i32": np.int32, "ui32": np.uint32, "i64": np.int64, "i1": np.bool_}


def parse_type(text):
    m = re.fullmatch(r"tensor<((?:\d+x)*)(\w+)>", text.strip())
    if not m or m.group(2) not in DTYPES:
        raise ValueError("unsupported type %s" % text)
    shape = tuple(int(d) for d in m.group(1).split("x") if d)
    return shape, DTYPES[m.group(2)]


def parse_dense(text, shape, dtype):
    body = text.strip()
    if body.startswith('"0x'):
        raw = bytes.fromhex(body[3:-1])
        return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    body = body.replace("true", "1").replace("false", "0")
    values = np.array(eval(body), dtype=np.int64)  # nested lists of ints
    return np.broadcast_to(values.astype(dtype), shape).copy()


def parse_attrs(text):
    attrs = {}
    if not text:
        return attrs
    for key, value in re.findall(r"(\w+) = (array<i64(?::[^>]*)?>|[^,}]+)",
                                 text):
        if value.startswith("array<i64"):
            inner = value[len("array<i64"):-1].lstrip(":")
            attrs[key] = [int(v) for v in inner.split(",") if v.strip()]
        else:
            value = value.strip()
            m = re.match(r"(-?\d+)", value)
            attrs[key] = (int(m.group(1)) if m else
                          {"true": 1, "false": 0}.get(value, value))
    return attrs


def to_int32(x):
    x = np.asarray(x, dtype=np.int64)
    if x.size and (x.min() < -2**31 or x.max() >= 2**31):
        raise OverflowError("int32 overflow (range %d..%d)" % (x.min(), x.max()))
    return x.astype(np.int32)


def saturate(x, dtype):
    info = np.iinfo(dtype)
    return np.clip(x, info.min, info.max).astype(dtype)


def conv_integer(x, w, x_zp, w_zp, attrs):
    x = x.astype(np.int64) - x_zp
    w = w.astype(np.int64) - w_zp
    n, c, *spatial = x.shape
    oc, icg, *kernel = w.shape
    rank = len(spatial)
    strides = attrs.get("strides", [1] * rank)
    dil = attrs.get("dilations", [1] * rank)
    pads = attrs.get("pads", [0] * 2 * rank)
    group = attrs.get("group", 1)
    x = np.pad(x, [(0, 0), (0, 0)] + [(pads[i], pads[i + rank])
                                      for i in range(rank)])
    out_sp = [(x.shape[2 + i] - dil[i] * (kernel[i] - 1) - 1) // strides[i] + 1
              for i in range(rank)]
    y = np.zeros((n, oc, *out_sp), dtype=np.int64)
    ocg = oc // group
    for g in range(group):
        xs = x[:, g * icg:(g + 1) * icg]
        ws = w[g * ocg:(g + 1) * ocg]
        for k in np.ndindex(*kernel):
            sl = tuple(slice(k[i] * dil[i], k[i] * dil[i] +
                             strides[i] * (out_sp[i] - 1) + 1, strides[i])
                       for i in range(rank))
            patch = xs[(slice(None), slice(None)) + sl]
            y[:, g * ocg:(g + 1) * ocg] += np.einsum(
                "nc...,oc->no...", patch, ws[(slice(None), slice(None)) + k])
    return to_int32(y)


def max_pool(x, attrs):
    n, c, *spatial = x.shape
    rank = len(spatial)
    kernel = attrs["kernel_shape"]
    strides = attrs.get("strides", [1] * rank)
    dil = attrs.get("dilations", [1] * rank)
    pads = attrs.get("pads", [0] * 2 * rank)
    if attrs.get("ceil_mode", 0):
        raise ValueError("max_pool ceil_mode is not pinned here")
    low = np.iinfo(x.dtype).min
    xp = np.pad(x, [(0, 0), (0, 0)] + [(pads[i], pads[i + rank])
                                       for i in range(rank)],
                constant_values=low)
    out_sp = [(xp.shape[2 + i] - dil[i] * (kernel[i] - 1) - 1) // strides[i] + 1
              for i in range(rank)]
    y = np.full((n, c, *out_sp), low, dtype=x.dtype)
    for k in np.ndindex(*kernel):
        sl = tuple(slice(k[i] * dil[i], k[i] * dil[i] +
                         strides[i] * (out_sp[i] - 1) + 1, strides[i])
                   for i in range(rank))
        y = np.maximum(y, xp[(slice(None), slice(None)) + sl])
    return y


def requantize(x, m, s, zp, dtype):
    x = x.astype(np.int64)
    m = m.astype(np.int64)
    s = s.astype(np.int64)
    if np.any(s < 1) or np.any(s > 62):
        raise ValueError("requantize shift out of range")
    acc = (x * m + (np.int64(1) << (s - 1))) >> s
    return saturate(acc + np.int64(zp), dtype)


def layer_norm_integer(x, gain, bias, zp, attrs, dtype):
    """qcc.layer_norm_integer, step by step as the op's definition says."""
    axis = attrs["axis"]
    rows = int(np.prod(x.shape[:axis]))
    n = int(np.prod(x.shape[axis:]))
    pre, p = attrs["pre_shift"], attrs["gain_shift"]
    xs = x.astype(np.int64).reshape(rows, n)
    gain = gain.astype(np.int64).reshape(n)
    bias = bias.astype(np.int64).reshape(n)
    out = np.empty((rows, n), dtype=np.int64)
    for i in range(rows):
        d = n * xs[i] - int(xs[i].sum())
        v = (int((d * d).sum()) + attrs["offset"]) << (2 * pre)
        if v >= 1 << 63:
            raise OverflowError("layer_norm_integer: variance sum overflows")
        r = math.isqrt(v)
        h = max(r.bit_length() - 16, 0)
        inv = (1 << 31) // (r >> h)
        t = 16 + h - pre
        vi = (d * inv + (1 << (t - 1))) >> t
        out[i] = ((vi * gain + bias + (1 << (p + 14))) >> (p + 15)) + int(zp)
    return saturate(out.reshape(x.shape), dtype)


OP = re.compile(r"^\s*(%[\w]+) = qcc\.(\w+) (.*)$")


def evaluate(lines, inputs):
    env = {}
    args = None
    results = None
    for line in lines:
        if "func.func @main(" in line:
            sig = line[line.index("(") + 1:]
            args = re.findall(r"(%arg\d+): (tensor<[^>]*>)", sig)
            for (name, ty), data in zip(args, inputs):
                env[name] = data
            continue
        m = re.match(r"^\s*return (.*?) :", line)
        if m:
            results = [env[v.strip()] for v in m.group(1).split(",")]
            continue
        m = OP.match(line)
        if not m:
            continue
        result, op, rest = m.groups()
        attr_text = ""
        am = re.search(r"\{(.*)\}\s*:", rest)
        if am:
            attr_text = am.group(1)
        attrs = parse_attrs(attr_text)
        # The result type is the last tensor type on the line.
        res_shape, res_dtype = parse_type(
            re.findall(r"tensor<[^>]*>", rest)[-1])
        if op == "constant":
            dense = re.match(r"dense<(.*)> : tensor<", rest).group(1)
            env[result] = parse_dense(dense, res_shape, res_dtype)
            continue
        head = rest.split("{")[0].split(" : ")[0]
        operands = re.findall(r"(?:(\w+) )?(%\w+)", head)
        vals = [env[v] for _, v in operands]
        named = {k: env[v] for k, v in operands if k}
        plain = [env[v] for k, v in operands if not k]
        if op in ("add", "sub", "mul"):
            a, b = (v.astype(np.int64) for v in vals)
            r = a + b if op == "add" else a - b if op == "sub" else a * b
            if res_dtype == np.int32:
                r = to_int32(r)
            elif res_dtype != np.int64:
                raise ValueError("%s on %s is not pinned" % (op, res_dtype))
            env[result] = r.astype(res_dtype)
        elif op == "div":
            a, b = (v.astype(np.int64) for v in vals)
            if np.any(b == 0):
                raise ValueError("integer division by zero")
            q = np.abs(a) // np.abs(b) * np.sign(a) * np.sign(b)
            env[result] = to_int32(q) if res_dtype == np.int32 else q
        elif op in ("max", "min"):
            f = np.maximum if op == "max" else np.minimum
            env[result] = f(vals[0], vals[1]).astype(res_dtype)
        elif op == "cast":
            x = vals[0].astype(np.int64)
            info = np.iinfo(res_dtype)
            if x.size and (x.min() < info.min or x.max() > info.max):
                raise OverflowError("cast out of range")
            env[result] = x.astype(res_dtype)
        elif op == "requantize":
            x, mult, shift, zp = vals
            env[result] = requantize(x, mult, shift, zp, res_dtype)
        elif op == "lookup":
            x, table = vals
            index = x.astype(np.int64) + (128 if x.dtype == np.int8 else 0)
            env[result] = table[index].astype(res_dtype)
        elif op == "conv_integer":
            x, w = plain
            x_zp = named.get("x_zp", np.int64(0)).astype(np.int64)
            w_zp = named.get("w_zp", np.int64(0)).astype(np.int64)
            if np.ndim(w_zp) == 1:
                w_zp = w_zp.reshape((-1,) + (1,) * (w.ndim - 1))
            env[result] = conv_integer(x, w, x_zp, w_zp, attrs)
        elif op == "matmul_integer":
            a, b = plain
            a_zp = named.get("a_zp", np.int64(0)).astype(np.int64)
            b_zp = named.get("b_zp", np.int64(0)).astype(np.int64)
            env[result] = to_int32(np.matmul(a.astype(np.int64) - a_zp,
                                             b.astype(np.int64) - b_zp))
        elif op == "layer_norm_integer":
            x, gain, bias, zp = vals
            env[result] = layer_norm_integer(x, gain, bias, zp, attrs,
                                             res_dtype)
        elif op == "gather":
            data, index = vals
            axis = attrs["axis"]
            index = np.where(index < 0, index + data.shape[axis], index)
            env[result] = np.take(data, index, axis=axis)
        elif op == "slice":
            index = tuple(slice(b, b + st * n, st) if st > 0 else
                          slice(b, (b + st * n) if b + st * n >= 0 else None, st)
                          for b, st, n in zip(attrs["starts"], attrs["steps"],
                                              res_shape))
            env[result] = vals[0][index]
        elif op == "max_pool":
            env[result] = max_pool(vals[0], attrs)
        elif op == "reduce_sum":
            axes = tuple(attrs["axes"])
            r = vals[0].astype(np.int64).sum(axis=axes,
                                             keepdims=bool(attrs["keepdims"]))
            env[result] = to_int32(r) if res_dtype == np.int32 else r
        elif op == "reduce_max":
            env[result] = vals[0].max(axis=tuple(attrs["axes"]),
                                      keepdims=bool(attrs["keepdims"]))
        elif op in ("reshape", "flatten", "squeeze", "unsqueeze"):
            env[result] = vals[0].reshape(res_shape)
        elif op == "transpose":
            env[result] = np.transpose(vals[0], attrs["perm"])
        elif op == "concat":
            env[result] = np.concatenate(vals, axis=attrs["axis"])
        else:
            raise ValueError("op qcc.%s is not in the reference evaluator"
                             % op)
        if env[result].shape != res_shape:
            raise ValueError("qcc.%s: shape %s, the IR says %s"
                             % (op, env[result].shape, res_shape))
    if args is None or results is None:
        raise ValueError("no @main function")
    return args, results


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    lines = open(sys.argv[1]).read().splitlines()
    sig = next(l for l in lines if "func.func @main(" in l)
    types = re.findall(r"%arg\d+: (tensor<[^>]*>)", sig)
    raw = open(sys.argv[2], "rb").read()
    inputs, offset = [], 0
    for ty in types:
        shape, dtype = parse_type(ty)
        n = int(np.prod(shape)) * np.dtype(dtype).itemsize
        inputs.append(np.frombuffer(raw[offset:offset + n],
                                    dtype=dtype).reshape(shape))
        offset += n
    if offset != len(raw):
        sys.exit("int_reference: %d input bytes, the model takes %d"
                 % (len(raw), offset))
    try:
        _, results = evaluate(lines, inputs)
    except (ValueError, OverflowError, KeyError) as e:
        sys.exit("int_reference: %s" % e)
    with open(sys.argv[3], "wb") as f:
        for r in results:
            f.write(np.ascontiguousarray(r).tobytes())


if __name__ == "__main__":
    main()
