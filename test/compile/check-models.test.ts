// Check mode over every model's training step, through the public API: each model fits one short epoch
// on 40 real MNIST digits with NABLA_CHECK=1, so every function it compiles (training step, validation,
// prediction, monitors) is checked on its first call; a phase that changed a value would throw and name
// itself. Small shapes keep the float64 evaluations on the reference backend quick.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { loadMnist } from '../../src/data/index.js';

nb.setBackend((process.env.NABLA_TEST_BACKEND ?? 'reference') as nb.BackendName);
const mnist = loadMnist({ limit: { train: 40, valid: 20, test: 20 } });
const quick = { epochs: 1, batchSize: 10, learningRate: 0.05 };
const image = { imageShape: [28, 28] as [number, number], classes: 10 };
const deep = { ...image, hidden: [12, 8], corruption: [0.2], k: 1 };

/** The check lines printed while `train` runs, with NABLA_CHECK=1. */
function checked(train: () => unknown): string[] {
  const lines: string[] = [];
  const print = console.error;
  process.env.NABLA_CHECK = '1';
  console.error = (...args: unknown[]) => (String(args[0]).startsWith('check:') ? lines.push(String(args[0])) : print(...args));
  try {
    train();
  } finally {
    console.error = print;
    delete process.env.NABLA_CHECK;
  }
  return lines;
}

const models: Record<string, () => unknown> = {
  'logistic regression': () => new nb.LogisticRegression(image).fit(mnist.train.x, mnist.train.y, { ...quick, validation: mnist.valid }),
  'MLP with dropout': () => new nb.Mlp({ ...image, hidden: [16], activation: 'tanh', keep: [0.8, 0.5] }, 1).fit(mnist.train.x, mnist.train.y, quick),
  LeNet: () => new nb.Lenet({ ...image, kernels: [2, 3], filter: [5, 5], pool: [2, 2], hidden: [8], activation: 'tanh' }, 1).fit(mnist.train.x, mnist.train.y, quick),
  'denoising autoencoder': () => new nb.Autoencoder({ visible: 784, hidden: 16, corruption: 0.3 }).fit(mnist.train.x, quick),
  'contractive, sparse autoencoder': () => new nb.Autoencoder({ visible: 784, hidden: 8, contraction: 0.1, sparsity: { target: 0.05, weight: 0.1 } }).fit(mnist.train.x, quick),
  'RBM (PCD-2)': () => new nb.Rbm({ visible: 784, hidden: 16, k: 2, persistent: true }).fit(mnist.train.x, quick),
  'Gaussian RBM': () => new nb.Rbm({ visible: 784, hidden: 8, visibleUnits: 'gaussian' }).fit(mnist.train.x, quick),
  'stacked denoising autoencoders': () => {
    const sda = new nb.StackedAutoencoder({ ...deep, pretraining: 'autoencoder' });
    nb.pretrainNetwork(sda, mnist.train, quick);
    sda.fit(mnist.train.x, mnist.train.y, quick);
  },
  'DBN with labels joined to the top RBM': () => {
    const dbn = new nb.Dbn({ ...deep, pretraining: 'rbm', joinLabels: true });
    nb.pretrainNetwork(dbn, mnist.train, {
      ...quick,
      layerInput: (i, codes) => dbn.pretrainingInput(i, codes, mnist.train.y),
    });
    dbn.fit(mnist.train.x, mnist.train.y, quick);
  },
};

for (const [name, train] of Object.entries(models)) {
  test(`check mode: no compile phase changes a value of the ${name}'s training step`, () => {
    const lines = checked(train);
    assert.ok(lines.length >= 1, 'at least the training step was checked');
    for (const line of lines) assert.match(line, new RegExp(`^check: ${nb.pipeline.length} phases`));
  });
}
