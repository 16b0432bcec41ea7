// Principal components analysis (seed chapter 1): Z = (X − m)·Q, the columns of Q the eigenvectors of
// the covariance C = (X − m)ᵀ(X − m) / (N − 1) sorted by eigenvalue, so Z's columns are uncorrelated and
// ordered by variance; X̂ = Z_k·Q_kᵀ + m is the best rank-k reconstruction in squared error.
import { assertFiniteMatrix, NDArray, type DType } from '../ndarray/index.js';
import { matrix, vector } from '../graph/constructors.js';
import { eigh, sqrt, maximum } from '../ops/index.js';
import { philoxUniform } from '../random/index.js';
import { fn } from '../compile/index.js';
import { configReader } from './config-reader.js';
import { expectShapes, loadModelAs, saveModelFile, type ModelFile } from './model-file.js';

export type PcaMethod = 'auto' | 'exact' | 'randomized';

export interface PcaConfig {
  /** How many components to keep; all of min(N, D) by default. */
  components?: number;
  /** Scale each component to unit variance (components of zero variance are left unscaled, with a warning). */
  whiten?: boolean;
  /**
   * 'exact' diagonalises the D×D covariance (eigh: LAPACK on the native backend); 'randomized' finds the
   * top components from a few passes over the data (Halko, Martinsson and Tropp 2011), for wide data;
   * 'auto' (the default) is exact up to 2,000 columns or when most components are wanted.
   */
  method?: PcaMethod;
  /** The dtype of the computation and of what transform returns; float64 by default. */
  dtype?: Extract<DType, 'float32' | 'float64'>;
  /** Seeds the randomized method's random projection. */
  seed?: number;
  /** Power iterations of the randomized method (more: more accurate small components); 4 by default. */
  powerIterations?: number;
}

/** What fit learns: column means, total variance, the top eigenvalues (descending) and their axes (rows). */
interface Spectrum {
  mean: NDArray;
  total: number;
  values: Float64Array;
  vectors: Float64Array;
}

const EXACT_UP_TO_COLUMNS = 2000;
const OVERSAMPLES = 10;

/**
 * Principal components analysis; `nabla pca` runs it on MNIST or a matrix file.
 * @example const pca = new Pca({ components: 50 }).fit(x); const z = pca.transform(x);
 * pca.explainedVarianceRatio // [0.097, 0.071, ...]; pca.inverseTransform(z) ≈ x
 */
export class Pca {
  readonly kind = 'pca';
  readonly config: Required<Omit<PcaConfig, 'components'>> & { components?: number };
  /** Facts about the fit, saved with the model (method used, samples, warnings). */
  meta: Record<string, unknown> = {};
  /** The column means m, [D]. */
  mean?: NDArray;
  /** The principal axes as rows, [k, D], each a unit vector, the largest variance first. */
  components?: NDArray;
  /** The variance of the data along each component (the covariance's eigenvalues), [k]. */
  explainedVariance?: NDArray;
  /** Each component's share of the total variance, [k]. */
  explainedVarianceRatio?: NDArray;
  private transformFn?: (x: NDArray) => NDArray;
  private inverseFn?: (z: NDArray) => NDArray;

  constructor(config: PcaConfig = {}) {
    const { components, whiten = false, method = 'auto', dtype = 'float64', seed = 1, powerIterations = 4 } = config;
    if (components !== undefined && (!Number.isInteger(components) || components < 1)) {
      throw new Error(`Pca: components must be a positive integer, got ${components}`);
    }
    if (!['auto', 'exact', 'randomized'].includes(method)) throw new Error(`Pca: method must be auto, exact or randomized, got ${method}`);
    if (!Number.isInteger(powerIterations) || powerIterations < 0) throw new Error(`Pca: powerIterations must be a non-negative integer, got ${powerIterations}`);
    this.config = { components, whiten, method, dtype, seed, powerIterations };
  }

  /** The number of components kept (known after fit). */
  get componentCount(): number {
    if (!this.components) throw new Error('Pca: not fitted yet (call fit first)');
    return this.components.shape[0];
  }

