// What the dashboard reads in a runs folder, and only reads: the run folders under it (a folder holding
// metrics.jsonl or run.json, nested at any depth up to a limit, symlinked folders not followed), a run's
// run.json receipt, its pictures, and its metrics.jsonl followed from a byte offset as training appends to it.
// Every file is opened through `open` here, by real paths that safe-path.ts has checked.
import { open, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { MetricsLine } from '../../train/metrics.js';
import { RECEIPT_FILE } from '../recipes/run-receipt.js';

export const METRICS_FILE = 'metrics.jsonl';
const PICTURE = /\.(png|svg)$/i;
const CURVE_PICTURE = /(^|\/)curves?-/; // learning curves as viz/curves.ts names them: curves-valid_error.png
const MAX_DEPTH = 6;
const MAX_FOLDERS = 5000; // a runs folder pointed at a home directory by mistake stays quick
const MAX_RECEIPT_BYTES = 1 << 20;

/** A run folder as the page lists it. */
export interface RunEntry {
  /** Its path under the runs folder, '/'-separated; '' when the runs folder is itself a run. */
  id: string;
  /** From run.json; absent before a run writes one. */
  status?: string;
  command?: string[];
  started?: string;
  ended?: string | null;
  /** Milliseconds since 1970 of the newest change to metrics.jsonl or run.json. */
  modified: number;
}

/** A picture of a run: its path under the run folder ('/'-separated), and when it last changed. */
export interface Picture {
  name: string;
  modified: number;
  size: number;
  /** A picture of learning curves (curves-*.png), which the page folds away: its charts draw them live. */
  curve: boolean;
}

const toId = (root: string, dir: string) => relative(root, dir).split(sep).join('/');
const skipped = (name: string) => name.startsWith('.') || name === 'node_modules';

/** The whole text of a file, or undefined when it cannot be read or is larger than `limit` bytes. */
export async function readText(path: string, limit = MAX_RECEIPT_BYTES): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    if (size > limit) return undefined;
    return await handle.readFile('utf8');
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

/** The bytes of a file, or undefined when it cannot be read. */
export async function readBytes(path: string): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
    return await handle.readFile();
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

/** A run's run.json as an object, or null while there is none (or it is cut short mid-write). */
export async function readReceipt(runDir: string): Promise<Record<string, unknown> | null> {
  const text = await readText(join(runDir, RECEIPT_FILE));
  if (text === undefined) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : null;
  } catch {
    return null;
  }
}

async function mtime(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function describeRun(root: string, dir: string): Promise<RunEntry | undefined> {
  const times = [await mtime(join(dir, METRICS_FILE)), await mtime(join(dir, RECEIPT_FILE))];
  if (times.every((t) => t === undefined)) return undefined;
  const entry: RunEntry = { id: toId(root, dir), modified: Math.max(...times.map((t) => t ?? 0)) };
  const receipt = await readReceipt(dir);
  if (receipt) {
    if (typeof receipt.status === 'string') entry.status = receipt.status;
    if (Array.isArray(receipt.command)) entry.command = receipt.command.map(String);
    if (typeof receipt.started === 'string') entry.started = receipt.started;
    if (typeof receipt.ended === 'string' || receipt.ended === null) entry.ended = receipt.ended;
  }
  return entry;
}

/**
 * The run folders under `root` (a real path), newest change first.
 * @example (await findRuns('/home/me/runs')).map((r) => r.id) // ['mlp-lr0.01', 'mlp', 'sda/run1']
 */
export async function findRuns(root: string): Promise<RunEntry[]> {
  const runs: RunEntry[] = [];
  let visited = 0;
  const visit = async (dir: string, depth: number): Promise<void> => {
    if (++visited > MAX_FOLDERS) return;
    const run = await describeRun(root, dir);
    if (run) runs.push(run);
    if (depth === MAX_DEPTH) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    // Dirent.isDirectory() is false for a symlink, so links (perhaps leading out of the folder) are not walked.
    for (const e of entries) if (e.isDirectory() && !skipped(e.name)) await visit(join(dir, e.name), depth + 1);
  };
  await visit(root, 0);
  return runs.sort((a, b) => b.modified - a.modified || a.id.localeCompare(b.id));
}

/**
 * The PNG and SVG files of a run folder and of its sub-folders that are not runs themselves (two levels); of
 * a picture written as both, the SVG. Learning curves come last: the page draws them live anyway.
 */
export async function listPictures(runDir: string): Promise<Picture[]> {
  const found: Picture[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const names = new Set(entries.map((e) => e.name));
    if (depth > 0 && (names.has(METRICS_FILE) || names.has(RECEIPT_FILE))) return;
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory() && depth < 1 && !skipped(e.name)) await visit(path, depth + 1);
      if (!e.isFile() || !PICTURE.test(e.name)) continue;
      if (/\.png$/i.test(e.name) && names.has(e.name.replace(/\.png$/i, '.svg'))) continue;
      try {
        const s = await stat(path);
        const name = toId(runDir, path);
        found.push({ name, modified: s.mtimeMs, size: s.size, curve: CURVE_PICTURE.test(name) });
      } catch {
        // removed between the listing and the stat
      }
    }
  };
  await visit(runDir, 0);
  return found.sort((a, b) => Number(a.curve) - Number(b.curve) || a.name.localeCompare(b.name));
}

/**
 * Follows a metrics.jsonl as training appends to it: each `read` returns the lines added since the last one
 * (a line still being written is read again once its newline is there), or all of them with `reset` when the
 * file was replaced or cut shorter (a resumed run drops what it will redo).
 * @example const follow = new MetricsFollower('runs/mlp/metrics.jsonl'); const { rows } = await follow.read();
 */
export class MetricsFollower {
  private offset = 0;
  private inode = -1;

  constructor(readonly path: string) {}

  async read(): Promise<{ reset: boolean; rows: MetricsLine[] }> {
    let handle;
    try {
      handle = await open(this.path, 'r');
    } catch {
      const reset = this.offset > 0;
      this.offset = 0;
      return { reset, rows: [] };
    }
    try {
      const { size, ino } = await handle.stat();
      const reset = (this.inode !== -1 && ino !== this.inode) || size < this.offset;
      if (reset) this.offset = 0;
      this.inode = ino;
      if (size === this.offset) return { reset, rows: [] };
      const bytes = Buffer.alloc(size - this.offset);
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, this.offset);
      // Up to the last newline only, so that a line (or a character) cut in two is never parsed.
      const end = bytes.subarray(0, bytesRead).lastIndexOf(0x0a) + 1;
      this.offset += end;
      return { reset, rows: bytes.subarray(0, end).toString('utf8').split('\n').flatMap(parseLine) };
    } finally {
      await handle.close();
    }
  }
}

/** A metrics line as an object; a damaged line is left out, since the page shows what it can. */
function parseLine(line: string): MetricsLine[] {
  if (!line.trim()) return [];
  try {
    const value: unknown = JSON.parse(line);
    return value && typeof value === 'object' && !Array.isArray(value) ? [value as MetricsLine] : [];
  } catch {
    return [];
  }
}
