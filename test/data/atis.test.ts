// ATIS data: the real fold 3 file (sizes from PROVENANCE.md), context windows, the words of typed
// sentences, and one clear error per kind of damage in hand-made broken files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeWords, loadAtis } from '../../src/data/atis.js';
import { contextWindows } from '../../src/nn/index.js';

import { ATIS_FILE } from './atis-fixture.js';
const dir = mkdtempSync(join(tmpdir(), 'nabla-atis-'));
const atis = loadAtis(ATIS_FILE);

test('fold 3 has the sizes PROVENANCE.md gives: 3983/995/893 sentences, 572 words, 127 labels', () => {
  assert.deepEqual([atis.train.length, atis.valid.length, atis.test.length], [3983, 995, 893]);
  const words = (split: typeof atis.train) => split.reduce((n, s) => n + s.words.length, 0);
  assert.deepEqual([words(atis.train), words(atis.valid), words(atis.test)], [45376, 11214, 9198]);
  assert.equal(atis.words.length, 572);
  assert.equal(atis.labels.length, 127);
  assert.equal(atis.words[7], '<UNK>');
  assert.equal(atis.labels[126], 'O');
  const first = atis.train[0];
  assert.equal(Array.from(first.words, (w) => atis.words[w]).join(' '), 'what aircraft is used on delta flight DIGITDIGITDIGITDIGIT from kansas city to salt lake city');
  assert.equal(atis.labels[first.labels[5]], 'B-airline_name');
});

test('contextWindows pads with -1 on both sides, as the tutorial\'s contextwin', () => {
  assert.deepEqual(contextWindows([3, 5, 7], 3).toArray(), [[-1, 3, 5], [3, 5, 7], [5, 7, -1]]);
  assert.deepEqual(contextWindows([9], 7).toArray(), [[-1, -1, -1, 9, -1, -1, -1]]);
  assert.deepEqual(contextWindows([1, 2], 1).toArray(), [[1], [2]]);
  assert.throws(() => contextWindows([1], 4), /the window must be an odd positive integer, not 4/);
});

test('encodeWords: lower case, numbers as DIGIT shapes, unknown words as <UNK>', () => {
  const { tokens, indices } = encodeWords('Show me flights from Boston to xyzzy on flight 1230', atis.words);
  assert.equal(tokens.length, 10);
  const back = Array.from(indices, (i) => atis.words[i]);
  assert.deepEqual(back, ['show', 'me', 'flights', 'from', 'boston', 'to', '<UNK>', 'on', 'flight', 'DIGITDIGITDIGITDIGIT']);
  assert.throws(() => encodeWords('   ', atis.words), /the sentence has no words/);
});

/** A small valid file's content, to be damaged by each case. */
function smallFile(): Record<string, unknown> {
  return {
    words2idx: { show: 0, constructor: 1, boston: 2 },
    labels2idx: { O: 0, 'B-city': 1 },
    train: { words: [[0, 2], [1]], labels: [[0, 1], [0]] },
    valid: { words: [[2]], labels: [[1]] },
    test: { words: [[0]], labels: [[0]] },
  };
}

function writeCase(name: string, content: Record<string, unknown> | string, gzip = false): string {
  const path = join(dir, name);
  const text = typeof content === 'string' ? content : JSON.stringify(content);
  writeFileSync(path, gzip ? gzipSync(text) : text);
  return path;
}

test('a small file plain or gzipped loads, with a word named constructor', () => {
  for (const gz of [false, true]) {
    const data = loadAtis(writeCase(gz ? 'small.json.gz' : 'small.json', smallFile(), gz));
    assert.deepEqual(data.words, ['show', 'constructor', 'boston']);
    assert.deepEqual(Array.from(data.train[1].words), [1]);
  }
});

test('each kind of damage is one line naming the file and the item', () => {
  const cases: [string, (f: Record<string, unknown>) => unknown, RegExp][] = [
    ['unknown-tag', (f) => (f.train as { labels: number[][] }).labels[1] = [5], /unknown-tag\.json: train sentence 1: labels\[0\] is 5, an unknown tag \(labels2idx has indices 0 to 1\)$/],
    ['word-out', (f) => (f.valid as { words: number[][] }).words[0] = [3], /word-out\.json: valid sentence 0: words\[0\] is 3, a word index outside the dictionary \(words2idx has indices 0 to 2\)$/],
    ['empty', (f) => (f.test as { words: number[][]; labels: number[][] }).words[0] = [], /empty\.json: test sentence 0: is empty$/],
    ['lengths', (f) => (f.train as { labels: number[][] }).labels[0] = [0], /lengths\.json: train sentence 0: 2 words but 1 labels$/],
    ['no-labels', (f) => delete (f.valid as Record<string, unknown>).labels, /no-labels\.json: valid.labels is missing or not a list of sentences$/],
    ['no-test', (f) => delete f.test, /no-test\.json: test is missing or not an object with words and labels$/],
    ['no-dict', (f) => delete f.words2idx, /no-dict\.json: words2idx is missing or not an object of name: index$/],
    ['gap', (f) => f.labels2idx = { O: 0, 'B-city': 2 }, /gap\.json: labels2idx: no entry has index 1; indices must run from 0 to 2$/],
  ];
  for (const [name, damage, message] of cases) {
    const content = smallFile();
    damage(content);
    const path = writeCase(`${name}.json`, content);
    assert.throws(() => loadAtis(path), (e: Error) => message.test(e.message) && e.message.startsWith(path) && !e.message.includes('\n'), name);
  }
});

test('a truncated gzip and a file that is not JSON name the file', () => {
  const whole = gzipSync(JSON.stringify(smallFile()));
  const truncated = join(dir, 'truncated.json.gz');
  writeFileSync(truncated, whole.subarray(0, whole.length - 20));
  assert.throws(() => loadAtis(truncated), new RegExp(`^Error: ${truncated}: truncated or damaged gzip data \\(unexpected end of file\\)$`));
  const notJson = writeCase('not-json.json', '{"words2idx": {');
  assert.throws(() => loadAtis(notJson), new RegExp(`^Error: ${notJson}: not JSON \\(`));
  assert.throws(() => loadAtis(join(dir, 'absent.json')), /absent.json: cannot be read \(ENOENT\)$/);
  assert.ok(readFileSync(truncated).length > 0);
});
