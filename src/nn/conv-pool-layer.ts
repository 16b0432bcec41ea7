// LeNet's convolution + max-pooling layer (tutorial chapter 6.8): s(maxpool(conv(x, W)) + b), one bias
// per feature map. Adding b after pooling is the tutorial's order; max commutes with a per-map shift.
import { zeros, type NDArray } from '../ndarray/index.js';
import type { Variable } from '../graph/variable.js';
import { conv2d, maxPool2d } from '../ops/index.js';
import type { RandomStreams } from '../random/index.js';
import { activate } from './activation.js';
import { uniformWeights, type Activation } from './init.js';
import { WeightedLayer } from './layer.js';

export interface ConvPoolLayerOptions {
  /** [rows, cols] of the max-pooling window; [2, 2] by default. */
  pool?: [number, number];
  activation?: Activation;
  name?: string;
  W?: NDArray;
  b?: NDArray;
}

/**
 * Convolution with `filterShape` [maps out, maps in, rows, cols], max-pooling, bias, activation.
 * @example const conv0 = new ConvPoolLayer(rng, [20, 1, 5, 5]); conv0.forward(x.reshape([-1, 1, 28, 28]))
 */
export class ConvPoolLayer extends WeightedLayer {
  readonly pool: [number, number];
  readonly activation: Activation;

  constructor(
    rng: RandomStreams | null,
    filterShape: readonly [number, number, number, number],
    options: ConvPoolLayerOptions = {},
  ) {
    const name = options.name ?? 'conv';
    const pool = options.pool ?? [2, 2];
    const [maps, inputs, rows, cols] = filterShape;
    // Each unit sees inputs·rows·cols values; each input value feeds maps·rows·cols units, of which
    // pooling keeps one in pool[0]·pool[1].
    const fanIn = inputs * rows * cols;
    const fanOut = (maps * rows * cols) / (pool[0] * pool[1]);
    const bound = Math.sqrt(6 / (fanIn + fanOut));
    const W = options.W ?? (rng ? uniformWeights(rng, filterShape, bound) : undefined);
    if (!W) throw new Error(`ConvPoolLayer ${name}: needs a random stream or initial filters W`);
    super(W, options.b ?? zeros([maps]), name);
    this.pool = pool;
    this.activation = options.activation ?? 'tanh';
  }

  preActivation(input: Variable): Variable {
    const pooled = maxPool2d(conv2d(input, this.W), this.pool, true);
    return pooled.add(this.b.dimshuffle(['x', 0, 'x', 'x']));
  }

  forward(input: Variable): Variable {
    return activate(this.preActivation(input), this.activation);
  }
}

/**
 * The [rows, cols] of the maps a chain of valid convolutions and poolings leaves, or an error naming the layer.
 * @example convPoolOutputShape([28, 28], [[5, 5], [5, 5]], [2, 2]) // [4, 4]
 */
export function convPoolOutputShape(
  image: readonly [number, number],
  filters: readonly (readonly [number, number])[],
  pool: readonly [number, number],
): [number, number] {
  let [rows, cols] = image;
  filters.forEach(([fr, fc], i) => {
    const [convRows, convCols] = [rows - fr + 1, cols - fc + 1];
    [rows, cols] = [Math.floor(convRows / pool[0]), Math.floor(convCols / pool[1])];
    if (rows < 1 || cols < 1) {
      throw new Error(`conv layer ${i}: ${fr}x${fc} filters and ${pool[0]}x${pool[1]} pooling leave no output from ${convRows + fr - 1}x${convCols + fc - 1} maps`);
    }
  });
  return [rows, cols];
}
