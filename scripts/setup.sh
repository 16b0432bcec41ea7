#!/usr/bin/env bash
# Sets up a fresh Debian machine (Node 20, root): the pinned npm packages, OpenBLAS and a C++ toolchain
# with the native addon built on them (scripts/setup-native.sh), the compiled package in dist/ (which the
# nabla command runs), then typecheck and lint.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
bash scripts/setup-native.sh
npm run build
npm run typecheck
npm run lint
