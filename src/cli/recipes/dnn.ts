// `nabla train dnn`: the book's deep network (Unsupervised Deep Learning, ch. 3-4): sigmoid layers of
// 1000, 750 and 500 units, greedily pre-trained for one epoch by autoencoders or RBMs
// (--pretraining autoencoder|rbm|none), then fine-tuned with momentum 0.99, lr 0.01, minibatches of
// 100, 3 epochs; --pretraining none gives the randomly initialized net to compare with. The book's
// autoencoder steps lr 0.5 on a cost divided by the data set's size; on the per-example mean used
// here that is a far smaller step, and lr 0.01 with momentum 0.9 measured best; its RBM used lr 0.1.
import { DeepNetwork, PRETRAININGS, type Pretraining } from '../../models/deep-network.js';
import { deepNetworkRecipe } from './deep-network-recipe.js';
import { hiddenSizesOption } from './common-options.js';
import { parsers } from './options.js';

interface DnnOptions {
  hidden: number[];
  pretraining: Pretraining;
  corruption: number;
  k: number;
}

export const dnnRecipe = deepNetworkRecipe<DnnOptions>({
  name: 'dnn',
  description: "the book's deep network: pre-training by autoencoders, RBMs or none, then momentum fine-tuning",
  defaults: {
    lr: 0.01, 'batch-size': 100, epochs: 3, patience: 1000000000, optimizer: 'momentum', momentum: 0.99, seed: 1234,
    'pretrain-epochs': 1, 'pretrain-batch-size': 100,
  },
  modelOptions: [
    hiddenSizesOption('1000,750,500'),
    { flag: 'pretraining', value: '<kind>', description: `greedy pre-training: ${PRETRAININGS.join(', ')}`, default: 'autoencoder', parse: parsers.choice(PRETRAININGS) },
    { flag: 'corruption', value: '<level>', description: 'autoencoders: corruption level of every layer (the book: 0)', default: 0, parse: parsers.nonNegative },
    { flag: 'k', value: '<n>', description: 'RBMs: Gibbs steps per CD-k update', default: 1, parse: parsers.positiveInt },
  ],
  // Unless given: lr 0.01 with momentum 0.9 for autoencoders, the book's lr 0.1 without momentum for RBMs.
  pretraining: (o) => ({
    pretrainLr: o.pretrainLr ?? (o.pretraining === 'rbm' ? 0.1 : 0.01),
    pretrainMomentum: o.pretrainMomentum ?? (o.pretraining === 'rbm' ? 0 : 0.9),
  }),
  build: (o, shape) => new DeepNetwork({
    ...shape, hidden: o.hidden, pretraining: o.pretraining, corruption: [o.corruption], k: o.k,
  }, o.seed),
});
