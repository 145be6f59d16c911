#!/usr/bin/python3
"""Integer I/O at the edge, from the header qcc writes next to a model.

  edge.py inputs HEADER X.npy [...] OUT.bin
      quantizes each float32 input as the header says (round half to even,
      saturate) and writes their bytes, in order, to OUT.bin;
  edge.py compare HEADER OUT.bin DIR
      checks that the raw outputs in OUT.bin equal DIR/<name>.npy exactly.
"""
import re
import sys

import numpy as np

LINE = re.compile(r"/\* (input|output) (\d+) '([^']*)': (\w+) \[([0-9x]*)\]"
                  r"(?:, quantized: scale ([^f]+)f, zero point (-?\d+))? \*/")
DTYPES = {"uint8_t": np.uint8, "int8_t": np.int8, "int16_t": np.int16,
          "float": np.float32,
          "int32_t": np.int32, "int64_t": np.int64}


def tensors(header, kind):
    out = []
    for m in LINE.finditer(open(header).read()):
        if m.group(1) != kind:
            continue
        shape = tuple(int(d) for d in m.group(5).split("x")) if m.group(5) else ()
        quant = (np.float32(m.group(6)), int(m.group(7))) if m.group(6) else None
        out.append((m.group(3), DTYPES[m.group(4)], shape, quant))
    return out


def inputs(header, files, out):
    specs = tensors(header, "input")
    if len(specs) != len(files):
        sys.exit("edge.py: %d inputs, %d files" % (len(specs), len(files)))
    with open(out, "wb") as f:
        for (name, dtype, shape, quant), path in zip(specs, files):
            x = np.load(path)
            if quant:
                info = np.iinfo(dtype)
                q = np.rint(x.astype(np.float32) / quant[0]) + quant[1]
                x = np.clip(q, info.min, info.max)
            f.write(np.ascontiguousarray(x.astype(dtype).reshape(shape)).tobytes())


def compare(header, raw, directory):
    data = open(raw, "rb").read()
    offset = 0
    for name, dtype, shape, _ in tensors(header, "output"):
        n = int(np.prod(shape)) * np.dtype(dtype).itemsize
        got = np.frombuffer(data[offset:offset + n], dtype=dtype).reshape(shape)
        offset += n
        want = np.load("%s/%s.npy" % (directory, re.sub(r"[^\w.-]", "_", name)))
        if want.dtype != got.dtype or not np.array_equal(want, got):
            diff = np.count_nonzero(want.astype(np.int64) != got.astype(np.int64))
            sys.exit("edge.py: output %s differs in %d of %d elements"
                     % (name, diff, got.size))
    if offset != len(data):
        sys.exit("edge.py: %d bytes of output, expected %d" % (len(data), offset))
    print("bit-exact: %d bytes" % offset)


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "inputs":
        inputs(sys.argv[2], sys.argv[3:-1], sys.argv[-1])
    elif len(sys.argv) == 5 and sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
