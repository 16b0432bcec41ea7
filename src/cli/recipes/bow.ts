// `nabla train bow`: the baseline for the LSTM: logistic regression on the words each review contains
// (binary bag of words over the same vocabulary, split and options as `nabla train lstm`).
import { distinctWords } from '../../data/index.js';
import { BagOfWords } from '../../models/bag-of-words.js';
import { sequenceRecipe } from './sequence-recipe.js';

export const bowRecipe = sequenceRecipe<Record<string, never>>({
  name: 'bow',
  description: 'bag-of-words logistic regression on IMDB reviews: the baseline for lstm',
  modelOptions: [],
  prepare: ({ train, valid, test }) => ({
    train: distinctWords(train), valid: distinctWords(valid), test: distinctWords(test),
  }),
  build: (o) => new BagOfWords({ nWords: o.nWords, classes: 2 }),
});
