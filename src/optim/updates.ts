// Update rules as builders of update lists for fn(): each returns [shared, new value] pairs, with the
// optimiser's own state (velocities, running averages) held in new shared variables.
import { full, zeros } from '../ndarray/index.js';
import { SharedVariable, Variable } from '../graph/variable.js';
import { add, asVariable, div, mul, sqrt, square, sub, type TensorLike } from '../ops/index.js';
import { grad } from '../grad/index.js';
import type { Update } from '../compile/index.js';

export interface RuleOptions {
  /** A number, or a shared scalar that a schedule changes between calls. */
  learningRate?: TensorLike;
}

/** The gradients of `cost`, or the given gradients when `costOrGrads` is a list. */
function gradients(costOrGrads: Variable | readonly Variable[], params: readonly SharedVariable[]): Variable[] {
  if (costOrGrads instanceof Variable) return grad(costOrGrads, params);
  if (costOrGrads.length !== params.length) throw new Error(`update rule: ${costOrGrads.length} gradients for ${params.length} parameters`);
  return [...costOrGrads];
}

function state(param: SharedVariable, role: string, value = 0): SharedVariable {
  return new SharedVariable(full(param.value.shape, value, param.dtype), `${param.name ?? 'param'}.${role}`);
}

const lr = (options: RuleOptions, fallback: number) => options.learningRate ?? fallback;

/** p ← p − lr·g. @example nb.fn([x, y], cost, { updates: nb.sgd(cost, [W, b], { learningRate: 0.13 }) }) */
export function sgd(
  cost: Variable | readonly Variable[], params: readonly SharedVariable[], options: RuleOptions = {},
): Update[] {
  const grads = gradients(cost, params);
  return params.map((p, i) => [p, sub(p, mul(grads[i], asVariable(lr(options, 0.01), p.dtype)))]);
}

export interface MomentumOptions extends RuleOptions {
  momentum?: number;
}

/** Classical momentum: v ← μv − lr·g; p ← p + v. */
export function momentum(
  cost: Variable | readonly Variable[], params: readonly SharedVariable[], options: MomentumOptions = {},
): Update[] {
  const grads = gradients(cost, params);
  const mu = options.momentum ?? 0.9;
  return params.flatMap((p, i) => {
    const v = state(p, 'velocity');
    const next = sub(mul(v, mu), mul(grads[i], asVariable(lr(options, 0.01), p.dtype)));
    return [[v, next], [p, add(p, next)]] as Update[];
  });
}

/** Nesterov momentum, in the form that evaluates the gradient at p: p ← p + μ²v − (1+μ)·lr·g. */
export function nesterov(
  cost: Variable | readonly Variable[], params: readonly SharedVariable[], options: MomentumOptions = {},
): Update[] {
  const grads = gradients(cost, params);
  const mu = options.momentum ?? 0.9;
  return params.flatMap((p, i) => {
    const v = state(p, 'velocity');
    const step = mul(grads[i], asVariable(lr(options, 0.01), p.dtype));
    const next = sub(mul(v, mu), step);
    return [[v, next], [p, sub(add(p, mul(next, mu)), step)]] as Update[];
  });
}

export interface AdaptiveOptions extends RuleOptions {
  epsilon?: number;
}

/** AdaGrad: cache ← cache + g²; p ← p − lr·g/√(cache + ε). */
export function adagrad(
  cost: Variable | readonly Variable[], params: readonly SharedVariable[], options: AdaptiveOptions = {},
): Update[] {
  const grads = gradients(cost, params);
  const eps = options.epsilon ?? 1e-8;
  return params.flatMap((p, i) => {
    const cache = state(p, 'cache');
    const next = add(cache, square(grads[i]));
    return [
      [cache, next],
      [p, sub(p, div(mul(grads[i], asVariable(lr(options, 0.01), p.dtype)), sqrt(add(next, eps))))],
    ] as Update[];
  });
}

export interface RmspropOptions extends AdaptiveOptions {
  decay?: number;
}

/** RMSprop: cache ← ρ·cache + (1−ρ)·g²; p ← p − lr·g/√(cache + ε). */
export function rmsprop(
  cost: Variable | readonly Variable[], params: readonly SharedVariable[], options: RmspropOptions = {},
): Update[] {
  const grads = gradients(cost, params);
  const [rho, eps] = [options.decay ?? 0.9, options.epsilon ?? 1e-8];
  return params.flatMap((p, i) => {
    const cache = state(p, 'cache');
    const next = add(mul(cache, rho), mul(square(grads[i]), 1 - rho));
    return [
      [cache, next],
      [p, sub(p, div(mul(grads[i], asVariable(lr(options, 0.001), p.dtype)), sqrt(add(next, eps))))],
    ] as Update[];
  });
}

