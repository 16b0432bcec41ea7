// Choosing a backend: by name with setBackend or NABLA_BACKEND; native where its addon loads, else the
// reference backend with a one-line notice.
import type { Backend } from './backend.js';
import { referenceBackend } from './reference/index.js';
import { loadNativeBackend } from './native/index.js';

export type BackendName = 'native' | 'reference';
export type { Allocate, Backend, Kernel, KernelTable } from './backend.js';
export { allocateFresh } from './backend.js';
export { referenceBackend } from './reference/index.js';

let current: Backend | undefined;

function resolve(name: BackendName, explicit: boolean): Backend {
  if (name === 'reference') return referenceBackend;
  const native = loadNativeBackend();
  if (native.backend) return native.backend;
  if (explicit) throw new Error(`setBackend: the native backend is not available (${native.reason}); run "npm run build:native"`);
  console.error(`nabla: native backend unavailable (${native.reason}); using the reference backend`);
  return referenceBackend;
}

/** The backend compiled functions run on. */
export function getBackend(): Backend {
  if (!current) {
    const env = process.env.NABLA_BACKEND;
    if (env && env !== 'native' && env !== 'reference') throw new Error(`NABLA_BACKEND must be 'native' or 'reference', not '${env}'`);
    current = resolve((env as BackendName | undefined) ?? 'native', env !== undefined);
  }
  return current;
}

/**
 * Selects the backend for functions compiled from now on.
 * @example nb.setBackend('reference')
 */
export function setBackend(name: BackendName): Backend {
  if (name !== 'native' && name !== 'reference') throw new Error(`setBackend: unknown backend '${String(name)}' (use 'native' or 'reference')`);
  current = resolve(name, true);
  return current;
}

/**
 * Threads for the native kernels: a fixed count, or 'auto' (the default, unless OMP_NUM_THREADS is set)
 * to use the cores other processes leave free, re-checked about once a second. Returns the count in use.
 * @example nb.setThreads(1)
 */
export function setThreads(n: number | 'auto'): number {
  const { threads } = loadNativeBackend();
  threads?.set(n);
  return threads?.count ?? 1;
}
