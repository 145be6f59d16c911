#!/usr/bin/env bash
# Regenerates docs/reference (the qcc dialect and every pass, from their ODS
# descriptions) from a build: run after changing QccOps.td or a Passes.td.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
ninja -C "$BUILD_DIR" mlir-doc
mkdir -p docs/reference
for f in Dialects/QccOps.md QccPasses.md QccConversionPasses.md \
         QccCodegenCommonPasses.md QccCodegenCPUPasses.md QccCodegenGPUPasses.md; do
  cp "$BUILD_DIR/docs/$f" "docs/reference/$(basename "$f")"
done
echo "docs/reference updated"
