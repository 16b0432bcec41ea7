// The op-table runners' backend under test (NABLA_TEST_BACKEND, made current at import) and node:test's
// assertions over runner.ts, which holds what the runners share and runs in a browser too.
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Backend, BackendName } from '../../src/index.js';
import { mismatch } from './runner.js';
import type { Plain } from './plain.js';

export * from './runner.js';

/**
 * The backend the table runs on (also made current, so error cases that compile run there too); every
 * result is checked against float64 plain-loop references.
 */
export const backendName = process.env.NABLA_TEST_BACKEND ?? 'reference';
export const backend: Backend = nb.setBackend(backendName as BackendName);

/** Asserts `actual` matches `expected` (runner.ts's mismatch says how). */
export function assertClose(actual: Plain, expected: Plain, tol: number, what: string): void {
  const why = mismatch(actual, expected, tol, what);
  if (why) assert.fail(why);
}
