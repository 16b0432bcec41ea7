// Choosing a backend: by name with setBackend or NABLA_BACKEND; native where the host has it and its addon
// loads, else the reference backend (with a one-line notice in Node, where native was expected).
import type { Backend } from './backend.js';
import { host } from './host.js';
import { referenceBackend } from './reference/index.js';

export type BackendName = 'native' | 'reference';

let current: Backend | undefined;

function resolve(name: BackendName, explicit: boolean): Backend {
  if (name === 'reference') return referenceBackend;
  const { loadNative } = host();
  // A browser has no native backend: the reference backend is the one it runs, so no notice.
  if (!loadNative) {
    if (explicit) throw new Error("setBackend: there is no native backend here (nabla's browser build); use 'reference'");
    return referenceBackend;
  }
  const native = loadNative();
  if (native.backend) return native.backend;
  if (explicit) throw new Error(`setBackend: the native backend is not available (${native.reason}); ${native.fix}`);
  console.error(`nabla: native backend unavailable (${native.reason}); using the reference backend, about 50 times slower. To build the addon, ${native.fix}`);
  return referenceBackend;
}

/** The backend compiled functions run on. */
export function getBackend(): Backend {
  if (!current) {
    const env = host().env('NABLA_BACKEND');
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
