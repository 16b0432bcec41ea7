// nabla sample MODEL --out DIR: pictures drawn from a saved generative model. An RBM runs the
// tutorial's persistent Gibbs chains from test digits (a row every --plot-every steps); a DBN whose
// top RBM is joined to the labels draws digits of the chosen classes (a row per label); --judge has a
// saved classifier say how many of them show the class they were drawn for.
import type { Command } from 'commander';
import { join } from 'node:path';
import { setBackend, type BackendName } from '../../backends/index.js';
import { loadModelFile } from '../../models/model-file.js';
import { Rbm } from '../../models/rbm.js';
import { Dbn } from '../../models/dbn.js';
import { loadClassifier, pixelScaleOf } from '../../models/index.js';
import { NDArray } from '../../ndarray/index.js';
import { datasetFor, loadDataset } from '../recipes/dataset.js';
import { standardize } from '../recipes/rbm.js';
import {
  UNSUPERVISED_PICTURES, consecutiveRows, gibbsRows, hmcRows, writeSamples,
} from '../recipes/unsupervised-pictures.js';
import { writeMusicSamples } from './sample-music.js';

interface SampleOptions {
  out: string;
  chains: string;
  samples: string;
  plotEvery: string;
  label?: string;
  gibbsSteps: string;
  judge?: string;
  hmc?: boolean;
  dataset?: string;
  seed: string;
  pieces: string;
  steps: string;
  backend?: BackendName;
  json?: boolean;
  quiet?: boolean;
}

