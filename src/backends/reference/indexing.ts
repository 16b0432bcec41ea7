// Indexing kernels: basic subtensors as strided views (copied), advanced ones by index arrays, and the
// increments that scatter gradients back.
import { broadcastShapes, broadcastStrides, NDArray, sameShape, sizeOf, stridesOf, type TypedArray } from '../../ndarray/index.js';
import { type Bound, type IndexEntry, type indexingOps, resolveSlice } from '../../ops/index.js';
import type { KernelsFor } from '../backend.js';
import { checkBroadcast, contiguousTail, gather, walk } from './strided.js';

export interface View {
  shape: number[];
  strides: number[];
  offset: number;
}

/** The strided view of `shape` that `entries` select, with bounds read from the bound inputs. */
export function basicView(shape: readonly number[], entries: readonly IndexEntry[], bounds: readonly NDArray[]): View {
  const own = stridesOf(shape);
  const value = (b: Bound | null) => (b === null ? null : typeof b === 'number' ? b : bounds[b.input].data[0]);
  const view: View = { shape: [], strides: [], offset: 0 };
  shape.forEach((size, axis) => {
    const e = entries[axis];
    if (!e) {
      view.shape.push(size);
      view.strides.push(own[axis]);
    } else if (e.kind === 'index') {
      const raw = value(e.at)!;
      const i = raw < 0 ? raw + size : raw;
      if (i < 0 || i >= size) throw new Error(`subtensor: index ${raw} is out of range for axis ${axis} of size ${size}`);
      view.offset += i * own[axis];
    } else {
      const [first, step, length] = resolveSlice(value(e.start), value(e.stop), value(e.step), size);
      view.offset += first * own[axis];
      view.shape.push(length);
      view.strides.push(step * own[axis]);
    }
  });
  return view;
}

/** Adds (or writes) y, broadcast, into the elements of `target` that a view addresses. */
function scatterInto(target: TypedArray, v: View, y: NDArray, set: boolean): void {
  const ys = y.data;
  const { axes, block } = contiguousTail(v.shape, v.strides);
  if (block > 1 && sameShape(y.shape, v.shape)) {
    // Whole contiguous blocks of y (a gradient written into rows): one loop each.
    const outer = v.shape.length - axes;
    walk(v.shape.slice(0, outer), [v.strides.slice(0, outer)], (i, [t]) => {
      const [from, to] = [i * block, v.offset + t];
      if (set) target.set(ys.subarray(from, from + block), to);
      else for (let k = 0; k < block; k++) target[to + k] += ys[from + k];
    });
    return;
  }
  walk(v.shape, [v.strides, broadcastStrides(y.shape, v.shape)], (_i, [t, s]) => {
    target[v.offset + t] = set ? ys[s] : target[v.offset + t] + ys[s];
  });
}

/** For each element of the broadcast index arrays, the flat offset of the row of x it picks. */
function advancedOffsets(
  x: NDArray, indices: readonly NDArray[],
): { shape: number[]; offsets: Int32Array; rowSize: number } {
  const shape = broadcastShapes(...indices.map((i) => i.shape));
  const strides = stridesOf(x.shape);
  const offsets = new Int32Array(sizeOf(shape));
  walk(shape, indices.map((i) => broadcastStrides(i.shape, shape)), (n, pos) => {
    let off = 0;
    indices.forEach((idx, axis) => {
      const raw = idx.data[pos[axis]];
      const size = x.shape[axis];
      const i = raw < 0 ? raw + size : raw;
      if (i < 0 || i >= size) throw new Error(`advancedSubtensor: index ${raw} is out of range for axis ${axis} of size ${size}`);
      off += i * strides[axis];
    });
    offsets[n] = off;
  });
  return { shape, offsets, rowSize: sizeOf(x.shape.slice(indices.length)) };
}

/** Indexing kernels, by op. */
export const indexingKernels: KernelsFor<typeof indexingOps> = {
  subtensor: ([x, ...bounds], attrs) => {
    const v = basicView(x.shape, attrs.entries as IndexEntry[], bounds);
    return [gather(x.data, v.shape, v.strides, v.offset, x.dtype)];
  },
  incSubtensor: ([x, y, ...bounds], attrs, node, allocate) => {
    const out = allocate(x.dtype, x.shape);
    out.data.set(x.data);
    const view = basicView(x.shape, attrs.entries as IndexEntry[], bounds);
    checkBroadcast('incSubtensor', 'y', node.inputs[1].type, y.shape, view.shape);
    scatterInto(out.data, view, y, attrs.set as boolean);
    return [out];
  },
  advancedSubtensor: ([x, ...indices]) => {
    const { shape, offsets, rowSize } = advancedOffsets(x, indices);
    const out = new NDArray(x.dtype, [...shape, ...x.shape.slice(indices.length)]);
    offsets.forEach((off, n) => out.data.set(x.data.subarray(off, off + rowSize), n * rowSize));
    return [out];
  },
  advancedIncSubtensor: ([x, y, ...indices], attrs, node, allocate) => {
    const { shape, offsets, rowSize } = advancedOffsets(x, indices);
    const regionShape = [...shape, ...x.shape.slice(indices.length)];
    checkBroadcast('advancedIncSubtensor', 'y', node.inputs[1].type, y.shape, regionShape);
    const out = allocate(x.dtype, x.shape);
    out.data.set(x.data);
    const set = attrs.set as boolean;
    // Repeated indices accumulate (np.add.at semantics), as an embedding gradient needs.
    if (sameShape(y.shape, regionShape)) {
      // Whole rows of y, one per index (the embedding gradient): row by row, without a walk.
      offsets.forEach((off, n) => {
        const row = y.data.subarray(n * rowSize, (n + 1) * rowSize);
        if (set) out.data.set(row, off);
        else for (let k = 0; k < rowSize; k++) out.data[off + k] += row[k];
      });
      return [out];
    }
    const yb = broadcastStrides(y.shape, regionShape);
    walk(regionShape, [yb], (n, [s]) => {
      const t = offsets[Math.floor(n / rowSize)] + (n % rowSize);
      out.data[t] = set ? y.data[s] : out.data[t] + y.data[s];
    });
    return [out];
  },
};