export interface CenteredRmspropOptions extends RmspropOptions {
  momentum?: number;
}

/**
 * The LSTM tutorial's RMSprop (Graves 2013, eq. 38-41): running means of g and g² give the gradient's
 * variance; v ← μ·v − lr·g/√(E[g²] − E[g]² + ε); p ← p + v. Defaults are lstm.py's: ρ 0.95, μ 0.9,
 * lr 1e-4, ε 1e-4.
 * @example nb.fn([x, mask, y], cost, { updates: nb.centeredRmsprop(cost, params) })
 */
export function centeredRmsprop(
  cost: Variable | readonly Variable[], params: readonly SharedVariable[], options: CenteredRmspropOptions = {},
): Update[] {
  const grads = gradients(cost, params);
  const [rho, mu, eps] = [options.decay ?? 0.95, options.momentum ?? 0.9, options.epsilon ?? 1e-4];
  return params.flatMap((p, i) => {
    const g = grads[i];
    const [mean, squares, velocity] = [state(p, 'gradMean'), state(p, 'gradSquares'), state(p, 'velocity')];
    const nextMean = add(mul(mean, rho), mul(g, 1 - rho));
    const nextSquares = add(mul(squares, rho), mul(square(g), 1 - rho));
    const deviation = sqrt(add(sub(nextSquares, square(nextMean)), eps));
    const scaled = div(mul(g, asVariable(lr(options, 1e-4), p.dtype)), deviation);
    const nextVelocity = sub(mul(velocity, mu), scaled);
    return [[mean, nextMean], [squares, nextSquares], [velocity, nextVelocity], [p, add(p, nextVelocity)]] as Update[];
  });
}

/** AdaDelta (Zeiler 2012): steps scaled by the ratio of running RMS of updates and of gradients. */
export function adadelta(
  cost: Variable | readonly Variable[], params: readonly SharedVariable[], options: RmspropOptions = {},
): Update[] {
  const grads = gradients(cost, params);
  const [rho, eps] = [options.decay ?? 0.95, options.epsilon ?? 1e-6];
  return params.flatMap((p, i) => {
    const g = grads[i];
    const gradMean = state(p, 'gradSquares');
    const stepMean = state(p, 'stepSquares');
    const nextGrad = add(mul(gradMean, rho), mul(square(g), 1 - rho));
    const step = mul(div(sqrt(add(stepMean, eps)), sqrt(add(nextGrad, eps))), g);
    const nextStep = add(mul(stepMean, rho), mul(square(step), 1 - rho));
    return [
      [gradMean, nextGrad],
      [stepMean, nextStep],
      [p, sub(p, mul(step, asVariable(lr(options, 1), p.dtype)))],
    ] as Update[];
  });
}

export interface AdamOptions extends AdaptiveOptions {
  beta1?: number;
  beta2?: number;
}

/** Adam (Kingma & Ba 2015) with bias correction. */
export function adam(
  cost: Variable | readonly Variable[], params: readonly SharedVariable[], options: AdamOptions = {},
): Update[] {
  const grads = gradients(cost, params);
  const [b1, b2, eps] = [options.beta1 ?? 0.9, options.beta2 ?? 0.999, options.epsilon ?? 1e-8];
  const t = new SharedVariable(zeros([], 'float32'), 'adam.t');
  const tNext = add(t, 1);
  // lr_t = lr·√(1−β2^t)/(1−β1^t) folds both bias corrections into the step size.
  const correction = div(sqrt(sub(1, asVariable(b2, 'float32').pow(tNext))), sub(1, asVariable(b1, 'float32').pow(tNext)));
  const updates: Update[] = [[t, tNext]];
  params.forEach((p, i) => {
    const g = grads[i];
    const m = state(p, 'm');
    const v = state(p, 'v');
    const mNext = add(mul(m, b1), mul(g, 1 - b1));
    const vNext = add(mul(v, b2), mul(square(g), 1 - b2));
    const stepSize = mul(correction, asVariable(lr(options, 0.001), 'float32')).astype(p.dtype);
    updates.push([m, mNext], [v, vNext], [p, sub(p, div(mul(mNext, stepSize), add(sqrt(vNext), eps)))]);
  });
  return updates;
}
