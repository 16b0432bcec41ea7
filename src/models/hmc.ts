// Hybrid (Hamiltonian) Monte Carlo (seed 003, "Hybrid Monte-Carlo Sampling"; Duane et al. 1987, Neal
// 1993) for any energy E(s) written with the engine. A draw gives each chain a fresh velocity
// φ ~ N(0, I), runs n leapfrog steps of H(s, φ) = E(s) + ½|φ|²,
//   φ ← φ − ε/2 ∂E/∂s(s);  then n − 1 times { s ← s + εφ;  φ ← φ − ε ∂E/∂s(s) };  s ← s + εφ;  φ ← φ − ε/2 ∂E/∂s(s),
// and keeps the end point with probability min(1, exp(H(s, φ) − H(s', φ'))) (Metropolis). The step
// size ε follows the tutorial's adaptation (after Ranzato's mcRBM code): multiplied by 1.02 while the
// moving average of the acceptance rate is above the target, by 0.98 while below, clipped to
// [min, max]. Position, step size and rate are shared variables; one compiled function does a draw.
import { NDArray, array } from '../ndarray/index.js';
import { SharedVariable, type Variable } from '../graph/variable.js';
import { clip, ge, mean, where } from '../ops/index.js';
import { RandomStreams } from '../random/index.js';
import { grad } from '../grad/index.js';
import { fn, type CompiledFunction } from '../compile/index.js';
import { scan } from '../scan/index.js';

export interface HmcOptions {
  /** The energy of each chain: positions [chains, ...] → energies [chains]. Lower energy, higher density. */
  energy: (positions: Variable) => Variable;
  /** The chains' starting points, one per row (float32 or float64); their dtype is the sampler's. */
  positions: NDArray;
  /** Seeds the velocities and the accept/reject draws. */
  seed?: number;
  /** Leapfrog steps per draw (20). */
  steps?: number;
  /** The first step size ε (0.01). */
  stepSize?: number;
  /** Bounds on ε (0.001, 0.25). */
  stepSizeMin?: number;
  stepSizeMax?: number;
  /** Factors applied to ε above and below the target rate (1.02, 0.98). */
  stepSizeInc?: number;
  stepSizeDec?: number;
  /** The acceptance rate ε is adapted toward (0.9). */
  targetAcceptance?: number;
  /** Weight of the old average in the acceptance rate's moving average (0.9). */
  acceptanceSlowness?: number;
}

/** The tutorial's settings (the mcRBM code's). */
export const HMC_DEFAULTS = {
  steps: 20, stepSize: 0.01, stepSizeMin: 0.001, stepSizeMax: 0.25, stepSizeInc: 1.02, stepSizeDec: 0.98,
  targetAcceptance: 0.9, acceptanceSlowness: 0.9, seed: 12345,
} as const;

/**
 * A batch of HMC chains over an energy function; each `draw()` advances every chain by one move.
 * @example const hmc = new nb.Hmc({ energy: (s) => s.square().sum(1).mul(0.5), positions: nb.zeros([3, 5]), seed: 1 });
 * const samples = hmc.sample(1000, { burnIn: 1000 }); // [1000, 3, 5]
 */
export class Hmc {
  /** The chains' current positions. */
  readonly positions: SharedVariable;
  /** The current leapfrog step size ε. */
  readonly stepSize: SharedVariable;
  /** The moving average of the acceptance rate. */
  readonly acceptanceRate: SharedVariable;
  readonly settings: Required<Omit<HmcOptions, 'energy' | 'positions'>>;
  private readonly simulate: CompiledFunction;

