// `nabla train logreg`: the tutorial's logistic regression (chapter 4): lr 0.13, minibatches of 600,
// at most 1000 epochs, patience 5000. Published: 7.489% test error after 74 epochs.
import { LOGISTIC_REGRESSION_TUTORIAL, LogisticRegression } from '../../models/logistic-regression.js';
import { classifierRecipe, tutorialDefaults } from './classifier-recipe.js';

export const logregRecipe = classifierRecipe<Record<string, never>>({
  name: 'logreg',
  description: 'multiclass logistic regression (tutorial chapter 4; published 7.489% test error on MNIST)',
  defaults: { ...tutorialDefaults(LOGISTIC_REGRESSION_TUTORIAL), seed: 1234 },
  modelOptions: [],
  build: (_options, shape) => new LogisticRegression(shape),
});
