// What the core asks of the platform it runs on: settings from the environment, the native backend, files
// and a processor clock. Node's modules register theirs when imported (backends/index.ts: the environment,
// the clock and the native addon; models/model-file.ts: files), so `import 'nabla'` in Node has them all;
// the browser entry (src/core.ts) imports none of them and runs on what a browser has.
import type { Backend } from './backend.js';

export interface Host {
  /** A setting from the environment (NABLA_BACKEND, NABLA_CHECK, ...); undefined where it is unset or there is none. */
  env(name: string): string | undefined;
  /** Processor seconds used so far; wall-clock seconds where the platform has no processor clock. */
  cpuSeconds(): number;
  /**
   * Loads the native backend once, or says why it cannot and how to build it; absent where there is none
   * (a browser).
   */
  loadNative?(): { backend?: Backend; reason?: string; fix?: string };
  /** A whole file's bytes. */
  readFile?(path: string): Uint8Array;
  /** Writes a file from its pieces, atomically: a crash leaves the old file or the new one. */
  writeFile?(path: string, chunks: readonly Uint8Array[]): void;
}

const current: Host = { env: () => undefined, cpuSeconds: () => performance.now() / 1000 };

/**
 * Adds what a platform provides to the host (Node's modules call it when imported).
 * @example registerHost({ env: (name) => process.env[name] });
 */
export function registerHost(provides: Partial<Host>): void {
  Object.assign(current, provides);
}

/** The platform the core runs on. */
export function host(): Readonly<Host> {
  return current;
}
