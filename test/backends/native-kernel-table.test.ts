// The native kernel table is typed so that tsc, not a test run, finds an op left without a kernel: every
// primitive has a native kernel in its family's table or is listed in referenceFallbacks. Shown by
// compiling small programs against the real types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { allOps, compilerOps } from '../../src/ops/index.js';
import { referenceFallbacks } from '../../src/backends/native/index.js';

const fallbacksFile = resolve('src/backends/native/fallbacks.ts');

/** tsc's messages for one program importing the native kernel types, under the repository's settings. */
function typeErrors(source: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-kernel-table-'));
  try {
    const file = join(dir, 'table.ts');
    writeFileSync(file, source);
    const config = ts.getParsedCommandLineOfConfigFile(resolve('tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    const program = ts.createProgram([file], { ...config!.options, noEmit: true, rootDir: undefined });
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A table of one kernel per op of `names`, as the native families build it. */
const tableOf = (names: readonly string[]) => `{ ${names.map((n) => `${n}: kernel`).join(', ')} }`;

const header = `import type { NativeKernelTable } from '${fallbacksFile.replace(/\.ts$/, '.js')}';
import type { Kernel } from '${resolve('src/backends/backend.ts').replace(/\.ts$/, '.js')}';
declare const kernel: Kernel;
`;
const nativeOps = Object.keys(allOps)
  .filter((name) => !(referenceFallbacks as readonly string[]).includes(name) && !(name in compilerOps));

test('a native table with a kernel for every op that is not a reference fallback compiles', () => {
  assert.deepEqual(typeErrors(`${header}export const table: NativeKernelTable = ${tableOf(nativeOps)};\n`), []);
});

test('tsc names an op that has neither a native kernel nor a reference fallback', () => {
  const incomplete = nativeOps.filter((name) => name !== 'conv2d' && name !== 'tanh');
  const errors = typeErrors(`${header}export const table: NativeKernelTable = ${tableOf(incomplete)};\n`);
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0], /missing the following properties .*: (tanh, conv2d|conv2d, tanh)/);
});