  constructor(options: HmcOptions) {
    const settings = { ...HMC_DEFAULTS, ...definedOnly(options) };
    checkSettings(settings, options.positions);
    this.settings = settings;
    const dtype = options.positions.dtype;
    this.positions = new SharedVariable(options.positions, 'hmc.positions');
    this.stepSize = new SharedVariable(array(settings.stepSize, dtype), 'hmc.stepSize');
    this.acceptanceRate = new SharedVariable(array(settings.targetAcceptance, dtype), 'hmc.acceptanceRate');
    const rng = new RandomStreams(settings.seed);
    const s = this.positions;
    const energyOf = (pos: Variable): Variable => {
      const e = options.energy(pos);
      if (e.ndim !== 1) throw new Error(`Hmc: the energy of positions ${pos.type} is ${e.type}; it must be one energy per chain (a vector)`);
      return e;
    };
    const dEds = (pos: Variable) => grad(energyOf(pos).sum(), [pos])[0];
    const eps = this.stepSize;

    const velocity = rng.normal(s.shape, 0, 1, dtype);
    const halfVelocity = velocity.sub(dEds(s).mul(eps).mul(0.5));
    const firstPosition = s.add(halfVelocity.mul(eps));
    let endPosition = firstPosition;
    let lastVelocity = halfVelocity;
    if (settings.steps > 1) {
      const leapfrog = (pos: Variable, vel: Variable, step: Variable): Variable[] => {
        const newVel = vel.sub(dEds(pos).mul(step));
        return [pos.add(newVel.mul(step)), newVel];
      };
      const [[allPos, allVel]] = scan(leapfrog, {
        outputsInfo: [firstPosition, halfVelocity], nonSequences: [eps], nSteps: settings.steps - 1,
      });
      endPosition = allPos.at(-1);
      lastVelocity = allVel.at(-1);
    }
    const endVelocity = lastVelocity.sub(dEds(endPosition).mul(eps).mul(0.5));

    const hamiltonian = (pos: Variable, vel: Variable) => energyOf(pos).add(kinetic(vel));
    const chains = options.positions.shape[0];
    const energyDrop = hamiltonian(s, velocity).sub(hamiltonian(endPosition, endVelocity));
    const accept = ge(energyDrop.exp().sub(rng.uniform([chains], 0, 1, dtype)), 0);
    const acceptRows = accept.dimshuffle([0, ...Array.from({ length: s.ndim - 1 }, () => 'x' as const)]);
    const { targetAcceptance, stepSizeInc, stepSizeDec, stepSizeMin, stepSizeMax, acceptanceSlowness } = settings;
    const rate = this.acceptanceRate;
    const grown = where(rate.gt(targetAcceptance), eps.mul(stepSizeInc), eps.mul(stepSizeDec));
    const newStepSize = clip(grown, stepSizeMin, stepSizeMax);
    const newRate = rate.mul(acceptanceSlowness).add(mean(accept.astype(dtype)).mul(1 - acceptanceSlowness));
    this.simulate = fn([], [], {
      name: 'hmc draw',
      updates: [[s, where(acceptRows, endPosition, s)], [eps, newStepSize], [rate, newRate]],
    });
  }

  /**
   * One HMC move of every chain; returns the new positions (a copy).
   * @example const s = hmc.draw(); // [chains, dims]
   */
  draw(): NDArray {
    this.simulate();
    return this.positions.get();
  }

  /**
   * `count` draws after `burnIn` discarded ones, stacked: [count, chains, ...].
   * @example hmc.sample(1000, { burnIn: 1000 }).shape // [1000, 3, 5]
   */
  sample(count: number, { burnIn = 0 }: { burnIn?: number } = {}): NDArray {
    for (let i = 0; i < burnIn; i++) this.simulate();
    const shape = this.positions.value.shape;
    const out = new NDArray(this.positions.value.dtype, [count, ...shape]);
    const size = this.positions.value.size;
    for (let i = 0; i < count; i++) out.data.set(this.draw().data, i * size);
    return out;
  }
}

/** ½ Σ φ², one value per chain (unit masses). */
function kinetic(velocity: Variable): Variable {
  const axes = Array.from({ length: velocity.ndim - 1 }, (_, i) => i + 1);
  return velocity.square().sum(axes).mul(0.5);
}

function definedOnly(options: HmcOptions): Partial<Hmc['settings']> {
  const { energy: _e, positions: _p, ...rest } = options;
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
}

function checkSettings(settings: Hmc['settings'], positions: NDArray): void {
  if (positions.dtype !== 'float32' && positions.dtype !== 'float64') {
    throw new Error(`Hmc: positions are ${positions.dtype}; they must be float32 or float64`);
  }
  if (positions.rank < 2) throw new Error(`Hmc: positions have shape [${positions.shape.join(', ')}]; give one row per chain ([chains, ...])`);
  if (!Number.isInteger(settings.steps) || settings.steps < 1) throw new Error(`Hmc: steps is ${settings.steps}; it must be a positive integer`);
  const positive: (keyof Hmc['settings'])[] = ['stepSize', 'stepSizeMin', 'stepSizeMax', 'stepSizeInc', 'stepSizeDec'];
  for (const key of positive) {
    if (!(settings[key] > 0)) throw new Error(`Hmc: ${key} is ${settings[key]}; it must be > 0`);
  }
  if (settings.stepSizeMin > settings.stepSizeMax) throw new Error(`Hmc: stepSizeMin ${settings.stepSizeMin} is above stepSizeMax ${settings.stepSizeMax}`);
  for (const key of ['targetAcceptance', 'acceptanceSlowness'] as const) {
    if (!(settings[key] >= 0 && settings[key] <= 1)) throw new Error(`Hmc: ${key} is ${settings[key]}; it must be in [0, 1]`);
  }
}
