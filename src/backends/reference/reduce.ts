// Reduction kernels: every element is folded into the output slot its kept axes address.
import { allocate, NDArray, sizeOf, stridesOf } from '../../ndarray/index.js';
import type { CumsumAttrs, ReduceAttrs, reduceOps } from '../../ops/index.js';
import type { Kernel, KernelsFor } from '../backend.js';
import { walk } from './strided.js';

type Fold = { init: number; step: (acc: number, x: number) => number };

const folds: Record<'sum' | 'prod' | 'max' | 'min', Fold> = {
  sum: { init: 0, step: (a, x) => a + x },
  prod: { init: 1, step: (a, x) => a * x },
  max: { init: -Infinity, step: (a, x) => (x > a || Number.isNaN(x) ? x : a) },
  min: { init: Infinity, step: (a, x) => (x < a || Number.isNaN(x) ? x : a) },
};

/** Strides that map each input element to its output slot (0 along reduced axes). */
function outputStrides(shape: readonly number[], axes: readonly number[]): number[] {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const strides = stridesOf(kept);
  return strides.map((s, i) => (axes.includes(i) ? 0 : s));
}

function outputShape(shape: readonly number[], { axes, keepdims }: ReduceAttrs): number[] {
  return keepdims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

function foldKernel(fold: Fold): Kernel {
  return ([x], attrs) => {
    const a = attrs as ReduceAttrs;
    const shape = outputShape(x.shape, a);
    // Accumulate in float64 whatever the dtype, so float32 sums keep their accuracy.
    const acc = new Float64Array(sizeOf(shape)).fill(fold.init);
    const xs = x.data;
    walk(x.shape, [outputStrides(x.shape, a.axes)], (i, [o]) => {
      acc[o] = fold.step(acc[o], xs[i]);
    });
    const out = allocate(x.dtype, acc.length);
    out.set(acc);
    return [new NDArray(x.dtype, shape, out)];
  };
}

function argKernel(better: (x: number, best: number) => boolean): Kernel {
  return ([x], attrs) => {
    const a = attrs as ReduceAttrs;
    const shape = outputShape(x.shape, a);
    const best = new Float64Array(sizeOf(shape)).fill(NaN);
    const arg = new Int32Array(best.length).fill(-1);
    // The position along the reduced axes, counted in row-major order of those axes.
    const reducedShape = a.axes.map((ax) => x.shape[ax]);
    const reducedStrides = stridesOf(reducedShape);
    const posStrides = x.shape.map((_, i) => (a.axes.includes(i) ? reducedStrides[a.axes.indexOf(i)] : 0));
    const xs = x.data;
    walk(x.shape, [outputStrides(x.shape, a.axes), posStrides], (i, [o, pos]) => {
      if (arg[o] < 0 || better(xs[i], best[o])) {
        best[o] = xs[i];
        arg[o] = pos;
      }
    });
    return [new NDArray('int32', shape, arg)];
  };
}

/** Reduction kernels, by op. */
export const reduceKernels: KernelsFor<typeof reduceOps> = {
  sum: foldKernel(folds.sum),
  prod: foldKernel(folds.prod),
  max: foldKernel(folds.max),
  min: foldKernel(folds.min),
  argmax: argKernel((x, best) => x > best || (Number.isNaN(x) && !Number.isNaN(best))),
  argmin: argKernel((x, best) => x < best || (Number.isNaN(x) && !Number.isNaN(best))),
  cumsum: ([x], attrs) => {
    const { axis, reverse } = attrs as CumsumAttrs;
    const out = new NDArray(x.dtype, x.shape);
    const [n, inner] = [x.shape[axis], sizeOf(x.shape.slice(axis + 1))];
    for (let outer = 0; outer < x.size / (n * inner || 1); outer++) {
      for (let j = 0; j < inner; j++) {
        let total = 0;
        for (let k = 0; k < n; k++) {
          const i = (outer * n + (reverse ? n - 1 - k : k)) * inner + j;
          total += x.data[i];
          out.data[i] = total;
        }
      }
    }
    return [out];
  },
};
