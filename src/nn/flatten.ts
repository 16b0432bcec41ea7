// The bridge from feature maps to fully connected layers: [batch, maps, rows, cols] → [batch, maps·rows·cols].
import type { Variable } from '../graph/variable.js';
import type { Layer } from './layer.js';
import '../ops/index.js';

/**
 * Keeps the first axis (examples) and merges the rest, as LeNet does before its hidden layer.
 * @example new Flatten().forward(conv1Output, 'test') // [batch, 800] for 50 maps of 4x4
 */
export class Flatten implements Layer {
  readonly params = [];
  readonly weights = [];

  forward(input: Variable): Variable {
    return input.flatten(2);
  }
}
