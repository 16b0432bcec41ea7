// MIDI files to piano-rolls and back, through the midi-file package (it parses and writes the bytes; the
// timing and the pairing of note events into notes are ours). A piano-roll is a Song: one ascending list
// of sounding MIDI note numbers per time step of `dt` seconds.
//
// Two readings of time:
// - 'tempo-map' (the default): every tempo change of the file, on any track, applies from its tick on to
//   every track (a format-2 file keeps each track's own); a note-off ends the earliest sounding note of its
//   channel and pitch; a note still sounding when its track ends lasts to that end.
// - 'tutorial': the RNN-RBM tutorial's reader (midiread, PROVENANCE.md of the Nottingham data): tracks are
//   read one after another, each from tick 0, with the tempo state left as the previous track ended it; a
//   note-off ends the latest note of its pitch on any channel, only if that one still sounds; notes never
//   ended are dropped. It agrees with the tutorial's own piano-rolls float for float.
// In both, a note sounding from s to e seconds fills the steps ⌈s/dt⌉ … ⌈e/dt⌉ − 1, and a note-on of
// velocity 0 is a note-off.
import { readFileSync } from 'node:fs';
import { parseMidi, writeMidi, type MidiData, type MidiEvent } from 'midi-file';

/** Ascending MIDI note numbers sounding at each time step. */
export type Song = number[][];

export type MidiTiming = 'tempo-map' | 'tutorial';

export interface PianoRollOptions {
  /** Seconds per time step (the tutorial's 0.3). */
  dt: number;
  /** MIDI note numbers kept: from [0] up to but not including [1] (the tutorial's [21, 109], the piano's 88 keys). */
  range: readonly [number, number];
  timing?: MidiTiming;
  /** Notes outside `range`: 'refuse' (an error naming the note) or 'clip' (left out of the roll). */
  outsideRange?: 'refuse' | 'clip';
}

/** The tutorial's piano-roll: the piano's 88 keys, 0.3 s per step. */
export const TUTORIAL_PIANO_ROLL = { dt: 0.3, range: [21, 109] as const, timing: 'tutorial' as const };

/** The default tempo of a MIDI file without a tempo event: 120 quarter notes per minute. */
const DEFAULT_TEMPO = 500_000;

interface Note {
  pitch: number;
  channel: number;
  start: number;
  end: number | null;
}

/** The last item that passes `test`. */
function lastWhere<T>(items: readonly T[], test: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return items[i];
  return undefined;
}

