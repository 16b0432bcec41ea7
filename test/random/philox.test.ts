// Philox4x32-10 against Random123's known-answer vectors, plus the uniform map's range and mean.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { philoxBlock, philoxUniform } from '../../src/random/philox.js';

const hex = (words: number[]) => words.map((w) => w.toString(16).padStart(8, '0')).join(' ');

test('philoxBlock matches Random123 kat_vectors for philox4x32_10', () => {
  assert.equal(hex(philoxBlock(0, 0, 0, 0, 0, 0)), '6627e8d5 e169c58d bc57ac4c 9b00dbd8');
  const f = 0xffffffff;
  assert.equal(hex(philoxBlock(f, f, f, f, f, f)), '408f276d 41c83b0e a20bc7c6 6d5451fd');
  assert.equal(
    hex(philoxBlock(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0)),
    'd16cfe09 94fdcceb 5001e420 24126ea1',
  );
});

test('philoxUniform lays blocks out as (block, 0, counter, 0) under key (seed, stream)', () => {
  const out = new Float64Array(10);
  philoxUniform(7, 3, 11, out);
  for (let i = 0; i < out.length; i++) {
    const w = philoxBlock(Math.floor(i / 4), 0, 11, 0, 7, 3)[i % 4];
    assert.equal(out[i], ((w >>> 9) + 0.5) * 2 ** -23);
  }
});

test('philoxUniform float32 output equals the float64 output exactly', () => {
  const f64 = new Float64Array(1001);
  const f32 = new Float32Array(1001);
  philoxUniform(1, 2, 3, f64);
  philoxUniform(1, 2, 3, f32);
  f64.forEach((v, i) => assert.equal(f32[i], v));
});

test('float32 draws stay below 1 even for the largest word', () => {
  // Element 9,320,226 of seed 0, stream 0, counter 0 has w >>> 8 = 2^24 - 1: with 24 bits it rounded to 1.
  const w = philoxBlock(2330056, 0, 0, 0, 0, 0)[2];
  assert.equal(w >>> 8, 2 ** 24 - 1);
  const out = new Float32Array(9_320_227);
  philoxUniform(0, 0, 0, out);
  assert.ok(out[9_320_226] < 1);
  assert.equal(out[9_320_226], 1 - 2 ** -24);
});

test('philoxUniform draws are uniform on (0, 1)', () => {
  const out = new Float64Array(1_000_000);
  philoxUniform(12345, 0, 0, out);
  let sum = 0;
  let sumSq = 0;
  for (const v of out) {
    assert.ok(v > 0 && v < 1, `value ${v} outside (0, 1)`);
    sum += v;
    sumSq += v * v;
  }
  const mean = sum / out.length;
  const variance = sumSq / out.length - mean * mean;
  // Standard error of the mean is sqrt(1/12 / 1e6) ~ 2.9e-4; 5 sigma keeps the test deterministic-safe.
  assert.ok(Math.abs(mean - 0.5) < 1.5e-3, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1 / 12) < 1e-3, `variance ${variance}`);
  const other = new Float64Array(4);
  philoxUniform(12345, 1, 0, other);
  assert.notDeepEqual(Array.from(other), Array.from(out.subarray(0, 4)), 'streams must differ');
});

test('philoxUniform rejects seeds outside uint32', () => {
  assert.throws(() => philoxUniform(-1, 0, 0, new Float32Array(1)), /philoxUniform: seed -1 must be an integer in \[0, 2\^32\)/);
  assert.throws(() => philoxUniform(0, 1.5, 0, new Float32Array(1)), /stream 1.5/);
});