  /**
   * Finds the components of x [N, D] (N ≥ 2). Constant columns are fine: they get zero weight in
   * every component of nonzero variance.
   */
  fit(x: NDArray): this {
    const where = 'Pca.fit';
    assertFiniteMatrix(x, where);
    const [n, d] = x.shape;
    if (n < 2) throw new Error(`${where}: needs at least 2 rows to measure variance, got ${n}`);
    const most = Math.min(n, d);
    const k = this.config.components ?? most;
    if (k > most) throw new Error(`${where}: ${k} components asked for, but x [${n}, ${d}] has at most min(N, D) = ${most}`);
    const { dtype } = this.config;
    const data = x.dtype === dtype ? x : x.astype(dtype);
    const method = this.config.method === 'auto' ? (d <= EXACT_UP_TO_COLUMNS || k > 0.8 * most ? 'exact' : 'randomized') : this.config.method;
    const { mean, total, values, vectors } = method === 'exact' ? this.exact(data) : this.randomized(data, k);
    // Rows of `vectors` are the axes, largest variance first; each is signed so its largest entry is positive.
    const components = new NDArray(dtype, [k, d]);
    const variance = new NDArray(dtype, [k]);
    const ratio = new NDArray(dtype, [k]);
    for (let c = 0; c < k; c++) {
      const row = vectors.subarray(c * d, (c + 1) * d);
      let largest = 0;
      for (let j = 0; j < d; j++) if (Math.abs(row[j]) > Math.abs(row[largest])) largest = j;
      const sign = row[largest] < 0 ? -1 : 1;
      for (let j = 0; j < d; j++) components.data[c * d + j] = sign * row[j];
      variance.data[c] = Math.max(0, values[c]);
      ratio.data[c] = total > 0 ? variance.data[c] / total : 0;
    }
    this.mean = mean;
    this.components = components;
    this.explainedVariance = variance;
    this.explainedVarianceRatio = ratio;
    this.transformFn = this.inverseFn = undefined;
    this.meta = { method, samples: n, features: d };
    const flat = this.flatComponents();
    if (this.config.whiten && flat.length) {
      const message = `Pca: ${flat.length} of ${k} components have zero variance (the first: component ${flat[0]}); whitening leaves them unscaled`;
      this.meta.warning = message;
      console.warn(message);
    }
    return this;
  }

  /** Indices of components whose variance is zero up to rounding (relative to the largest). */
  private flatComponents(): number[] {
    const v = this.explainedVariance!.data;
    const tiny = Math.max(v[0] ?? 0, Number.MIN_VALUE) * 1e-12;
    return Array.from(v.keys()).filter((i) => v[i] <= tiny);
  }

  /** Mean, total variance, eigenvalues (descending) and eigenvectors (rows) by diagonalising the covariance. */
  private exact(x: NDArray): Spectrum {
    const [n, d] = x.shape;
    const input = matrix('x', this.config.dtype);
    const m = input.mean(0);
    const centred = input.sub(m);
    const cov = centred.T.dot(centred).div(n - 1);
    const [w, v] = eigh(cov);
    const [mean, values, vectors] = fn([input], [m, w, v])(x) as NDArray[];
    // eigh sorts ascending with eigenvectors in columns: reverse both, and lay the vectors in rows.
    const descending = Float64Array.from({ length: d }, (_, i) => values.data[d - 1 - i]);
    const rows = new Float64Array(d * d);
    for (let c = 0; c < d; c++) {
      for (let j = 0; j < d; j++) rows[c * d + j] = vectors.data[j * d + (d - 1 - c)];
    }
    let total = 0;
    for (const value of descending) total += Math.max(0, value);
    return { mean, total, values: descending, vectors: rows };
  }

  /**
   * The randomized range finder: Y = (X − m)·Ω for a random D×(k + 10) Ω, sharpened by power
   * iterations Y ← (X − m)(X − m)ᵀ·Y, re-orthonormalised at every step; then the small matrix
   * B = Qᵀ(X − m) holds the top of the spectrum: BBᵀ = U·S·Uᵀ gives the axes Uᵀ·B / √S and the
   * variances S / (N − 1). Orthonormalising is by eigh of the small Gram matrix YᵀY (Cholesky-QR twice).
   */
  private randomized(x: NDArray, k: number): Spectrum {
    const [n, d] = x.shape;
    const { dtype, seed, powerIterations } = this.config;
    const l = Math.min(k + OVERSAMPLES, Math.min(n, d));
    const input = matrix('x', dtype);
    const m = input.mean(0);
    const centred = input.sub(m);
    const columnVariance = centred.mul(centred).sum().div(n - 1);
    const [mean, total] = fn([input], [m, columnVariance])(x) as [NDArray, number];
    const X = matrix('X', dtype);
    const M = matrix('M', dtype);
    const mu = vector('mu', dtype);
    const Xc = X.sub(mu);
    const orthonormal = (y: typeof X) => {
      const [s, u] = eigh(y.T.dot(y));
      return y.dot(u).div(sqrt(maximum(s, 1e-300)));
    };
    const twice = (y: typeof X) => orthonormal(orthonormal(y));
    const right = fn([X, mu, M], twice(Xc.dot(M)));
    const left = fn([X, mu, M], twice(Xc.T.dot(M)));
    const B = M.T.dot(Xc);
    const [s, u] = eigh(B.dot(B.T));
    const finish = fn([X, mu, M], [s, u.T.dot(B).div(sqrt(maximum(s, 1e-300)).dimshuffle([0, 'x']))]);

    const omega = new NDArray(dtype, [d, l]);
    philoxUniform(seed, 0, 0, omega.data as Float64Array);
    for (let i = 0; i < omega.size; i++) omega.data[i] = 2 * omega.data[i] - 1;
    let Q = right(x, mean, omega) as NDArray;
    for (let i = 0; i < powerIterations; i++) Q = right(x, mean, left(x, mean, Q) as NDArray) as NDArray;
    const [S, axes] = finish(x, mean, Q) as NDArray[];
    // S ascends: the top k are its last k, largest first.
    const values = Float64Array.from({ length: k }, (_, c) => S.data[l - 1 - c] / (n - 1));
    const vectors = new Float64Array(k * d);
    for (let c = 0; c < k; c++) vectors.set(axes.data.subarray((l - 1 - c) * d, (l - c) * d), c * d);
    return { mean, total, values, vectors };
  }

