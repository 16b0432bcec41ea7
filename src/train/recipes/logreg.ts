// `nabla train logreg`: the tutorial's logistic regression (chapter 4): lr 0.13, minibatches of 600,
// at most 1000 epochs, patience 5000. Published: 7.489% test error after 74 epochs.
import { LogisticRegression } from '../../models/logistic-regression.js';
import { classifierRecipe } from './classifier-recipe.js';

export const logregRecipe = classifierRecipe<Record<string, never>>({
  name: 'logreg',
  description: 'multiclass logistic regression (tutorial chapter 4; published 7.489% test error on MNIST)',
  defaults: { lr: '0.13', 'batch-size': '600', epochs: '1000', patience: '5000', seed: '1234' },
  modelOptions: [],
  build: (_options, shape) => new LogisticRegression(shape),
});
