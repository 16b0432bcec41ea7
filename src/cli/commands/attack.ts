// nabla attack MODEL --eps E[,E...]: adversarial examples against a saved image classifier on a split of
// its data (the test split by default): the error on clean and on adversarial images at each ε, how many
// of the correctly classified images the attack turns (or, targeted, sends to the target class), and with
// --out a picture per ε of originals, perturbations and adversarial images with their predicted classes.
import type { Command } from 'commander';
import { join } from 'node:path';
import { adversarialExamples, errorRate, loadClassifier, type Classifier } from '../../models/index.js';
import { ATTACK_METHODS, type AttackMethod } from '../../nn/index.js';
import { NDArray } from '../../ndarray/index.js';
import { labelledGrid, writeSvgAndPng } from '../../viz/index.js';
import { setBackend, type BackendName } from '../../backends/index.js';
import { classifierSplit, splitOptions, type SplitOptions } from '../classifier-split.js';
import { parsers } from '../recipes/options.js';

interface AttackCommandOptions extends SplitOptions {
  eps: string;
  method: string;
  steps: string;
  stepSize?: string;
  target?: string;
  examples: string;
  out?: string;
  backend?: BackendName;
  json?: boolean;
}

/** '0.1' or '0.05,0.1,0.2': budgets ≥ 0. */
function parseEpsilons(text: string): number[] {
  const values = text.split(',').map((t) => Number(t.trim()));
  const bad = values.find((v) => !Number.isFinite(v) || v < 0);
  if (bad !== undefined || text.trim() === '') throw new Error(`--eps: '${text}' holds ${bad ?? 'nothing'}; give budgets ≥ 0, comma-separated (0.05,0.1,0.2)`);
  return values;
}

/** The first `count` rows of x. */
const firstRows = (x: NDArray, count: number) =>
  new NDArray(x.dtype, [count, ...x.shape.slice(1)], x.data.slice(0, count * (x.size / x.shape[0])));

/** Originals, the perturbation (grey is 0, ±ε black and white) and the adversarial images, with predictions. */
function writeAttackPicture(
  path: string, model: Classifier, clean: NDArray, adversarial: NDArray, y: NDArray, epsilon: number,
): void {
  const before = model.predict(clean).data;
  const after = model.predict(adversarial).data;
  const perturbation = new NDArray('float32', clean.shape, adversarial.data.map((v, i) => v - clean.data[i]));
  const n = clean.shape[0];
  const row = (title: string, images: NDArray, predicted: ArrayLike<number>, range?: [number, number]) => ({
    title, images, range,
    captions: Array.from({ length: n }, (_, i) => String(predicted[i])),
    marked: Array.from({ length: n }, (_, i) => predicted[i] !== y.data[i]),
  });
  const picture = labelledGrid([
    row('clean', clean, before, [0, 1]),
    { title: `noise ${epsilon}`, images: perturbation, range: [-Math.max(epsilon, 1e-6), Math.max(epsilon, 1e-6)], captions: [] },
    row('adversarial', adversarial, after, [0, 1]),
  ], model.config.imageShape);
  writeSvgAndPng(path, picture);
}

