#!/usr/bin/env node
// The nabla command: runs the TypeScript sources through tsx, so a clone needs no build step.
import { register } from 'tsx/esm/api';

register();
const { exitWhenOutputCloses } = await import('../src/cli/closed-output.ts');
exitWhenOutputCloses(process.stdout);
exitWhenOutputCloses(process.stderr);
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
