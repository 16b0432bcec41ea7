// Adversarial inputs as graphs (Unsupervised Deep Learning, ch. 6; Goodfellow et al. 2015): the gradient
// of the cost J with respect to the input says which way a small change of x raises J most. One step is
//   x' = Π(x ± α·d),  d = sign(∇x J)  (the fast gradient sign method)  or  d = ∇x J / max|∇x J|  (the plain
// gradient, scaled per example so that its largest entry is 1 and ε bounds the same L∞ ball),
// with + to raise J of the true labels (untargeted) and − to lower J of chosen labels (targeted); Π keeps
// x' within ε of the original x0 in every pixel and inside the pixel range. One step with α = ε is FGSM;
// several with a smaller α are the iterated (projected) attack.
import type { Variable } from '../graph/variable.js';
import { abs, clip, nll, sign, type TensorLike } from '../ops/index.js';
import { grad } from '../grad/index.js';

export const ATTACK_METHODS = ['sign', 'gradient'] as const;
/** 'sign': FGSM's sign of the gradient; 'gradient': the gradient itself, scaled per example to a largest entry of 1. */
export type AttackMethod = (typeof ATTACK_METHODS)[number];

export interface AdversarialStepOptions {
  method?: AttackMethod;
  /** Lower the cost of `labels` (chosen target classes) instead of raising that of the true ones. */
  targeted?: boolean;
  /** The valid pixel range; [0, 1] by default. */
  range?: readonly [number, number];
}

/**
 * One projected step of an adversarial attack on a classifier given as `probabilities` (rows of x to
 * class probabilities): from x, a step of `stepSize` along the attack direction, kept within `epsilon`
 * of x0 (L∞) and inside the pixel range.
 * @example const xAdv = adversarialStep((v) => model.probabilities(v, 'test'), x, x, y, 0.1, 0.1); // FGSM
 */
export function adversarialStep(
  probabilities: (x: Variable) => Variable, x0: Variable, x: Variable, labels: Variable,
  epsilon: TensorLike, stepSize: TensorLike, options: AdversarialStepOptions = {},
): Variable {
  const { method = 'sign', targeted = false, range = [0, 1] } = options;
  const g = grad(nll(probabilities(x), labels), x);
  // The tiny floor keeps an example whose gradient vanished (a saturated softmax) where it is.
  const direction = method === 'sign' ? sign(g) : g.div(abs(g).max(1, true).add(1e-12));
  const moved = targeted ? x.sub(direction.mul(stepSize)) : x.add(direction.mul(stepSize));
  return clip(clip(moved, x0.sub(epsilon), x0.add(epsilon)), range[0], range[1]);
}
