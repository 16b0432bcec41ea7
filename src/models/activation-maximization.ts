// What a unit of a trained classifier responds to (Unsupervised Deep Learning, ch. 5; Erhan et al. 2009,
// activation maximization): the input x of fixed norm ‖x‖ = ρ that maximizes the unit's pre-activation.
// For the first layer a_j = x·W_j + b_j, so by a Lagrange multiplier x = ρ W_j / ‖W_j‖, the normalized weight
// column (a conv layer's normalized filter). Deeper units have no closed form: gradient ascent on x,
// each step x ← ρ·(x + α g/‖g‖) / ‖x + α g/‖g‖‖ back onto the sphere, from several random starts, the best
// kept. A conv layer's unit is the centre position of its feature map (after pooling).
import { NDArray } from '../ndarray/index.js';
import { SharedVariable, type Variable } from '../graph/variable.js';
import { matrix } from '../graph/constructors.js';
import { mul, sqrt, sum } from '../ops/index.js';
import { philoxUniform } from '../random/index.js';
import { grad } from '../grad/index.js';
import { fn } from '../compile/index.js';
import { ConvPoolLayer } from '../nn/index.js';
import type { Classifier, UnitLayer } from './classifier.js';

/** Hidden layers from 1, input side first; 'output' for the classes. */
export type LayerChoice = number | 'output';

export interface ChosenLayer {
  /** Index among the model's unit layers (0: the first hidden layer). */
  index: number;
  /** 'layer 2' or 'output', for messages and file names. */
  name: string;
  units: number;
  conv: boolean;
}

/**
 * The unit layer `choice` names, or an error saying which layers the model has.
 * @example chooseLayer(mlp, 'output') // { index: 1, name: 'output', units: 10, conv: false }
 */
export function chooseLayer(model: Classifier, choice: LayerChoice): ChosenLayer {
  const layers = model.unitLayers(matrix('x'));
  const hidden = layers.length - 1;
  const index = choice === 'output' ? hidden : choice - 1;
  if (!Number.isInteger(index) || index < 0 || index > hidden || (choice !== 'output' && index === hidden)) {
    const range = hidden === 0 ? 'no hidden layers' : hidden === 1 ? 'hidden layer 1' : `hidden layers 1 to ${hidden}`;
    throw new Error(`layer ${choice}: the ${model.kind} model has ${range} and output`);
  }
  const { layer } = layers[index];
  const conv = layer instanceof ConvPoolLayer;
  const units = layer.W.value.shape[conv ? 0 : 1];
  return { index, name: choice === 'output' ? 'output' : `layer ${choice}`, units, conv };
}

/** Checks unit numbers against a layer. */
export function checkUnits(chosen: ChosenLayer, units: readonly number[]): void {
  const bad = units.find((u) => !Number.isInteger(u) || u < 0 || u >= chosen.units);
  if (bad !== undefined) throw new Error(`unit ${bad}: ${chosen.name} has ${chosen.units} units (0 to ${chosen.units - 1})`);
}

/** Each row of a [units, n] pre-activation picked from a layer's: conv maps at their centre position. */
function unitValues(unitLayer: UnitLayer, conv: boolean): Variable {
  const pre = unitLayer.preActivation;
  if (!conv) return pre;
  const [rows, cols] = [pre.type.shape[2], pre.type.shape[3]];
  if (rows === null || cols === null) throw new Error(`activation maximization: the maps ${pre.type} have no fixed size`);
  return pre.at(':', ':', Math.floor((rows - 1) / 2), Math.floor((cols - 1) / 2));
}

/**
 * The pre-activations of `units` of a layer for images x ([n, pixels]): [n, units.length].
 * @example preActivations(mlp, chooseLayer(mlp, 1), test.x, [0, 1, 2])
 */
export function preActivations(model: Classifier, chosen: ChosenLayer, x: NDArray, units: readonly number[]): NDArray {
  checkUnits(chosen, units);
  const input = matrix('x');
  const values = unitValues(model.unitLayers(input)[chosen.index], chosen.conv);
  const all = fn([input], values)(x) as NDArray;
  const out = new NDArray('float32', [x.shape[0], units.length]);
  const width = all.shape[1];
  for (let r = 0; r < x.shape[0]; r++) {
    units.forEach((u, k) => (out.data[r * units.length + k] = all.data[r * width + u]));
  }
  return out;
}

/**
 * The first layer's closed-form maximizers, unit norm: the normalized weight columns as images (a conv
 * layer's normalized filters, [units, rows·cols] of the filter). Only the first layer has them.
 * @example firstLayerImages(mlp, [0, 1]).images.shape // [2, 784]
 */
