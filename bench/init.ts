// Seeded initial weights for the benchmark workloads, drawn as the tutorials draw them.
import * as nb from '../src/index.js';

/** A small seeded generator for initial weights (mulberry32): uniform in [0, 1). */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** float32 values uniform in [low, high). */
export function uniform(rng: () => number, shape: number[], low: number, high: number): nb.NDArray {
  const a = nb.zeros(shape);
  for (let i = 0; i < a.size; i++) a.data[i] = low + (high - low) * rng();
  return a;
}

/** Uniform weights in ±sqrt(6 / (fanIn + fanOut)) (times 4 for sigmoid units), as the tutorials initialise. */
export function glorot(rng: () => number, fanIn: number, fanOut: number, scale = 1): nb.NDArray {
  const bound = scale * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(rng, [fanIn, fanOut], -bound, bound);
}

/** Normal draws of mean 0 and standard deviation `std` (Box–Muller). */
export function normal(rng: () => number, shape: number[], std = 1): nb.NDArray {
  const a = nb.zeros(shape);
  for (let i = 0; i < a.size; i++) {
    a.data[i] = std * Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  }
  return a;
}

/**
 * Columns [offset, offset + n) of the n-row `out` (row-major, `cols` wide) set to an orthogonal matrix:
 * Gram–Schmidt on normal draws, as lstm.py's ortho_weight orthogonalises them (there by SVD).
 */
export function orthogonalInto(rng: () => number, out: nb.NDArray, n: number, offset: number): void {
  const cols = out.shape[1];
  const q = Array.from({ length: n }, () => Float64Array.from(normal(rng, [n]).data));
  q.forEach((v, j) => {
    for (let k = 0; k < j; k++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += v[i] * q[k][i];
      for (let i = 0; i < n; i++) v[i] -= d * q[k][i];
    }
    const norm = Math.hypot(...v);
    for (let i = 0; i < n; i++) {
      v[i] /= norm;
      out.data[i * cols + offset + j] = v[i];
    }
  });
}
