#!/usr/bin/env python3
"""JAX peer for `nabla bench`: the sequence workloads with `jax.lax.scan`, `jax.grad` and `jax.jit`,
as a JAX user would write them.

    python bench/peers/jax_bench.py [workload ...] [--reps N] [--cpu-time] [--skip-unknown]

Needs JAX on the CPU (`bash bench/peers/setup-jax.sh` makes the virtual environment
`.venv-peers/` that `nabla bench --peers` looks for). Prints one JSON object per workload on
stdout in the format of `nabla bench --json` (impl "jax"), and the JAX version on stderr.

Each step is one jitted function: forward, gradient through the scan, and the update, with the
parameters donated so that XLA may update them in place. Timing waits for the result
(block_until_ready), so JAX's asynchronous dispatch does not hide the work. Data, sizes, seeds and
initial weights are the NumPy peer's (numpy_bench.py, imported from beside this file), and before
timing each step's loss and gradients are checked against the NumPy peer's hand-written ones on
the full-size problem, in float32, so that both peers compute the same function.
"""
import functools
import json
import platform
import sys

import numpy as np

import numpy_bench as peer

try:
    import jax
    import jax.numpy as jnp
except ImportError:
    sys.exit("jax_bench.py: JAX is not installed for this python; run bash bench/peers/setup-jax.sh")


# ---------------------------------------------------------------- models

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


def bench_rnnslu(workload, reps, lr=0.0970806646812754, window=7):
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


def bench_lstm(workload, reps):
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


def bench_scan_overhead(workload, reps):
    x, h0 = jnp.ones((peer.SCAN_STEPS, 1), jnp.float32), jnp.zeros(1, jnp.float32)
    return timed(workload, "µs/step", lambda: scan_sum(h0, x), reps, per_call=peer.SCAN_STEPS,
                 steps=peer.SCAN_STEPS)


WORKLOADS = {
    "rnnslu_sentence": bench_rnnslu,
    "lstm_minibatch": bench_lstm,
    "scan_overhead": bench_scan_overhead,
}


def main(argv=None):
    parser = peer.peer_parser("JAX peer for the nabla sequence benchmarks", WORKLOADS)
    args = parser.parse_args(argv)
    chosen = peer.chosen_workloads(parser, args, WORKLOADS)
    print(f"jax {jax.__version__}, numpy {np.__version__}, python "
          f"{platform.python_version()}, devices {jax.devices()}", file=sys.stderr)
    for workload in chosen:
        print(json.dumps(WORKLOADS[workload](workload, args.reps)), flush=True)


if __name__ == "__main__":
    main()
