// Dropout (seed 002, chapter 7): while training, each unit is kept with probability p (a binomial mask);
// while testing, every unit is kept and scaled by p, the mask's expected value, so the next layer sees
// inputs of the same mean in both modes.
import type { Variable } from '../graph/variable.js';
import type { RandomStreams } from '../random/index.js';
import type { Layer, Mode } from './layer.js';

/**
 * A dropout layer with keep probability `keep` (0.5 for hidden units, 0.8 for inputs are the usual choices).
 * @example const drop = new Dropout(rng, 0.5);
 * const train = drop.forward(h, 'train'); const test = drop.forward(h, 'test');
 */
export class Dropout implements Layer {
  readonly keep: number;
  private readonly rng: RandomStreams;

  constructor(rng: RandomStreams, keep: number) {
    if (!(keep > 0 && keep <= 1)) throw new Error(`Dropout: keep probability ${keep} must be in (0, 1]`);
    this.rng = rng;
    this.keep = keep;
  }

  readonly params = [];
  readonly weights = [];

  forward(input: Variable, mode: Mode): Variable {
    if (this.keep === 1) return input;
    if (mode === 'test') return input.mul(this.keep);
    return input.mul(this.rng.binomial(input.shape, 1, this.keep, input.dtype));
  }
}
