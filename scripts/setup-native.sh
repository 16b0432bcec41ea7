#!/usr/bin/env bash
# Installs what the native addon links against, when missing, and builds it into
# build/Release: nabla_native.node for any x86-64, and nabla_native_avx2.node and
# nabla_native_avx512.node, which the loader picks when the CPU has them (binding.gyp). Debian/Ubuntu;
# run as root or with sudo available.
#   libopenblas-openmp-dev  OpenBLAS built on OpenMP, so BLAS and our kernels share one thread
#                           pool (binding.gyp links this build; the pthread one fights it for cores)
#   libopenblas-dev         the generic OpenBLAS package, satisfied by the OpenMP build above
# libgomp and libmvec (vectorised exp/log/tanh) come with the compiler and libc6-dev.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libopenblas-openmp-dev libopenblas-dev g++ make python3)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done

if ((${#missing[@]} > 0)); then
  echo "setup-native: installing ${missing[*]}"
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

npx node-gyp rebuild
