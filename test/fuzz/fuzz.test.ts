// The fuzz suite: seeded mutations (truncated, bytes flipped, bytes inserted, fields made negative or
// huge) of a valid model file, IDX file (plain, gzipped, float) and PNG, plus hand-made bombs, each
// loaded in a child process (test/fuzz/load-child.ts) whose peak memory is measured. Every outcome must
// be a one-line error naming the file, or a correct load; never another kind of exception, a hang, a
// wrong answer or more than 512 MB.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { encodeIdx, loadMnist } from '../../src/data/index.js';
import { Mlp } from '../../src/index.js';
import { crc32 } from '../../src/models/model-bytes.js';
import { NDArray } from '../../src/ndarray/index.js';
import { encodePng } from '../../src/viz/index.js';
import { Rng } from '../ops/harness.js';
import { forgeHeader, modelBytes, mutate, MUTATIONS, type Header } from './forge.js';
import type { FuzzCase, FuzzOutcome, Format } from './load-child.js';

const SEED = 18;
const PER_KIND = 8;
const MEMORY_LIMIT_KB = 512 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'nabla-fuzz-'));
const rng = new Rng(`fuzz-${SEED}`);
const random = () => rng.next();
const cases: FuzzCase[] = [];

function add(name: string, bytes: Uint8Array, format: Format): void {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  cases.push({ path, format });
}

/** PER_KIND seeded mutations of each kind, half within the first `hot` bytes (headers), half anywhere. */
function mutations(name: string, bytes: Buffer, format: Format, hot: number): void {
  for (const kind of MUTATIONS) {
    for (let i = 0; i < PER_KIND; i++) add(`${kind}-${i}-${name}`, mutate(bytes, kind, random, i % 2 ? bytes.length : hot), format);
  }
}

// A model file: random-looking weights, four tensors.
const mlp = new Mlp({ imageShape: [28, 28], classes: 10, hidden: [8], activation: 'tanh', keep: [] }, 3);
const model = modelBytes(mlp.toModelFile({ dataset: 'mnist', pixel_scale: 255 }));
const headerEnd = 8 + Number(model.readBigUInt64LE(0));
add('valid.nbm', model, 'model');
mutations('model.nbm', model, 'model', headerEnd);
// Mutations that keep the header JSON: a numeric field of a tensor made negative, fractional, grown or huge.
const tensorNames = Object.keys(mlp.toModelFile().tensors);
const numbers = [-1, -4096, 0.5, 1, 7, 2 ** 31, 2 ** 53, 1e300];
for (let i = 0; i < 24; i++) {
  const tensor = tensorNames[Math.floor(random() * tensorNames.length)];
  const field = ['offset', 'bytes', 'shape'][i % 3];
  const value = numbers[Math.floor(random() * numbers.length)];
  add(`field-${i}-model.nbm`, forgeHeader(model, (h: Header) => {
    const entry = h.tensors[tensor];
    if (field === 'shape') (entry.shape as number[])[0] = value;
    else entry[field] = field === 'offset' ? (entry.offset as number) + value : value;
  }), 'model');
}

// IDX files: 20 MNIST images plain and gzipped, and a small float file.
const { train } = loadMnist({ limit: { train: 20, valid: 1, test: 1 } });
const images = encodeIdx(train.x.reshape([20, 28, 28]), 'images', { scale: true });
const floats = encodeIdx(new NDArray('float32', [10, 5], Float32Array.from({ length: 50 }, (_, i) => Math.sin(i))), 'floats', { type: 'float' });
for (const [name, bytes] of [['images-idx3-ubyte', images], ['images-idx3-ubyte.gz', gzipSync(images)], ['floats-idx2-float', floats]] as const) {
  add(`valid-${name}`, bytes, 'idx');
  mutations(name, Buffer.from(bytes), 'idx', 16);
}
// Damaged IDX headers inside intact gzip streams: the declared size is all that bounds inflating them.
for (const kind of MUTATIONS) {
  for (let i = 0; i < PER_KIND; i++) add(`gz-${kind}-${i}-images-idx3-ubyte.gz`, gzipSync(mutate(Buffer.from(images), kind, random, 16)), 'idx');
}
// Bombs: 768 MB of zeros behind a header declaring 800 bytes, as 12 gzip members of 64 MB each.
const idxHeader = Buffer.from([0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28]);
const zeros = gzipSync(Buffer.alloc(64 << 20));
add('bomb-idx3-ubyte.gz', Buffer.concat([gzipSync(idxHeader), ...Array.from({ length: 12 }, () => zeros)]), 'idx');

