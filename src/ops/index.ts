// ops/: every op declaration, by family, and the method syntax on variables.
import { provideMethodOps } from '../graph/variable.js';
import { methodOps } from './methods.js';
import { elementwiseOps, castOp } from './elementwise.js';
import { reduceOps } from './reduce.js';
import { arangeOp, broadcastLikeOp, concatenateOp, dimshuffleOp, makeVectorOp, reshapeOp, shapeOp, splitOp } from './shape.js';
import { dotOp, gemmOp } from './linalg.js';
import { advancedIncSubtensorOp, advancedSubtensorOp, incSubtensorOp, subtensorOp } from './indexing.js';
import { logSoftmaxOp, softmaxCrossentropyGradOp, softmaxCrossentropyOp, softmaxOp } from './nnet.js';
import { conv2dInputGradOp, conv2dOp, conv2dWeightGradOp, maxPool2dGradOp, maxPool2dOp } from './conv.js';
import { randomUniformOp } from './random.js';

provideMethodOps(methodOps);

/** Every primitive op, by name: backends must give a kernel for each (KernelTable is keyed by these). */
export const allOps = {
  ...elementwiseOps,
  cast: castOp,
  ...reduceOps,
  dimshuffle: dimshuffleOp,
  shape: shapeOp,
  broadcastLike: broadcastLikeOp,
  makeVector: makeVectorOp,
  reshape: reshapeOp,
  arange: arangeOp,
  concatenate: concatenateOp,
  split: splitOp,
  dot: dotOp,
  gemm: gemmOp,
  subtensor: subtensorOp,
  incSubtensor: incSubtensorOp,
  advancedSubtensor: advancedSubtensorOp,
  advancedIncSubtensor: advancedIncSubtensorOp,
  softmax: softmaxOp,
  logSoftmax: logSoftmaxOp,
  softmaxCrossentropy: softmaxCrossentropyOp,
  softmaxCrossentropyGrad: softmaxCrossentropyGradOp,
  conv2d: conv2dOp,
  conv2dInputGrad: conv2dInputGradOp,
  conv2dWeightGrad: conv2dWeightGradOp,
  maxPool2d: maxPool2dOp,
  maxPool2dGrad: maxPool2dGradOp,
  randomUniform: randomUniformOp,
};

export type OpName = keyof typeof allOps;

export * from './define-op.js';
export * from './elementwise.js';
export * from './reduce.js';
export * from './shape.js';
export * from './linalg.js';
export * from './indexing.js';
export * from './nnet.js';
export * from './conv.js';
export * from './random.js';
