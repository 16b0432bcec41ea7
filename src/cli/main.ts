// nabla's command line: train, eval, predict, sample, neighbours, pca, tsne, hmc, attack, visualize and bench,
// each a module under commands/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { packageRoot } from '../backends/native/addon.js';
import { registerBench } from './commands/bench.js';
import { registerTrain } from './commands/train.js';
import { registerEval } from './commands/eval.js';
import { registerPredict } from './commands/predict.js';
import { registerSample } from './commands/sample.js';
import { registerNeighbours } from './commands/neighbours.js';
import { registerPca } from './commands/pca.js';
import { registerTsne } from './commands/tsne.js';
import { registerHmc } from './commands/hmc.js';
import { registerAttack } from './commands/attack.js';
import { registerVisualize } from './commands/visualize.js';
import { registerInfo } from './commands/info.js';
import { registerCompare } from './commands/compare.js';
import { registerDashboard } from './commands/dashboard.js';

/** The version in nabla's package.json. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Runs the command line; returns the exit code. Errors print as one line, without a stack. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('nabla')
    .description('Theano-style deep learning for TypeScript: train, evaluate and benchmark the classic models')
    .version(packageVersion(), '-V, --version', "print nabla's version")
    .exitOverride()
    .showHelpAfterError();
  registerBench(program);
  registerTrain(program);
  registerEval(program);
  registerPredict(program);
  registerSample(program);
  registerNeighbours(program);
  registerPca(program);
  registerTsne(program);
  registerHmc(program);
  registerAttack(program);
  registerVisualize(program);
  registerInfo(program);
  registerCompare(program);
  registerDashboard(program);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    console.error(`nabla: ${(e as Error).message}`);
    if (process.env.NABLA_DEBUG) console.error((e as Error).stack);
    return 1;
  }
}
