// Writes docs/benchmarks.md: runs `nabla bench --json --peers` (nabla, NumPy and OpenBLAS in one run) and
// tables the medians side by side with the ratios. Run: npx tsx bench/report.ts [workload ...]
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { writeFileSync } from 'node:fs';

import type { BenchRow as Row } from '../src/cli/commands/bench.js';

const args = ['bin/nabla.js', 'bench', '--json', '--peers', ...process.argv.slice(2)];
const result = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (result.status !== 0) throw new Error(`nabla bench failed (exit ${result.status})`);
const rows = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Row);
const workloads = [...new Set(rows.map((r) => r.workload))];
const find = (impl: string, w: string) => rows.find((r) => r.impl === impl && r.workload === w);
const cell = (r?: Row) => (r ? `${r.median.toPrecision(4)} (${r.min.toPrecision(3)}–${r.max.toPrecision(3)})` : '—');

// Peers in the order of their columns, each shown only if the run has rows of it.
const peers = [['numpy', 'NumPy'], ['jax', 'JAX'], ['openblas', 'OpenBLAS (C)']].filter(([impl]) => rows.some((r) => r.impl === impl));

const lines = [
  '# Benchmarks',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version},`,
  `one run of \`npx tsx bench/report.ts\` (\`nabla bench --json --peers\`: nabla on the native backend, then the NumPy`,
  'peer `bench/peers/numpy_bench.py` on the same workloads, the JAX peer `bench/peers/jax_bench.py` on gemm, the',
  'training steps and the sequence ones, and for gemm OpenBLAS itself, `cblas_sgemm` called from C on the library the addon links,',
  '`bench/peers/openblas_gemm.c`). Medians of at least 5 timed repetitions after warm-up, min–max in brackets;',
  "lower is better; a ratio above 1 means nabla is faster. The environment is the machine's own",
  '(OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE as set there, for all).',
  '',
  `| workload | unit | nabla | ${peers.map(([, name]) => `${name} | ${name.split(' ')[0]} / nabla`).join(' | ')} |`,
  `| --- | --- | --- | ${peers.map(() => '--- | ---').join(' | ')} |`,
  ...workloads.map((w) => {
    const ours = find('nabla', w);
    const ratio = (peer?: Row) => {
      if (!ours || !peer) return '—';
      const r = peer.median / ours.median;
      return r < 0.01 ? r.toPrecision(1) : r.toFixed(2);
    };
    const gflops = ours?.extra?.gflops ? ` (${ours.extra.gflops.toFixed(0)} GFLOP/s)` : '';
    const unit = ours?.unit ?? rows.find((r) => r.workload === w)?.unit;
    return `| ${w} | ${unit} | ${cell(ours)}${gflops} | ${peers.map(([impl]) => `${cell(find(impl, w))} | ${ratio(find(impl, w))}`).join(' | ')} |`;
  }),
  '',
  'Reading the table: on the 2-vCPU machine these figures were taken on, whole processes sometimes ran in a',
  'slow mode (back-to-back runs of the same mlp_step_b20 gave 0.45 or 0.97 ms, with one thread or two), so',
  'compare the ratios of one run and repeat a run before trusting a change of less than 2x. The gemm rows time',
  '`nb.fn([A, B], null, { updates: [[C, A.dot(B)]] })`, which writes into one output kept from call to call, as',
  "NumPy's `out=` and the C peer do (JAX returns a new array each call). Each product runs OpenBLAS or our own",
  'kernel, whichever the calibration found faster on this machine (`nabla info` lists the choice).',
  'In the training steps, each weight update runs as one gemm writing into the weights themselves',
  '(`src/compile/rewrites/gemm.ts`, `src/compile/in-place.ts`); the NumPy peer computes each gradient, then',
  'updates in place (`p -= lr * g`).',
  '',
];
writeFileSync('docs/benchmarks.md', lines.join('\n'));
console.log(lines.join('\n'));
