// MIDI files to piano-rolls and back: the tutorial's reading against the tutorial's own piano-rolls on all
// 1,037 Nottingham files, the tempo map against a file whose tempo changes, round trips, bad files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeMidi, type MidiEvent } from 'midi-file';
import { loadMusic, midiBytes, pianoRoll, songMatrix, matrixSong, TUTORIAL_PIANO_ROLL, type Song } from '../../src/data/index.js';
import { readJson } from '../../src/data/json-file.js';
import { nottinghamMidi, TUTORIAL_ROLLS_FILE, writeMusicFolder } from './nottingham-fixture.js';

const tutorialRolls = () => readJson(TUTORIAL_ROLLS_FILE) as Record<string, { files: string[]; sequences: Song[] }>;

test("the tutorial's reading gives the tutorial's piano-roll of every one of the 1,037 Nottingham files", () => {
  const midi = nottinghamMidi();
  const rolls = tutorialRolls();
  let checked = 0;
  for (const split of ['train', 'valid', 'test']) {
    const { files, sequences } = rolls[split];
    files.forEach((file, i) => {
      const name = `${split}/${file}`;
      assert.deepEqual(pianoRoll(midi.get(name)!, name, TUTORIAL_PIANO_ROLL), sequences[i], name);
      checked++;
    });
  }
  assert.equal(checked, 1037);
});

test('the tempo map keeps the chord notes the tutorial drops where a chord repeats a pitch still sounding', () => {
  const name = 'test/jigs_simple_chords_17.mid';
  const bytes = nottinghamMidi().get(name)!;
  const tutorial = pianoRoll(bytes, name, TUTORIAL_PIANO_ROLL);
  const tempoMap = pianoRoll(bytes, name, { ...TUTORIAL_PIANO_ROLL, timing: 'tempo-map' });
  assert.equal(tempoMap.length, tutorial.length);
  // Step 36: the tune's G (67) alone in the tutorial's roll, with its G-major chord in the tempo map's.
  assert.deepEqual(tutorial[36], [67]);
  assert.deepEqual(tempoMap[36], [55, 59, 62, 67]);
  tutorial.forEach((notes, t) => assert.ok(notes.every((p) => tempoMap[t].includes(p)), `step ${t}: no note lost`));
});

/** A format-1 file: a tempo track (120, then 60 quarter notes per minute from beat 2), a track of a note per beat. */
function twoTempoFile(): Uint8Array {
  const tempo: MidiEvent[] = [
    { deltaTime: 0, meta: true, type: 'setTempo', microsecondsPerBeat: 500_000 },
    { deltaTime: 960, meta: true, type: 'setTempo', microsecondsPerBeat: 1_000_000 },
    { deltaTime: 0, meta: true, type: 'endOfTrack' },
  ];
  const notes: MidiEvent[] = [];
  for (let beat = 0; beat < 4; beat++) {
    notes.push({ deltaTime: 0, type: 'noteOn', channel: 0, noteNumber: 60 + beat, velocity: 80 });
    notes.push({ deltaTime: 480, type: 'noteOn', channel: 0, noteNumber: 60 + beat, velocity: 0 });
  }
  notes.push({ deltaTime: 0, meta: true, type: 'endOfTrack' });
  return Uint8Array.from(writeMidi({ header: { format: 1, numTracks: 2, ticksPerBeat: 480 }, tracks: [tempo, notes] }));
}

test('the tempo map applies a tempo change of one track to the notes of another; the tutorial reading does not', () => {
  const options = { dt: 0.5, range: [21, 109] as const };
  // Beats 0 and 1 last 0.5 s each, beats 2 and 3 one second each: 1 + 1 + 2 + 2 steps of 0.5 s.
  assert.deepEqual(pianoRoll(twoTempoFile(), 'two tempos', { ...options, timing: 'tempo-map' }), [[60], [61], [62], [62], [63], [63]]);
  // midiread reads the notes' track after the tempo track from the state that track left (1 s at tick 960,
  // then 1 s per beat): beat b sounds from b − 2 to b − 1 s, so beat 0 falls before 0 s and is lost.
  const tutorial = pianoRoll(twoTempoFile(), 'two tempos', { ...options, timing: 'tutorial' });
  assert.deepEqual(tutorial, [[61], [61], [62], [62], [63], [63]]);
});

test('a piano-roll written as MIDI reads back the same, and notes carry across steps', () => {
  const song: Song = [[60, 64, 67], [60, 64, 67], [], [62], [62, 65], [65, 69, 72]];
  const bytes = midiBytes(song, 0.3);
  assert.deepEqual(pianoRoll(bytes, 'written', { dt: 0.3, range: [21, 109] }), song);
  assert.deepEqual(matrixSong(songMatrix(song, [21, 109]), 21), song);
});

test('bad MIDI files get one-line errors naming the file', () => {
  const good = nottinghamMidi().get('train/ashover_simple_chords_1.mid')!;
  const read = (bytes: Uint8Array, options = {}) => pianoRoll(bytes, 'tune.mid', { ...TUTORIAL_PIANO_ROLL, ...options });
  assert.throws(() => read(Buffer.from('RIFF....WAVEfmt ')), /^Error: tune\.mid: not a MIDI file \(it does not begin with an MThd header\)$/);
  assert.throws(() => read(good.subarray(0, 10)), /tune\.mid: truncated MIDI header/);
  assert.throws(() => read(good.subarray(0, good.length - 40)), /tune\.mid: track \d is truncated/);
  const silent = writeMidi({ header: { format: 0, numTracks: 1, ticksPerBeat: 480 }, tracks: [[{ deltaTime: 0, meta: true, type: 'endOfTrack' }]] });
  assert.throws(() => read(Uint8Array.from(silent)), /tune\.mid: holds no notes/);
  assert.throws(() => read(good, { range: [60, 72] }), /tune\.mid: note \d+ at [\d.]+ s is outside the pitch range \[60, 72\)/);
  const clipped = read(good, { range: [60, 72], outsideRange: 'clip' });
  assert.ok(clipped.flat().every((p) => p >= 60 && p < 72) && clipped.flat().length > 0);
});

test('a music folder loads its three splits; a missing split and a bad JSON note name the culprit', () => {
  const root = writeMusicFolder(mkdtempSync(join(tmpdir(), 'nabla-music-')), { train: 3, valid: 2, test: 1 });
  const music = loadMusic(root, TUTORIAL_PIANO_ROLL);
  assert.deepEqual([music.train.length, music.valid.length, music.test.length], [3, 2, 1]);
  assert.equal(music.names.valid[0], join(root, 'valid', 'ashover_simple_chords_10.mid'));
  const empty = mkdtempSync(join(tmpdir(), 'nabla-music-'));
  assert.throws(() => loadMusic(empty, TUTORIAL_PIANO_ROLL), /nabla-music-.*train: cannot be read \(ENOENT\); a music folder needs train, valid and test subfolders/);
  const file = join(empty, 'songs.json');
  writeFileSync(file, JSON.stringify({ train: [[[60], [61.5]]], valid: [], test: [] }));
  assert.throws(() => loadMusic(file, TUTORIAL_PIANO_ROLL), /songs\.json: train song 0, step 1: 61\.5 is not a MIDI note number/);
  writeFileSync(file, JSON.stringify({ train: [[[60], [12]]], valid: [], test: [] }));
  assert.throws(() => loadMusic(file, TUTORIAL_PIANO_ROLL), /songs\.json: train song 0, step 1: note 12 is outside the pitch range \[21, 109\)/);
});
