#!/usr/bin/env bash
# The main job on the bundled example: install what is missing, build qcc,
# export the example CNN from PyTorch, compile it to an object file, a header
# and a shared library, run it and compare with PyTorch's output.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
OUT=build/examples
mkdir -p "$OUT"
/usr/bin/python3 examples/make_cnn.py "$OUT" >/dev/null
set -x
build/bin/qcc "$OUT/cnn.onnx" --input-shape x=1x3x32x32 -o "$OUT/cnn.o"
build/bin/qcc "$OUT/cnn.onnx" --input-shape x=1x3x32x32 --emit=shared -o "$OUT/libcnn.so"
build/bin/qcc-run "$OUT/libcnn.so" --input x="$OUT/cnn_in.npy" \
  --expect "$OUT/cnn_out.npy" --rtol 1e-4 --atol 1e-5 --time 20
