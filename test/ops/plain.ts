// Plain-loop references for the op table: each op written the naive way, from its definition, sharing
// no code with the kernels under test. Everything is built on `tabulate` (an array from a function of
// the multi-index), so each reference reads as the formula it computes.
import type { DType } from '../../src/index.js';

/** A reference value: row-major float64 numbers with a shape. `dtype` is left out for "the float dtype under test". */
export interface Plain {
  readonly shape: readonly number[];
  readonly data: readonly number[];
  readonly dtype?: DType;
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function unravel(i: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return index;
}

/** The element at a full multi-index. */
export function get(x: Plain, index: readonly number[]): number {
  let flat = 0;
  x.shape.forEach((n, d) => {
    if (index[d] < 0 || index[d] >= n) throw new Error(`plain: index ${index[d]} out of range for axis ${d} of size ${n}`);
    flat = flat * n + index[d];
  });
  return x.data[flat];
}

/** An array of `shape` whose element at `index` is `f(index)`. */
export function tabulate(shape: readonly number[], f: (index: number[]) => number, dtype?: DType): Plain {
  return { shape: [...shape], data: Array.from({ length: sizeOf(shape) }, (_, i) => f(unravel(i, shape))), dtype };
}

export const scalar = (value: number, dtype?: DType): Plain => ({ shape: [], data: [value], dtype });
export const withDType = (x: Plain, dtype: DType | undefined): Plain => ({ ...x, dtype });
const normAxis = (a: number, rank: number) => (a < 0 ? a + rank : a);

/** NumPy broadcasting of any number of arrays, then `f` element by element. */
export function zip(f: (...values: number[]) => number, xs: readonly Plain[], dtype?: DType): Plain {
  const rank = Math.max(0, ...xs.map((x) => x.shape.length));
  const shape = Array.from({ length: rank }, (_, d) =>
    Math.max(...xs.map((x) => x.shape[d - rank + x.shape.length] ?? 1)));
  const at = (x: Plain, index: number[]) =>
    get(x, index.slice(rank - x.shape.length).map((i, d) => (x.shape[d] === 1 ? 0 : i)));
  return tabulate(shape, (index) => f(...xs.map((x) => at(x, index))), dtype);
}

export const map = (x: Plain, f: (v: number) => number, dtype?: DType): Plain => zip(f, [x], dtype);

/** Folds the values along `axes` (all when null); `fold` sees them in row-major order of those axes. */
export function reduce(
  x: Plain, axes: number | readonly number[] | null, keepdims: boolean,
  fold: (values: number[]) => number, dtype?: DType,
): Plain {
  const rank = x.shape.length;
  const list = axes === null ? x.shape.map((_, i) => i) : (typeof axes === 'number' ? [axes] : [...axes]).map((a) => normAxis(a, rank));
  const outShape = keepdims
    ? x.shape.map((d, i) => (list.includes(i) ? 1 : d))
    : x.shape.filter((_, i) => !list.includes(i));
  const groups = new Map<string, number[]>();
  x.data.forEach((v, i) => {
    const index = unravel(i, x.shape);
    const key = (keepdims ? index.map((k, d) => (list.includes(d) ? 0 : k)) : index.filter((_, d) => !list.includes(d))).join(',');
    const group = groups.get(key) ?? [];
    group.push(v);
    groups.set(key, group);
  });
  return tabulate(outShape, (index) => fold(groups.get(index.join(','))!), dtype);
}

export const total = (values: number[]) => values.reduce((a, b) => a + b, 0);
/** The first index of the best value, or of the first NaN when there is one (JAX's argmax and argmin). */
export const argBest = (better: (a: number, b: number) => boolean) => (values: number[]) => {
  const nan = values.findIndex(Number.isNaN);
  return nan >= 0 ? nan : values.reduce((best, v, i) => (better(v, values[best]) ? i : best), 0);
};

/** Axes permuted: output axis j is input axis perm[j]. */
export function permute(x: Plain, perm: readonly number[]): Plain {
  return tabulate(perm.map((p) => x.shape[p]), (index) => {
    const src: number[] = [];
    perm.forEach((p, j) => (src[p] = index[j]));
    return get(x, src);
  }, x.dtype);
}

/** Theano's dimshuffle: 'x' inserts a size-1 axis, leaving out a size-1 axis drops it. */
export function dimshuffle(x: Plain, pattern: readonly (number | 'x')[]): Plain {
  return tabulate(pattern.map((p) => (p === 'x' ? 1 : x.shape[p])), (index) => {
    const src = x.shape.map(() => 0);
    pattern.forEach((p, j) => {
      if (p !== 'x') src[p] = index[j];
    });
    return get(x, src);
  }, x.dtype);
}

/** The same numbers in a new shape (one entry may be -1). */
export function reshape(x: Plain, shape: readonly number[]): Plain {
  const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const resolved = shape.map((d) => (d === -1 ? x.data.length / known : d));
  if (sizeOf(resolved) !== x.data.length) throw new Error('plain: bad reshape');
  return { shape: resolved, data: x.data, dtype: x.dtype };
}

/** NumPy's dot for vectors and matrices. */
export function dot(a: Plain, b: Plain): Plain {
  const A = a.shape.length === 1 ? reshape(a, [1, -1]) : a;
  const B = b.shape.length === 1 ? reshape(b, [-1, 1]) : b;
  const full = tabulate([A.shape[0], B.shape[1]], ([i, j]) => {
    let s = 0;
    for (let p = 0; p < A.shape[1]; p++) s += get(A, [i, p]) * get(B, [p, j]);
    return s;
  });
  return reshape(full, [...(a.shape.length === 2 ? [a.shape[0]] : []), ...(b.shape.length === 2 ? [b.shape[1]] : [])]);
}

/** The positions Python's x[start:stop:step] picks from an axis of `size` (CPython's slice.indices). */
export function sliceIndices(size: number, start: number | null, stop: number | null, step: number | null): number[] {
  const s = step ?? 1;
  const out: number[] = [];
  if (s > 0) {
    const lo = start === null ? 0 : start < 0 ? Math.max(0, start + size) : Math.min(start, size);
    const hi = stop === null ? size : stop < 0 ? Math.max(0, stop + size) : Math.min(stop, size);
    for (let i = lo; i < hi; i += s) out.push(i);
  } else {
    const lo = start === null ? size - 1 : start < 0 ? Math.max(-1, start + size) : Math.min(start, size - 1);
    const hi = stop === null ? -1 : stop < 0 ? Math.max(-1, stop + size) : Math.min(stop, size - 1);
    for (let i = lo; i > hi; i += s) out.push(i);
  }
  return out;
}

/** One entry of a basic index: an integer (drops the axis) or the list of positions a slice picks. */
export type BasicEntry = number | readonly number[];

/** Every (source index, region index) pair of a basic index; the region has the listed axes only. */
function basicPairs(
  shape: readonly number[], entries: readonly BasicEntry[],
): { region: number[]; pairs: [number[], number[]][] } {
  const lists = shape.map((n, d) => {
    const e = entries[d];
    if (e === undefined) return { keep: true, pos: Array.from({ length: n }, (_, i) => i) };
    if (typeof e === 'number') return { keep: false, pos: [e < 0 ? e + n : e] };
    return { keep: true, pos: [...e] };
  });
  const region = lists.filter((l) => l.keep).map((l) => l.pos.length);
  const pairs: [number[], number[]][] = [];
  const walk = (d: number, src: number[], dst: number[]) => {
    if (d === lists.length) return void pairs.push([src, dst]);
    lists[d].pos.forEach((p, k) => walk(d + 1, [...src, p], lists[d].keep ? [...dst, k] : dst));
  };
  walk(0, [], []);
  return { region, pairs };
}

export function basicIndex(x: Plain, entries: readonly BasicEntry[]): Plain {
  const { region, pairs } = basicPairs(x.shape, entries);
  const values = new Map(pairs.map(([src, dst]) => [dst.join(','), get(x, src)]));
  return tabulate(region, (index) => values.get(index.join(','))!, x.dtype);
}

/** `x` with `y` (broadcast to the region) added into, or written over, a basic index's region. */
export function basicIncrement(x: Plain, entries: readonly BasicEntry[], y: Plain, set: boolean): Plain {
  const { region, pairs } = basicPairs(x.shape, entries);
  const yb = zip((v) => v, [y, tabulate(region, () => 0)]);
  const out = [...x.data];
  for (const [src, dst] of pairs) {
    const flat = src.reduce((f, i, d) => f * x.shape[d] + i, 0);
    out[flat] = (set ? 0 : out[flat]) + get(yb, dst);
  }
  return { shape: x.shape, data: out, dtype: x.dtype };
}

/** NumPy's x[i0, i1, ...] for int arrays on the leading axes (broadcast together, negatives wrap). */
export function advancedIndex(x: Plain, indices: readonly Plain[]): Plain {
  const lead = zip(() => 0, indices).shape;
  const rest = x.shape.slice(indices.length);
  const broadcast = indices.map((ix) => zip((v) => v, [ix, tabulate(lead, () => 0)]));
  const picks = (index: number[]) => broadcast.map((ix, d) => {
    const raw = get(ix, index.slice(0, lead.length));
    return raw < 0 ? raw + x.shape[d] : raw;
  });
  return tabulate([...lead, ...rest], (index) => get(x, [...picks(index), ...index.slice(lead.length)]), x.dtype);
}

/** np.add.at (or assignment) of y, broadcast to the picked region, into x: repeated indices accumulate. */
export function advancedIncrement(x: Plain, indices: readonly Plain[], y: Plain, set: boolean): Plain {
  const picked = advancedIndex(tabulate(x.shape, (index) => index.reduce((f, i, d) => f * x.shape[d] + i, 0)), indices);
  const yb = zip((v) => v, [y, tabulate(picked.shape, () => 0)]);
  const out = [...x.data];
  picked.data.forEach((flat, k) => (out[flat] = (set ? 0 : out[flat]) + yb.data[k]));
  return { shape: x.shape, data: out, dtype: x.dtype };
}

export function concatenate(xs: readonly Plain[], axis: number): Plain {
  const shape = [...xs[0].shape];
  shape[axis] = xs.reduce((s, x) => s + x.shape[axis], 0);
  return tabulate(shape, (index) => {
    let i = index[axis];
    for (const x of xs) {
      if (i < x.shape[axis]) return get(x, index.map((k, d) => (d === axis ? i : k)));
      i -= x.shape[axis];
    }
    throw new Error('plain: concatenate');
  });
}

/** softmax (or log-softmax) along the last axis, from its definition with the max subtracted. */
export function softmax(x: Plain, log = false): Plain {
  const last = x.shape.length - 1;
  const rowMax = reduce(x, last, true, (v) => Math.max(...v));
  const shifted = zip((v, m) => v - m, [x, rowMax]);
  const logTotal = reduce(shifted, last, true, (v) => Math.log(total(v.map(Math.exp))));
  return zip((v, lt) => (log ? v - lt : Math.exp(v - lt)), [shifted, logTotal]);
}

/**
 * True 2-D convolution summed over channels: full[b,k,i,j] = Σ_c Σ_u Σ_v x[b,c,i-u,j-v] w[k,c,u,v]
 * (zero outside x); 'valid' keeps the positions where the filter lies wholly inside x.
 */
export function conv2d(x: Plain, w: Plain, mode: 'valid' | 'full'): Plain {
  const [B, C, H, W] = x.shape;
  const [K, , kh, kw] = w.shape;
  const full = tabulate([B, K, H + kh - 1, W + kw - 1], ([b, k, i, j]) => {
    let s = 0;
    for (let c = 0; c < C; c++)
      for (let u = 0; u < kh; u++)
        for (let v = 0; v < kw; v++) {
          if (i - u >= 0 && i - u < H && j - v >= 0 && j - v < W) {
            s += get(x, [b, c, i - u, j - v]) * get(w, [k, c, u, v]);
          }
        }
    return s;
  });
  if (mode === 'full') return full;
  return tabulate([B, K, H - kh + 1, W - kw + 1], ([b, k, i, j]) => get(full, [b, k, i + kh - 1, j + kw - 1]));
}

/** Max over non-overlapping [ph, pw] windows of the last two axes; partial border windows unless ignoreBorder. */
export function maxPool(x: Plain, [ph, pw]: readonly [number, number], ignoreBorder: boolean): Plain {
  const r = x.shape.length;
  const [H, W] = [x.shape[r - 2], x.shape[r - 1]];
  const round = ignoreBorder ? Math.floor : Math.ceil;
  return tabulate([...x.shape.slice(0, -2), round(H / ph), round(W / pw)], (index) => {
    const [i, j] = index.slice(-2);
    let best = -Infinity;
    for (let u = i * ph; u < Math.min(H, (i + 1) * ph); u++)
      for (let v = j * pw; v < Math.min(W, (j + 1) * pw); v++) {
        best = Math.max(best, get(x, [...index.slice(0, -2), u, v]));
      }
    return best;
  });
}
