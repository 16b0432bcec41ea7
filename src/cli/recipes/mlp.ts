// `nabla train mlp`: the tutorial's multilayer perceptron (chapter 5): one tanh layer of 500 units,
// lr 0.01, L1 0, L2 1e-4, minibatches of 20, at most 1000 epochs, patience 10000. Published: 1.65%.
import type { Activation } from '../../nn/index.js';
import { MLP_TUTORIAL, Mlp } from '../../models/mlp.js';
import { classifierRecipe, tutorialDefaults } from './classifier-recipe.js';
import { activationOption, hiddenSizesOption } from './common-options.js';
import { parsers } from './options.js';

interface MlpOptions {
  hidden: number[];
  activation: Activation;
  dropout?: number[];
}

export const mlpRecipe = classifierRecipe<MlpOptions>({
  name: 'mlp',
  description: 'multilayer perceptron (tutorial chapter 5; published 1.65% test error on MNIST)',
  defaults: { ...tutorialDefaults(MLP_TUTORIAL), seed: 1234 },
  modelOptions: [
    hiddenSizesOption('500'),
    activationOption('hidden activation'),
    { flag: 'dropout', value: '<input,hidden>', description: 'dropout keep probabilities for the inputs and the hidden units, e.g. 0.8,0.5', parse: parsers.probabilities },
  ],
  build: (o, shape) => {
    if (o.dropout && o.dropout.length !== 2) throw new Error(`--dropout: give two keep probabilities, for the inputs and the hidden units (e.g. 0.8,0.5)`);
    return new Mlp({ ...shape, hidden: o.hidden, activation: o.activation, keep: o.dropout ?? [] }, o.seed);
  },
});
