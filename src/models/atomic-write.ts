// Safe file writes: a crash leaves the old file or the new one, never half of one, and no planted link can
// redirect a write. Also folders made without Node's recursive mkdir, which spins forever on /proc/x.
import {
  closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';

/** The name of a temporary file beside `path`: `<path>.tmp-<12 hex digits>`, random (older runs used the pid). */
const tempName = (path: string) => `${path}.tmp-${randomBytes(6).toString('hex')}`;

/** Whether a file name is one of writeFileAtomic's temporary files (a killed write leaves them behind). */
export const isTempFileName = (name: string) => /\.tmp-[0-9a-f]+$/.test(name);

/**
 * Writes a file atomically: a crash leaves the old file or the new one, never half of one. The data go to
 * a temporary file of a random name created exclusively in the same folder (so a link planted there is
 * never followed), are flushed to disk, and the file is renamed over `path` (replacing a link at `path`,
 * not what it points to); the folder is flushed too, so that the rename survives a power cut.
 */
export function writeFileAtomic(path: string, chunks: readonly Uint8Array[]): void {
  const folder = dirname(path);
  makeFolder(folder);
  const { fd, temp } = createTemp(path);
  try {
    try {
      for (const chunk of chunks) writeSync(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw namedError(path, e);
  }
  syncFolder(folder);
}

/** A new temporary file beside `path`, opened for writing; a name that exists already (a link too) is never reused. */
function createTemp(path: string): { fd: number; temp: string } {
  for (let attempt = 0; ; attempt++) {
    const temp = tempName(path);
    try {
      return { fd: openSync(temp, 'wx'), temp };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 8) throw namedError(path, e);
    }
  }
}

/** Flushes a folder's entries to disk; where folders cannot be opened for that (some file systems), nothing. */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // The data are written and renamed; only their durability across a power cut is left to the system.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A file-system error as one line naming the path (Node's EISDIR, for one, does not name it). */
export function namedError(path: string, e: unknown): Error {
  const error = e as NodeJS.ErrnoException;
  if (!error.code) return error as Error;
  const reason = error.code === 'EISDIR' ? 'is a folder, not a file'
    : error.code === 'ENOTDIR' ? 'a part of this path is a file, not a folder'
    : error.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '');
  return new Error(`${path}: ${reason} (${error.code})`, { cause: e });
}

/**
 * Reads a whole file; errors name the path.
 * @example readFileNamed('runs/mlp') // throws "runs/mlp: is a folder, not a file (EISDIR)"
 */
export function readFileNamed(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw namedError(path, e);
  }
}

/**
 * Makes a folder and any missing parents, as `mkdir -p` does; an error names the folder. (Node's
 * mkdirSync with `recursive` loops forever where a parent exists but refuses new entries, as /proc does.)
 * @example makeFolder('runs/mlp/inside')
 */
export function makeFolder(path: string): void {
  try {
    mkdirSync(path);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if (statSync(path).isDirectory()) return;
      throw new Error(`${path}: exists and is not a folder`, { cause: e });
    }
    const parent = dirname(path);
    if (code !== 'ENOENT' || parent === path) throw folderError(path, e);
  }
  makeFolder(dirname(path));
  try {
    mkdirSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST' && statSync(path).isDirectory()) return;
    throw folderError(path, e);
  }
}

const folderError = (path: string, e: unknown) => {
  const error = e as NodeJS.ErrnoException;
  return new Error(`${path}: cannot create this folder (${error.code ?? error.message})`, { cause: e });
};

/** The temporary files a killed write left in `folder` and its sub-folders (links are not followed), by path. */
export function leftoverTempFiles(folder: string, depth = 2): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isFile() && isTempFileName(entry.name)) return [path];
    return entry.isDirectory() && depth > 1 ? leftoverTempFiles(path, depth - 1) : [];
  });
}
