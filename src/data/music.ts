// Polyphonic music data sets as piano-rolls: a folder of MIDI files in train/valid/test subfolders (the
// Nottingham layout of ../shared/data/nottingham/midi), or a JSON file of note lists, in the layout of the
// benchmark piano-rolls (nottingham.json.gz, jsb_chorales.json.gz: { train: [song…], valid, test }, a song
// a list of steps, a step the ascending MIDI notes sounding) or of the tutorial's own piano-rolls
// (pianoroll_dt0.3.json.gz: { dt, train: { files, sequences }, … }). Every error names the file and the item.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NDArray } from '../ndarray/index.js';
import { readJson } from './json-file.js';
import { readMidiFile, type PianoRollOptions, type Song } from './midi.js';

export const MUSIC_SPLITS = ['train', 'valid', 'test'] as const;
export type MusicSplit = (typeof MUSIC_SPLITS)[number];

export interface MusicData {
  train: Song[];
  valid: Song[];
  test: Song[];
  /** Where each song came from (file names, or the JSON file and the song's index). */
  names: Record<MusicSplit, string[]>;
  /** Seconds per step when the source says (MIDI files: the option; the tutorial's rolls: their dt). */
  dt: number | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The MIDI files of a folder, by name. */
function midiFiles(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (e) {
    throw new Error(`${folder}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); a music folder needs train, valid and test subfolders of .mid files`, { cause: e });
  }
  return names.filter((n) => /\.midi?$/i.test(n)).sort().map((n) => join(folder, n));
}

/** A song's notes checked against the pitch range: refused, or left out when clipping. */
function checkSong(song: unknown, where: string, options: PianoRollOptions): Song {
  const [low, high] = options.range;
  if (!Array.isArray(song) || !song.length) throw new Error(`${where}: is not a non-empty list of time steps`);
  return song.map((step: unknown, t) => {
    if (!Array.isArray(step)) throw new Error(`${where}, step ${t}: is not a list of MIDI note numbers`);
    const notes: number[] = [];
    for (const note of step) {
      if (!Number.isInteger(note) || note < 0 || note > 127) throw new Error(`${where}, step ${t}: ${JSON.stringify(note)} is not a MIDI note number (0–127)`);
      if (note >= low && note < high) notes.push(note);
      else if (options.outsideRange !== 'clip') throw new Error(`${where}, step ${t}: note ${note} is outside the pitch range [${low}, ${high}) (clipping leaves such notes out)`);
    }
    return [...new Set(notes)].sort((a, b) => a - b);
  });
}

/** The songs of a JSON file in either layout. */
function readNoteLists(path: string, options: PianoRollOptions): MusicData {
  const data = readJson(path);
  if (!isRecord(data)) throw new Error(`${path}: is not an object with train, valid and test`);
  const names = { train: [], valid: [], test: [] } as Record<MusicSplit, string[]>;
  const splits = Object.fromEntries(MUSIC_SPLITS.map((split) => {
    const entry = data[split];
    // The tutorial's layout keeps file names beside the sequences.
    const songs = isRecord(entry) ? entry.sequences : entry;
    if (!Array.isArray(songs)) throw new Error(`${path}: ${split} is missing or not a list of songs`);
    const files = isRecord(entry) && Array.isArray(entry.files) ? entry.files.map(String) : undefined;
    names[split] = songs.map((_, i) => files?.[i] ?? `${split} song ${i}`);
    return [split, songs.map((song: unknown, i) => checkSong(song, `${path}: ${split} song ${i}`, options))];
  })) as Record<MusicSplit, Song[]>;
  const dt = typeof data.dt === 'number' && data.dt > 0 ? data.dt : null;
  return { ...splits, names, dt };
}

/**
 * A music data set: a folder with train/valid/test subfolders of MIDI files, or a JSON file of note lists.
 * @example const music = loadMusic('nottingham/midi', { dt: 0.3, range: [21, 109], timing: 'tutorial' });
 */
export function loadMusic(path: string, options: PianoRollOptions): MusicData {
  let folder: boolean;
  try {
    folder = statSync(path).isDirectory();
  } catch (e) {
    throw new Error(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
  }
  if (!folder) return readNoteLists(path, options);
  const bySplit = <T>(make: (split: MusicSplit) => T) =>
    Object.fromEntries(MUSIC_SPLITS.map((s) => [s, make(s)])) as Record<MusicSplit, T>;
  const files = bySplit((split) => midiFiles(join(path, split)));
  if (!files.train.length) throw new Error(`${join(path, 'train')}: holds no .mid files`);
  const songs = bySplit((split) => files[split].map((f) => readMidiFile(f, options)));
  return { ...songs, names: files, dt: options.dt };
}

/**
 * A song as a float32 matrix [steps, range[1] − range[0]] of 0/1 (column p − range[0] for note p).
 * @example songMatrix([[60, 64], [], [67]], [21, 109]) // float32 [3, 88]
 */
export function songMatrix(song: Song, range: readonly [number, number]): NDArray {
  const width = range[1] - range[0];
  const m = new NDArray('float32', [song.length, width]);
  song.forEach((notes, t) => {
    for (const p of notes) {
      if (p < range[0] || p >= range[1]) throw new Error(`songMatrix: note ${p} at step ${t} is outside the pitch range [${range[0]}, ${range[1]})`);
      m.data[t * width + p - range[0]] = 1;
    }
  });
  return m;
}

/** The notes of a 0/1 matrix [steps, pitches] whose column 0 is MIDI note `low`. */
export function matrixSong(m: NDArray, low: number): Song {
  const [steps, width] = m.shape;
  return Array.from({ length: steps }, (_, t) => {
    const notes: number[] = [];
    for (let p = 0; p < width; p++) if (m.data[t * width + p] > 0.5) notes.push(low + p);
    return notes;
  });
}
