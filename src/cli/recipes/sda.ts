// `nabla train sda`: the tutorial's stacked denoising autoencoder (chapter 8): three sigmoid layers of
// 1000 units pre-trained as denoising autoencoders (corruption 0.1, 0.2, 0.3; lr 0.001, 15 epochs per
// layer, minibatches of 1), then fine-tuned with a logistic layer (lr 0.1, patience 10 epochs).
// Published: 1.3% test error (1.39% validation) after 585 + 444 minutes on the tutorial's CPU.
import { StackedAutoencoder } from '../../models/stacked-autoencoder.js';
import { deepNetworkRecipe } from './deep-network-recipe.js';
import { hiddenSizesOption } from './common-options.js';
import { decimal } from './options.js';

interface SdaOptions {
  hidden: number[];
  corruption: number[];
}

const levels = (text: string, flag: string): number[] => {
  const values = text.split(',').map((t) => decimal(t.trim()));
  if (!values.every((v) => v >= 0 && v < 1)) throw new Error(`--${flag}: '${text}' is not a comma-separated list of levels in [0, 1)`);
  return values;
};

export const sdaRecipe = deepNetworkRecipe<SdaOptions>({
  name: 'sda',
  description: 'stacked denoising autoencoders (tutorial chapter 8; published 1.3% test error on MNIST)',
  defaults: {
    lr: 0.1, 'batch-size': 1, epochs: 1000, patience: 500000, seed: 89677,
    'pretrain-epochs': 15, 'pretrain-batch-size': 1, 'pretrain-lr': 0.001, 'pretrain-momentum': 0,
  },
  modelOptions: [
    hiddenSizesOption('1000,1000,1000'),
    { flag: 'corruption', value: '<levels>', description: 'corruption level of each layer (or one for all), comma-separated', default: '0.1,0.2,0.3', parse: levels },
  ],
  build: (o, shape) => new StackedAutoencoder({ ...shape, hidden: o.hidden, pretraining: 'autoencoder', corruption: o.corruption, k: 1 }, o.seed),
});
