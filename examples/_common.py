"""Shared plumbing for the example model generators.

Each ``make_<name>.py`` builds a small torch model, and this module exports
it to ONNX, validates it with ``onnx.checker`` and saves the input and torch's
output as ``.npy`` references. Run with the Debian ``/usr/bin/python3``
(torch 1.13, onnx 1.12, numpy 1.24).
"""

import argparse
import os
import warnings
from collections import Counter

import numpy as np
import onnx
import torch

DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "models")


def out_dir(description):
    """Parse the single optional argument (output folder) and create it."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("out", nargs="?", default=DEFAULT_OUT,
                        help="output folder (default: %(default)s)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    return args.out


def seed(value=0):
    """Make weights and inputs reproducible across runs."""
    torch.manual_seed(value)
    np.random.seed(value)


def export(model, x, out, name, opset, dynamic_axes):
    """Export ``model(x)`` to ``<out>/<name>.onnx`` and save the references.

    Writes ``<name>_in.npy`` (``x``) and ``<name>_out.npy`` (torch's output,
    the reference a compiled model is compared against). Returns the path
    of the ONNX file.
    """
    model.eval()
    with torch.no_grad():
        y = model(x)
    path = os.path.join(out, name + ".onnx")
    # torch 1.13 warns once per pass about its own prim::Constant nodes when
    # constant folding is off; the warning is noise for these models.
    warnings.filterwarnings(
        "ignore", message="The shape inference of prim::Constant")
    torch.onnx.export(
        model, (x,), path, opset_version=opset,
        input_names=["x"], output_names=["y"], dynamic_axes=dynamic_axes,
        # Keep the graph as written: no folding of constants, and PRESERVE
        # rather than EVAL so the exporter's eval peephole does not fold
        # BatchNormalization into the preceding Conv; the compiler has its
        # own fold and the examples should exercise it.
        do_constant_folding=False,
        training=torch.onnx.TrainingMode.PRESERVE)
    onnx_model = onnx.load(path)
    onnx.checker.check_model(onnx_model, full_check=True)
    np.save(os.path.join(out, name + "_in.npy"), x.numpy())
    np.save(os.path.join(out, name + "_out.npy"), y.numpy())
    ops = Counter(n.op_type for n in onnx_model.graph.node)
    print("%s: opset %d, ops: %s" % (
        path, opset, ", ".join("%s x%d" % kv for kv in sorted(ops.items()))))
    return path
