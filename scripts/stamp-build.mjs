// Run by `npm pack` (prepack): writes build-info.json, the commit the package is packed from, so that a run
// of the installed package (which has no .git) records it in its run.json (src/cli/recipes/run-receipt.ts).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

let commit = null;
try {
  commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
} catch {
  // Packed from a copy without git: the receipt says the commit is unknown.
}
writeFileSync('build-info.json', `${JSON.stringify({ commit })}\n`);
