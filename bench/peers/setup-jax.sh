#!/usr/bin/env bash
# Makes .venv-peers/, the Python virtual environment with JAX (CPU) that `nabla bench --peers` runs
# bench/peers/jax_bench.py in (NABLA_JAX_PYTHON names another python instead). Packages come from
# the index that pip is set up to use here.
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -m venv .venv-peers
.venv-peers/bin/pip install 'jax[cpu]' numpy threadpoolctl
.venv-peers/bin/python -c 'import jax; print("jax", jax.__version__, jax.devices())'
