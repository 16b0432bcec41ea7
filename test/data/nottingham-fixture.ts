// The real Nottingham data the tests read: the 1,037 MIDI files and the tutorial's piano-rolls of them,
// copies in test/fixtures (see its README).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readJson } from '../../src/data/json-file.js';

export const TUTORIAL_ROLLS_FILE = new URL('../fixtures/nottingham-pianoroll-dt0.3.json.gz', import.meta.url).pathname;

/** Every MIDI file's bytes by 'split/name.mid'. */
export function nottinghamMidi(): Map<string, Buffer> {
  const bundle = readJson(new URL('../fixtures/nottingham-midi.json.gz', import.meta.url).pathname) as Record<string, string>;
  return new Map(Object.entries(bundle).map(([name, base64]) => [name, Buffer.from(base64, 'base64')]));
}

/** The first `count` files of each split written as a music folder (train/valid/test) under `root`. */
export function writeMusicFolder(root: string, count: { train: number; valid: number; test: number }): string {
  const taken = { train: 0, valid: 0, test: 0 };
  for (const [name, bytes] of nottinghamMidi()) {
    const split = name.split('/')[0] as keyof typeof taken;
    if (taken[split]++ >= count[split]) continue;
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), bytes);
  }
  return root;
}
