// Convolution (im2col and gemm) and max-pooling over [B, C, H, W] images on the native backend.
import { sizeOf, type NDArray } from '../../ndarray/index.js';
import type { ConvMode, convOps, PoolAttrs } from '../../ops/index.js';
import type { FloatArray, NativeAddon } from './addon.js';
import type { NativeKernelsFor } from './fallbacks.js';
import { convKernels as referenceConv } from '../reference/conv.js';

/**
 * In 'full' mode im2col's zero padding meets every filter tap, and 0 · NaN or 0 · Inf would spread a
 * non-finite filter entry (or output gradient, for the filters' gradient) to outputs whose sum never
 * holds it. Such calls take the reference loops, which skip the padding; the check reads only the
 * smaller operand, so finite calls keep the gemm path at no measurable cost.
 */
const spreadsThroughPadding = (mode: unknown, operand: NDArray) => mode === 'full' && !operand.data.every(Number.isFinite);

/** Convolution and pooling kernels, by op. */
export function convKernels(addon: NativeAddon): NativeKernelsFor<typeof convOps> {
  return {
    conv2d: ([x, w], attrs, node, allocate) => {
      if (spreadsThroughPadding(attrs.mode, w)) return referenceConv.conv2d([x, w], attrs, node, allocate);
      const mode = attrs.mode as ConvMode;
      const [B, C, H, W] = x.shape;
      const [K, , kh, kw] = w.shape;
      const grow = mode === 'valid' ? -1 : 1;
      const out = allocate(x.dtype, [B, K, H + grow * (kh - 1), W + grow * (kw - 1)]);
      addon.conv2d(x.data as FloatArray, B, C, H, W, w.data as FloatArray, K, kh, kw, mode === 'valid' ? 0 : 1, out.data as FloatArray);
      return [out];
    },
    conv2dInputGrad: ([gy, w], attrs, _node, allocate) => {
      const [B, K, oh, ow] = gy.shape;
      const [, C, kh, kw] = w.shape;
      const grow = attrs.mode === 'valid' ? 1 : -1;
      const [H, W] = [oh + grow * (kh - 1), ow + grow * (kw - 1)];
      const gx = allocate(gy.dtype, [B, C, H, W]);
      addon.conv2dInputGrad(gy.data as FloatArray, B, C, H, W, w.data as FloatArray, K, oh, ow, kh, kw, attrs.mode === 'valid' ? 0 : 1, gx.data as FloatArray);
      return [gx];
    },
    conv2dWeightGrad: ([x, gy], attrs, node, allocate) => {
      if (spreadsThroughPadding(attrs.mode, gy)) return referenceConv.conv2dWeightGrad([x, gy], attrs, node, allocate);
      const [kh, kw] = attrs.filterShape as number[];
      const [B, C, H, W] = x.shape;
      const [, K, oh, ow] = gy.shape;
      const out = allocate(x.dtype, [K, C, kh, kw]);
      addon.conv2dWeightGrad(x.data as FloatArray, B, C, H, W, gy.data as FloatArray, K, oh, ow, kh, kw, attrs.mode === 'valid' ? 0 : 1, out.data as FloatArray);
      return [out];
    },
    maxPool2d: ([x], attrs, _node, allocate) => {
      const { pool, ignoreBorder } = attrs as PoolAttrs;
      const [H, W] = x.shape.slice(-2);
      const round = ignoreBorder ? Math.floor : Math.ceil;
      const out = allocate(x.dtype, [...x.shape.slice(0, -2), round(H / pool[0]), round(W / pool[1])]);
      addon.maxPool2d(
        x.data as FloatArray, sizeOf(x.shape.slice(0, -2)), 1, H, W,
        pool[0], pool[1], ignoreBorder, out.data as FloatArray,
      );
      return [out];
    },
    maxPool2dGrad: ([x, y, gy], attrs, _node, allocate) => {
      const { pool, ignoreBorder } = attrs as PoolAttrs;
      const [H, W] = x.shape.slice(-2);
      const gx = allocate(x.dtype, x.shape);
      addon.maxPool2dGrad(
        x.data as FloatArray, y.data as FloatArray, gy.data as FloatArray, sizeOf(x.shape.slice(0, -2)), 1, H, W,
        pool[0], pool[1], ignoreBorder, gx.data as FloatArray,
      );
      return [gx];
    },
  };
}