function count(text: string, flag: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${flag}: '${text}' is not a positive integer`);
  return v;
}

/** '3' or '0,1,2' (one chain each), or every class when absent. */
function parseLabels(text: string | undefined, classes: number): number[] {
  if (text === undefined) return Array.from({ length: classes }, (_, i) => i);
  const labels = text.split(',').map((t) => Number(t.trim()));
  const bad = labels.find((l) => !Number.isInteger(l) || l < 0 || l >= classes);
  if (bad !== undefined) throw new Error(`--label: '${text}' holds ${bad}, not a class of this model (0 to ${classes - 1})`);
  return labels;
}

/**
 * How many of a DBN's pictures (chain by chain, `samples` each; the first of each chain, drawn before
 * any Gibbs step, left out) a classifier assigns to the label clamped on their chain.
 */
function judge(classifierPath: string, digits: NDArray, labels: readonly number[], samples: number) {
  const pixels = digits.shape[1];
  const judged = new NDArray('float32', [labels.length * (samples - 1), pixels]);
  labels.forEach((_, c) => judged.data.set(
    digits.data.subarray((c * samples + 1) * pixels, (c + 1) * samples * pixels),
    c * (samples - 1) * pixels,
  ));
  const predicted = loadClassifier(classifierPath).predict(judged).data;
  const perLabel = new Map<number, { agree: number; total: number }>();
  labels.forEach((label, c) => {
    const tally = perLabel.get(label) ?? { agree: 0, total: 0 };
    for (let s = 0; s < samples - 1; s++) tally.agree += predicted[c * (samples - 1) + s] === label ? 1 : 0;
    tally.total += samples - 1;
    perLabel.set(label, tally);
  });
  const agree = [...perLabel.values()].reduce((a, t) => a + t.agree, 0);
  return {
    classifier: classifierPath,
    agree,
    total: judged.shape[0],
    per_label: Object.fromEntries([...perLabel].sort(([a], [b]) => a - b)),
  };
}

/** Adds `nabla sample`. */
export function registerSample(program: Command): void {
  program
    .command('sample')
    .description('draw samples from a saved RBM (Gibbs chains from test digits), DBN (digits of chosen classes) or RNN-RBM (pieces of music)')
    .argument('<model>', 'a model file written by nabla train rbm, dbn or rnnrbm (model.nbm)')
    .requiredOption('--out <dir>', 'folder for samples.png, or for an RNN-RBM sample-N.mid and sample-N.png')
    .option('--chains <n>', 'RBM: chains, started at consecutive test digits', '20')
    .option('--samples <n>', 'pictures per chain (rows for an RBM, columns for a DBN)', '10')
    .option('--plot-every <n>', 'RBM: Gibbs steps (HMC draws with --hmc) between rows', '1000')
    .option('--hmc', 'RBM with Gaussian visible units: draw them by hybrid Monte Carlo on the free energy instead of Gibbs sampling')
    .option('--label <classes>', 'DBN: the class of each row, comma-separated (default: every class)')
    .option('--gibbs-steps <n>', 'DBN: Gibbs steps in the top RBM between columns', '20')
    .option('--judge <classifier>', 'DBN: a saved classifier (nabla train lenet, mlp, ...) that counts the pictures showing their label')
    .option('--dataset <mnist|dir>', "RBM: where the test digits come from (default: the model's training data)")
    .option('--pieces <n>', 'RNN-RBM: pieces to generate', '2')
    .option('--steps <n>', 'RNN-RBM: time steps per piece', '200')
    .option('--seed <n>', 'seed of the chains (and of the test digits picked)', '123')
    .option('--backend <name>', 'native or reference')
    .option('--json', 'print one JSON object')
    .option('--quiet', 'print no progress')
    .action((modelPath: string, options: SampleOptions) => {
      if (options.backend) setBackend(options.backend);
      const file = loadModelFile(modelPath);
      if (options.judge !== undefined && file.kind !== 'dbn') throw new Error(`--judge: checks the labels of a DBN's samples; ${modelPath} holds a model of kind ${file.kind}`);
      const seed = Number(options.seed);
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`--seed: '${options.seed}' is not an integer in [0, 2^32)`);
      if (file.kind === 'rnnrbm') {
        const pieces = writeMusicSamples(modelPath, {
          out: options.out, pieces: count(options.pieces, 'pieces'), steps: count(options.steps, 'steps'), seed,
          log: options.quiet || options.json ? undefined : (line) => void process.stderr.write(`${line}\n`),
        });
        console.log(options.json ? JSON.stringify({ model: file.kind, model_path: modelPath, pieces }) : `rnnrbm samples: ${pieces.map((p) => p.midi).join(', ')}`);
        return;
      }
      const samples = count(options.samples, 'samples');
      const path = join(options.out, UNSUPERVISED_PICTURES.samples);
      const log = options.quiet || options.json ? undefined : (line: string) => void process.stderr.write(`${line}\n`);
      let rows: number;
      let judged: ReturnType<typeof judge> | undefined;
      let hmc: { step_size: number; acceptance: number } | undefined;
      if (options.hmc && file.kind !== 'rbm') throw new Error(`--hmc: samples an RBM's visible units; ${modelPath} holds a model of kind ${file.kind}`);
      if (file.kind === 'rbm') {
        const rbm = Rbm.load(modelPath);
        const dataset = datasetFor(options.dataset, file.meta, modelPath);
        const { data } = loadDataset(dataset, undefined, 10000, pixelScaleOf(modelPath, file.meta));
        const digits = consecutiveRows(data.test.x, count(options.chains, 'chains'), seed);
        const start = rbm.config.visibleUnits === 'gaussian' ? standardize(data.train.x, digits) : digits;
        rows = samples;
        const chain = { rows, every: count(options.plotEvery, 'plot-every') };
        if (options.hmc) {
          const drawn = hmcRows(rbm, start, { ...chain, seed }, log);
          writeSamples(path, drawn.samples, rows, data.imageShape);
          hmc = { step_size: drawn.stepSize, acceptance: drawn.acceptance };
        } else {
          writeSamples(path, gibbsRows(rbm, start, chain, log), rows, data.imageShape);
        }
      } else if (file.kind === 'dbn') {
        const dbn = Dbn.fromModelFile(file, modelPath);
        const labels = dbn.config.joinLabels ? parseLabels(options.label, dbn.config.classes) : undefined;
        if (!labels && options.label !== undefined) throw new Error(`${modelPath}: this DBN's top RBM is not joined to the labels (trained with --join-labels false), so --label cannot be used`);
        const digits = dbn.generate({ labels, chains: count(options.chains, 'chains'), samples, gibbsSteps: count(options.gibbsSteps, 'gibbs-steps'), seed });
        rows = labels?.length ?? count(options.chains, 'chains');
        writeSamples(path, digits, rows, dbn.config.imageShape, false);
        if (options.judge !== undefined) {
          if (!labels) throw new Error(`--judge: this DBN draws no chosen labels to check (its top RBM is not joined to the labels)`);
          if (samples < 2) throw new Error('--judge: needs --samples 2 or more (the first picture of each chain comes before any Gibbs step)');
          judged = judge(options.judge, digits, labels, samples);
        }
      } else {
        throw new Error(`${modelPath}: holds a model of kind ${file.kind}; nabla sample draws from rbm, dbn and rnnrbm models`);
      }
      const summary = { model: file.kind, model_path: modelPath, samples_path: path, rows, columns: file.kind === 'rbm' ? count(options.chains, 'chains') : samples, ...(judged && { judged }), ...(hmc && { hmc }) };
      const verdict = judged ? `; ${judged.agree} of ${judged.total} after Gibbs sampling show their label to ${judged.classifier}` : '';
      console.log(options.json ? JSON.stringify(summary) : `${file.kind} samples: ${path} (${summary.rows} rows of ${summary.columns})${verdict}`);
    });
}
