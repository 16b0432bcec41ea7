#!/usr/bin/env bash
# Redraws the learning-curve pictures of docs/results.md (SVG and PNG in docs/images/) with `nabla compare`,
# from docs/curves/: the metrics.jsonl of the runs behind the figures, and the published curves they are
# held against. A new run's curve replaces its file there (cp RUN/metrics.jsonl docs/curves/NAME.jsonl).
# Run: bash scripts/docs-curves.sh
set -euo pipefail
cd "$(dirname "$0")/.."
curves=docs/curves
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# draw PICTURE [STAGE/]MEASURE [compare's options and runs...]: docs/images/PICTURE.svg and .png
draw() {
  local picture=$1 measure=${2#*/} curve=${2/\//-}
  shift 2
  npx tsx src/cli/nabla.ts compare --json --measure "$measure" --out "$work/$picture" "$@" > /dev/null
  for ext in svg png; do cp "$work/$picture/curves-$curve.$ext" "docs/images/$picture.$ext"; done
  echo "docs/images/$picture.png"
}

draw rbm-pseudo-likelihood pseudo_likelihood --title 'RBM, PCD-15, 500 hidden units' \
  --name 'published (Theano tutorial)' --name 'nabla, 2026-11-24 code' --name 'nabla, 2026-11-25 kernels' \
  $curves/rbm-theano-tutorial.jsonl $curves/rbm-nabla-2026-11-24.jsonl $curves/rbm-nabla-2026-11-25.jsonl

draw mlp-valid_error valid_error --title 'MLP, 500 tanh units, 1000 epochs' --log-y $curves/mlp-mnist.jsonl
draw mlp-train_cost train_cost --title 'MLP, 500 tanh units, 1000 epochs' --log-y $curves/mlp-mnist.jsonl

draw dbn-up-down-cost up-down/wake_reconstruction_cross_entropy --title 'DBN 784-500-500-2000' \
  $curves/dbn-digit-model.jsonl

draw lstm-imdb-valid_error valid_error --x iteration --title 'LSTM on IMDB, whole data set' \
  --name 'Adam, lr 0.001' --name "AdaDelta (the tutorial's)" $curves/lstm-imdb-adam.jsonl $curves/lstm-imdb-adadelta.jsonl
draw lstm-imdb-train_cost train_cost --x iteration --title 'LSTM on IMDB, whole data set' \
  --name 'Adam, lr 0.001' --name "AdaDelta (the tutorial's)" $curves/lstm-imdb-adam.jsonl $curves/lstm-imdb-adadelta.jsonl

draw rnnslu-valid_f1 valid_f1 --title 'Elman RNN on ATIS, fold 3' $curves/rnnslu-atis-fold3.jsonl
draw rnnslu-train_cost train_cost --title 'Elman RNN on ATIS, fold 3' --log-y $curves/rnnslu-atis-fold3.jsonl

draw rnnrbm-nottingham-monitor train_cost --title 'RNN-RBM on the Nottingham MIDI files (monitor)' \
  --name 'nabla' --name 'tutorial, epochs 1-10' --name 'tutorial, epochs 190-200' $curves/rnnrbm-nottingham.jsonl \
  $curves/rnnrbm-theano-tutorial-epochs-1-10.jsonl $curves/rnnrbm-theano-tutorial-epochs-190-200.jsonl
draw rnnrbm-valid_error valid_error --title 'RNN-RBM, frame-level error = 1 − accuracy' \
  --name 'Nottingham MIDI files' --name 'benchmark piano-rolls' $curves/rnnrbm-nottingham.jsonl $curves/rnnrbm-benchmark.jsonl
