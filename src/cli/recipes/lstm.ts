// `nabla train lstm`: the LSTM sentiment tutorial (chapter 13, lstm.py) on IMDB: embeddings and 128 LSTM
// units, mean pooling, dropout, logistic output; AdaDelta on minibatches of 16, reviews under 100 words,
// a 10,000-word vocabulary, validation every 370 updates and patience 10 validations; lstm.py's script
// runs at most 100 epochs and tests on 500 reviews. The tutorial publishes no error rate.
import { LSTM_TUTORIAL, LstmClassifier } from '../../models/lstm-classifier.js';
import { parsers } from './options.js';
import { sequenceRecipe } from './sequence-recipe.js';

interface LstmOptions {
  dim: number;
  dropout: boolean;
}

export const lstmRecipe = sequenceRecipe<LstmOptions>({
  name: 'lstm',
  description: 'LSTM sentiment classifier on IMDB reviews (tutorial chapter 13)',
  modelOptions: [
    { flag: 'dim', value: '<n>', description: 'word embedding size and LSTM units', default: LSTM_TUTORIAL.dim, parse: parsers.positiveInt },
    { flag: 'dropout', value: '<true|false>', description: 'dropout (keep 0.5) on the pooled features', default: String(LSTM_TUTORIAL.dropout), parse: parsers.boolean },
  ],
  build: (o) => new LstmClassifier({ nWords: o.nWords, classes: 2, dim: o.dim, dropout: o.dropout }, o.seed),
});
