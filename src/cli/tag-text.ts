// `nabla predict MODEL --text '...'` for the slot-filling model (`nabla train rnnslu`): each sentence's
// words looked up in the dictionary saved with the model (lower case, numbers as DIGIT shapes, anything
// else unknown as <UNK>) and tagged.
import { encodeWords } from '../data/index.js';
import type { ModelFile } from '../models/index.js';
import { ElmanRnn } from '../models/index.js';

export interface TaggedText {
  text: string;
  words: string[];
  /** Each word as the dictionary reads it ('1230' as DIGITDIGITDIGITDIGIT, unknown words as <UNK>). */
  read_as: string[];
  tags: string[];
}

/**
 * The tag of each word of each sentence under a saved slot-filling model.
 * @example tagTexts(path, loadModelFile(path), ['from boston'])[0].tags // ['O', 'B-fromloc.city_name']
 */
export function tagTexts(modelPath: string, file: ModelFile, texts: readonly string[]): TaggedText[] {
  const model = ElmanRnn.fromModelFile(file, modelPath);
  return texts.map((text, i) => {
    let encoded;
    try {
      encoded = encodeWords(text, model.config.words);
    } catch (e) {
      throw new Error(`--text ${i + 1}: ${(e as Error).message}`, { cause: e });
    }
    const { tokens, indices } = encoded;
    const tags = Array.from(model.tag(indices), (l) => model.labels[l]);
    return { text, words: tokens, read_as: Array.from(indices, (w) => model.config.words[w]), tags };
  });
}

/** A tagged sentence as lines of word and tag, with how the dictionary read the word where it differs. */
export function describeTaggedText({ words, read_as: read, tags }: TaggedText): string {
  const width = Math.max(...words.map((t) => t.length));
  return words.map((t, i) => `${t.padEnd(width)}  ${tags[i]}${read[i] !== t ? `  (read as ${read[i]})` : ''}`).join('\n');
}
