// nabla info: the machine as nabla sees it: the backend, the CPU and its SIMD features, which of the addon's
// builds runs (baseline x86-64, AVX2 or AVX-512), OpenBLAS's kernels and threads, and which kernel each gemm
// shape class runs and why (measured on this CPU, cached, NABLA_GEMM or the default), and from how many
// elements each loop family takes several threads (measured too, or NABLA_PARALLEL).
import type { Command } from 'commander';
import { backendInfo, NEVER, type BackendInfo } from '../../backends/index.js';
import { LOOP_FAMILIES } from '../../backends/native/addon.js';

const SOURCES: Record<string, string> = {
  measured: 'measured just now',
  cache: 'measured on this machine earlier (cached; nabla bench --calibrate measures again)',
  NABLA_GEMM: 'fixed by NABLA_GEMM',
  NABLA_PARALLEL: 'fixed by NABLA_PARALLEL',
  'one thread': 'one thread: nothing to choose',
  default: 'the default (tests fix it)',
  checkpoint: "a resumed run's checkpoint",
};

/** The report as lines of "name  value". */
export function formatInfo(info: BackendInfo): string[] {
  const rows: [string, string][] = [['backend', info.backend]];
  const { native } = info;
  if (!native) {
    rows.push(['native addon', `unavailable (${info.nativeUnavailable})`], ['to build it', info.nativeBuild ?? '']);
  } else {
    const capped = native.simd === native.supportedSimd ? '' : ` (the CPU has ${native.supportedSimd}; NABLA_SIMD caps it)`;
    rows.push(
      ['native addon', native.addon],
      ['cpu', native.cpuModel],
      ['cpu features', native.cpuFeatures.join(' ')],
      ['simd path', `${native.simd}${capped}`],
      ['openblas', `${native.blasCore} kernels, ${native.threads} threads`],
      ['gemm narrow', `${native.gemm.narrow} (N ≤ 16: a classifier's last layer, x·W)`],
      ['gemm narrowT', `${native.gemm.narrowT} (N ≤ 16, A transposed: its weight gradient, xᵀ·g)`],
      ['gemm cache', `${native.gemm.cache} (A up to 8 MiB: dense layers)`],
      ['gemm large', `${native.gemm.large} (A beyond 8 MiB)`],
      ['gemm choice', SOURCES[native.gemmSource] ?? native.gemmSource],
      ...LOOP_FAMILIES.map((f): [string, string] => [`threads ${f}`, `from ${native.parallel[f] === NEVER ? 'never' : `${native.parallel[f]} elements`}`]),
      ['threads conv', native.parallel.conv === 'chunks' ? 'chunks of images on separate threads' : "OpenBLAS's threads in each gemm"],
      ['threads choice', SOURCES[native.parallelSource] ?? native.parallelSource],
    );
  }
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`);
}

/** Adds `nabla info`. */
export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('the backend, CPU features, SIMD path, OpenBLAS kernels and threads, and the gemm kernel of each shape class')
    .option('--json', 'print one JSON object')
    .action((options: { json?: boolean }) => {
      const info = backendInfo();
      console.log(options.json ? JSON.stringify(info) : formatInfo(info).join('\n'));
    });
}
