// The nabla command's entry: bin/nabla.js runs its compiled copy (dist/src/cli/nabla.js), and the CLI tests
// run this file from the sources under tsx (test/cli/fixtures.ts), so both go through the same start.
import { exitWhenOutputCloses } from './closed-output.js';

exitWhenOutputCloses(process.stdout);
exitWhenOutputCloses(process.stderr);
const { main } = await import('./main.js');
process.exitCode = await main(process.argv.slice(2));
