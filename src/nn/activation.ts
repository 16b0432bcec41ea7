// Activation functions by name, so that configurations and command lines can name them.
import type { Variable } from '../graph/variable.js';
import type { Activation } from './init.js';
import '../ops/index.js';

/**
 * Applies a named activation element-wise.
 * @example activate(x.dot(W).add(b), 'tanh')
 */
export function activate(x: Variable, activation: Activation): Variable {
  switch (activation) {
    case 'tanh':
      return x.tanh();
    case 'sigmoid':
      return x.sigmoid();
    case 'relu':
      return x.relu();
    case 'linear':
      return x;
    default:
      throw new Error(`activate: unknown activation '${String(activation)}' (use tanh, sigmoid, relu or linear)`);
  }
}
