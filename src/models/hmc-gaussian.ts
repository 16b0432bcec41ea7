// The HMC tutorial's test (seed 003, section 11.3): three chains on a 5-d Gaussian with a random mean and
// correlated covariance, E(s) = ½ (s − μ)ᵀ Σ⁻¹ (s − μ), 1000 draws of burn-in, then 1000 draws whose
// empirical mean and covariance are compared with μ and Σ. μ, Σ and the starting points are the
// tutorial's own (NumPy's RandomState(123): μ = 10·rand(5), Σ = sym(rand(5, 5)) with a unit diagonal).
import { NDArray, array } from '../ndarray/index.js';
import type { Variable } from '../graph/variable.js';
import { Hmc, type HmcOptions } from './hmc.js';

export const TUTORIAL_GAUSSIAN = {
  mean: [6.964691855978616, 2.8613933495037944, 2.268514535642031, 5.513147690828912, 7.1946896978556305],
  covariance: [
    [1.0, 0.6619711072677424, 0.7114125721584494, 0.557666430017841, 0.35753821602366437],
    [0.6619711072677424, 1.0, 0.3105319875665622, 0.45455484534367896, 0.37991645547637276],
    [0.7114125721584494, 0.3105319875665622, 1.0, 0.6280033493512368, 0.38004540898791084],
    [0.557666430017841, 0.45455484534367896, 0.6280033493512368, 1.0, 0.5080787144795255],
    [0.35753821602366437, 0.37991645547637276, 0.38004540898791084, 0.5080787144795255, 1.0],
  ],
  start: [
    [-0.14006872, -0.8617549, -0.25561937, -2.79858911, -1.7715331],
    [-0.69987723, 0.92746243, -0.17363568, 0.00284592, 0.68822271],
    [-0.87953634, 0.28362732, -0.80536652, -1.72766949, -0.39089979],
  ],
  /** The tutorial's sampler settings for this test: a tiny first step, a larger ceiling. */
  stepSize: 1e-3,
  stepSizeMax: 0.5,
};

export interface GaussianRun {
  dims: number;
  chains: number;
  burnIn: number;
  draws: number;
  /** The empirical mean and covariance of every chain's draws together. */
  mean: number[];
  covariance: number[][];
  stepSize: number;
  acceptance: number;
  /** Largest |empirical − true| over the mean's entries and over the covariance's. */
  meanAbsError: number;
  covAbsError: number;
  /** Wall time of the draws after compilation, per draw. */
  msPerDraw: number;
}

/**
 * The energy ½ (s − μ)ᵀ Σ⁻¹ (s − μ) of each row of s, for any Gaussian.
 * @example const energy = gaussianEnergy([0, 0], [[1, 0.5], [0.5, 1]], 'float64');
 */
export function gaussianEnergy(mean: readonly number[], covariance: readonly (readonly number[])[], dtype: 'float32' | 'float64') {
  const mu = array([...mean], dtype);
  const precision = array(invert(covariance), dtype);
  return (s: Variable): Variable => {
    const d = s.sub(mu);
    return d.dot(precision).mul(d).sum(1).mul(0.5);
  };
}

/**
 * Runs the tutorial's test: `burnIn` draws dropped, `draws` kept, statistics over all chains.
 * @example const run = sampleTutorialGaussian({ burnIn: 1000, draws: 1000 }); run.acceptance // ≈ 0.9
 */
export function sampleTutorialGaussian(
  { burnIn = 1000, draws = 1000, dtype = 'float32', ...options }:
  { burnIn?: number; draws?: number; dtype?: 'float32' | 'float64' } & Partial<Omit<HmcOptions, 'energy' | 'positions'>> = {},
): GaussianRun {
  const g = TUTORIAL_GAUSSIAN;
  const hmc = new Hmc({
    energy: gaussianEnergy(g.mean, g.covariance, dtype),
    positions: array(g.start, dtype),
    stepSize: g.stepSize,
    stepSizeMax: g.stepSizeMax,
    ...options,
  });
  for (let i = 0; i < burnIn; i++) hmc.draw();
  const started = performance.now();
  const samples = hmc.sample(draws);
  const msPerDraw = (performance.now() - started) / Math.max(draws, 1);
  const [, chains, dims] = samples.shape;
  const { mean, covariance } = moments(samples.data, draws * chains, dims);
  const maxAbs = (a: number[], b: readonly number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
  return {
    dims, chains, burnIn, draws, mean, covariance,
    stepSize: hmc.stepSize.value.item(), acceptance: hmc.acceptanceRate.value.item(),
    meanAbsError: maxAbs(mean, g.mean),
    covAbsError: Math.max(...covariance.map((row, i) => maxAbs(row, g.covariance[i]))),
    msPerDraw,
  };
}

/** Mean and unbiased covariance (NumPy's cov) of n rows of length d. */
function moments(data: NDArray['data'], n: number, d: number): { mean: number[]; covariance: number[][] } {
  const mean = new Array<number>(d).fill(0);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j] += data[r * d + j] / n;
  const covariance = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) {
      const di = data[r * d + i] - mean[i];
      for (let j = 0; j < d; j++) covariance[i][j] += (di * (data[r * d + j] - mean[j])) / (n - 1);
    }
  }
  return { mean, covariance };
}

/** The inverse of a small symmetric positive definite matrix, by Gauss–Jordan elimination with pivoting. */
function invert(m: readonly (readonly number[])[]): number[][] {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) pivot = r;
    if (Math.abs(a[pivot][c]) < 1e-12) throw new Error('gaussianEnergy: the covariance is singular');
    [a[c], a[pivot]] = [a[pivot], a[c]];
    const p = a[c][c];
    for (let j = 0; j < 2 * n; j++) a[c][j] /= p;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r][c];
      for (let j = 0; j < 2 * n; j++) a[r][j] -= f * a[c][j];
    }
  }
  return a.map((row) => row.slice(n));
}
