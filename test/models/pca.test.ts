// PCA: a decomposition known in closed form, MNIST digits (components orthonormal, the codes'
// covariance diagonal, reconstruction error equal to the variance left out), LAPACK against the
// reference backend's Jacobi and the randomized method against both, whitening, and bad input.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { loadMnist } from '../../src/data/index.js';

const digits = loadMnist({ limit: { train: 400, valid: 0, test: 0 } }).train.x;

/** The digits at half resolution (14×14, 2×2 blocks averaged): 196 columns keep the Jacobi solver quick. */
function halfSize(x: nb.NDArray): nb.NDArray {
  const n = x.shape[0];
  const out = new nb.NDArray('float64', [n, 196]);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < 14; r++) {
      for (let c = 0; c < 14; c++) {
        let sum = 0;
        for (const [dr, dc] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
          sum += x.data[i * 784 + (2 * r + dr) * 28 + 2 * c + dc];
        }
        out.data[i * 196 + r * 14 + c] = sum / 4;
      }
    }
  }
  return out;
}

const small = halfSize(digits);

/** Sample covariance of the columns of z [N, k] (divisor N − 1). */
function covariance(z: nb.NDArray): number[][] {
  const [n, k] = z.shape;
  const mean = Array.from({ length: k }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += z.data[i * k + j];
    return s / n;
  });
  return Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, b) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (z.data[i * k + a] - mean[a]) * (z.data[i * k + b] - mean[b]);
    return s / (n - 1);
  }));
}

const total = (values: ArrayLike<number>) => Array.from(values).reduce((sum, v) => sum + v, 0);

const close = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tolerance ${tol})`);

test('PCA of four points with a known covariance: eigenvalues 4 and 2 along the diagonals', () => {
  // Z has column variances 4 and 2 and no correlation; X = Z·Qᵀ rotates it by 45 degrees and shifts it.
  const [s, t] = [Math.sqrt(6), Math.sqrt(3)];
  const z = [[s, 0], [-s, 0], [0, t], [0, -t]];
  const r = Math.SQRT1_2;
  const x = nb.array(z.map(([a, b]) => [r * a + r * b + 10, r * a - r * b - 5]), 'float64');
  const pca = new nb.Pca().fit(x);
  assert.deepEqual(Array.from(pca.explainedVariance!.data).map((v) => Number(v.toFixed(12))), [4, 2]);
  const rounded = (values: ArrayLike<number>) => Array.from(values, (v) => Number(v.toFixed(12)));
  assert.deepEqual(rounded(pca.explainedVarianceRatio!.data), rounded([2 / 3, 1 / 3]));
  assert.deepEqual(Array.from(pca.mean!.data).map((v) => Number(v.toFixed(12))), [10, -5]);
  const axes = Array.from(pca.components!.data).map((v) => Number(v.toFixed(12)));
  assert.deepEqual(axes, [r, r, r, -r].map((v) => Number(v.toFixed(12)))); // signed: largest entry positive
  const codes = pca.transform(x);
  z.forEach(([a, b], i) => {
    close(codes.data[2 * i], a, 1e-12, `code ${i}, component 0`);
    close(codes.data[2 * i + 1], b, 1e-12, `code ${i}, component 1`);
  });
});

test('PCA of 400 MNIST digits: orthonormal axes, diagonal code covariance, reconstruction error = variance left out', () => {
  const k = 30;
  const pca = new nb.Pca({ components: k, method: 'exact' }).fit(digits);
  const [n, d] = digits.shape;
  const V = pca.components!.data;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) {
      let dotAB = 0;
      for (let j = 0; j < d; j++) dotAB += V[a * d + j] * V[b * d + j];
      close(dotAB, a === b ? 1 : 0, 1e-9, `axes ${a} · ${b}`);
    }
  }
  const z = pca.transform(digits);
  const cov = covariance(z);
  const variance = pca.explainedVariance!.data;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) close(cov[a][b], a === b ? variance[a] : 0, 1e-9 * variance[0], `code covariance [${a}, ${b}]`);
    if (a > 0) assert.ok(variance[a] <= variance[a - 1], 'variances descend');
  }
  // All components: the ratios sum to 1 and the digits come back exactly.
  const full = new nb.Pca({ method: 'exact' }).fit(digits);
  const ratio = full.explainedVarianceRatio!.data;
  close(total(ratio), 1, 1e-9, 'sum of all ratios');
  const totalVariance = total(full.explainedVariance!.data);
  // Mean squared reconstruction error per digit with k components = (N − 1)/N · Σ_{j ≥ k} λ_j.
  const back = pca.inverseTransform(z);
  let error = 0;
  for (let i = 0; i < back.size; i++) error += (back.data[i] - digits.data[i]) ** 2;
  const leftOut = total(full.explainedVariance!.data.slice(k));
  close(error / n, ((n - 1) / n) * leftOut, 1e-8 * totalVariance, 'reconstruction error');
  assert.ok(leftOut < 0.4 * totalVariance, `30 components keep most of the variance (${1 - leftOut / totalVariance})`);
  const exactBack = full.inverseTransform(full.transform(digits));
  let worst = 0;
  for (let i = 0; i < exactBack.size; i++) worst = Math.max(worst, Math.abs(exactBack.data[i] - digits.data[i]));
  assert.ok(worst < 1e-9, `all components reconstruct exactly (worst ${worst})`);
});

test('PCA agrees across the native backend (LAPACK), the reference backend (Jacobi) and the randomized method', () => {
  const fits = (['native', 'reference'] as const).flatMap((name) => {
    const before = nb.getBackend();
    try {
      nb.setBackend(name);
    } catch {
      return []; // no native addon built
    }
    try {
      return [new nb.Pca({ components: 20, method: 'exact' }).fit(small), new nb.Pca({ components: 20, method: 'randomized', seed: 3 }).fit(small)];
    } finally {
      nb.setBackend(before.name as nb.BackendName);
    }
  });
  const [reference] = fits.slice(-2);
  const top = reference.explainedVariance!.data[0];
  const d = small.shape[1];
  for (const other of fits) {
    for (let c = 0; c < 20; c++) {
      const tol = other.meta.method === 'exact' ? 1e-9 : c < 10 ? 1e-4 : 1e-3;
      close(other.explainedVariance!.data[c], reference.explainedVariance!.data[c], tol * top, `eigenvalue ${c} (${other.meta.method})`);
      if (c >= 10) continue; // randomized axes are only as sharp as the gap that follows them
      let agreement = 0;
      const [mine, theirs] = [other.components!.data, reference.components!.data];
      for (let j = 0; j < d; j++) agreement += mine[c * d + j] * theirs[c * d + j];
      close(agreement, 1, other.meta.method === 'exact' ? 1e-9 : 1e-4, `component ${c} (${other.meta.method}) against the reference's`);
    }
  }
});