/** The file's events with absolute ticks per track, parsed with errors that name the file. */
function parse(bytes: Uint8Array, name: string): MidiData {
  if (String.fromCharCode(...bytes.subarray(0, 4)) !== 'MThd') {
    throw new Error(`${name}: not a MIDI file (it does not begin with an MThd header)`);
  }
  if (bytes.length < 14) throw new Error(`${name}: truncated MIDI header (${bytes.length} bytes)`);
  let data: MidiData;
  try {
    data = parseMidi(bytes);
  } catch (e) {
    throw new Error(`${name}: damaged MIDI file (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  data.tracks.forEach((track, t) => {
    if (!track.length || track.at(-1)!.type !== 'endOfTrack') {
      throw new Error(`${name}: track ${t + 1} is truncated (it does not end with an end-of-track event)`);
    }
    if (track.some((e) => e.deltaTime === undefined || Number.isNaN(e.deltaTime))) {
      throw new Error(`${name}: track ${t + 1} is truncated (an event runs past the end of the file)`);
    }
  });
  if (data.tracks.length !== data.header.numTracks) {
    throw new Error(`${name}: truncated: the header announces ${data.header.numTracks} tracks, the file holds ${data.tracks.length}`);
  }
  return data;
}

/** Visits a track's events with their absolute ticks. */
function withTicks(track: MidiEvent[], visit: (event: MidiEvent, tick: number) => void): number {
  let tick = 0;
  for (const event of track) {
    tick += event.deltaTime;
    visit(event, tick);
  }
  return tick;
}

/** The tutorial's reading: midiread's running tempo state over tracks read one after another. */
function tutorialNotes(data: MidiData, name: string): Note[] {
  const division = data.header.ticksPerBeat;
  if (!division) throw new Error(`${name}: SMPTE time division; the tutorial's timing needs ticks per quarter note (use --timing tempo-map)`);
  let [tempo, beat, time] = [DEFAULT_TEMPO, 0, 0];
  const seconds = (tick: number) => time + tempo * (tick - beat) * 1e-6 / division;
  const notes: Note[] = [];
  for (const track of data.tracks) {
    withTicks(track, (event, tick) => {
      if (event.type === 'setTempo') {
        time = seconds(tick);
        beat = tick;
        tempo = event.microsecondsPerBeat;
      } else if (event.type === 'noteOn') {
        notes.push({ pitch: event.noteNumber, channel: event.channel, start: seconds(tick), end: null });
      } else if (event.type === 'noteOff') {
        const latest = lastWhere(notes, (n) => n.pitch === event.noteNumber);
        if (latest && latest.end === null) latest.end = seconds(tick);
      }
    });
  }
  return notes.filter((n) => n.end !== null);
}

/** Seconds at each tick under a list of tempo changes [tick, µs per quarter], sorted by tick. */
function tempoClock(changes: [number, number][], division: number): (tick: number) => number {
  const segments: { tick: number; seconds: number; tempo: number }[] = [{ tick: 0, seconds: 0, tempo: DEFAULT_TEMPO }];
  for (const [tick, tempo] of changes) {
    const last = segments.at(-1)!;
    segments.push({ tick, seconds: last.seconds + (last.tempo * (tick - last.tick)) / (division * 1e6), tempo });
  }
  return (tick) => {
    const s = lastWhere(segments, (seg) => seg.tick <= tick)!;
    return s.seconds + (s.tempo * (tick - s.tick)) / (division * 1e6);
  };
}

/** The file's clock for each track: one tempo map for all tracks (format 0, 1) or each track's own (format 2). */
function trackClocks(data: MidiData): ((tick: number) => number)[] {
  const { ticksPerBeat, framesPerSecond, ticksPerFrame } = data.header;
  if (!ticksPerBeat) return data.tracks.map(() => (tick) => tick / (framesPerSecond! * ticksPerFrame!));
  const changesOf = (tracks: MidiEvent[][]) => {
    const changes: [number, number][] = [];
    for (const track of tracks) {
      withTicks(track, (e, tick) => e.type === 'setTempo' && changes.push([tick, e.microsecondsPerBeat]));
    }
    return changes.sort((a, b) => a[0] - b[0]);
  };
  if (data.header.format === 2) return data.tracks.map((track) => tempoClock(changesOf([track]), ticksPerBeat));
  const clock = tempoClock(changesOf(data.tracks), ticksPerBeat);
  return data.tracks.map(() => clock);
}

/** The tempo map's reading: notes paired per channel and pitch, first on first off. */
function tempoMapNotes(data: MidiData): Note[] {
  const notes: Note[] = [];
  const clocks = trackClocks(data);
  data.tracks.forEach((track, t) => {
    const sounding = new Map<number, Note[]>();
    const end = withTicks(track, (event, tick) => {
      if (event.type !== 'noteOn' && event.type !== 'noteOff') return;
      const key = event.channel * 128 + event.noteNumber;
      if (!sounding.has(key)) sounding.set(key, []);
      const open = sounding.get(key)!;
      if (event.type === 'noteOn') {
        const note = { pitch: event.noteNumber, channel: event.channel, start: clocks[t](tick), end: null };
        notes.push(note);
        open.push(note);
      } else if (open.length) {
        open.shift()!.end = clocks[t](tick);
      }
    });
    for (const open of sounding.values()) for (const note of open) note.end = clocks[t](end);
  });
  return notes;
}

/**
 * The piano-roll of a MIDI file's bytes; `name` (the file) appears in every error.
 * @example const song = pianoRoll(readFileSync('tune.mid'), 'tune.mid', { dt: 0.3, range: [21, 109] });
 */
export function pianoRoll(bytes: Uint8Array, name: string, options: PianoRollOptions): Song {
  const { dt, range: [low, high], timing = 'tempo-map', outsideRange = 'refuse' } = options;
  if (!(dt > 0)) throw new Error(`the time step dt must be positive, not ${dt}`);
  if (!(Number.isInteger(low) && Number.isInteger(high) && low >= 0 && high <= 128 && low < high)) {
    throw new Error(`the pitch range [${low}, ${high}) must be MIDI note numbers with 0 ≤ low < high ≤ 128`);
  }
  const data = parse(bytes, name);
  const notes = timing === 'tutorial' ? tutorialNotes(data, name) : tempoMapNotes(data);
  if (!notes.length) throw new Error(`${name}: holds no notes`);
  const outside = notes.find((n) => n.pitch < low || n.pitch >= high);
  if (outside && outsideRange === 'refuse') {
    throw new Error(`${name}: note ${outside.pitch} at ${outside.start.toFixed(2)} s is outside the pitch range [${low}, ${high}) (clipping leaves such notes out)`);
  }
  // The tutorial's ⌈s/dt⌉ exactly; the tempo map's reading forgives round-off of a step boundary.
  const slack = timing === 'tutorial' ? 0 : 1e-9;
  const step = (seconds: number) => Math.ceil(seconds / dt - slack);
  const steps = Math.max(...notes.map((n) => step(n.end!)));
  const sounding: Set<number>[] = Array.from({ length: steps }, () => new Set());
  for (const n of notes) {
    if (n.pitch < low || n.pitch >= high) continue;
    // The tutorial's reading can place a later track's notes before 0 s; they start at step 0.
    for (let t = Math.max(0, step(n.start)); t < step(n.end!); t++) sounding[t].add(n.pitch);
  }
  return sounding.map((pitches) => [...pitches].sort((a, b) => a - b));
}

/**
 * The piano-roll of a MIDI file.
 * @example const song = readMidiFile('nottingham/midi/train/jigs_simple_chords_1.mid', TUTORIAL_PIANO_ROLL);
 */
export function readMidiFile(path: string, options: PianoRollOptions): Song {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
  }
  return pianoRoll(bytes, path, options);
}

/** Ticks per quarter note of the files written here; at the default tempo, 960 ticks per second. */
const DIVISION = 480;

/**
 * A playable MIDI file (format 0, one piano track, 120 quarter notes per minute) of a piano-roll with `dt`
 * seconds per step: a note sounds from the step it appears until the step it is gone.
 * @example writeFileSync('sample.mid', midiBytes(song, 0.3));
 */
export function midiBytes(song: Song, dt: number): Uint8Array {
  if (!(dt > 0)) throw new Error(`the time step dt must be positive, not ${dt}`);
  const ticksPerStep = Math.round((dt * 1e6 * DIVISION) / DEFAULT_TEMPO);
  const events: MidiEvent[] = [
    { deltaTime: 0, meta: true, type: 'setTempo', microsecondsPerBeat: DEFAULT_TEMPO },
    { deltaTime: 0, type: 'programChange', channel: 0, programNumber: 0 },
  ];
  let last = 0;
  const at = (tick: number) => {
    const delta = tick - last;
    last = tick;
    return delta;
  };
  const before = new Set<number>();
  song.forEach((pitches, t) => {
    const now = new Set(pitches);
    for (const p of before) if (!now.has(p)) events.push({ deltaTime: at(t * ticksPerStep), type: 'noteOff', channel: 0, noteNumber: p, velocity: 0 });
    for (const p of now) if (!before.has(p)) events.push({ deltaTime: at(t * ticksPerStep), type: 'noteOn', channel: 0, noteNumber: p, velocity: 90 });
    before.clear();
    for (const p of now) before.add(p);
  });
  for (const p of before) events.push({ deltaTime: at(song.length * ticksPerStep), type: 'noteOff', channel: 0, noteNumber: p, velocity: 0 });
  events.push({ deltaTime: at(song.length * ticksPerStep), meta: true, type: 'endOfTrack' });
  return Uint8Array.from(writeMidi({ header: { format: 0, numTracks: 1, ticksPerBeat: DIVISION }, tracks: [events] }));
}
