#!/usr/bin/env node
// The nabla command: runs the compiled JavaScript in dist/ (built by `npm run build`, by `npm pack` and by
// scripts/setup.sh). From the sources, without a build: `npx tsx src/cli/nabla.ts`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
const entry = join(root, 'dist', 'src', 'cli', 'nabla.js');
if (!existsSync(entry)) {
  console.error(`nabla: ${entry} is not built; run "npm run build" in ${root}`);
  process.exit(1);
}
await import(pathToFileURL(entry).href);