test('whitening: unit-variance, uncorrelated codes; zero-variance components left unscaled with a warning', () => {
  const pca = new nb.Pca({ components: 10, whiten: true }).fit(small);
  const cov = covariance(pca.transform(small));
  for (let a = 0; a < 10; a++) for (let b = 0; b < 10; b++) close(cov[a][b], a === b ? 1 : 0, 1e-9, `whitened covariance [${a}, ${b}]`);
  const back = pca.inverseTransform(pca.transform(small));
  const plain = new nb.Pca({ components: 10 }).fit(small);
  const plainBack = plain.inverseTransform(plain.transform(small));
  for (let i = 0; i < back.size; i += 97) close(back.data[i], plainBack.data[i], 1e-9, `whitened reconstruction ${i}`);

  // Three points in 3-D span a plane: the third component has zero variance.
  const flat = nb.array([[1, 2, 0], [3, 1, 0], [0, 0, 0]], 'float64');
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (message: string) => warnings.push(message);
  let whitened;
  try {
    whitened = new nb.Pca({ whiten: true }).fit(flat);
  } finally {
    console.warn = warn;
  }
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /1 of 3 components have zero variance \(the first: component 2\); whitening leaves them unscaled/);
  const codes = whitened.transform(flat);
  assert.ok(codes.data.every(Number.isFinite), 'no division by zero');
  const again = whitened.inverseTransform(codes);
  for (let i = 0; i < 9; i++) close(again.data[i], flat.data[i], 1e-9, `flat reconstruction ${i}`);
});

test('constant columns are fine, and a saved PCA loads back to the same transform', () => {
  const withConstant = new nb.NDArray('float64', [small.shape[0], 197]);
  for (let i = 0; i < small.shape[0]; i++) {
    withConstant.data.set(small.data.subarray(i * 196, (i + 1) * 196), i * 197);
    withConstant.data[i * 197 + 196] = 7;
  }
  const pca = new nb.Pca({ components: 5 }).fit(withConstant);
  for (let c = 0; c < 5; c++) close(pca.components!.data[c * 197 + 196], 0, 1e-12, `component ${c}'s weight on the constant column`);
  const dir = mkdtempSync(join(tmpdir(), 'nabla-pca-'));
  try {
    pca.save(join(dir, 'pca.nbm'));
    const loaded = nb.Pca.load(join(dir, 'pca.nbm'));
    assert.deepEqual(Array.from(loaded.transform(withConstant).data), Array.from(pca.transform(withConstant).data));
    assert.equal(loaded.meta.method, 'exact');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad input: NaN and infinity named by row and column, one row, too many components', () => {
  const x = nb.array([[1, 2], [3, 4], [5, 6]], 'float64');
  x.data[3] = NaN;
  assert.throws(() => new nb.Pca().fit(x), /^Error: Pca.fit: x\[1, 1\] is NaN \(row 1, column 1\)/);
  x.data[3] = Infinity;
  assert.throws(() => new nb.Pca().fit(x), /x\[1, 1\] is Infinity \(row 1, column 1\)/);
  assert.throws(() => new nb.Pca().fit(nb.array([[1, 2]], 'float64')), /needs at least 2 rows to measure variance, got 1/);
  assert.throws(() => new nb.Pca({ components: 3 }).fit(nb.array([[1, 2], [3, 5], [0, 1]], 'float64')), /3 components asked for, but x \[3, 2\] has at most min\(N, D\) = 2/);
  assert.throws(() => new nb.Pca({ components: 0 }), /components must be a positive integer, got 0/);
  assert.throws(() => new nb.Pca().transform(x), /not fitted yet/);
});
