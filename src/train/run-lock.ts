// One run per folder: a lock file created exclusively in the run's folder, holding the pid, host and start
// time of the process that owns the folder. A second run finds it and refuses, naming the first; a lock
// left by a process that died (on this host) is taken over. The lock goes when the run ends and when the
// process exits. A signal (SIGINT, SIGTERM, SIGKILL) ends a run at once and leaves its lock: training is
// synchronous, so a JavaScript signal handler would run only after the training, and Ctrl-C would no
// longer stop it. The lock it leaves names a dead process, and the next run takes it over.
import { closeSync, openSync, readFileSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'run.lock';

/** Who holds a lock, as its file records it. */
export interface LockOwner {
  pid: number;
  host: string;
  /** When the owning run began (ISO 8601). */
  started: string;
  /** The owner's command line, to recognise it by. */
  command: string;
}

export interface RunLock {
  path: string;
  owner: LockOwner;
  /** Removes the lock (if it is still this run's); the folder is free for another run. */
  release(): void;
}

/** Locks held by this process, released when it exits. */
const held = new Map<string, LockOwner>();

/**
 * Takes the lock of a run folder (which must exist), or throws a one-line error naming the run that holds it.
 * @example const lock = lockRunFolder('runs/mlp'); try { train(); } finally { lock.release(); }
 */
export function lockRunFolder(folder: string): RunLock {
  const path = join(folder, LOCK_FILE);
  const me: LockOwner = {
    pid: process.pid, host: hostname(), started: new Date().toISOString(), command: process.argv.slice(1).join(' '),
  };
  // A few rounds: another process may be taking over the same stale lock, or writing a new one.
  for (let round = 0; round < 40; round++) {
    if (createExclusive(path, me)) return hold(path, me);
    const owner = readOwner(path);
    if (owner === 'gone') continue;
    if (owner === 'unreadable') {
      // A lock whose owner died between creating and filling it; a fresh one is being written now.
      if (ageSeconds(path) > 10) removeIfUnchanged(path, 'unreadable');
      else sleep(50);
      continue;
    }
    if (!isStale(owner, path)) throw new Error(inUse(folder, path, owner));
    takeOver(path, owner);
  }
  throw new Error(`${path}: could not take the lock (other runs keep taking it); try again`);
}

/** The refusal: who holds the folder, and what to do. */
function inUse(folder: string, path: string, owner: LockOwner): string {
  const here = owner.host === hostname();
  const remote = here ? '' : `; if that run is gone, delete ${path}`;
  return `${folder} is in use by another run: pid ${owner.pid} on host ${owner.host}${here ? ' (this one)' : ''}, started ${owner.started} ` +
    `(${owner.command}); wait for it to end or choose another --out${remote}`;
}

/** Creates the lock file with 'wx' (fails when it exists, links included) and writes the owner. */
function createExclusive(path: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new Error(`${path}: cannot create the run's lock file (${(e as NodeJS.ErrnoException).code})`, { cause: e });
  }
  try {
    writeSync(fd, `${JSON.stringify(owner)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readOwner(path: string): LockOwner | 'gone' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw new Error(`${path}: cannot read the run's lock file (${(e as NodeJS.ErrnoException).code})`, { cause: e });
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    if (Number.isInteger(owner.pid) && typeof owner.host === 'string' && typeof owner.started === 'string') return owner;
  } catch {
    // Half written, or not ours: treated below as unreadable.
  }
  return 'unreadable';
}

/**
 * A lock is stale when its owner ran on this host and is gone: its pid is dead, or now belongs to a process
 * that started after the lock was written (a pid reused). This process's own pid counts as stale only when
 * this process does not hold the lock (a pid reused across containers).
 */
function isStale(owner: LockOwner, path: string): boolean {
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return !held.has(path);
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return true;
  }
  const started = processStartMs(owner.pid);
  return started !== undefined && started > Date.parse(owner.started) + 2000;
}

/** When a process started (ms since 1970), from /proc on Linux; undefined elsewhere. */
function processStartMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const boot = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    // Clock ticks are 1/100 s on every Linux nabla runs on (sysconf(_SC_CLK_TCK)).
    return Number.isFinite(ticks) && Number.isFinite(boot) ? boot * 1000 + ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Removes a stale lock, guarded by a second lock file so that of two runs taking over the same stale lock,
 * one removes it and both then race fairly to create it; the loser finds the winner's lock.
 */
function takeOver(path: string, stale: LockOwner): void {
  const guard = `${path}.takeover`;
  if (!createExclusive(guard, { ...stale, pid: process.pid, started: new Date().toISOString() })) {
    // A guard older than a takeover can take was left by a process killed while taking over.
    if (ageSeconds(guard) > 10) rmSync(guard, { force: true });
    else sleep(20);
    return;
  }
  try {
    removeIfUnchanged(path, stale);
  } finally {
    unlinkSync(guard);
  }
}

/** Deletes a lock file if it still holds `expected` (an owner, or content that is not one). */
function removeIfUnchanged(path: string, expected: LockOwner | 'unreadable'): void {
  const now = readOwner(path);
  if (now === 'gone') return;
  const same = typeof now === 'string' || typeof expected === 'string'
    ? now === expected
    : now.pid === expected.pid && now.started === expected.started && now.host === expected.host;
  if (same) rmSync(path, { force: true });
}

function ageSeconds(path: string): number {
  try {
    return (Date.now() - statSync(path).mtimeMs) / 1000;
  } catch {
    return 0;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function hold(path: string, owner: LockOwner): RunLock {
  if (held.size === 0) process.on('exit', releaseAll);
  held.set(path, owner);
  return {
    path,
    owner,
    release: () => {
      if (held.get(path) !== owner) return;
      held.delete(path);
      removeIfUnchanged(path, owner);
      if (held.size === 0) process.removeListener('exit', releaseAll);
    },
  };
}

function releaseAll(): void {
  for (const [path, owner] of held) removeIfUnchanged(path, owner);
  held.clear();
}
