#!/usr/bin/env bash
# Sets up a fresh Debian machine (Node 20, root): OpenBLAS and a C++ toolchain for the native backend,
# the pinned npm packages, the native addon, then typecheck and lint.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! dpkg -s libopenblas-dev g++ make python3 >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq libopenblas-dev g++ make python3 >/dev/null
fi
npm ci --no-audit --no-fund
npx node-gyp rebuild
npm run typecheck
npm run lint
