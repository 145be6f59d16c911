#!/usr/bin/env bash
# Installs everything qcc needs to build and test, by Debian package name.
# A no-op when every package is already present.
set -euo pipefail

PACKAGES=(
  cmake ninja-build
  clang-22 lld-22 llvm-22 llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  libonnx-dev libonnx-testdata libprotobuf-dev protobuf-compiler
  libgtest-dev zlib1g-dev qemu-user
  python3-numpy python3-onnx python3-torch python3-torchvision python3-pytest
  nodejs npm
)

missing=()
for p in "${PACKAGES[@]}"; do
  # nodejs may come from another repository that already provides npm.
  if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
  if [ "$p" = nodejs ] && command -v node >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
