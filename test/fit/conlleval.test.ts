// The conlleval scorer on hand-made cases whose counts follow from conlleval.pl's rules (derivations in
// the comments): chunks starting with I-, adjacent chunks of one type, all-O sentences, type changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkCounter, conlleval, type ChunkScore } from '../../src/fit/conlleval.js';

const counts = (s: ChunkScore) => [s.goldChunks, s.guessedChunks, s.correctChunks];
const one = (gold: string, guessed: string) => conlleval([gold.split(' ')], [guessed.split(' ')]);

test('identical tags: every chunk correct, F1 1', () => {
  const s = one('B-a I-a O B-b', 'B-a I-a O B-b');
  assert.deepEqual(counts(s), [2, 2, 2]);
  assert.equal(s.f1, 1);
  assert.equal(s.accuracy, 1);
});

test('a chunk may start with I-: I-a I-a and B-a I-a are the same chunk', () => {
  // O→I starts a chunk in both; I after I and I after B continue it; the final O ends both together.
  const s = one('I-a I-a O', 'B-a I-a O');
  assert.deepEqual(counts(s), [1, 1, 1]);
  assert.equal(s.f1, 1);
  assert.equal(s.accuracy, 2 / 3);
});

test('adjacent chunks of one type: B-a B-a is two chunks, B-a I-a one', () => {
  // Word 1: gold B after B ends and starts a chunk, the guess's I after B does neither: the open match breaks.
  const s = one('B-a B-a', 'B-a I-a');
  assert.deepEqual(counts(s), [2, 1, 0]);
  assert.deepEqual([s.precision, s.recall, s.f1], [0, 0, 0]);
});

test('all-O sentences: no chunks, rates 0 as conlleval prints 0.00, accuracy counted', () => {
  const s = conlleval([['O', 'O'], ['O']], [['O', 'O'], ['O']]);
  assert.deepEqual(counts(s), [0, 0, 0]);
  assert.deepEqual([s.precision, s.recall, s.f1, s.accuracy, s.tokens], [0, 0, 0, 1, 3]);
});

test('a change of type inside a guess ends one chunk and starts another', () => {
  // Guess: I-b after B-a ends a and starts b (2 chunks); gold has one chunk a, which the guess ends early.
  const s = one('B-a I-a', 'B-a I-b');
  assert.deepEqual(counts(s), [1, 2, 0]);
  assert.equal(s.precision, 0);
});

test('a mixed sentence: one chunk right, one ended early', () => {
  // Gold chunks x[0,1] y[3,4]; guessed x[0,1] y[3] (I-y after O starts it). x ends at word 2 in both:
  // correct. y starts at 3 in both, but at word 4 only the guess ends: not correct. P = R = 1/2.
  const s = one('B-x I-x O B-y I-y', 'B-x I-x O I-y O');
  assert.deepEqual(counts(s), [2, 2, 1]);
  assert.deepEqual([s.precision, s.recall, s.f1], [0.5, 0.5, 0.5]);
  assert.equal(s.accuracy, 3 / 5);
});

test('two sentences: counts add up over the corpus', () => {
  // Sentence 1: a correct, b missed. Sentence 2: a spurious d at word 0, then c starts at word 1 in both
  // (O→B in gold, B→B in the guess) and ends at the sentence's end in both: correct. 2 of 3 and 2 of 3.
  const s = conlleval([['B-a', 'I-a', 'O', 'B-b'], ['O', 'B-c']], [['B-a', 'I-a', 'O', 'O'], ['B-d', 'B-c']]);
  assert.deepEqual(counts(s), [3, 3, 2]);
  assert.ok(Math.abs(s.f1 - 2 / 3) < 1e-12);
});

test('a sentence boundary ends chunks: B-a | I-a is two chunks, not one', () => {
  const s = conlleval([['B-a'], ['I-a']], [['B-a'], ['I-a']]);
  assert.deepEqual(counts(s), [2, 2, 2]);
});

test("the tutorial's BOS/EOS words tagged O change no chunk count", () => {
  const gold = [['I-a', 'B-a', 'O', 'B-b', 'I-c'], ['B-c', 'I-c'], ['O']];
  const guessed = [['B-a', 'B-a', 'B-b', 'I-b', 'I-c'], ['I-c', 'O'], ['B-a']];
  const wrapped = new ChunkCounter();
  gold.forEach((sentence, s) => {
    wrapped.word('O', 'O'); // BOS O O, which conlleval.pl counts as a token
    sentence.forEach((tag, i) => wrapped.word(tag, guessed[s][i]));
    wrapped.word('O', 'O'); // EOS O O
    wrapped.endSentence(); // the empty line
  });
  const plain = conlleval(gold, guessed);
  assert.deepEqual(counts(wrapped.score()), counts(plain));
  assert.equal(wrapped.score().f1, plain.f1);
  assert.equal(wrapped.score().tokens, plain.tokens + 2 * gold.length);
});

test('sentences of different lengths are an error naming the sentence', () => {
  assert.throws(() => conlleval([['O', 'O']], [['O']]), /^Error: conlleval: sentence 0 has 2 gold tags but 1 guessed ones$/);
});
