// A run folder owns its run: every recipe's run takes the folder's lock first (a second run there is
// refused), removes what a killed write left, and refuses a folder holding an earlier run unless told to
// continue it (--resume) or to start over (--force, which moves the earlier files into previous-DATE/).
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { leftoverTempFiles, makeFolder } from '../../models/atomic-write.js';
import { LOCK_FILE, lockRunFolder, type RunLock } from '../../train/run-lock.js';
import { parseOptions, type OptionSpec } from './options.js';
import type { Recipe } from './recipe.js';

export const FORCE_OPTION: OptionSpec = {
  flag: 'force', description: "start over in a folder holding an earlier run: its files move into the folder's previous-DATE/",
};

/** Sub-folders holding earlier runs moved aside by --force. */
const PREVIOUS = 'previous-';

/** The default --out of a recipe. */
export const defaultRunFolder = (recipe: string) => join('runs', recipe);

/**
 * What shows a folder holds a run: its model files, resume states and checkpoints, metrics. A receipt alone
 * (run.json) is a run that stopped before its first epoch (no data, a bad option): nothing to lose by starting over.
 */
const isRunFile = (name: string) => name.endsWith('.nbm') || name === 'metrics.jsonl';

/**
 * Claims `out` for a run: makes it, takes its lock, removes temporary files left by killed writes, and
 * checks what it holds. A folder holding an earlier run is refused unless `resume` (continue it) or
 * `force` (its files move into previous-DATE/ first). Returns the lock, to release when the run ends.
 * @example const lock = claimRunFolder('runs/mlp', { force: true }); try { ... } finally { lock.release(); }
 */
export function claimRunFolder(out: string, how: { resume?: boolean; force?: boolean }): RunLock {
  if (how.resume && how.force) throw new Error('--resume and --force: give one (--resume continues the run in --out, --force starts over)');
  makeFolder(out);
  const lock = lockRunFolder(out);
  try {
    const leftovers = leftoverTempFiles(out);
    for (const path of leftovers) rmSync(path, { force: true });
    if (leftovers.length) console.error(`nabla: removed ${leftovers.length} temporary file(s) left in ${out} by an interrupted write`);
    const earlier = readdirSync(out).filter(isRunFile).sort();
    if (earlier.length && !how.resume) {
      if (!how.force) {
        throw new Error(`${out} holds an earlier run (${earlier.join(', ')}): add --resume to continue it, ` +
          `or --force to start over (its files then move into ${join(out, `${PREVIOUS}DATE`)}/)`);
      }
      console.error(`nabla: --force: moved the earlier run's files into ${moveAside(out)}/`);
    }
  } catch (e) {
    lock.release();
    throw e;
  }
  return lock;
}

/** Moves everything in `out` but the lock and earlier previous-* folders into a new previous-DATE folder. */
function moveAside(out: string): string {
  const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '-');
  let folder = join(out, `${PREVIOUS}${stamp}`);
  for (let n = 2; existsSync(folder); n++) folder = join(out, `${PREVIOUS}${stamp}-${n}`);
  makeFolder(folder);
  for (const name of readdirSync(out)) {
    if (name.startsWith(PREVIOUS) || name.startsWith(LOCK_FILE)) continue;
    renameSync(join(out, name), join(folder, name));
  }
  return folder;
}

/** A raw flag as parseOptions reads a switch: given, or 'true'. */
const isSet = (value: unknown) => value === true || value === 'true';

/**
 * A recipe whose runs own their folder: --force among its options, the folder claimed before the run and
 * released after it (and at exit). Options are checked first, so a bad flag is reported as such.
 * @example registerRecipe(ownsItsFolder(mlpRecipe));
 */
export function ownsItsFolder(recipe: Recipe): Recipe {
  return {
    ...recipe,
    options: [...recipe.options, FORCE_OPTION],
    async run(raw, context) {
      const { force, ...rest } = raw;
      const parsed = parseOptions(recipe.options, rest) as { out?: string; resume?: boolean };
      const out = parsed.out ?? defaultRunFolder(recipe.name);
      const lock = claimRunFolder(out, { resume: parsed.resume, force: isSet(force) });
      try {
        return await recipe.run({ ...rest, out }, context);
      } finally {
        lock.release();
      }
    },
  };
}
