// The op functions behind the method syntax on variables (x.dot(W).add(b).sum()): ops/index.ts hands this
// table to graph/ (provideMethodOps), whose MethodOps type makes tsc list any function left out.
import type { MethodOps } from '../graph/variable-methods.js';
import type { Variable } from '../graph/variable.js';
import { abs, add, cast, clip, div, eq, exp, ge, gt, le, log, log1p, lt, maximum, minimum, mul, neg, neq, pow, relu, sigmoid, sign, softplus, sqrt, square, sub, tanh } from './elementwise.js';
import { argmax, argmin, max, mean, min, prod, sum, variance } from './reduce.js';
import { dimshuffle, flatten, reshape, shape, transpose } from './shape.js';
import { dot } from './linalg.js';
import { at, take } from './indexing.js';

export const methodOps: MethodOps<Variable> = {
  add, sub, mul, div, pow, maximum, minimum, lt, gt, le, ge, eq, neq,
  neg, abs, sqrt, square, exp, log, log1p, tanh, sigmoid, softplus, relu, sign,
  sum, mean, max, min, prod, variance, argmax, argmin,
  dot, transpose, shape, dimshuffle, reshape, flatten, at, take, clip, cast,
};
