// `nabla sample` for a sequence model of music (an RNN-RBM): new pieces written as playable MIDI files
// and as piano-roll pictures.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { matrixSong, midiBytes } from '../../data/index.js';
import { RnnRbm } from '../../models/index.js';
import { writePianoRoll } from '../../viz/index.js';
import { makeFolder } from '../../models/atomic-write.js';

export interface MusicSampleOptions {
  out: string;
  pieces: number;
  steps: number;
  seed: number;
  log?: (line: string) => void;
}

export interface MusicSample {
  midi: string;
  picture: string;
  /** Steps in which at least one note sounds. */
  sounding_steps: number;
  notes_per_step: number;
}

/**
 * Generates `pieces` pieces of `steps` steps from a saved RNN-RBM into `out` (sample-1.mid, sample-1.png, ...).
 * @example writeMusicSamples('runs/rnnrbm/model.nbm', { out: 'samples', pieces: 2, steps: 200, seed: 1 })
 */
export function writeMusicSamples(modelPath: string, options: MusicSampleOptions): MusicSample[] {
  const model = RnnRbm.load(modelPath, options.seed);
  const { range, dt } = model.config;
  makeFolder(options.out);
  return Array.from({ length: options.pieces }, (_, i) => {
    const song = matrixSong(model.generate(options.steps), range[0]);
    const name = `sample-${i + 1}`;
    const midi = join(options.out, `${name}.mid`);
    writeFileSync(midi, midiBytes(song, dt));
    const picture = writePianoRoll(join(options.out, `${name}.png`), song, { dt, range, title: `rnnrbm ${name}` });
    const notes = song.reduce((n, step) => n + step.length, 0);
    options.log?.(`${name}: ${midi}, ${picture}`);
    const sounding = song.filter((s) => s.length).length;
    return { midi, picture, sounding_steps: sounding, notes_per_step: Number((notes / song.length).toFixed(3)) };
  });
}
