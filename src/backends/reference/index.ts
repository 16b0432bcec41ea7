// The reference backend: plain TypeScript loops in float32 and float64. It defines what each op
// computes and is the oracle every other backend is tested against; clarity before speed.
import { NDArray } from '../../ndarray/index.js';
import type { RandomUniformAttrs } from '../../ops/index.js';
import { philoxUniform } from '../../random/philox.js';
import type { Backend, Kernel, KernelTable } from '../backend.js';
import { castKernel, elementwiseKernels } from './elementwise.js';
import { reduceKernels } from './reduce.js';
import { arangeKernel, broadcastLikeKernel, concatenateKernel, dimshuffleKernel, makeVectorKernel, reshapeKernel, shapeKernel, splitKernel } from './shape.js';
import { dotKernel, gemmKernel } from './linalg.js';
import { advancedIncSubtensorKernel, advancedSubtensorKernel, incSubtensorKernel, subtensorKernel } from './indexing.js';
import { logSoftmaxKernel, softmaxCrossentropyGradKernel, softmaxCrossentropyKernel, softmaxKernel } from './nnet.js';
import { conv2dInputGradKernel, conv2dKernel, conv2dWeightGradKernel, maxPool2dGradKernel, maxPool2dKernel } from './conv.js';

const randomUniformKernel: Kernel = ([counter, shape], attrs) => {
  const { seed, stream, dtype } = attrs as RandomUniformAttrs;
  const out = new NDArray(dtype, Array.from(shape.data));
  philoxUniform(seed, stream, counter.data[0], out.data as Float32Array | Float64Array);
  return [out];
};

export const referenceKernels: KernelTable = {
  ...elementwiseKernels,
  cast: castKernel,
  ...reduceKernels,
  dimshuffle: dimshuffleKernel,
  shape: shapeKernel,
  broadcastLike: broadcastLikeKernel,
  makeVector: makeVectorKernel,
  reshape: reshapeKernel,
  arange: arangeKernel,
  concatenate: concatenateKernel,
  split: splitKernel,
  dot: dotKernel,
  gemm: gemmKernel,
  subtensor: subtensorKernel,
  incSubtensor: incSubtensorKernel,
  advancedSubtensor: advancedSubtensorKernel,
  advancedIncSubtensor: advancedIncSubtensorKernel,
  softmax: softmaxKernel,
  logSoftmax: logSoftmaxKernel,
  softmaxCrossentropy: softmaxCrossentropyKernel,
  softmaxCrossentropyGrad: softmaxCrossentropyGradKernel,
  conv2d: conv2dKernel,
  conv2dInputGrad: conv2dInputGradKernel,
  conv2dWeightGrad: conv2dWeightGradKernel,
  maxPool2d: maxPool2dKernel,
  maxPool2dGrad: maxPool2dGradKernel,
  randomUniform: randomUniformKernel,
};

export const referenceBackend: Backend = { name: 'reference', kernels: referenceKernels };
