// A run folder's receipt, run.json: what ran (the command, every option, the seed), with which nabla (version and
// commit), on what (Node, the CPU, OpenBLAS's kernels and threads), when, and how it ended (the summary). Written
// when the run starts and again when it ends; `nabla compare` and `nabla dashboard` read it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backendInfo } from '../../backends/index.js';
import { writeFileAtomic } from '../../models/atomic-write.js';
import { parseOptions, type RawOptions } from './options.js';
import type { Recipe, RunSummary } from './recipe.js';

export const RECEIPT_FILE = 'run.json';

export interface RunReceipt {
  /** The command line that repeats the run: nabla train NAME --flag value ... */
  command: string[];
  /** Every option of the recipe, defaults included. */
  options: Record<string, unknown>;
  seed: number | null;
  nabla: { version: string; commit: string | null; dirty?: boolean };
  node: string;
  cpu: { model: string; features?: string[]; simd?: string };
  blas: { core: string; threads: number } | null;
  backend: string;
  started: string;
  /** When a run resumed with --resume started again, each time. */
  resumed?: string[];
  ended: string | null;
  status: 'running' | 'finished' | 'failed';
  /** The run's JSON summary (its final figures), or { error } when it failed. */
  summary: Record<string, unknown> | null;
}

/**
 * The package's folder: where package.json sits above this file (src/cli/recipes in a checkout,
 * dist/src/cli/recipes when built).
 */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * The file the packing step writes into the package with the commit it was packed from,
 * { "commit": "<40 hex digits>" }: the commit of an installed package, which has no .git.
 */
export const STAMP_FILE = 'build-info.json';

let version: RunReceipt['nabla'] | undefined;

/** nabla's version (package.json) and commit: git's in a checkout, else the one stamped at packing, else null. */
export function nablaVersion(): RunReceipt['nabla'] {
  if (version) return version;
  const root = packageRoot();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  let commit: string | null = null;
  let dirty: boolean | undefined;
  if (existsSync(join(root, '.git'))) {
    try {
      const git = (...args: string[]) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      commit = git('rev-parse', 'HEAD').trim();
      dirty = git('status', '--porcelain', '--untracked-files=no').trim() !== '';
    } catch {
      commit = null; // no git on this machine
    }
  } else if (existsSync(join(root, STAMP_FILE))) {
    commit = (JSON.parse(readFileSync(join(root, STAMP_FILE), 'utf8')) as { commit?: string }).commit ?? null;
  }
  version = { version: pkg.version, commit, ...(dirty === undefined ? {} : { dirty }) };
  return version;
}

/** The flags of `raw` as a command line: { batchSize: '20', resume: true } → ['--batch-size', '20', '--resume']. */
function commandLine(name: string, raw: RawOptions): string[] {
  const flags = Object.entries(raw).filter(([, v]) => v !== undefined && v !== false).flatMap(([key, value]) => {
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    return value === true ? [flag] : [flag, String(value)];
  });
  return ['nabla', 'train', name, ...flags];
}

/** The machine as `nabla info` reports it. */
function machine(): Pick<RunReceipt, 'node' | 'cpu' | 'blas' | 'backend'> {
  const info = backendInfo();
  const native = info.native;
  return {
    node: process.version,
    cpu: native
      ? { model: native.cpuModel, features: native.cpuFeatures, simd: native.simd }
      : { model: cpus()[0]?.model ?? 'unknown' },
    blas: native ? { core: native.blasCore, threads: native.threads } : null,
    backend: info.backend,
  };
}

/**
 * Reads a run folder's receipt; undefined when it has none. A receipt that is not JSON is an error naming it.
 * @example readReceipt('runs/mlp')?.options.lr
 */
export function readReceipt(dir: string): RunReceipt | undefined {
  const path = join(dir, RECEIPT_FILE);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as RunReceipt;
  } catch (e) {
    throw new Error(`${path}: is not JSON (${(e as Error).message})`, { cause: e });
  }
}

function writeReceipt(dir: string, receipt: RunReceipt): void {
  writeFileAtomic(join(dir, RECEIPT_FILE), [new TextEncoder().encode(`${JSON.stringify(receipt, null, 2)}\n`)]);
}

/**
 * A recipe whose runs keep a receipt in their folder: run.json written as the run starts ('running') and
 * rewritten as it ends ('finished' with the summary, or 'failed' with the error). A resumed run keeps the
 * first start and adds its own to `resumed`.
 * @example registerRecipe(keepsAReceipt(mlpRecipe));
 */
export function keepsAReceipt(recipe: Recipe): Recipe {
  return {
    ...recipe,
    async run(raw, context) {
      const options = parseOptions(recipe.options, raw);
      const out = (options.out as string | undefined) ?? join('runs', recipe.name);
      const now = () => new Date().toISOString();
      const earlier = options.resume ? readReceipt(out) : undefined;
      const started = now();
      const receipt: RunReceipt = {
        command: commandLine(recipe.name, raw), options,
        seed: typeof options.seed === 'number' ? options.seed : null,
        nabla: nablaVersion(), ...machine(),
        started: earlier?.started ?? started,
        ...(earlier ? { resumed: [...(earlier.resumed ?? []), started] } : {}),
        ended: null, status: 'running', summary: null,
      };
      const write = (update: Partial<RunReceipt>) => writeReceipt(out, Object.assign(receipt, update));
      write({});
      let summary: RunSummary;
      try {
        summary = await recipe.run(raw, context);
      } catch (e) {
        write({ ended: now(), status: 'failed', summary: { error: (e as Error).message } });
        throw e;
      }
      write({ ended: now(), status: 'finished', summary });
      return summary;
    },
  };
}
