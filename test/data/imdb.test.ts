// The IMDB reader on the real files (read once), its splits as the tutorial makes them, padding, minibatch
// index lists, the tokenizer, and one-line errors on hand-made broken files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  UNKNOWN, minibatchIndices, padBatch, permutation, readImdb, readImdbDictionary, splitImdb, type Reviews,
} from '../../src/data/imdb.js';
import { encodeText, tokenize } from '../../src/data/tokenize.js';

import { IMDB_DICT, IMDB_FILE } from './imdb-fixture.js';

const dictionary = readImdbDictionary(IMDB_DICT);
const imdb = readImdb(IMDB_FILE, dictionary.words.length);

test('the real reviews under 100 words: 2,105 + 2,256 reviews over 3,000 words, in the order of the files', () => {
  assert.equal(dictionary.words.length, 3000);
  assert.deepEqual(dictionary.words.slice(0, 3), ['the', ',', '.']);
  assert.equal(imdb.train.x.length, 2105);
  assert.equal(imdb.test.x.length, 2256);
  assert.equal(imdb.train.y.reduce((a, b) => a + b, 0), 1215);
  const first = Array.from(imdb.train.x[0].subarray(0, 6), (i) => dictionary.words[i - 2]).join(' ');
  assert.equal(first, 'fair drama / love story movie');
  // Words missing from the dictionary are missing, even those named like Object.prototype's members.
  assert.equal(dictionary.index.get('constructor'), undefined);
  assert.equal(dictionary.index.get('__proto__'), undefined);
});

test("the tutorial's split: maxlen 100 keeps 2,105 training reviews, 5% validate, sorted by length; n_words cuts", () => {
  const splits = splitImdb(imdb, { nWords: 1000, maxlen: 100, seed: 123 });
  assert.equal(splits.train.x.length + splits.valid.x.length, 2105);
  assert.equal(splits.valid.x.length, 2105 - Math.round(2105 * 0.95));
  assert.equal(splits.test.x.length, 2256, 'the test set is not filtered');
  for (const set of [splits.train, splits.valid]) assert.ok(set.x.every((r) => r.length < 100));
  const sorted = (set: Reviews) => set.x.every((r, i) => i === 0 || r.length >= set.x[i - 1].length);
  assert.ok(sorted(splits.valid) && sorted(splits.test));
  const inVocabulary = (set: Reviews) => set.x.every((r) => r.every((w) => w >= 1 && w < 1000));
  assert.ok(inVocabulary(splits.train) && inVocabulary(splits.valid) && inVocabulary(splits.test));
  assert.ok(splits.test.x.some((r) => r.includes(UNKNOWN)));
  // The same seed draws the same split; another seed another.
  assert.deepEqual(splitImdb(imdb, { nWords: 1000, maxlen: 100, seed: 123 }).valid.y, splits.valid.y);
  const other = splitImdb(imdb, { nWords: 1000, maxlen: 100, seed: 7 });
  assert.notDeepEqual(other.train.x.slice(0, 20), splits.train.x.slice(0, 20));
  // lstm.py's test sample: a random 500 of the test set.
  assert.equal(splitImdb(imdb, { nWords: 1000, maxlen: 100, seed: 123, testSize: 500 }).test.x.length, 500);
});

test('truncate keeps every review, cut to its last N words', () => {
  const splits = splitImdb(imdb, { nWords: 1000, truncate: 40, seed: 123 });
  assert.equal(splits.train.x.length + splits.valid.x.length, 2105);
  assert.equal(splits.test.x.length, 2256);
  assert.ok(splits.test.x.every((r) => r.length <= 40));
  // The longest test review ends as its last 40 words.
  const longest = imdb.test.x.reduce((a, b) => (b.length > a.length ? b : a));
  const tail = Array.from(longest.subarray(longest.length - 40), (w) => (w >= 1000 ? UNKNOWN : w));
  assert.ok(splits.test.x.some((r) => r.length === 40 && r.every((w, t) => w === tail[t])));
  assert.throws(() => splitImdb(imdb, { nWords: 1000, truncate: 40, maxlen: 100, seed: 1 }), /exclude each other/);
});

test('padBatch pads to the longest review, time first, with a mask', () => {
  const reviews: Reviews = {
    x: [Int32Array.of(5, 6, 7), Int32Array.of(8), Int32Array.of(9, 10)], y: Int32Array.of(1, 0, 1),
  };
  const { x, mask, y } = padBatch(reviews, [1, 0]);
  assert.deepEqual(x.shape, [3, 2]);
  assert.deepEqual(x.toArray(), [[8, 5], [0, 6], [0, 7]]);
  assert.deepEqual(mask.toArray(), [[1, 1], [0, 1], [0, 1]]);
  assert.deepEqual(Array.from(y.data), [0, 1]);
});

