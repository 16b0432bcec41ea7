// ATIS slot filling data in the layout of ../shared/data/atis/fold3.json.gz (PROVENANCE.md, section 1):
// gzipped or plain JSON with words2idx and labels2idx (0-based) and train/valid/test sentences as lists of
// word and label indices. Every sentence is checked; an error names the file, the split and the sentence.
import { join } from 'node:path';
import { packageRoot } from '../backends/native/addon.js';
import type { TaggedSentence } from '../fit/index.js';
import { readJson } from './json-file.js';

export type { TaggedSentence } from '../fit/index.js';

export const ATIS_SPLITS = ['train', 'valid', 'test'] as const;
export type AtisSplit = (typeof ATIS_SPLITS)[number];

export interface AtisData {
  /** The word of each index (words2idx inverted). */
  words: string[];
  /** The tag of each label index (labels2idx inverted), IOB tags such as 'B-fromloc.city_name' and 'O'. */
  labels: string[];
  train: TaggedSentence[];
  valid: TaggedSentence[];
  test: TaggedSentence[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A dictionary { name: index } as names by index; the indices must be 0 … n−1, each once. */
function invertDictionary(path: string, field: string, value: unknown): string[] {
  if (!isRecord(value)) throw new Error(`${path}: ${field} is missing or not an object of name: index`);
  const names: string[] = [];
  for (const [name, index] of Object.entries(value)) {
    if (!Number.isInteger(index) || (index as number) < 0) throw new Error(`${path}: ${field}: ${JSON.stringify(name)} has index ${JSON.stringify(index)}, not an integer ≥ 0`);
    const i = index as number;
    if (Object.hasOwn(names, i)) throw new Error(`${path}: ${field}: index ${i} belongs to both ${JSON.stringify(names[i])} and ${JSON.stringify(name)}`);
    names[i] = name;
  }
  const gap = Array.from({ length: names.length }, (_, i) => i).find((i) => !Object.hasOwn(names, i));
  if (gap !== undefined) throw new Error(`${path}: ${field}: no entry has index ${gap}; indices must run from 0 to ${names.length - 1}`);
  if (!names.length) throw new Error(`${path}: ${field} is empty`);
  return names;
}

/** One list of index lists, each index checked against a dictionary of `size` entries. */
function indexLists(
  path: string, split: string, field: string, value: unknown, size: number, what: string,
): Int32Array[] {
  if (!Array.isArray(value)) throw new Error(`${path}: ${split}.${field} is missing or not a list of sentences`);
  return value.map((sentence: unknown, s) => {
    const where = `${path}: ${split} sentence ${s}`;
    if (!Array.isArray(sentence)) throw new Error(`${where}: ${field} is not a list of indices`);
    if (!sentence.length) throw new Error(`${where}: is empty`);
    const out = new Int32Array(sentence.length);
    sentence.forEach((index: unknown, k) => {
      if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= size) {
        throw new Error(`${where}: ${field}[${k}] is ${JSON.stringify(index)}, ${what} (${field === 'words' ? 'words2idx' : 'labels2idx'} has indices 0 to ${size - 1})`);
      }
      out[k] = index as number;
    });
    return out;
  });
}

/**
 * ATIS data from the parsed JSON of a file in fold3.json.gz's layout; `path` names it in errors.
 * @example atisFromJson(readJson('fold3.json.gz'), 'fold3.json.gz').train.length // 3983
 */
export function atisFromJson(root: unknown, path: string): AtisData {
  if (!isRecord(root)) throw new Error(`${path}: not an ATIS data file (a JSON object with words2idx, labels2idx, train, valid, test)`);
  const words = invertDictionary(path, 'words2idx', root.words2idx);
  const labels = invertDictionary(path, 'labels2idx', root.labels2idx);
  const read = (split: AtisSplit): TaggedSentence[] => {
    const set = root[split];
    if (!isRecord(set)) throw new Error(`${path}: ${split} is missing or not an object with words and labels`);
    const w = indexLists(path, split, 'words', set.words, words.length, 'a word index outside the dictionary');
    const l = indexLists(path, split, 'labels', set.labels, labels.length, 'an unknown tag');
    if (w.length !== l.length) throw new Error(`${path}: ${split} has ${w.length} word lists but ${l.length} label lists`);
    return w.map((sentence, s) => {
      if (sentence.length !== l[s].length) throw new Error(`${path}: ${split} sentence ${s}: ${sentence.length} words but ${l[s].length} labels`);
      return { words: sentence, labels: l[s] };
    });
  };
  return { words, labels, train: read('train'), valid: read('valid'), test: read('test') };
}

/**
 * The tutorial's fold 3, where this repository's data lives: ../shared/data/atis beside the package.
 * @example loadAtis(defaultAtisFile()).test.length // 893
 */
export function defaultAtisFile(): string {
  return join(packageRoot(), '..', 'shared', 'data', 'atis', 'fold3.json.gz');
}

/**
 * Reads an ATIS file in fold3.json.gz's layout, gzipped (by its magic bytes) or plain.
 * @example const atis = loadAtis('../shared/data/atis/fold3.json.gz'); atis.words.length // 572
 */
export function loadAtis(path: string): AtisData {
  return atisFromJson(readJson(path), path);
}

/**
 * The dictionary index of each word of a sentence typed by a user, as the ATIS files encode words:
 * lower case, a number as one DIGIT per digit ('1230' → 'DIGITDIGITDIGITDIGIT'), anything else unknown
 * as <UNK>.
 * @example encodeWords('show me flights from boston', words)
 */
export function encodeWords(text: string, words: readonly string[]): { tokens: string[]; indices: Int32Array } {
  const index = new Map(words.map((w, i) => [w, i]));
  const unknown = index.get('<UNK>');
  const tokens = text.toLowerCase().split(/\s+/).filter((t) => t.length > 0);
  if (!tokens.length) throw new Error('the sentence has no words');
  const indices = Int32Array.from(tokens, (token) => {
    const found = index.get(token) ?? index.get(token.replace(/[0-9]/g, 'DIGIT')) ?? unknown;
    if (found === undefined) throw new Error(`the word '${token}' is not in the model's dictionary, which has no <UNK>`);
    return found;
  });
  return { tokens, indices };
}
