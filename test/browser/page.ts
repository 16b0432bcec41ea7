// The browser test's page script: run.ts bundles it for a browser and calls runChecks in Chromium.
import { runChecks } from './checks.js';

(globalThis as { runChecks?: typeof runChecks }).runChecks = runChecks;
