// Reductions on the native backend: each run of neighbouring axes reduced in place as [outer, n, inner].
import { NDArray, sizeOf, stridesOf } from '../../ndarray/index.js';
import type { ReduceAttrs, reduceOps } from '../../ops/index.js';
import { allocateFresh, type Kernel } from '../backend.js';
import type { NativeAddon } from './addon.js';
import type { NativeKernelsFor } from './fallbacks.js';
import { copyView } from './elementwise.js';

type Reduction = keyof NativeKernelsFor<typeof reduceOps>;

/** Sorted axes as maximal runs of neighbours: [0, 2, 3] → [[0], [2, 3]]. */
function axisRuns(axes: readonly number[]): number[][] {
  const runs: number[][] = [];
  for (const a of axes) {
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] === a - 1) last.push(a);
    else runs.push([a]);
  }
  return runs;
}

function reduceKernel(addon: NativeAddon, name: Reduction): Kernel {
  const isArg = name === 'argmax' || name === 'argmin';
  /** One contiguous run reduced in place of [outer, n, inner] with no copy. */
  const reduceRun = (x: NDArray, shape: readonly number[], run: readonly number[], out: NDArray) => {
    const [first, last] = [run[0], run[run.length - 1]];
    addon.reduce(
      name, x.data,
      sizeOf(shape.slice(0, first)), sizeOf(shape.slice(first, last + 1)), sizeOf(shape.slice(last + 1)),
      out.data,
    );
  };
  return ([x], attrs, node, allocate) => {
    const { axes, keepdims } = attrs as ReduceAttrs;
    const dtype = node.outputs[0].type.dtype;
    const outShape = keepdims
      ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
      : x.shape.filter((_, i) => !axes.includes(i));
    const out = allocate(dtype, outShape);
    const runs = axisRuns(axes);
    if (axes.length === 0) {
      out.data.set(isArg ? new Int32Array(out.size) : x.data);
    } else if (runs.length === 1) {
      reduceRun(x, x.shape, runs[0], out);
    } else if (!isArg) {
      // sum, prod, max and min compose: reduce the runs one at a time, last first, with no transposes.
      let current = x;
      let shape = [...x.shape];
      for (let r = runs.length - 1; r >= 0; r--) {
        const next = shape.map((d, i) => (runs[r].includes(i) ? 1 : d));
        const target = r === 0 ? out : new NDArray(dtype, next);
        reduceRun(current, shape, runs[r], target);
        [current, shape] = [target, next];
      }
    } else {
      // An arg-reduction over several runs counts positions across all of them: move them last first.
      const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
      const order = [...kept, ...axes];
      const strides = stridesOf(x.shape);
      const moved = copyView(addon, x, order.map((i) => x.shape[i]), order.map((i) => strides[i]), 0, allocateFresh);
      addon.reduce(
        name, moved.data, sizeOf(kept.map((i) => x.shape[i])), sizeOf(axes.map((i) => x.shape[i])), 1, out.data,
      );
    }
    return [out];
  };
}

/** Reduction kernels, by op. */
export function reduceKernels(addon: NativeAddon): NativeKernelsFor<typeof reduceOps> {
  const kernel = (name: Reduction) => reduceKernel(addon, name);
  return {
    sum: kernel('sum'), prod: kernel('prod'), max: kernel('max'), min: kernel('min'),
    argmax: kernel('argmax'), argmin: kernel('argmin'),
  };
}
