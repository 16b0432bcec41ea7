#!/usr/bin/env bash
# Sets up a fresh Debian machine (Node 20, root): the pinned npm packages, OpenBLAS and a C++ toolchain
# with the native addon built on them (scripts/setup-native.sh), the compiled package in dist/ (which the
# nabla command runs), then typecheck and lint.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
bash scripts/setup-native.sh
# Chromium and a font for the browser test (test/browser/run.ts) and the pages it renders
dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q 'ok installed' || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; }
npm run build
npm run typecheck
npm run lint
