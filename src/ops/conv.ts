// Convolution and pooling over the last two axes of image batches: conv2d (true convolution, as
// Theano's conv2d, in 'valid' and 'full' modes) and non-overlapping max-pooling, with their gradients.
import type { Op } from '../graph/variable.js';
import { TensorType } from '../graph/type.js';
import type { Variable } from '../graph/variable.js';
import { apply1, asVariable, asVariables, defineOp, typeError, opTable, type TensorLike } from './define-op.js';

export type ConvMode = 'valid' | 'full';

function convOutSize(n: number | null, k: number | null, mode: ConvMode): number | null {
  if (n === null || k === null) return null;
  return mode === 'valid' ? n - k + 1 : n + k - 1;
}

export const conv2dOp: Op<{ mode: ConvMode }, 'conv2d'> = defineOp({
  name: 'conv2d',
  inputs: ['x', 'filters'],
  type: ([x, w], { mode }: { mode: ConvMode }) => {
    const names = ['x', 'filters'];
    if (x.rank !== 4 || w.rank !== 4) throw typeError('conv2d', names, [x, w], 'x must be [batch, channels, rows, cols] and filters [out, channels, rows, cols]');
    if (x.dtype === 'int32' || w.dtype !== x.dtype) throw typeError('conv2d', names, [x, w], 'both must have the same float dtype');
    if (x.shape[1] !== null && w.shape[1] !== null && x.shape[1] !== w.shape[1]) {
      throw typeError('conv2d', names, [x, w], `channels differ (${x.shape[1]} vs ${w.shape[1]})`);
    }
    const rows = convOutSize(x.shape[2], w.shape[2], mode);
    const cols = convOutSize(x.shape[3], w.shape[3], mode);
    if ((rows !== null && rows < 1) || (cols !== null && cols < 1)) throw typeError('conv2d', names, [x, w], `filters are larger than the images in '${mode}' mode`);
    return [new TensorType(x.dtype, [x.shape[0], w.shape[0], rows, cols])];
  },
  grad: ([x, w], _y, [gy], { mode }): (Variable | null)[] => {
    if (!gy) return [null, null];
    // The input gradient equals a convolution of gy with the filters' channels swapped and flipped, in
    // the opposite mode; its own primitive skips the zero padding that form would multiply.
    const gx: Variable = apply1(conv2dInputGradOp, [gy, w], { mode });
    const gw = apply1(conv2dWeightGradOp, [x, gy], { mode, filterShape: [w.type.shape[2], w.type.shape[3]] });
    return [gx, gw];
  },
});

export const conv2dInputGradOp = defineOp({
  name: 'conv2dInputGrad',
  inputs: ['gy', 'filters'],
  type: ([gy, w], { mode }: { mode: ConvMode }) => {
    // Image sizes follow from the output's: valid shrank them by k - 1, full grew them by k - 1.
    const back = (n: number | null, k: number | null) => (n === null || k === null ? null : mode === 'valid' ? n + k - 1 : n - k + 1);
    return [new TensorType(gy.dtype, [
      gy.shape[0], w.shape[1], back(gy.shape[2], w.shape[2]), back(gy.shape[3], w.shape[3]),
    ])];
  },
});

export const conv2dWeightGradOp = defineOp({
  name: 'conv2dWeightGrad',
  inputs: ['x', 'gy'],
  type: ([x, gy], { filterShape }: { mode: ConvMode; filterShape: (number | null)[] }) => {
    if (filterShape.some((d) => d === null)) throw typeError('conv2d', ['x', 'gy'], [x, gy], 'the gradient of the filters needs their size to be known');
    return [new TensorType(x.dtype, [gy.shape[1], x.shape[1], ...filterShape])];
  },
});

/**
 * 2-D convolution of image batches with a filter bank (the filters are flipped, as in Theano's conv2d).
 * @example nb.conv2d(x.reshape([-1, 1, 28, 28]), W) // W: [20, 1, 5, 5] → [batch, 20, 24, 24]
 */
export function conv2d(x: TensorLike, filters: TensorLike, mode: ConvMode = 'valid'): Variable {
  const [xv, wv] = asVariables([x, filters]);
  if (mode !== 'valid' && mode !== 'full') throw new Error(`conv2d: mode must be 'valid' or 'full', not '${String(mode)}'`);
  return apply1(conv2dOp, [xv, wv], { mode });
}

export interface PoolAttrs extends Record<string, unknown> {
  pool: [number, number];
  ignoreBorder: boolean;
}

function pooledSize(n: number | null, p: number, ignoreBorder: boolean): number | null {
  if (n === null) return null;
  return ignoreBorder ? Math.floor(n / p) : Math.ceil(n / p);
}

export const maxPool2dOp = defineOp({
  name: 'maxPool2d',
  inputs: ['x'],
  type: ([x], { pool, ignoreBorder }: PoolAttrs) => {
    if (x.rank < 2) throw typeError('maxPool2d', ['x'], [x], 'pooling needs at least two axes (rows, cols)');
    const lead = x.shape.slice(0, -2);
    return [x.with({
      shape: [
        ...lead,
        pooledSize(x.shape[x.rank - 2], pool[0], ignoreBorder),
        pooledSize(x.shape[x.rank - 1], pool[1], ignoreBorder),
      ],
    })];
  },
  grad: ([x], [y], [gy], attrs) => [gy && apply1(maxPool2dGradOp, [x, y, gy], attrs)],
});

export const maxPool2dGradOp = defineOp({
  name: 'maxPool2dGrad',
  inputs: ['x', 'y', 'gy'],
  type: ([x]) => [x],
});

/**
 * Max over non-overlapping windows of the last two axes. With ignoreBorder false, partial windows at
 * the border are pooled too (the output rounds up).
 * @example nb.maxPool2d(h, [2, 2])
 */
export function maxPool2d(x: TensorLike, pool: readonly [number, number], ignoreBorder = true): Variable {
  if (!pool.every((p) => Number.isInteger(p) && p >= 1)) throw new Error(`maxPool2d: pool [${pool.join(', ')}] must be positive integers`);
  return apply1(maxPool2dOp, [asVariable(x)], { pool: [pool[0], pool[1]], ignoreBorder });
}

/** The convolution and pooling family's ops, by name. */
export const convOps = opTable(conv2dOp, conv2dInputGradOp, conv2dWeightGradOp, maxPool2dOp, maxPool2dGradOp);
