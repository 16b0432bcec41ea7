// nabla hmc: the HMC tutorial's demo, three chains on its 5-d correlated Gaussian, reporting the empirical
// mean and covariance against the true ones and the adapted step size and acceptance rate.
import type { Command } from 'commander';
import { sampleTutorialGaussian, TUTORIAL_GAUSSIAN } from '../../models/index.js';
import { getBackend, setBackend, type BackendName } from '../../backends/index.js';
import { parsers } from '../recipes/options.js';

interface HmcCommandOptions {
  burnIn: string;
  draws: string;
  steps: string;
  seed: string;
  dtype: string;
  backend?: BackendName;
  json?: boolean;
}

const row = (values: readonly number[]) => values.map((v) => v.toFixed(4).padStart(8)).join(' ');

/** Adds `nabla hmc`. */
export function registerHmc(program: Command): void {
  program
    .command('hmc')
    .description("hybrid Monte Carlo on the tutorial's 5-d correlated Gaussian: sample mean and covariance against the true ones")
    .option('--burn-in <n>', 'draws discarded first', '1000')
    .option('--draws <n>', 'draws kept (each gives one sample per chain)', '1000')
    .option('--steps <n>', 'leapfrog steps per draw', '20')
    .option('--seed <s>', 'seed of the velocities and the accept/reject draws', '12345')
    .option('--dtype <float32|float64>', 'the precision of the chains', 'float32')
    .option('--backend <name>', 'native or reference')
    .option('--json', 'print one JSON object')
    .action((options: HmcCommandOptions) => {
      if (options.backend) setBackend(options.backend);
      const dtype = parsers.choice(['float32', 'float64'] as const)(options.dtype, 'dtype');
      const started = performance.now();
      const run = sampleTutorialGaussian({
        burnIn: parsers.nonNegativeInt(options.burnIn, 'burn-in'),
        draws: parsers.positiveInt(options.draws, 'draws'),
        steps: parsers.positiveInt(options.steps, 'steps'),
        seed: parsers.seed(options.seed, 'seed'),
        dtype,
      });
      const seconds = (performance.now() - started) / 1000;
      if (options.json) {
        console.log(JSON.stringify({
          demo: 'gaussian', dims: run.dims, chains: run.chains, burn_in: run.burnIn, draws: run.draws,
          steps: Number(options.steps), dtype, backend: getBackend().name, seconds,
          ms_per_draw: run.msPerDraw, target_mean: TUTORIAL_GAUSSIAN.mean, mean: run.mean,
          target_covariance: TUTORIAL_GAUSSIAN.covariance, covariance: run.covariance,
          step_size: run.stepSize, acceptance: run.acceptance,
          mean_abs_error: run.meanAbsError, cov_abs_error: run.covAbsError,
        }));
        return;
      }
      console.log([
        `target mean     ${row(TUTORIAL_GAUSSIAN.mean)}`,
        `empirical mean  ${row(run.mean)}`,
        'target covariance', ...TUTORIAL_GAUSSIAN.covariance.map((r) => `  ${row(r)}`),
        'empirical covariance', ...run.covariance.map((r) => `  ${row(r)}`),
        `largest error: mean ${run.meanAbsError.toFixed(4)}, covariance ${run.covAbsError.toFixed(4)}`,
        `final step size ${run.stepSize.toFixed(4)}, acceptance rate ${run.acceptance.toFixed(4)} (target 0.9)`,
        `${run.chains} chains, ${run.burnIn} + ${run.draws} draws in ${seconds.toFixed(1)} s ` +
          `(${run.msPerDraw.toFixed(3)} ms a draw on the ${getBackend().name} backend)`,
      ].join('\n'));
    });
}
