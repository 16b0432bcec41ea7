// The README's first model (logistic regression by nb.fn with updates, the tutorial's learning rate 0.13) on a
// small MNIST slice, with nothing of Node's: the page in this folder trains it, and the browser test
// (test/browser/run.ts) checks that Chromium and Node compute the same numbers with it.
import * as nb from '../../src/core.js';

/** MNIST images and labels as test/fixtures/mnist-slice.json.gz holds them: pixels as base64 bytes. */
export interface MnistSlice {
  rows: number;
  cols: number;
  train: { images: string; labels: number[] };
  test: { images: string; labels: number[] };
}

export interface Split {
  /** float32 [n, rows * cols], pixels in [0, 1]. */
  x: nb.NDArray;
  /** int32 [n]. */
  y: nb.NDArray;
}

/** One part of the slice as arrays, pixels scaled to [0, 1] as loadMnist scales them. */
export function decodeSplit(slice: MnistSlice, part: 'train' | 'test'): Split {
  const { images, labels } = slice[part];
  const bytes = Uint8Array.from(atob(images), (c) => c.charCodeAt(0));
  const size = slice.rows * slice.cols;
  if (bytes.length !== labels.length * size) {
    throw new Error(`MNIST slice: ${part} has ${bytes.length} pixel bytes for ${labels.length} labels of ${slice.rows}x${slice.cols} images`);
  }
  const x = nb.array(Float32Array.from(bytes, (v) => v / 255), 'float32', [labels.length, size]);
  return { x, y: nb.array(Int32Array.from(labels), 'int32', [labels.length]) };
}

export interface EpochRecord {
  epoch: number;
  /** Mean training cost (negative log-likelihood) over the epoch's minibatches. */
  cost: number;
  /** Fraction of the test images misclassified after the epoch. */
  testError: number;
}

export interface FirstModel {
  W: nb.SharedVariable;
  b: nb.SharedVariable;
  epochs: EpochRecord[];
}

/**
 * Trains the README's first model by minibatch SGD, `onEpoch` after each epoch.
 * @example const { W, epochs } = trainFirstModel(train, test, { epochs: 5, batch: 20 });
 */
export function trainFirstModel(
  train: Split, test: Split, options: { epochs: number; batch: number; onEpoch?: (record: EpochRecord) => void },
): FirstModel {
  const [n, size] = train.x.shape;
  const x = nb.matrix('x');
  const y = nb.ivector('y');
  const W = nb.shared(nb.zeros([size, 10]), 'W');
  const b = nb.shared(nb.zeros([10]), 'b');
  const p = nb.softmax(x.dot(W).add(b));
  const cost = nb.nll(p, y);
  const [gW, gb] = nb.grad(cost, [W, b]);
  const step = nb.fn([x, y], cost, { updates: [[W, W.sub(gW.mul(0.13))], [b, b.sub(gb.mul(0.13))]] });
  const testError = nb.fn([x, y], nb.mean(nb.neq(p.argmax(1), y)));
  const epochs: EpochRecord[] = [];
  const batches = Math.floor(n / options.batch);
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    let total = 0;
    for (let k = 0; k < batches; k++) {
      const rows = [k * options.batch, (k + 1) * options.batch];
      const xBatch = nb.array(train.x.data.subarray(rows[0] * size, rows[1] * size), 'float32', [options.batch, size]);
      const yBatch = nb.array(train.y.data.subarray(rows[0], rows[1]), 'int32', [options.batch]);
      total += step(xBatch, yBatch) as number;
    }
    const record = { epoch, cost: total / batches, testError: testError(test.x, test.y) as number };
    epochs.push(record);
    options.onEpoch?.(record);
  }
  return { W, b, epochs };
}
