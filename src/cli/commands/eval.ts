// nabla eval MODEL: the error of a saved classifier on a split of a data set, with its confusion matrix
// printed as a table (and drawn as a PNG with --out).
import type { Command } from 'commander';
import { join } from 'node:path';
import { loadClassifier } from '../../models/index.js';
import { classifierSplit, splitOptions, type SplitOptions } from '../classifier-split.js';
import { confusionMatrix, writeConfusion } from '../../viz/index.js';
import { setBackend, type BackendName } from '../../backends/index.js';
import type { NDArray } from '../../ndarray/index.js';
import { loadModelFile } from '../../models/model-file.js';
import { evaluateMusic, type MusicEvalOptions } from './eval-music.js';

interface EvalOptions extends SplitOptions, Pick<MusicEvalOptions, 'aisChains' | 'aisTemperatures'> {
  backend?: BackendName;
  out?: string;
  json?: boolean;
}

/** A confusion matrix as text: true classes down, predicted across. */
export function formatConfusion(matrix: NDArray): string {
  const k = matrix.shape[0];
  const width = Math.max(4, ...Array.from(matrix.data, (v) => String(v).length + 1));
  const cell = (s: string | number) => String(s).padStart(width);
  const header = `${'true\\pred'.padEnd(9)}${Array.from({ length: k }, (_, j) => cell(j)).join('')}`;
  const rows = Array.from({ length: k }, (_, i) => `${String(i).padEnd(9)}${Array.from({ length: k }, (_, j) => cell(matrix.data[i * k + j])).join('')}`);
  return [header, ...rows].join('\n');
}

/** Adds `nabla eval`. */
export function registerEval(program: Command): void {
  const command = program
    .command('eval')
    .description('error and confusion matrix of a saved model on a data set')
    .argument('<model>', 'a model file written by nabla train (model.nbm)');
  splitOptions(command)
    .option('--backend <name>', 'native or reference')
    .option('--out <dir>', 'also draw the confusion matrix as DIR/confusion-SPLIT.png')
    .option('--ais-chains <n>', 'RNN-RBM: also estimate the log-likelihood by annealed importance sampling, with n runs per step')
    .option('--ais-temperatures <n>', 'RNN-RBM: intermediate distributions of each annealing run', '1000')
    .option('--json', 'print one JSON object')
    .action(async (modelPath: string, options: EvalOptions) => {
      if (options.backend) setBackend(options.backend);
      if (loadModelFile(modelPath).kind === 'rnnrbm') {
        const result = evaluateMusic(modelPath, options);
        const ll = result.log_likelihood as { per_frame: number } | undefined;
        console.log(options.json ? JSON.stringify(result) : `rnnrbm ${modelPath} on the ${String(result.split)} split of ${String(result.dataset)}: ` +
          `frame-level accuracy ${(100 * (result.accuracy as number)).toFixed(2)}%` + (ll ? `, log-likelihood ${ll.per_frame.toFixed(3)} nats a frame (AIS)` : ''));
        return;
      }
      const model = loadClassifier(modelPath);
      const { name, set: split } = classifierSplit(model, modelPath, options);
      const predicted = model.predict(split.x);
      const confusion = confusionMatrix(predicted, split.y, model.config.classes);
      let wrong = 0;
      predicted.data.forEach((label, i) => (wrong += label === split.y.data[i] ? 0 : 1));
      const error = wrong / predicted.size;
      const picture = options.out ? join(options.out, `confusion-${options.split}.png`) : undefined;
      if (picture) await writeConfusion(picture, confusion, { title: `${model.kind}: ${options.split} set` });
      if (options.json) {
        console.log(JSON.stringify({
          model: modelPath, kind: model.kind, dataset: name, split: options.split,
          examples: predicted.size, error, confusion: confusion.toArray(), picture,
        }));
        return;
      }
      // One write, so that a reader that stops early (| head) gets whole lines.
      const lines = [`${model.kind} ${modelPath} on the ${name} ${options.split} set: ${(100 * error).toFixed(2)}% error (${wrong} of ${predicted.size})`, formatConfusion(confusion)];
      if (picture) lines.push(`confusion matrix: ${picture}`);
      console.log(lines.join('\n'));
    });
}