  /** The per-component scale of whitening: √variance, or 1 where the variance is zero. */
  private scales(): NDArray {
    const k = this.componentCount;
    const scale = new NDArray(this.config.dtype, [k]);
    const flat = new Set(this.flatComponents());
    const variance = this.explainedVariance!.data;
    for (let c = 0; c < k; c++) scale.data[c] = this.config.whiten && !flat.has(c) ? Math.sqrt(variance[c]) : 1;
    return scale;
  }

  /**
   * Projects x [N, D] onto the components: (x − m)·Q_k, divided by each component's standard deviation
   * when whitening. Returns [N, k] in the model's dtype.
   */
  transform(x: NDArray): NDArray {
    this.componentCount; // eslint-disable-line @typescript-eslint/no-unused-expressions -- throws when not fitted
    const d = this.components!.shape[1];
    assertFiniteMatrix(x, 'Pca.transform');
    if (x.shape[1] !== d) throw new Error(`Pca.transform: x has ${x.shape[1]} columns, but the model was fitted on ${d}`);
    if (!this.transformFn) {
      const input = matrix('x', this.config.dtype);
      const [mean, axes, scale] = [vector('mean', this.config.dtype), matrix('components', this.config.dtype), vector('scale', this.config.dtype)];
      const compiled = fn([input, mean, axes, scale], input.sub(mean).dot(axes.T).div(scale));
      const args = [this.mean!, this.components!, this.scales()] as const;
      this.transformFn = (data) => compiled(data, ...args) as NDArray;
    }
    return this.transformFn(x.dtype === this.config.dtype ? x : x.astype(this.config.dtype));
  }

  /** fit, then transform of the same data. */
  fitTransform(x: NDArray): NDArray {
    return this.fit(x).transform(x);
  }

  /** Maps codes z [N, k] back to the input space: z·Q_kᵀ + m (whitened codes rescaled first). */
  inverseTransform(z: NDArray): NDArray {
    const k = this.componentCount;
    if (z.rank !== 2 || z.shape[1] !== k) throw new Error(`Pca.inverseTransform: z must be [N, ${k}] (one column per component), got [${z.shape.join(', ')}]`);
    if (!this.inverseFn) {
      const codes = matrix('z', this.config.dtype);
      const [mean, axes, scale] = [vector('mean', this.config.dtype), matrix('components', this.config.dtype), vector('scale', this.config.dtype)];
      const compiled = fn([codes, mean, axes, scale], codes.mul(scale).dot(axes).add(mean));
      const args = [this.mean!, this.components!, this.scales()] as const;
      this.inverseFn = (codes) => compiled(codes, ...args) as NDArray;
    }
    return this.inverseFn(z.dtype === this.config.dtype ? z : z.astype(this.config.dtype));
  }

  /** Writes the fitted model (mean, components, variances) to a model file. */
  save(path: string): void {
    const k = this.componentCount;
    const { whiten, method, dtype, seed, powerIterations } = this.config;
    saveModelFile(path, {
      kind: this.kind,
      config: { components: k, whiten: whiten ? 'yes' : 'no', method, dtype, seed, powerIterations },
      tensors: {
        mean: this.mean!, components: this.components!,
        explainedVariance: this.explainedVariance!, explainedVarianceRatio: this.explainedVarianceRatio!,
      },
      meta: this.meta,
    });
  }

  /** Rebuilds a saved model, checking its configuration and tensors. */
  static fromModelFile(file: ModelFile, path: string): Pca {
    const read = configReader(path, file.config);
    const model = new Pca({
      components: read.int('components'), whiten: read.oneOf('whiten', ['yes', 'no']) === 'yes',
      method: read.oneOf('method', ['auto', 'exact', 'randomized'] as const), dtype: read.oneOf('dtype', ['float32', 'float64'] as const),
      seed: Number(file.config.seed), powerIterations: Number(file.config.powerIterations),
    });
    const k = model.config.components!;
    const d = file.tensors.mean?.shape[0] ?? 0;
    const shapes = { mean: [d], components: [k, d], explainedVariance: [k], explainedVarianceRatio: [k] };
    expectShapes(path, file.tensors, shapes);
    model.mean = file.tensors.mean;
    model.components = file.tensors.components;
    model.explainedVariance = file.tensors.explainedVariance;
    model.explainedVarianceRatio = file.tensors.explainedVarianceRatio;
    return model;
  }

  /** Loads a model saved by `save`. */
  static load(path: string): Pca {
    return loadModelAs(path, Pca.fromModelFile, 'pca');
  }
}
