// Adversarial examples against a trained classifier (nn/adversarial.ts has the step as a graph): one
// compiled step per attack kind, run in chunks of rows; FGSM and the plain-gradient attack are one step of
// size ε, the iterated attack several smaller projected steps.
import { NDArray, formatShape } from '../ndarray/index.js';
import { ivector, matrix, scalar } from '../graph/constructors.js';
import { fn, type CompiledFunction } from '../compile/index.js';
import { adversarialStep, type AttackMethod } from '../nn/index.js';
import type { Classifier } from './classifier.js';

export interface AttackOptions {
  /** The L∞ budget: no pixel moves by more than this (pixels in [0, 1]). */
  epsilon: number;
  /** 'sign' (FGSM, the default) or 'gradient'. */
  method?: AttackMethod;
  /** Projected steps (1: the one-step attack). */
  steps?: number;
  /** Size of each step; ε for one step, 2.5·ε / steps for several (Madry et al. 2018). */
  stepSize?: number;
  /** Target classes (int32 [n]): move each example toward its target instead of away from its label. */
  targets?: NDArray;
}

const CHUNK = 500; // rows per call: bounds the memory of LeNet's maps and their gradients
const compiled = new WeakMap<Classifier, Map<string, CompiledFunction>>();

/** The model's compiled step for an attack kind: (x0, x, labels, ε, α) → the next x. */
function stepFunction(model: Classifier, method: AttackMethod, targeted: boolean): CompiledFunction {
  const cache = compiled.get(model) ?? new Map<string, CompiledFunction>();
  compiled.set(model, cache);
  const key = `${method}:${targeted}`;
  let f = cache.get(key);
  if (!f) {
    const [x0, x, labels, epsilon, stepSize] = [matrix('x0'), matrix('x'), ivector('labels'), scalar('epsilon'), scalar('stepSize')];
    const next = adversarialStep((v) => model.probabilities(v, 'test'), x0, x, labels, epsilon, stepSize, { method, targeted });
    f = fn([x0, x, labels, epsilon, stepSize], next, { name: `${model.kind} adversarial step (${key})` });
    cache.set(key, f);
  }
  return f;
}

/**
 * Adversarial versions of images x (float32 [n, pixels], in [0, 1]) with labels y, against `model`.
 * @example const xAdv = adversarialExamples(model, test.x, test.y, { epsilon: 0.1 }); // FGSM
 * model.predict(xAdv) // mostly wrong
 */
export function adversarialExamples(model: Classifier, x: NDArray, y: NDArray, options: AttackOptions): NDArray {
  const { epsilon, method = 'sign', steps = 1, targets } = options;
  if (!(epsilon >= 0)) throw new Error(`adversarial examples: epsilon is ${epsilon}; it must be ≥ 0`);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`adversarial examples: steps is ${steps}; it must be a positive integer`);
  const stepSize = options.stepSize ?? (steps === 1 ? epsilon : (2.5 * epsilon) / steps);
  if (x.rank !== 2 || x.dtype !== 'float32' || x.shape[1] !== model.inputSize) {
    throw new Error(`adversarial examples: images are ${x.dtype}${formatShape(x.shape)}, but the ${model.kind} model reads float32[n, ${model.inputSize}]`);
  }
  const labels = targets ?? y;
  if (labels.dtype !== 'int32' || labels.rank !== 1 || labels.shape[0] !== x.shape[0]) {
    throw new Error(`adversarial examples: ${targets ? 'targets' : 'labels'} must be int32[${x.shape[0]}], one per image`);
  }
  const bad = labels.data.findIndex((c) => c < 0 || c >= model.config.classes);
  if (bad >= 0) throw new Error(`adversarial examples: class ${labels.data[bad]} at index ${bad} is outside the model's ${model.config.classes} classes`);
  const step = stepFunction(model, method, Boolean(targets));
  const [n, d] = x.shape;
  const out = new NDArray('float32', [n, d]);
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    const x0 = new NDArray('float32', [end - start, d], x.data.subarray(start * d, end * d));
    const chunkLabels = new NDArray('int32', [end - start], labels.data.subarray(start, end));
    let current = x0;
    for (let s = 0; s < steps; s++) current = step(x0, current, chunkLabels, epsilon, stepSize) as NDArray;
    out.data.set(current.data, start * d);
  }
  return out;
}

/** The fraction of images whose predicted class differs from the label. */
export function errorRate(predicted: NDArray, y: NDArray): number {
  let wrong = 0;
  predicted.data.forEach((label, i) => (wrong += label === y.data[i] ? 0 : 1));
  return predicted.size ? wrong / predicted.size : 0;
}
