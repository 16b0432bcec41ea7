// Atomic writes cannot be redirected: links planted at the file's name or at the temporary names older
// versions used are replaced or ignored, never followed; folders are made or refused with their name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NDArray } from '../../src/ndarray/index.js';
import { leftoverTempFiles, makeFolder, readFileNamed, writeFileAtomic } from '../../src/models/atomic-write.js';
import { loadModelFile, saveModelFile } from '../../src/models/model-file.js';

const model = { kind: 'mlp', config: {}, tensors: { W: new NDArray('float32', [2, 2], new Float32Array([1, 2, 3, 4])) }, meta: {} };

test('a planted symlink cannot make a save overwrite another file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-atomic-'));
  const victims = [join(dir, 'victim-a'), join(dir, 'victim-b')];
  for (const v of victims) writeFileSync(v, 'precious');
  const path = join(dir, 'model.nbm');
  // At the file's own name, and at the predictable temporary name of older versions (path.tmp-PID).
  symlinkSync(victims[0], path);
  symlinkSync(victims[1], `${path}.tmp-${process.pid}`);
  saveModelFile(path, model);
  for (const v of victims) assert.equal(readFileSync(v, 'utf8'), 'precious');
  assert.ok(lstatSync(path).isFile() && !lstatSync(path).isSymbolicLink());
  assert.deepEqual(loadModelFile(path).tensors.W.data, new Float32Array([1, 2, 3, 4]));
  // The planted link is left as it was, and no temporary file of the save remains.
  assert.deepEqual(readdirSync(dir).sort(), ['model.nbm', `model.nbm.tmp-${process.pid}`, 'victim-a', 'victim-b']);
  assert.deepEqual(leftoverTempFiles(dir), []);
});

test('leftover temporary files are found by name, in the folder and its sub-folders', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-atomic-'));
  makeFolder(join(dir, 'pretrained'));
  writeFileSync(join(dir, 'resume.nbm.tmp-0a1b2c3d4e5f'), 'half');
  writeFileSync(join(dir, 'pretrained', 'x.png.tmp-4242'), 'half');
  writeFileSync(join(dir, 'notes.tmp-x'), 'mine');
  assert.deepEqual(leftoverTempFiles(dir).sort(), [join(dir, 'pretrained', 'x.png.tmp-4242'), join(dir, 'resume.nbm.tmp-0a1b2c3d4e5f')]);
  writeFileAtomic(join(dir, 'a', 'b', 'c.txt'), [new TextEncoder().encode('hello')]);
  assert.equal(readFileSync(join(dir, 'a', 'b', 'c.txt'), 'utf8'), 'hello');
});

test('folders that cannot be made, and folders read as files, are errors naming the path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-atomic-'));
  assert.throws(() => makeFolder('/proc/nabla-x/y'), /^Error: \/proc\/nabla-x: cannot create this folder \(ENOENT\)$/);
  writeFileSync(join(dir, 'file'), '');
  assert.throws(() => makeFolder(join(dir, 'file')), /file: exists and is not a folder$/);
  assert.throws(() => makeFolder(join(dir, 'file', 'sub')), /file\/sub: cannot create this folder \(ENOTDIR\)$/);
  assert.throws(() => readFileNamed(dir), new RegExp(`^Error: ${dir}: is a folder, not a file \\(EISDIR\\)$`));
  assert.throws(() => writeFileAtomic(join(dir, 'file', 'x.nbm'), []), /file\/x\.nbm|file: exists and is not a folder/);
});
