#!/usr/bin/env bash
# Makes .venv-peers/, the Python virtual environment with JAX (CPU) that `nabla bench --peers` runs
# bench/peers/jax_bench.py in (NABLA_JAX_PYTHON names another python instead). Packages come from
# the index that pip is set up to use here; JAX is pinned so that its figures can be compared
# across runs. Not part of the tests: only the benchmark's JAX column needs it.
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -m venv .venv-peers
.venv-peers/bin/pip install 'jax[cpu]==0.10.2' numpy threadpoolctl
.venv-peers/bin/python -c 'import jax; print("jax", jax.__version__, jax.devices())'
