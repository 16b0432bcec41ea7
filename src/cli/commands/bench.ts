// nabla bench: times the BENCH.md workloads on the current backend; --peers runs the NumPy peer too, the
// JAX peer (gemm, the training steps and the sequence workloads) where its Python environment exists, and
// OpenBLAS called from C for the gemm rows, in the same run, so ratios hold on a noisy machine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import {
  backendInfo, getBackend, NEVER, recalibrateGemm, recalibrateParallel, setBackend, type BackendName,
} from '../../backends/index.js';
import { packageRoot } from '../../backends/native/addon.js';

/** One line of `nabla bench --json`. */
export interface BenchRow {
  impl: string;
  workload: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  extra?: Record<string, number>;
}

// The peers live in the clone's bench/peers/, whether this file runs from src/ or from the build in dist/src/.
const ROOT = packageRoot();
const PEER_SCRIPT = join(ROOT, 'bench', 'peers', 'numpy_bench.py');
const JAX_SCRIPT = join(ROOT, 'bench', 'peers', 'jax_bench.py');
// The virtual environment bench/peers/setup-jax.sh makes; NABLA_JAX_PYTHON names another python.
const JAX_PYTHON = join(ROOT, '.venv-peers', 'bin', 'python');
// Debian's python3-sklearn is imported by Debian's own python3; NABLA_SKLEARN_PYTHON names another.
const SKLEARN_SCRIPT = join(ROOT, 'bench', 'peers', 'sklearn_bench.py');
const SKLEARN_PYTHON = '/usr/bin/python3';
const OPENBLAS_PEER = join(ROOT, 'bench', 'peers', 'openblas_gemm.c');
// The OpenMP build of OpenBLAS that binding.gyp links the addon against.
const OPENBLAS_DIR = '/usr/lib/x86_64-linux-gnu/openblas-openmp';

function formatRow(row: BenchRow): string {
  const figure = (v: number) => (Math.abs(v) >= 10 || Number.isInteger(v) ? v.toFixed(1) : v.toPrecision(4));
  const extra = row.extra ? Object.entries(row.extra).map(([k, v]) => ` ${k} ${figure(v)}`).join('') : '';
  return `${row.impl.padEnd(8)} ${row.workload.padEnd(16)} median ${row.median.toFixed(3)} ${row.unit} (min ${row.min.toFixed(3)}, max ${row.max.toFixed(3)})${extra}`;
}

/** Runs a peer program and parses its JSON lines, or fails naming it. */
function peerRows(what: string, command: string, args: readonly string[]): BenchRow[] {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error(`${what} failed with exit code ${result.status}`);
  return result.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as BenchRow);
}

/** OpenBLAS's own gemm speed: bench/peers/openblas_gemm.c, compiled here against the addon's library. */
function runOpenblasPeer(names: readonly string[], reps: number, cpuTime: boolean): BenchRow[] {
  const sizes = names.filter((n) => n.startsWith('gemm_')).map((n) => n.slice('gemm_'.length));
  if (sizes.length === 0) return [];
  const binary = join(mkdtempSync(join(tmpdir(), 'nabla-bench-')), 'openblas_gemm');
  const compile = spawnSync('cc', ['-O2', '-o', binary, OPENBLAS_PEER, `-L${OPENBLAS_DIR}`, `-Wl,-rpath,${OPENBLAS_DIR}`, '-lopenblas'], { stdio: 'inherit' });
  if (compile.status !== 0) throw new Error(`compiling the OpenBLAS peer (${OPENBLAS_PEER}) failed with exit code ${compile.status}`);
  return peerRows(`the OpenBLAS peer (${binary})`, binary, [...(cpuTime ? ['--cpu-time'] : []), String(reps), ...sizes]);
}

/** The JAX peer on the workloads it has (all but PCA, t-SNE, the RNN-RBM and HMC), when a python with JAX is there. */
function runJaxPeer(names: readonly string[], peerFlags: readonly string[]): BenchRow[] {
  const python = process.env.NABLA_JAX_PYTHON ?? JAX_PYTHON;
  if (!existsSync(python)) {
    console.error(`the JAX peer is skipped: no ${python} (bash bench/peers/setup-jax.sh makes it, or set NABLA_JAX_PYTHON)`);
    return [];
  }
  return peerRows(`the JAX peer (${JAX_SCRIPT})`, python, [JAX_SCRIPT, ...names, ...peerFlags, '--skip-unknown']);
}

/** The scikit-learn peer on the workloads it has (PCA and t-SNE), when its python imports scikit-learn. */
function runSklearnPeer(names: readonly string[], peerFlags: readonly string[]): BenchRow[] {
  const mine = names.filter((n) => n === 'pca_fit' || n.startsWith('tsne_'));
  if (mine.length === 0) return [];
  const python = process.env.NABLA_SKLEARN_PYTHON ?? SKLEARN_PYTHON;
  if (spawnSync(python, ['-c', 'import sklearn']).status !== 0) {
    console.error(`the scikit-learn peer is skipped: ${python} does not import sklearn (apt-get install python3-sklearn, or set NABLA_SKLEARN_PYTHON)`);
    return [];
  }
  return peerRows(`the scikit-learn peer (${SKLEARN_SCRIPT})`, python, [SKLEARN_SCRIPT, ...mine, ...peerFlags]);
}

