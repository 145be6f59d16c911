#!/usr/bin/env python3
"""Writes malformed and hostile ONNX models for the importer's error tests.

    make_bad_models.py OUTDIR

Every file is a pure function of this script and OUTDIR (fixed seeds, no
clocks; only ext/absolute.onnx embeds OUTDIR's absolute path), so the tests
that read them are deterministic. Each model is small and breaks one
rule; the comment above its builder says which. Models whose external data
must sit in a particular place get their own sub-folder of OUTDIR.
"""
import os
import random
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

IR_VERSION = 8
OPSET = 13


def model(nodes, inputs, outputs, initializers=(), opset=OPSET, extra_opsets=(),
          name="bad"):
    graph = helper.make_graph(list(nodes), name, list(inputs), list(outputs),
                              initializer=list(initializers))
    opsets = [helper.make_opsetid("", opset)] + [
        helper.make_opsetid(d, v) for d, v in extra_opsets]
    m = helper.make_model(graph, opset_imports=opsets,
                          producer_name="make_bad_models")
    m.ir_version = IR_VERSION
    return m


def f32(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def save(m, path):
    """Serializes without running the checker (most of these are invalid)."""
    with open(path, "wb") as f:
        f.write(m.SerializeToString())


def relu_model():
    return model([helper.make_node("Relu", ["x"], ["y"], name="relu")],
                 [f32("x", [2, 3])], [f32("y", [2, 3])])


def add_w_model(w):
    """y = x + w with w an initializer (external data tests)."""
    return model([helper.make_node("Add", ["x", "w"], ["y"], name="add")],
                 [f32("x", [2, 3])], [f32("y", [2, 3])], [w])


def external(name, dims, location, offset=None, length=None,
             data_type=TensorProto.FLOAT):
    t = TensorProto()
    t.name = name
    t.data_type = data_type
    t.dims.extend(dims)
    t.data_location = TensorProto.EXTERNAL
    entries = [("location", location)]
    if offset is not None:
        entries.append(("offset", str(offset)))
    if length is not None:
        entries.append(("length", str(length)))
    for k, v in entries:
        e = t.external_data.add()
        e.key = k
        e.value = v
    return t


WEIGHTS = np.arange(6, dtype=np.float32).tobytes()  # 24 bytes, [2, 3] f32


def write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)