test('minibatchIndices: whole batches then the rest; shuffled by seed and epoch', () => {
  assert.deepEqual(minibatchIndices(10, 4).map((b) => Array.from(b)), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  const a = minibatchIndices(100, 16, { seed: 123, epoch: 1 });
  assert.deepEqual(a.map((b) => b.length), [16, 16, 16, 16, 16, 16, 4]);
  const all = a.flatMap((b) => Array.from(b)).sort((p, q) => p - q);
  assert.deepEqual(all, Array.from({ length: 100 }, (_, i) => i));
  assert.deepEqual(minibatchIndices(100, 16, { seed: 123, epoch: 1 }), a);
  assert.notDeepEqual(minibatchIndices(100, 16, { seed: 123, epoch: 2 }), a);
  assert.deepEqual([...permutation(7, 1, 0)].sort(), [0, 1, 2, 3, 4, 5, 6]);
});

test('tokenize splits as Moses did for the data; encodeText maps to indices, unknown and rare words to 1', () => {
  assert.deepEqual(tokenize("I didn't like it... (at all)"), ['i', 'didn', '&apos;t', 'like', 'it', '...', '(', 'at', 'all', ')']);
  assert.deepEqual(tokenize('Mr. Smith paid $5,000 in the U.S. "Great"!'), ['mr.', 'smith', 'paid', '$', '5,000', 'in', 'the', 'u.s.', '&quot;', 'great', '&quot;', '!']);
  assert.deepEqual(tokenize("The movie's end."), ['the', 'movie', '&apos;s', 'end', '.']);
  const ids = encodeText('A great movie, zzqqxx!', dictionary, 3000);
  assert.deepEqual(Array.from(ids), [dictionary.index.get('a'), dictionary.index.get('great'), dictionary.index.get('movie'), dictionary.index.get(','), UNKNOWN, dictionary.index.get('!')]);
  const rare = dictionary.words[2500];
  assert.deepEqual(Array.from(encodeText(rare, dictionary, 1000)), [UNKNOWN]);
});

/** A file under a fresh folder holding `text` (gzipped when the name ends in .gz). */
function file(name: string, text: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'nabla-imdb-')), name);
  writeFileSync(path, name.endsWith('.gz') && typeof text === 'string' ? gzipSync(text) : text);
  return path;
}

test('broken files: one-line errors naming the file and the item', () => {
  const data = (train: unknown) => JSON.stringify({ train, test: { x: [[2]], y: [0] } });
  const cases: [string, RegExp][] = [
    [file('bad.json.gz', gzipSync(data({ x: [[2, 3]], y: [1] })).subarray(0, 30)), /bad\.json\.gz: truncated or damaged gzip data/],
    [file('bad.json', '{"train": {"x": [[2, 3]'), /bad\.json: not JSON/],
    [file('bad.json', data({ x: [[2], [3]], y: [1] })), /bad\.json: train has 2 reviews \(x\) but 1 labels \(y\)/],
    [file('bad.json', data({ x: [[2], [3]], y: [1, 2] })), /bad\.json: train review 1: label 2 is not 0 or 1/],
    [file('bad.json', data({ x: [[2], [3, 7]], y: [1, 0] })), /bad\.json: train review 1, word 1: index 7 is outside the dictionary \(integers 0 to 6\)/],
    [file('bad.json', data({ x: [[2, -1]], y: [1] })), /train review 0, word 1: index -1 is outside/],
    [file('bad.json', data({ x: [[2.5]], y: [1] })), /train review 0, word 0: index 2.5 is outside/],
    [file('bad.json', data({ x: [[2], []], y: [1, 0] })), /bad\.json: train review 1 is empty/],
    [file('bad.json', JSON.stringify({ train: { x: [[2]], y: [1] } })), /bad\.json: has no "test" split/],
  ];
  for (const [path, message] of cases) {
    assert.throws(() => readImdb(path, 5), (e: Error) => message.test(e.message) && !e.message.includes('\n'), path);
  }
  assert.throws(() => readImdbDictionary(file('dict.json', '{"words": ["a", "b", "a"]}')), /dict\.json: word "a" appears twice \(indices 2 and 4\)/);
  assert.throws(() => readImdbDictionary(file('dict.json', '[1, 2]')), /dict\.json: not an IMDB dictionary/);
  assert.throws(() => readImdb('/nonexistent/imdb.json.gz', 5), /\/nonexistent\/imdb\.json\.gz: cannot be read \(ENOENT\)/);
});