function runPeers(names: readonly string[], reps: number, cpuTime: boolean): BenchRow[] {
  const peerFlags = ['--reps', String(reps), ...(cpuTime ? ['--cpu-time'] : [])];
  return [
    ...peerRows(`the NumPy peer (${PEER_SCRIPT})`, 'python3', [PEER_SCRIPT, ...names, ...peerFlags, '--skip-unknown']),
    ...runJaxPeer(names, peerFlags),
    ...runSklearnPeer(names, peerFlags),
    ...runOpenblasPeer(names, reps, cpuTime),
  ];
}

interface BenchOptions {
  json?: boolean;
  peers?: boolean;
  reps: string;
  cpuTime?: boolean;
  backend?: BackendName;
  calibrate?: boolean;
}

/**
 * `nabla bench --calibrate`: measures the gemm kernels and the kernels' thread sizes again and prints the medians
 * and choices.
 */
function calibrateGemm(): void {
  const measured = recalibrateGemm();
  if (!measured) throw new Error('--calibrate needs the native backend, which is not available');
  for (const [shapeClass, times] of Object.entries(measured.times)) {
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const [ours, blas] = [median(times.ours), median(times.blas)];
    console.log(`gemm ${shapeClass.padEnd(6)} ours ${ours.toFixed(3)} ms, OpenBLAS ${blas.toFixed(3)} ms per round: ${measured.choice[shapeClass as keyof typeof measured.choice]}`);
  }
  console.log(measured.notStored ? `not stored: ${measured.notStored}` : `stored in ${measured.cache}`);
  const threads = recalibrateParallel();
  if (!threads?.times) {
    console.log('threads: one thread, nothing to choose');
    return;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const [family, sizes] of Object.entries(threads.times.families)) {
    const cells = sizes.map((t) => `${t.size}: ${median(t.one).toFixed(3)}/${median(t.all).toFixed(3)}`).join(', ');
    const from = threads.choice[family as keyof typeof threads.choice];
    console.log(`threads ${family.padEnd(11)} ms on one/all threads ${cells}: from ${from === NEVER ? 'never' : from}`);
  }
  const { chunks, gemm } = threads.times.conv;
  console.log(`threads conv        chunks per thread ${median(chunks).toFixed(3)} ms, OpenBLAS threads ${median(gemm).toFixed(3)} ms: ${threads.choice.conv}`);
  console.log(threads.notStored ? `not stored: ${threads.notStored}` : `stored in ${threads.cache}`);
}

/** The workloads and the timer, which live in the repository's bench/ folder: the npm package leaves it out. */
async function benchModules() {
  try {
    const { workloads, lazyMnist } = await import('../../../bench/workloads.js');
    const { time } = await import('../../../bench/timing.js');
    return { workloads, lazyMnist, time };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    throw new Error('nabla bench runs from a clone of the repository (its bench/ folder is not in the npm package)', { cause: e });
  }
}

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('time the BENCH.md workloads (training steps and gemm) on this machine')
    .argument('[workloads...]', 'workloads to run (default: all)')
    .option('--json', 'print one JSON object per line')
    .option('--peers', 'also run the NumPy peer (bench/peers/numpy_bench.py) on the same workloads, the JAX peer (bench/peers/jax_bench.py) on gemm, the training steps and the sequence ones, scikit-learn (bench/peers/sklearn_bench.py) on PCA and t-SNE, and OpenBLAS from C on the gemm ones')
    .option('--reps <n>', 'timed repetitions', '7')
    .option('--cpu-time', 'time by CPU time instead of the wall clock, here and in the NumPy, JAX and OpenBLAS peers (for a busy machine; run single-threaded)')
    .option('--backend <name>', 'native or reference')
    .option('--calibrate', 'first time OpenBLAS against our gemm kernels, and our kernels on one thread against all, again on this machine and store the choice (with no workloads named, only that)')
    .action(async (
      requested: string[],
      options: BenchOptions,
    ) => {
      const { workloads, lazyMnist, time } = await benchModules();
      const unknown = requested.filter((w) => !Object.hasOwn(workloads, w));
      if (unknown.length) throw new Error(`unknown workload ${unknown.join(', ')}; choose from ${Object.keys(workloads).join(', ')}`);
      if (options.backend) setBackend(options.backend);
      if (options.calibrate) {
        calibrateGemm();
        if (requested.length === 0) return;
      }
      const native = backendInfo().native;
      if (native && getBackend().name === 'native') {
        console.error(`gemm kernels: ${Object.entries(native.gemm).map(([c, k]) => `${c} ${k}`).join(', ')} (${native.gemmSource}); simd ${native.simd}, OpenBLAS ${native.blasCore}`);
      }
      const names = requested.length ? requested : Object.keys(workloads);
      const reps = Number(options.reps);
      if (!Number.isInteger(reps) || reps < 5) throw new Error(`--reps must be an integer of at least 5, not ${options.reps}`);
      const data = lazyMnist();
      const print = (row: BenchRow) => console.log(options.json ? JSON.stringify(row) : formatRow(row));
      for (const name of names) {
        const { unit, setup, timing } = workloads[name];
        const { step, extra, steps = 1 } = setup(data);
        const t = time(step, { ...timing, reps, cpuTime: options.cpuTime });
        // time() gives ms per call; a per-step unit divides by the steps one call runs.
        const scale = (unit === 'µs/step' ? 1000 : unit === 's' ? 0.001 : 1) / steps;
        const perUnit = { median: t.median * scale, min: t.min * scale, max: t.max * scale };
        print({ impl: 'nabla', workload: name, unit, ...perUnit, backend: getBackend().name, ...(extra ? { extra: extra(t.median) } : {}) } as BenchRow);
      }
      if (options.peers) for (const row of runPeers(names, reps, Boolean(options.cpuTime))) print(row);
    });
}
