// The folders of src/ are layers (DESIGN.md, "Layout"): each file imports only from its own folder or
// from folders above it in LAYERS. Type-only and dynamic imports count too; src/index.ts re-exports
// everything and is exempt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const LAYERS = ['ndarray', 'graph', 'ops', 'random', 'grad', 'backends', 'compile', 'scan', 'optim', 'nn', 'models', 'train', 'data', 'viz', 'cli'];
const SRC = 'src';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative module specifiers of static imports and re-exports, side-effect imports and dynamic imports. */
function relativeImports(text: string): string[] {
  const patterns = [/\b(?:import|export)\s[^;]*?\bfrom\s*['"](\.[^'"]+)['"]/g, /\bimport\s*['"](\.[^'"]+)['"]/g, /\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1]));
}

/** The layer of a path under src/ (its first folder), or undefined outside src/. */
function layerOf(path: string): string | undefined {
  const inside = relative(SRC, path);
  return inside.startsWith('..') ? undefined : inside.split(/[\\/]/)[0];
}

test('relativeImports finds every kind of import, over several lines too', () => {
  const text = "import { a,\n  b } from './a.js';\nimport type { C } from '../c/c.js';\nexport * from './d.js';\nimport './e.js';\nconst f = await import('../f.js');\nimport x from 'node:fs';";
  assert.deepEqual(relativeImports(text).sort(), ['../c/c.js', '../f.js', './a.js', './d.js', './e.js']);
});

test('every folder of src/ is a layer in the order', () => {
  const folders = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory());
  assert.deepEqual(folders.filter((f) => !LAYERS.includes(f)), [], 'add a new folder to LAYERS (and to DESIGN.md) in its place');
});

test('each file of src/ imports only from its own layer or the layers above it', () => {
  const violations: string[] = [];
  for (const file of sourceFiles(SRC)) {
    if (file === join(SRC, 'index.ts')) continue;
    const from = layerOf(file)!;
    for (const specifier of relativeImports(readFileSync(file, 'utf8'))) {
      const to = layerOf(resolve(dirname(file), specifier));
      // Only the command line reaches outside src/ (`nabla bench` runs the workloads in bench/).
      if (to === undefined) {
        if (from !== 'cli') violations.push(`${file} imports ${specifier}, outside src/`);
      } else if (LAYERS.indexOf(to) > LAYERS.indexOf(from)) {
        violations.push(`${file} (${from}) imports ${specifier} (${to}, a lower layer)`);
      }
    }
  }
  assert.deepEqual(violations, []);
});
