// `nabla train rbm`: the tutorial's RBM (chapter 9): 500 binary hidden units, PCD-15, lr 0.1,
// minibatches of 20, 15 epochs (122 minutes on the tutorial's CPU); then 20 persistent Gibbs chains
// started at test digits, a picture row every 1000 steps (samples.png). Gaussian visible units
// (--visible-units gaussian) train on pixels standardized over the training set.
import { NDArray } from '../../ndarray/index.js';
import { Rbm, type VisibleUnits } from '../../models/rbm.js';
import { join } from 'node:path';
import { parsers } from './options.js';
import { UNSUPERVISED_PICTURES, consecutiveRows, gibbsRows, writeSamples } from './unsupervised-pictures.js';
import { unsupervisedRecipe } from './unsupervised-recipe.js';

interface RbmOptions {
  k: number;
  persistent: boolean;
  visibleUnits: VisibleUnits;
  chains: number;
  samples: number;
  plotEvery: number;
}

/** Each pixel shifted and scaled by the training set's mean and standard deviation (plus 0.1, for blank pixels). */
export function standardize(train: NDArray, x: NDArray): NDArray {
  const [n, d] = train.shape;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) mean[i] += train.data[r * d + i] / n;
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) std[i] += (train.data[r * d + i] - mean[i]) ** 2 / n;
  const out = new NDArray('float32', x.shape);
  for (let k = 0; k < x.size; k++) out.data[k] = (x.data[k] - mean[k % d]) / (Math.sqrt(std[k % d]) + 0.1);
  return out;
}

export const rbmRecipe = unsupervisedRecipe<RbmOptions>({
  name: 'rbm',
  description: 'restricted Boltzmann machine (tutorial chapter 9): PCD-15 filters and samples from 20 persistent chains',
  modelOptions: [
    { flag: 'k', value: '<n>', description: 'Gibbs steps per update (CD-k or PCD-k)', default: 15, parse: parsers.positiveInt },
    { flag: 'persistent', value: '<true|false>', description: 'persistent CD (the chain survives between updates) rather than CD', default: 'true', parse: parsers.boolean },
    { flag: 'visible-units', value: '<kind>', description: 'binary, or gaussian (pixels standardized)', default: 'binary', parse: parsers.choice(['binary', 'gaussian'] as const) },
    { flag: 'chains', value: '<n>', description: 'Gibbs chains sampled after training, started at consecutive test digits', default: 20, parse: parsers.positiveInt },
    { flag: 'samples', value: '<n>', description: 'rows of samples to draw from the chains', default: 10, parse: parsers.positiveInt },
    { flag: 'plot-every', value: '<n>', description: 'Gibbs steps between rows of samples', default: 1000, parse: parsers.positiveInt },
  ],
  build: (o, inputs) => new Rbm({
    visible: inputs, hidden: o.hidden, k: o.k, persistent: o.persistent, visibleUnits: o.visibleUnits, seed: o.seed,
  }),
  trainingData: (o, data) => (o.visibleUnits === 'gaussian' ? standardize(data.train.x, data.train.x) : data.train.x),
  pictures: (layer, out, data, o, log) => {
    const digits = consecutiveRows(data.test.x, o.chains, o.seed);
    const start = o.visibleUnits === 'gaussian' ? standardize(data.train.x, digits) : digits;
    const samples = gibbsRows(layer as Rbm, start, { rows: o.samples, every: o.plotEvery }, log);
    return { samples: writeSamples(join(out, UNSUPERVISED_PICTURES.samples), samples, o.samples, data.imageShape) };
  },
});
