// `nabla predict MODEL --text '...'` for the models that read text (lstm, bow): the text tokenized as
// the IMDB data were (data/tokenize.ts), looked up in the dictionary the model was trained with, and
// the class probabilities of each text.
import { resolve } from 'node:path';
import { encodeText, readImdbDictionary } from '../data/index.js';
import { loadSequenceClassifier } from '../models/index.js';
import { datasetFor } from './recipes/dataset.js';
import { SHARED_IMDB } from './recipes/sequence-recipe.js';

const SENTIMENT = ['negative', 'positive'];

export interface TextPrediction {
  text: string;
  class: number;
  sentiment: string;
  probabilities: number[];
  /** Words looked up (UNKNOWN = 1 for words outside the vocabulary). */
  words: number;
  unknown: number;
}

/**
 * The sentiment of each text under a saved text model; `dict` overrides the dictionary it was trained with.
 * @example predictTexts('runs/lstm/model.nbm', ['a great movie'])[0].sentiment // 'positive'
 */
export function predictTexts(modelPath: string, texts: readonly string[], dict?: string): TextPrediction[] {
  const model = loadSequenceClassifier(modelPath);
  const dictPath = datasetFor(dict, model.meta, modelPath, resolve(SHARED_IMDB('dict.json.gz')), 'dict');
  const dictionary = readImdbDictionary(dictPath);
  const sequences = texts.map((text, i) => {
    const ids = encodeText(text, dictionary, model.config.nWords);
    if (ids.length === 0) throw new Error(`--text ${i + 1} has no words`);
    return ids;
  });
  const p = model.predictProba(sequences);
  const k = model.classes;
  return texts.map((text, i) => {
    const probabilities = Array.from(p.data.subarray(i * k, (i + 1) * k), (v) => Number(v.toFixed(6)));
    const label = probabilities.indexOf(Math.max(...probabilities));
    const unknown = sequences[i].filter((w) => w === 1).length;
    const sentiment = SENTIMENT[label] ?? String(label);
    return { text, class: label, sentiment, probabilities, words: sequences[i].length, unknown };
  });
}

/** The human-readable line of a prediction. */
export const describeTextPrediction = (r: TextPrediction): string =>
  `${r.sentiment} (p = ${r.probabilities[r.class].toFixed(4)}, ${r.words} words, ${r.unknown} unknown): ${r.text}`;
