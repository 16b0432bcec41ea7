// nabla visualize MODEL --layer L|output --out DIR: what the units of a layer of a saved classifier respond
// to, as one tiled picture: the first layer's normalized weights (its closed-form maximizers), deeper
// units' and the classes' inputs found by gradient ascent under a norm constraint, with the unit's
// pre-activation for each picture beside that of the best training image of the same norm.
import type { Command } from 'commander';
import { join } from 'node:path';
import {
  checkUnits, chooseLayer, firstLayerImages, loadClassifier, maximizeUnits, pixelScaleOf, preActivations, sphere,
  type ChosenLayer, type LayerChoice,
} from '../../models/index.js';
import { NDArray } from '../../ndarray/index.js';
import { writePng } from '../../viz/index.js';
import { setBackend, type BackendName } from '../../backends/index.js';
import { datasetFor, loadDataset } from '../recipes/dataset.js';
import { tilePicture } from '../recipes/pictures.js';
import { parsers } from '../recipes/options.js';

interface VisualizeOptions {
  layer: string;
  out: string;
  units?: string;
  norm?: string;
  starts: string;
  steps: string;
  seed: string;
  dataset?: string;
  compare: string;
  backend?: BackendName;
  json?: boolean;
}

/** 'output' or a hidden layer's number. */
function parseLayer(text: string): LayerChoice {
  if (text === 'output') return 'output';
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--layer: '${text}' is not a hidden layer's number (from 1) or 'output'`);
  return v;
}

/** '0-99', '3,7,12' or a mix; every unit of the layer (up to 100) when absent. */
function parseUnits(text: string | undefined, count: number): number[] {
  if (text === undefined) return Array.from({ length: Math.min(count, 100) }, (_, i) => i);
  const units = text.split(',').flatMap((part) => {
    const range = part.trim().match(/^(\d+)-(\d+)$/);
    if (range) {
      const [first, last] = [Number(range[1]), Number(range[2])];
      return Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
    }
    const v = Number(part);
    if (part.trim() === '' || !Number.isInteger(v) || v < 0) throw new Error(`--units: '${text}' is not a list of unit numbers or ranges (0-99,120)`);
    return [v];
  });
  if (!units.length) throw new Error(`--units: '${text}' names no unit`);
  return units;
}

/** The median L2 norm of some images: the norm of a typical input. */
function medianNorm(x: NDArray): number {
  const [n, d] = x.shape;
  const norms = Array.from({ length: n }, (_, r) => {
    let s = 0;
    for (let i = r * d; i < (r + 1) * d; i++) s += x.data[i] ** 2;
    return Math.sqrt(s);
  });
  norms.sort((a, b) => a - b);
  return norms[Math.floor(n / 2)];
}

/** Adds `nabla visualize`. */
export function registerVisualize(program: Command): void {
  program
    .command('visualize')
    .description("what the units of a saved classifier's layer respond to: inputs that maximize them, tiled in a PNG")
    .argument('<model>', 'a model file written by nabla train mlp|lenet|dnn|sda|dbn|logreg (model.nbm)')
    .requiredOption('--layer <n|output>', 'a hidden layer, numbered from 1 on the input side, or output (the classes)')
    .requiredOption('--out <dir>', 'folder for the picture (layerN.png or output.png)')
    .option('--units <list>', 'units to draw, e.g. 0-99 or 3,7,12 (default: the first 100)')
    .option('--norm <x>', "the inputs' L2 norm (default: the median norm of the training images)")
    .option('--starts <n>', 'random starts of the gradient ascent per unit; the best is drawn', '4')
    .option('--steps <n>', 'gradient-ascent steps', '300')
    .option('--seed <s>', 'seed of the random starts', '1234')
    .option('--dataset <mnist|dir>', "the training images the norm and the comparison come from (default: the model's own)")
    .option('--compare <n>', 'training images whose pre-activations the pictures are compared with', '10000')
    .option('--backend <name>', 'native or reference')
    .option('--json', 'print one JSON object')
    .action((modelPath: string, options: VisualizeOptions) => {
      const choice = parseLayer(options.layer);
      const starts = parsers.positiveInt(options.starts, 'starts');
      const steps = parsers.positiveInt(options.steps, 'steps');
      const seed = parsers.seed(options.seed, 'seed');
      const compare = parsers.positiveInt(options.compare, 'compare');
      const givenNorm = options.norm === undefined ? undefined : parsers.positive(options.norm, 'norm');
      if (options.backend) setBackend(options.backend);
      const model = loadClassifier(modelPath);
      let chosen: ChosenLayer;
      let units: number[];
      try {
        chosen = chooseLayer(model, choice);
        units = parseUnits(options.units, chosen.units);
        checkUnits(chosen, units);
      } catch (e) {
        throw new Error(`${modelPath}: ${(e as Error).message}`, { cause: e });
      }
      const dataset = datasetFor(options.dataset, model.meta, modelPath);
      const { data } = loadDataset(dataset, `${compare},1,1`, 0, pixelScaleOf(modelPath, model.meta));
      const norm = givenNorm ?? medianNorm(data.train.x);
      const started = performance.now();
      const closedForm = chosen.index === 0 && choice !== 'output';
      let images: NDArray;
      let imageShape: [number, number] = [...model.config.imageShape];
      if (closedForm) {
        ({ images, imageShape } = firstLayerImages(model, units));
      } else {
        images = maximizeUnits(model, chosen, units, { norm, starts, steps, seed }).images;
      }
      // The pre-activation each picture gives its unit (a first conv layer's filter, placed at the centre
      // unit's field, gives its bias plus ρ times the filter's norm), beside the best of the training images.
      const values = closedForm && chosen.conv
        ? undefined
        : preActivations(model, chosen, sphere(images, norm), units);
      const dataValues = preActivations(model, chosen, sphere(data.train.x, norm), units);
      const best = units.map((_, k) => {
        let top = -Infinity;
        for (let r = 0; r < dataValues.shape[0]; r++) top = Math.max(top, dataValues.data[r * units.length + k]);
        return top;
      });
      const picture = join(options.out, `${choice === 'output' ? 'output' : `layer${choice}`}.png`);
      writePng(picture, tilePicture(images, imageShape));
      const seconds = (performance.now() - started) / 1000;
      const own = values ? units.map((_, k) => values.data[k * units.length + k]) : undefined;
      if (options.json) {
        console.log(JSON.stringify({
          model: modelPath, kind: model.kind, layer: choice, units: units.length,
          method: closedForm ? 'normalized weights' : 'gradient ascent', norm, starts, steps, seconds,
          pre_activations: own ?? null, best_training_pre_activations: best, picture,
        }));
        return;
      }
      const above = own ? own.filter((v, k) => v > best[k]).length : undefined;
      console.log([
        `${model.kind} ${modelPath}, ${chosen.name} (${chosen.units} units): ${units.length} pictures by ` +
          `${closedForm ? 'the normalized weights (closed form)' : `gradient ascent (${starts} starts, ${steps} steps)`} at norm ${norm.toFixed(3)}`,
        ...(above === undefined ? [] : [`${above} of ${units.length} raise their unit above every one of ${dataValues.shape[0]} training images scaled to that norm`]),
        `picture: ${picture} (${seconds.toFixed(1)} s)`,
      ].join('\n'));
    });
}