// A PNG of one digit; the same header claiming 15000x15000 pixels.
const png = encodePng(new NDArray('float32', [28, 28], train.x.data.slice(0, 784)));
add('valid.png', png, 'png');
mutations('digit.png', png, 'png', 33);
const huge = Buffer.from(png);
huge.writeUInt32BE(15000, 16);
huge.writeUInt32BE(15000, 20);
add('huge.png', huge, 'png');
// Interlaced 28x28 grey PNGs (all black), whose data pngjs would inflate without a bound: one valid, and
// one whose image data inflate to 64 MB.
const ADAM7_PASSES = [[4, 4], [3, 4], [7, 3], [7, 7], [14, 7], [14, 14], [28, 14]]; // [width, height] of each pass
const interlacedBytes = ADAM7_PASSES.reduce((n, [w, h]) => n + h * (w + 1), 0);
add('valid-interlaced.png', interlacedPng(Buffer.alloc(interlacedBytes)), 'png');
add('bomb-interlaced.png', interlacedPng(Buffer.alloc(64 << 20)), 'png');

/** A PNG file of 28x28 grey pixels, Adam7-interlaced, holding `data` as its filtered scanlines. */
function interlacedPng(data: Buffer): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32([head.subarray(4), body]));
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 28, 0, 0, 0, 28, 8, 0, 0, 0, 1]);
  return Buffer.concat([png.subarray(0, 8), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(data)), chunk('IEND', Buffer.alloc(0))]);
}

test(`${cases.length} hostile files: each a one-line error naming the file or a correct load, in bounded memory`, () => {
  const list = join(dir, 'cases.json');
  writeFileSync(list, JSON.stringify(cases));
  const started = Date.now();
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'load-child.ts'), list], {
    encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20, env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  const outcomes = child.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as FuzzOutcome);
  const next = cases[outcomes.length]?.path;
  assert.equal(child.status, 0, `the child ${child.signal ? `was killed (${child.signal}), a hang` : `exited ${child.status}`} at ${next}: ${child.stderr}`);
  assert.equal(outcomes.length, cases.length, `no outcome for ${next}`);
  const tally = { loaded: 0, refused: 0 };
  let previousRss = 0;
  for (const [i, o] of outcomes.entries()) {
    const name = basename(cases[i].path);
    assert.equal(o.path, cases[i].path);
    assert.ok(o.maxRssKb < MEMORY_LIMIT_KB, `${name}: peak memory ${Math.round(o.maxRssKb / 1024)} MB`);
    if (o.maxRssKb > previousRss + 64 * 1024) console.log(`# ${name} raised the peak memory to ${Math.round(o.maxRssKb / 1024)} MB`);
    previousRss = Math.max(previousRss, o.maxRssKb);
    if (name.startsWith('valid')) assert.ok(o.loaded, `${name} must load: ${o.error?.message}`);
    if (o.loaded) {
      tally.loaded++;
      continue;
    }
    tally.refused++;
    const { name: kind, message, stack } = o.error!;
    assert.equal(kind, 'Error', `${name}: ${kind}: ${message}\n${stack ?? ''}`);
    assert.ok(!message.includes('\n'), `${name}: a message of several lines: ${message}`);
    assert.ok(message.startsWith(cases[i].path) || message.startsWith(name), `${name}: the message does not start with the file: ${message}`);
  }
  const refusal = (file: string) => outcomes.find((o) => basename(o.path) === file)?.error?.message;
  assert.match(refusal('bomb-idx3-ubyte.gz') ?? '', /inflate to more than the ubyte\[1, 28, 28\], 800 bytes its header declares$/);
  assert.match(refusal('huge.png') ?? '', /images are 15000x15000 pixels, but the model reads 28x28$/);
  assert.match(refusal('bomb-interlaced.png') ?? '', /its image data inflate to more than a 28x28 image holds\)$/);
  console.log(`# ${cases.length} files (seed ${SEED}): ${tally.loaded} loaded, ${tally.refused} refused; ` +
    `peak ${Math.round(previousRss / 1024)} MB, ${((Date.now() - started) / 1000).toFixed(1)} s`);
});
