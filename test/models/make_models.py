#!/usr/bin/python3
"""Export the real-world acceptance models (architectures nobody on qcc wrote).

torchvision and torch.nn architectures with random weights (fixed seeds; no
pretrained weights are needed to test a compiler), exported the way such
models are usually published: torch.onnx.export with constant folding on and
dynamic batch (and sequence or image) axes, so each graph keeps the
Shape -> Gather/Slice -> Concat -> Reshape/Resize sub-graphs that qcc must
fold once `--input-shape` fixes the dims.

For each model NAME this writes NAME.onnx and NAME_in.npy, adds an entry
{input, shape, opset, nodes, ops} to models.json, and prints the node count
and op-type histogram.

Usage: /usr/bin/python3 test/models/make_models.py OUTDIR [--only NAME ...]
"""

import argparse
import json
import os
import warnings
from collections import Counter

import numpy as np
import onnx
import torch
import torchvision
from torch import nn


def randomize(model):
    """Makes untrained weights exercise the arithmetic a trained model would."""
    for m in model.modules():
        # torchvision's MobileNet inits its classifier with std 0.01, which
        # leaves logits near 1e-2, where the 1e-5 absolute tolerance would
        # swamp the relative one; torch's default init keeps them near 1.
        if isinstance(m, nn.Linear):
            m.reset_parameters()
        # Fresh BatchNorm layers are the identity (mean 0, var 1, weight 1,
        # bias 0); random statistics make the BatchNormalization arithmetic
        # (and any Conv+BN folding in qcc) observable in the outputs.
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            with torch.no_grad():
                m.running_mean.normal_(0.0, 0.1)
                m.running_var.uniform_(0.5, 1.5)
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0.0, 0.1)
    return model


class OutOnly(nn.Module):
    """torchvision segmentation models return {"out": ...}; export the tensor."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model(x)["out"]


def mlp():
    # nn.Linear on a 2-D input exports as Gemm (transB=1, bias as C).
    return nn.Sequential(nn.Linear(32, 128), nn.ReLU(), nn.Linear(128, 64),
                         nn.GELU(), nn.Linear(64, 10), nn.Softmax(dim=-1))


def transformer_encoder():
    layer = nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128,
                                       dropout=0.0, batch_first=True)
    model = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
    # Non-default LayerNorm parameters so the decomposed affine part counts.
    for m in model.modules():
        if isinstance(m, nn.LayerNorm):
            with torch.no_grad():
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0.0, 0.1)
    return model


IMAGE = {0: "batch"}
# name: (builder, input name, input shape, opset, dynamic axes of the input).
# Opsets vary on purpose (11 to 17) so versioned importers (Resize, Split,
# Squeeze, ReduceMean, Clip, ...) are covered at several versions.
MODELS = {
    "resnet18": (lambda: torchvision.models.resnet18(),
                 "input", (1, 3, 96, 96), 13, IMAGE),
    "mobilenet_v3_small": (lambda: torchvision.models.mobilenet_v3_small(),
                           "input", (1, 3, 96, 96), 17, IMAGE),
    "squeezenet1_1": (lambda: torchvision.models.squeezenet1_1(),
                      "input", (1, 3, 96, 96), 11, IMAGE),
    # Batch 2: channel shuffle reshapes through the batch size read from
    # the input, so a batch folded wrongly to 1 would show.
    "shufflenet_v2_x0_5": (lambda: torchvision.models.shufflenet_v2_x0_5(),
                           "input", (2, 3, 96, 96), 13, IMAGE),
    # Dynamic H and W too: the bilinear Resize back to the input size takes
    # its `sizes` from Shape -> Slice -> Concat of the input.
    "lraspp_mobilenet_v3_large": (
        lambda: OutOnly(torchvision.models.segmentation.lraspp_mobilenet_v3_large(
            weights=None, weights_backbone=None, num_classes=21)),
        "input", (1, 3, 128, 128), 16, {0: "batch", 2: "height", 3: "width"}),
    # Opset 13: LayerNormalization is decomposed (ReduceMean, Sub, Pow, Sqrt,
    # Div); attention reshapes are computed from the dynamic batch and seq.
    "transformer_encoder": (transformer_encoder, "src", (2, 12, 64), 13,
                            {0: "batch", 1: "seq"}),
    "mlp": (mlp, "x", (4, 32), 17, {0: "batch"}),
}


def export(name, out):
    build, input_name, shape, opset, axes = MODELS[name]
    # Seed per model, so one model's export does not depend on which others
    # ran before it (--only gives the same files as a full run).
    torch.manual_seed(0)
    model = randomize(build()).eval()
    x = torch.randn(*shape)
    path = os.path.join(out, name + ".onnx")
    with warnings.catch_warnings():
        # Constant folding in PRESERVE mode warns on every export; expected.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model, (x,), path, opset_version=opset,
            input_names=[input_name], output_names=["output"],
            dynamic_axes={input_name: axes, "output": {0: "batch"}},
            # PRESERVE on an eval-mode model keeps BatchNormalization nodes
            # (EVAL would fold them into Conv in the exporter, hiding qcc's
            # own handling of BatchNormalization).
            training=torch.onnx.TrainingMode.PRESERVE)
    graph = onnx.load(path)
    onnx.checker.check_model(graph, full_check=True)
    np.save(os.path.join(out, name + "_in.npy"), x.numpy())
    ops = Counter(n.op_type for n in graph.graph.node)
    print("%s: opset %d, %d nodes: %s" % (
        name, opset, sum(ops.values()),
        ", ".join("%s x%d" % kv for kv in sorted(ops.items()))))
    return {"input": input_name, "shape": list(shape), "opset": opset,
            "nodes": sum(ops.values()), "ops": dict(sorted(ops.items()))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("out", help="output folder")
    parser.add_argument("--only", nargs="+", choices=sorted(MODELS), metavar="NAME",
                        help="export only these models (default: all)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    manifest_path = os.path.join(args.out, "models.json")
    manifest = {}
    if os.path.exists(manifest_path):  # --only updates entries in place
        with open(manifest_path) as f:
            manifest = json.load(f)
    for name in args.only or MODELS:
        manifest[name] = export(name, args.out)
    with open(manifest_path, "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
