// `nabla train lenet`: the tutorial's LeNet (chapter 6): kernels [20, 50] of 5x5, 2x2 max-pooling, a tanh
// layer of 500 units, lr 0.1, minibatches of 500, at most 200 epochs, patience 10000. Published: 0.92%.
import type { Activation } from '../../nn/index.js';
import { LENET_TUTORIAL, Lenet } from '../../models/lenet.js';
import { classifierRecipe, tutorialDefaults } from './classifier-recipe.js';
import { activationOption, hiddenSizesOption } from './common-options.js';
import { parsers } from './options.js';

interface LenetOptions {
  kernels: number[];
  filter: [number, number];
  pool: [number, number];
  hidden: number[];
  activation: Activation;
}

export const lenetRecipe = classifierRecipe<LenetOptions>({
  name: 'lenet',
  description: 'LeNet convolutional network (tutorial chapter 6; published 0.92% test error on MNIST)',
  defaults: { ...tutorialDefaults(LENET_TUTORIAL), seed: 23455 },
  modelOptions: [
    { flag: 'kernels', value: '<maps>', description: 'feature maps per convolutional layer, comma-separated', default: '20,50', parse: parsers.intList },
    { flag: 'filter', value: '<RxC>', description: 'filter size of every convolutional layer', default: '5x5', parse: parsers.pair },
    { flag: 'pool', value: '<RxC>', description: 'max-pooling window of every convolutional layer', default: '2x2', parse: parsers.pair },
    hiddenSizesOption('500', 'units per fully connected hidden layer, comma-separated'),
    activationOption('activation of every layer'),
  ],
  build: (o, shape) => new Lenet({
    ...shape, kernels: o.kernels, filter: o.filter, pool: o.pool, hidden: o.hidden, activation: o.activation,
  }, o.seed),
});