export function firstLayerImages(
  model: Classifier, units: readonly number[],
): { images: NDArray; imageShape: [number, number] } {
  const chosen = chooseLayer(model, 1);
  checkUnits(chosen, units);
  const W = model.unitLayers(matrix('x'))[0].layer.W.value;
  const conv = chosen.conv;
  const size = conv ? W.size / W.shape[0] : W.shape[0];
  const imageShape: [number, number] = conv ? [W.shape[2], W.shape[3]] : [...model.config.imageShape];
  if (conv && W.shape[1] !== 1) throw new Error(`${model.kind}: the first conv layer reads ${W.shape[1]} maps; pictures need one`);
  const images = new NDArray('float32', [units.length, size]);
  units.forEach((u, k) => {
    const column = Array.from({ length: size }, (_, i) => (conv ? W.data[u * size + i] : W.data[i * W.shape[1] + u]));
    const norm = Math.sqrt(column.reduce((a, v) => a + v * v, 0)) || 1;
    column.forEach((v, i) => (images.data[k * size + i] = v / norm));
  });
  return { images, imageShape };
}

export interface MaximizeOptions {
  /** The norm ρ of the inputs searched (the typical norm of the data is a good choice). */
  norm: number;
  /** Random starts per unit; the best end point is kept (4). */
  starts?: number;
  /** Gradient steps (300). */
  steps?: number;
  /** Each step's length as a fraction of ρ, before projecting back to the sphere (0.05). */
  stepSize?: number;
  seed?: number;
}

/** The Philox stream of the random starts. */
const STARTS_STREAM = 0x4d41_5849;

/**
 * For each of `units`, the input of norm ρ that maximizes its pre-activation, by projected gradient ascent
 * from several random starts: [units, pixels] and each one's pre-activation.
 * @example const { images, values } = maximizeUnits(dbn, chooseLayer(dbn, 2), [0, 1, 2], { norm: 9 });
 */
export function maximizeUnits(
  model: Classifier, chosen: ChosenLayer, units: readonly number[], options: MaximizeOptions,
): { images: NDArray; values: number[] } {
  checkUnits(chosen, units);
  const { norm, starts = 4, steps = 300, stepSize = 0.05, seed = 1234 } = options;
  if (!(norm > 0)) throw new Error(`activation maximization: norm is ${norm}; it must be > 0`);
  const d = model.inputSize;
  const rows = units.length * starts;
  // Row r climbs unit units[r % units.length]; the mask picks that unit's value from the layer's.
  const mask = new NDArray('float32', [rows, chosen.units]);
  for (let r = 0; r < rows; r++) mask.data[r * chosen.units + units[r % units.length]] = 1;
  const X = new SharedVariable(sphere(randomNormal(rows, d, seed), norm), 'maximize.x');
  const M = matrix('mask');
  const objective = sum(mul(unitValues(model.unitLayers(X)[chosen.index], chosen.conv), M), 1);
  const g = grad(sum(objective), X);
  const moved = X.add(g.div(sqrt(g.square().sum(1, true)).add(1e-12)).mul(stepSize * norm));
  const next = moved.div(sqrt(moved.square().sum(1, true))).mul(norm);
  const step = fn([M], [], { updates: [[X, next]], name: 'activation maximization step' });
  for (let i = 0; i < steps; i++) step(mask);
  const values = (fn([M], objective)(mask) as NDArray).data;
  const x = X.value;
  const images = new NDArray('float32', [units.length, d]);
  const best = units.map((_, k) => {
    let bestRow = k;
    for (let s = 1; s < starts; s++) if (values[k + s * units.length] > values[bestRow]) bestRow = k + s * units.length;
    images.data.set(x.data.subarray(bestRow * d, (bestRow + 1) * d), k * d);
    return values[bestRow];
  });
  return { images, values: best };
}

/** Rows scaled to norm ρ. */
export function sphere(x: NDArray, norm: number): NDArray {
  const [n, d] = x.shape;
  const out = new NDArray('float32', [n, d]);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += x.data[r * d + i] ** 2;
    const f = norm / (Math.sqrt(s) || 1);
    for (let i = 0; i < d; i++) out.data[r * d + i] = x.data[r * d + i] * f;
  }
  return out;
}

function randomNormal(n: number, d: number, seed: number): NDArray {
  const u = new Float32Array(2 * n * d);
  philoxUniform(seed >>> 0, STARTS_STREAM, 0, u);
  const out = new NDArray('float32', [n, d]);
  for (let i = 0; i < n * d; i++) {
    out.data[i] = Math.sqrt(-2 * Math.log(u[2 * i])) * Math.cos(2 * Math.PI * u[2 * i + 1]);
  }
  return out;
}