def main():
    out = os.path.abspath(sys.argv[1])
    os.makedirs(out, exist_ok=True)
    p = lambda *parts: os.path.join(out, *parts)

    # --- Files that are not ONNX models ----------------------------------
    good = relu_model().SerializeToString()
    save(relu_model(), p("good.onnx"))
    # Cut in the middle of the graph.
    write_bytes(p("truncated.onnx"), good[: len(good) // 2])
    # Fixed-seed noise; starts with a byte whose wire type (7) is invalid.
    rng = random.Random(20240229)
    write_bytes(p("random.onnx"),
                b"\xff" + bytes(rng.randrange(256) for _ in range(4095)))
    write_bytes(p("empty.onnx"), b"")
    os.makedirs(p("directory.onnx"), exist_ok=True)

    # --- Graph structure ---------------------------------------------------
    # `a` is consumed by the first node but produced by the second.
    save(model([helper.make_node("Relu", ["b"], ["a"], name="first"),
                helper.make_node("Relu", ["a"], ["b"], name="second")],
               [f32("x", [2])], [f32("b", [2])]), p("cycle.onnx"))
    # Consumed before it is produced (no cycle, just out of order).
    save(model([helper.make_node("Relu", ["t"], ["y"], name="late_use"),
                helper.make_node("Relu", ["x"], ["t"], name="producer")],
               [f32("x", [2])], [f32("y", [2])]), p("out_of_order.onnx"))
    save(model([helper.make_node("Add", ["x", "nowhere"], ["y"], name="add")],
               [f32("x", [2])], [f32("y", [2])]), p("dangling.onnx"))
    save(model([helper.make_node("Relu", ["x"], ["y"], name="one"),
                helper.make_node("Neg", ["x"], ["y"], name="two")],
               [f32("x", [2])], [f32("y", [2])]), p("duplicate_output.onnx"))
    save(model([helper.make_node("FrobnicateTensor", ["x"], ["y"],
                                 name="frob")],
               [f32("x", [2])], [f32("y", [2])]), p("unknown_op.onnx"))
    # A real ONNX operator that qcc does not implement.
    save(model([helper.make_node("LRN", ["x"], ["y"], name="lrn", size=3)],
               [f32("x", [1, 3, 4, 4])], [f32("y", [1, 3, 4, 4])]),
         p("unsupported_op.onnx"))
    save(model([helper.make_node("FusedGemm", ["x", "x"], ["y"],
                                 name="fused", domain="com.microsoft")],
               [f32("x", [2, 2])], [f32("y", [2, 2])],
               extra_opsets=[("com.microsoft", 1)]),
         p("microsoft_domain.onnx"))
    save(model([helper.make_node("Relu", ["x"], ["y"], name="relu")],
               [f32("x", [2])], []), p("no_outputs.onnx"))
    save(model([helper.make_node("Relu", ["x"], ["y"], name="relu")],
               [f32("x", [2])], [f32("never", [2])]), p("unproduced_output.onnx"))
    save(model([helper.make_node("Relu", ["x"], ["y"], name="relu")],
               [f32("x", [2])], [f32("y", [2])], opset=22),
         p("opset22.onnx"))
    save(model([helper.make_node("Add", ["x", "i"], ["y"], name="mixed_add")],
               [f32("x", [2, 3]),
                helper.make_tensor_value_info("i", TensorProto.INT64, [2, 3])],
               [f32("y", [2, 3])]), p("add_float_int64.onnx"))

    # --- Types and shapes of graph inputs ------------------------------------
    save(model([helper.make_node("Relu", ["x"], ["y"], name="relu")],
               [f32("x", ["batch", 3])], [f32("y", ["batch", 3])]),
         p("dynamic_dim.onnx"))
    save(model([helper.make_node("Identity", ["s"], ["y"], name="id")],
               [helper.make_tensor_value_info("s", TensorProto.STRING, [2])],
               [helper.make_tensor_value_info("y", TensorProto.STRING, [2])]),
         p("string_input.onnx"))
    words = helper.make_tensor("words", TensorProto.STRING, [2], [b"ab", b"c"])
    save(model([helper.make_node("Identity", ["words"], ["y"], name="id")],
               [], [helper.make_tensor_value_info("y", TensorProto.STRING, [2])],
               [words]), p("string_initializer.onnx"))
    seq = helper.make_tensor_sequence_value_info("seq", TensorProto.FLOAT, [2])
    save(model([helper.make_node("SequenceLength", ["seq"], ["n"], name="len")],
               [seq],
               [helper.make_tensor_value_info("n", TensorProto.INT64, [])]),
         p("sequence_input.onnx"))

    # --- Initializers --------------------------------------------------------
    # helper.make_tensor refuses these, so the fields are set by hand.
    w = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[2, 3],
                    raw_data=WEIGHTS[:20])
    save(add_w_model(w), p("raw_data_mismatch.onnx"))
    w = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[2, 3],
                    float_data=[1.0, 2.0, 3.0])
    save(add_w_model(w), p("float_data_mismatch.onnx"))
    # 2^40 x 2^40 floats (4 * 2^80 bytes) backed by 4 bytes.
    huge = helper.make_tensor("w", TensorProto.FLOAT, [1, 1], [0.0])
    del huge.dims[:]
    huge.dims.extend([1 << 40, 1 << 40])
    save(model([helper.make_node("Identity", ["w"], ["y"], name="id")], [],
               [f32("y", [1 << 40, 1 << 40])], [huge]), p("absurd_dims.onnx"))
    # 2^20 x 2^20 floats: 4 TiB, just under the element limit. Not used by a
    # test yet: qcc allocates the 4 TiB before comparing with the 4 data bytes
    # and aborts (LLVM ERROR: out of memory).
    big = helper.make_tensor("w", TensorProto.FLOAT, [1, 1], [0.0])
    del big.dims[:]
    big.dims.extend([1 << 20, 1 << 20])
    save(model([helper.make_node("Identity", ["w"], ["y"], name="id")], [],
               [f32("y", [1 << 20, 1 << 20])], [big]), p("huge_dims.onnx"))
    neg = helper.make_tensor("w", TensorProto.FLOAT, [1, 1], [0.0])
    del neg.dims[:]
    neg.dims.extend([-1, 3])
    save(model([helper.make_node("Identity", ["w"], ["y"], name="id")], [],
               [f32("y", [2, 3])], [neg]), p("negative_dims.onnx"))

    # --- External data -------------------------------------------------------
    # ext/ holds the models; their weights are next to them unless the test
    # is about leaving the folder.
    os.makedirs(p("ext"), exist_ok=True)
    write_bytes(p("outside.bin"), WEIGHTS)
    write_bytes(p("ext", "weights.bin"), WEIGHTS)
    save(add_w_model(external("w", [2, 3], "weights.bin")), p("ext", "ok.onnx"))
    save(add_w_model(external("w", [2, 3], "weights.bin", offset=8,
                              length=16, data_type=TensorProto.FLOAT)),
         p("ext", "offset_ok_wrong_dims.onnx"))
    save(add_w_model(external("w", [2, 3], p("outside.bin"))),
         p("ext", "absolute.onnx"))
    save(add_w_model(external("w", [2, 3], "../outside.bin")),
         p("ext", "dotdot.onnx"))
    save(add_w_model(external("w", [2, 3], "sub/../../outside.bin")),
         p("ext", "dotdot_inner.onnx"))
    link = p("ext", "link.bin")
    if os.path.lexists(link):
        os.remove(link)
    os.symlink(os.path.join("..", "outside.bin"), link)
    save(add_w_model(external("w", [2, 3], "link.bin")),
         p("ext", "symlink.onnx"))
    os.makedirs(p("ext", "linkdir_target"), exist_ok=True)
    write_bytes(p("ext", "linkdir_target", "w.bin"), WEIGHTS)
    linkdir = p("ext", "linkdir")
    if os.path.lexists(linkdir):
        os.remove(linkdir)
    os.symlink("linkdir_target", linkdir)
    save(add_w_model(external("w", [2, 3], "linkdir/w.bin")),
         p("ext", "symlink_dir.onnx"))
    write_bytes(p("hardlink_source.bin"), WEIGHTS)
    hard = p("ext", "hard.bin")
    if os.path.lexists(hard):
        os.remove(hard)
    os.link(p("hardlink_source.bin"), hard)
    save(add_w_model(external("w", [2, 3], "hard.bin")),
         p("ext", "hardlink.onnx"))
    # A FIFO: opening it for reading would wait for a writer forever.
    fifo = p("ext", "pipe.bin")
    if os.path.lexists(fifo):
        os.remove(fifo)
    os.mkfifo(fifo)
    save(add_w_model(external("w", [2, 3], "pipe.bin")), p("ext", "fifo.onnx"))
    save(add_w_model(external("w", [2, 3], "weights.bin", offset=16,
                              length=24)), p("ext", "past_end.onnx"))
    save(add_w_model(external("w", [2, 3], "weights.bin", offset=100)),
         p("ext", "offset_past_end.onnx"))
    save(add_w_model(external("w", [2, 3], "weights.bin", offset=0,
                              length=20)), p("ext", "length_mismatch.onnx"))
    save(add_w_model(external("w", [2, 3], "missing.bin")),
         p("ext", "missing_file.onnx"))
    save(add_w_model(external("w", [2, 3], "")), p("ext", "no_location.onnx"))
    save(add_w_model(external("w", [2, 3], "weights.bin", offset="abc")),
         p("ext", "bad_offset.onnx"))
    save(add_w_model(external("w", [2, 3], "weights.bin", length=-4)),
         p("ext", "negative_length.onnx"))
    save(add_w_model(external("w", [1 << 40, 1 << 40], "weights.bin")),
         p("ext", "absurd_dims.onnx"))
    os.makedirs(p("ext", "a_directory.bin"), exist_ok=True)
    save(add_w_model(external("w", [2, 3], "a_directory.bin")),
         p("ext", "directory.onnx"))

    # --- Data for --bind-input ------------------------------------------------
    np.save(p("f64_2x3.npy"), np.zeros((2, 3), dtype=np.float64))
    np.save(p("f32_3x2.npy"), np.zeros((3, 2), dtype=np.float32))
    np.save(p("f32_2x3.npy"), np.ones((2, 3), dtype=np.float32))
    write_bytes(p("garbage.npy"), b"\x93NUMPY garbage")


if __name__ == "__main__":
    main()
