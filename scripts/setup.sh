#!/usr/bin/env bash
# Sets up a fresh Debian machine (Node 20, root): the pinned npm packages, OpenBLAS and a C++ toolchain
# with the native addon built on them (scripts/setup-native.sh), the charts' font, the compiled package in
# dist/ (which the nabla command runs), then typecheck and lint.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
# The charts' font: resvg sets their text in DejaVu Sans (src/viz/chart.ts).
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-dejavu-core; }
bash scripts/setup-native.sh
npm run build
npm run typecheck
npm run lint