/** Adds `nabla attack`. */
export function registerAttack(program: Command): void {
  const command = program
    .command('attack')
    .description('adversarial examples against a saved image classifier: its error on clean and attacked images')
    .argument('<model>', 'a model file written by nabla train logreg|mlp|lenet|dnn|sda|dbn (model.nbm)');
  splitOptions(command)
    .requiredOption('--eps <e[,e...]>', 'the L∞ budgets (pixels in [0, 1]), e.g. 0.05,0.1,0.2')
    .option('--method <sign|gradient>', 'the gradient sign (FGSM) or the gradient scaled to a largest entry of 1', 'sign')
    .option('--steps <n>', 'projected steps (1: the one-step attack; more: the iterated attack)', '1')
    .option('--step-size <x>', 'size of each step (default: ε for one step, 2.5·ε / steps for several)')
    .option('--target <class>', 'push every image toward this class instead of away from its label')
    .option('--examples <n>', 'images in each picture', '10')
    .option('--out <dir>', 'draw DIR/attack-eps<E>.png for each ε')
    .option('--backend <name>', 'native or reference')
    .option('--json', 'print one JSON object')
    .action((modelPath: string, options: AttackCommandOptions) => {
      const epsilons = parseEpsilons(options.eps);
      const method = parsers.choice(ATTACK_METHODS)(options.method, 'method') as AttackMethod;
      const steps = parsers.positiveInt(options.steps, 'steps');
      const stepSize = options.stepSize === undefined ? undefined : parsers.positive(options.stepSize, 'step-size');
      const examples = parsers.positiveInt(options.examples, 'examples');
      if (options.backend) setBackend(options.backend);
      const model = loadClassifier(modelPath);
      const target = options.target === undefined ? undefined : parsers.nonNegativeInt(options.target, 'target');
      if (target !== undefined && target >= model.config.classes) {
        throw new Error(`--target: ${target} is not a class of ${modelPath} (0 to ${model.config.classes - 1})`);
      }
      const { name, set } = classifierSplit(model, modelPath, options);
      const n = set.y.size;
      const targets = target === undefined ? undefined : new NDArray('int32', [n], new Int32Array(n).fill(target));
      const started = performance.now();
      const cleanLabels = model.predict(set.x);
      const cleanPredicted = cleanLabels.data;
      const cleanError = errorRate(cleanLabels, set.y);
      const adversarialErrors: number[] = [];
      const successRates: number[] = [];
      const pictures: string[] = [];
      for (const epsilon of epsilons) {
        const adversarial = adversarialExamples(model, set.x, set.y, { epsilon, method, steps, stepSize, targets });
        const adversarialLabels = model.predict(adversarial);
        const predicted = adversarialLabels.data;
        adversarialErrors.push(errorRate(adversarialLabels, set.y));
        // Of the images the model got right (and, targeted, not already of the target class): how many the attack wins.
        let eligible = 0;
        let won = 0;
        for (let i = 0; i < n; i++) {
          if (cleanPredicted[i] !== set.y.data[i] || (target !== undefined && set.y.data[i] === target)) continue;
          eligible++;
          won += (target === undefined ? predicted[i] !== set.y.data[i] : predicted[i] === target) ? 1 : 0;
        }
        successRates.push(eligible ? won / eligible : 0);
        if (options.out) {
          const path = join(options.out, `attack-eps${epsilon}.png`);
          const k = Math.min(examples, n);
          writeAttackPicture(path, model, firstRows(set.x, k), firstRows(adversarial, k), set.y, epsilon);
          pictures.push(path);
        }
      }
      const seconds = (performance.now() - started) / 1000;
      if (options.json) {
        const single = epsilons.length === 1;
        console.log(JSON.stringify({
          model: modelPath, kind: model.kind, dataset: name, split: options.split, examples: n, method, steps,
          step_size: stepSize ?? null, target: target ?? null, seconds, pictures,
          ...(single
            ? { epsilon: epsilons[0], success_rate: successRates[0] }
            : { epsilons, success_rates: successRates }),
          clean_error: cleanError,
          ...(single ? { adversarial_error: adversarialErrors[0] } : { adversarial_errors: adversarialErrors }),
        }));
        return;
      }
      const kind = `${method === 'sign' ? 'gradient-sign' : 'gradient'} attack${steps > 1 ? `, ${steps} projected steps` : ''}` +
        `${target === undefined ? '' : `, toward class ${target}`}`;
      const lines = [
        `${model.kind} ${modelPath} on the ${name} ${options.split} set (${n} images), ${kind}:`,
        `clean error ${(100 * cleanError).toFixed(2)}%`,
        ...epsilons.map((e, i) => `ε ${e}: error ${(100 * adversarialErrors[i]).toFixed(2)}%, ` +
          `${target === undefined ? 'turned' : 'sent to the target'} ${(100 * successRates[i]).toFixed(2)}% of the correctly classified`),
        ...(pictures.length ? [`pictures: ${pictures.join(', ')}`] : []),
      ];
      console.log(lines.join('\n'));
    });
}
