// Convolution and pooling by direct loops: the definition the native im2col kernels are checked against.
import { NDArray } from '../../ndarray/index.js';
import type { ConvMode, convOps, PoolAttrs } from '../../ops/index.js';
import type { KernelsFor } from '../backend.js';
import { scalarFunctions } from './elementwise.js';

/** Equal, or both NaN: how pooling's gradient finds the element a window's max came from. */
const sameValue = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));

/** Calls visit(b, k, c, i, j, u, v) for every term x[b,c,i-u',j-v'] · w[k,c,u,v] of a convolution. */
function convTerms(
  xShape: readonly number[], kernelRows: number, kernelCols: number, outShape: readonly number[],
  mode: ConvMode, visit: (xi: number, wi: number, oi: number) => void,
): void {
  const [B, C, H, W] = xShape;
  const [, K, OH, OW] = outShape;
  // valid: out[i] = Σ_u x[i + u] w[kh-1-u]; full: out[i] = Σ_u x[i - u] w[u] (zero outside x).
  for (let b = 0; b < B; b++)
    for (let k = 0; k < K; k++)
      for (let c = 0; c < C; c++)
        for (let i = 0; i < OH; i++)
          for (let j = 0; j < OW; j++)
            for (let u = 0; u < kernelRows; u++)
              for (let v = 0; v < kernelCols; v++) {
                const [r, s] = mode === 'valid' ? [i + kernelRows - 1 - u, j + kernelCols - 1 - v] : [i - u, j - v];
                if (r < 0 || r >= H || s < 0 || s >= W) continue;
                visit(
                  ((b * C + c) * H + r) * W + s,
                  ((k * C + c) * kernelRows + u) * kernelCols + v,
                  ((b * K + k) * OH + i) * OW + j,
                );
              }
}

function convShape(x: readonly number[], w: readonly number[], mode: ConvMode): number[] {
  const grow = mode === 'valid' ? -1 : 1;
  return [x[0], w[0], x[2] + grow * (w[2] - 1), x[3] + grow * (w[3] - 1)];
}

/** Calls visit(outIndex, inIndex) for each input element of each pooling window, window by window. */
function poolWindows(
  shape: readonly number[], { pool: [ph, pw], ignoreBorder }: PoolAttrs, visit: (o: number, i: number) => void,
): number[] {
  const H = shape[shape.length - 2];
  const W = shape[shape.length - 1];
  const round = ignoreBorder ? Math.floor : Math.ceil;
  const [OH, OW] = [round(H / ph), round(W / pw)];
  const planes = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  for (let p = 0; p < planes; p++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++)
        for (let u = i * ph; u < Math.min((i + 1) * ph, H); u++)
          for (let v = j * pw; v < Math.min((j + 1) * pw, W); v++) visit((p * OH + i) * OW + j, (p * H + u) * W + v);
  return [...shape.slice(0, -2), OH, OW];
}

/** Convolution and pooling kernels, by op. */
export const convKernels: KernelsFor<typeof convOps> = {
  conv2d: ([x, w], attrs) => {
    const shape = convShape(x.shape, w.shape, attrs.mode as ConvMode);
    const acc = new Float64Array(shape.reduce((a, b) => a * b, 1));
    convTerms(
      x.shape, w.shape[2], w.shape[3], shape, attrs.mode as ConvMode,
      (xi, wi, oi) => (acc[oi] += x.data[xi] * w.data[wi]),
    );
    const out = new NDArray(x.dtype, shape);
    out.data.set(acc);
    return [out];
  },
  conv2dInputGrad: ([gy, w], attrs) => {
    const mode = attrs.mode as ConvMode;
    const [, , kh, kw] = w.shape;
    const grow = mode === 'valid' ? 1 : -1;
    const shape = [gy.shape[0], w.shape[1], gy.shape[2] + grow * (kh - 1), gy.shape[3] + grow * (kw - 1)];
    const acc = new Float64Array(shape.reduce((a, b) => a * b, 1));
    convTerms(shape, kh, kw, gy.shape, mode, (xi, wi, oi) => (acc[xi] += w.data[wi] * gy.data[oi]));
    const out = new NDArray(gy.dtype, shape);
    out.data.set(acc);
    return [out];
  },
  conv2dWeightGrad: ([x, gy], attrs) => {
    const [kh, kw] = attrs.filterShape as number[];
    const shape = [gy.shape[1], x.shape[1], kh, kw];
    const acc = new Float64Array(shape.reduce((a, b) => a * b, 1));
    convTerms(x.shape, kh, kw, gy.shape, attrs.mode as ConvMode, (xi, wi, oi) => (acc[wi] += x.data[xi] * gy.data[oi]));
    const out = new NDArray(x.dtype, shape);
    out.data.set(acc);
    return [out];
  },
  maxPool2d: ([x], attrs) => {
    const best: number[] = [];
    const shape = poolWindows(x.shape, attrs as PoolAttrs, (o, i) => {
      best[o] = best[o] === undefined ? x.data[i] : scalarFunctions.maximum(best[o], x.data[i]); // NaN wins
    });
    const out = new NDArray(x.dtype, shape);
    out.data.set(best);
    return [out];
  },
  maxPool2dGrad: ([x, y, gy], attrs) => {
    const gx = new NDArray(x.dtype, x.shape);
    const routed = new Uint8Array(y.size);
    // Each window's gradient goes to the first element equal to its max (a NaN max: its first NaN).
    poolWindows(x.shape, attrs as PoolAttrs, (o, i) => {
      if (!routed[o] && sameValue(x.data[i], y.data[o])) {
        gx.data[i] += gy.data[o];
        routed[o] = 1;
      }
    });
    return [gx];
  },
};
