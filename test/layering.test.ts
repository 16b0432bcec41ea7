// The folders of src/ are layers (DESIGN.md, "Layout", with fit/ between nn/ and models/, since the
// models' fit methods call its trainers): each file imports only from its own folder or from folders
// above it in LAYERS, and no files import each other in a circle. Type-only and dynamic imports count
// too; the entries (src/index.ts for Node, src/core.ts for browsers) re-export the layers and are exempt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const LAYERS = ['ndarray', 'graph', 'ops', 'random', 'grad', 'backends', 'compile', 'scan', 'optim', 'nn', 'fit', 'models', 'train', 'data', 'viz', 'cli'];
const SRC = 'src';
const ENTRIES = [join(SRC, 'index.ts'), join(SRC, 'core.ts')];

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

/** The files of src/ each file imports (the entries left out): .js specifiers name the .ts sources. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const inside = files.filter((file) => !ENTRIES.includes(file));
  const graph = new Map<string, string[]>();
  for (const file of inside) {
    const targets = relativeImports(readFileSync(file, 'utf8')).map((s) => relative('.', resolve(dirname(file), s.replace(/\.js$/, '.ts'))));
    graph.set(file, [...new Set(targets.filter((t) => inside.includes(t)))]);
  }
  return graph;
}

/**
 * Import cycles as paths that end where they start (a → b → a): at least one through every group of
 * files that import each other, found as the back edges of a depth-first search.
 */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string) => {
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      const back = path.indexOf(next);
      if (back >= 0) cycles.push([...path.slice(back), next]);
      else if (!done.has(next)) visit(next);
    }
    path.pop();
    done.add(file);
  };
  for (const file of graph.keys()) if (!done.has(file)) visit(file);
  return cycles;
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

test('importCycles finds each circle of imports, and none in a tree of them', () => {
  const graph = new Map([['a', ['b', 'd']], ['b', ['c']], ['c', ['a']], ['d', ['d']], ['e', ['a']]]);
  assert.deepEqual(importCycles(graph), [['a', 'b', 'c', 'a'], ['d', 'd']]);
  assert.deepEqual(importCycles(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]])), []);
});

test('every folder of src/ is a layer in the order', () => {
  const folders = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory());
  assert.deepEqual(folders.filter((f) => !LAYERS.includes(f)), [], 'add a new folder to LAYERS (and to DESIGN.md) in its place');
});

test('each file of src/ imports only from its own layer or the layers above it', () => {
  const violations: string[] = [];
  for (const file of sourceFiles(SRC)) {
    if (ENTRIES.includes(file)) continue;
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

test('no files of src/ import each other in a circle', () => {
  const cycles = importCycles(importGraph(sourceFiles(SRC)));
  assert.deepEqual(cycles.map((cycle) => cycle.join(' → ')), [], 'break each circle: move what the files need of each other into a file of its own, or into a folder earlier in LAYERS');
});
