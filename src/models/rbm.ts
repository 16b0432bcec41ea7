// Restricted Boltzmann machines (Deep Learning Tutorial, ch. 9; Unsupervised Deep Learning, ch. 4;
// the reading-group slides on Gaussian RBMs), trained by CD-k or persistent CD-k from the free energy:
//   binary visible:    F(v) = −v·b' − Σ_j softplus(c_j + v·W_j)                      (eq. 9.9)
//   Gaussian visible:  F(v) = Σ_i (v_i − b'_i)² / 2σ² − Σ_j softplus(c_j + v·W_j / σ),
//                      p(v | h) = N(σ W h + b', σ²)
//   ∂(−log p(v))/∂θ ≈ ∂F(v)/∂θ − ∂F(ṽ)/∂θ,  ṽ the end of a k-step Gibbs chain held constant (eq. 9.5)
// Here b' is `vbias` and c is `hbias`; the hidden units are binary in both cases.
import { NDArray, array } from '../ndarray/index.js';
import type { Variable } from '../graph/variable.js';
import { shared } from '../graph/constructors.js';
import { cast, concatenate, eq, floor, incSubtensor, log, max, mean, mod, sigmoid, sigmoidCrossentropyWithLogits, slice, softmax, softplus, square, sum } from '../ops/index.js';
import { fn, type CompiledFunction, type Update } from '../compile/index.js';
import type { Objective } from '../fit/index.js';
import { UnsupervisedLayer, loadLayer, mapRows, type LayerParams } from './unsupervised-layer.js';

export type VisibleUnits = 'binary' | 'gaussian';

export interface RbmConfig {
  visible: number;
  hidden: number;
  /** 'binary' (Bernoulli, the tutorial's) or 'gaussian' for real-valued data, standardized to `sigma`. */
  visibleUnits?: VisibleUnits;
  /** The Gaussian visible units' standard deviation (fixed, not learned). */
  sigma?: number;
  /**
   * The last `softmaxUnits` visible units form one softmax unit (a one-hot label, Hinton et al. 2006's
   * label units joined to a DBN's top RBM): the model's visible states then hold exactly one label.
   */
  softmaxUnits?: number;
  /** Gibbs steps per update: CD-k, or PCD-k when `persistent`. */
  k?: number;
  /** Keep the negative chain between updates (Tieleman 2008) instead of restarting it at the data. */
  persistent?: boolean;
  seed?: number;
}

export const RBM_KIND = 'rbm' as const;

/** A layer of units: the pre-activation, the mean (probability or Gaussian mean) and a sample. */
export interface UnitState {
  preActivation: Variable;
  mean: Variable;
  sample: Variable;
}

function resolve(c: RbmConfig): Required<RbmConfig> {
  const where = `rbm ${c.visible}→${c.hidden}`;
  for (const [name, v] of [['visible', c.visible], ['hidden', c.hidden], ['k', c.k ?? 1]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${where}: ${name} must be a positive integer, not ${v}`);
  }
  const r = { visibleUnits: 'binary' as VisibleUnits, sigma: 1, softmaxUnits: 0, k: 1, persistent: false, seed: 123, ...c };
  if (r.visibleUnits !== 'binary' && r.visibleUnits !== 'gaussian') throw new Error(`${where}: visibleUnits ${String(r.visibleUnits)} is not binary or gaussian`);
  if (!Number.isInteger(r.softmaxUnits) || r.softmaxUnits < 0 || r.softmaxUnits === 1 || r.softmaxUnits >= r.visible) {
    throw new Error(`${where}: softmaxUnits ${r.softmaxUnits} must be 0 or an integer from 2 to ${r.visible - 1}`);
  }
  if (r.softmaxUnits && r.visibleUnits !== 'binary') throw new Error(`${where}: a softmax group needs binary visible units`);
  if (!(r.sigma > 0)) throw new Error(`${where}: sigma ${r.sigma} must be positive`);
  return r;
}

/**
 * An RBM with binary hidden units and binary or Gaussian visible units.
 * @example const rbm = new Rbm({ visible: 784, hidden: 500, k: 15, persistent: true });
 * const features = rbm.transform(test.x); // p(h = 1 | v), float32[10000, 500]
 */
export class Rbm extends UnsupervisedLayer {
  readonly kind = RBM_KIND;
  readonly config: Required<RbmConfig>;

  /** `shared` and `index` as for every UnsupervisedLayer: W and hbias of a deep network, the position in its stack. */
  constructor(config: RbmConfig, shared: Partial<LayerParams> = {}, index = 0) {
    const resolved = resolve(config);
    super(config.visible, config.hidden, resolved.seed, shared, index);
    this.config = resolved;
  }

  private get gaussian(): boolean {
    return this.config.visibleUnits === 'gaussian';
  }

  /** c + v W (with v / σ for Gaussian units): the hidden units' pre-sigmoid activation. */
  private hiddenInput(v: Variable): Variable {
    return (this.gaussian ? v.div(this.config.sigma) : v).dot(this.W).add(this.hbias);
  }

  freeEnergy(v: Variable): Variable {
    const hiddenTerm = sum(softplus(this.hiddenInput(v)), 1);
    const visibleTerm = this.gaussian
      ? sum(square(v.sub(this.vbias)), 1).div(2 * this.config.sigma ** 2)
      : v.dot(this.vbias).neg();
    return visibleTerm.sub(hiddenTerm);
  }

  encode(v: Variable): Variable {
    return sigmoid(this.hiddenInput(v));
  }

  /** h ~ p(h | v) = sigm(c + v W)  (eq. 9.7) */
  sampleHidden(v: Variable): UnitState {
    const preActivation = this.hiddenInput(v);
    const m = sigmoid(preActivation);
    return { preActivation, mean: m, sample: this.rng.binomial(m.shape, 1, m) };
  }

  /** v ~ p(v | h): sigm(b' + h Wᵀ) for binary units (eq. 9.8), N(b' + σ h Wᵀ, σ²) for Gaussian ones. */
  sampleVisible(h: Variable): UnitState {
    const down = h.dot(this.W.T);
    if (this.gaussian) {
      const m = down.mul(this.config.sigma).add(this.vbias);
      return { preActivation: m, mean: m, sample: m.add(this.rng.normal(m.shape, 0, this.config.sigma)) };
    }
    const preActivation = down.add(this.vbias);
    const group = this.config.softmaxUnits;
    if (!group) {
      const m = sigmoid(preActivation);
      return { preActivation, mean: m, sample: this.rng.binomial(m.shape, 1, m) };
    }
    const bits = sigmoid(preActivation.at(':', slice(0, this.visible - group)));
    const choice = this.sampleOneHot(preActivation.at(':', slice(this.visible - group, null)));
    return {
      preActivation,
      mean: concatenate([bits, choice.mean], 1),
      sample: concatenate([this.rng.binomial(bits.shape, 1, bits), choice.sample], 1),
    };
  }

  /** A softmax unit: its probabilities and a one-hot draw from them (the Gumbel-max trick). */
  private sampleOneHot(logits: Variable): { mean: Variable; sample: Variable } {
    const u = this.rng.uniform(logits.shape);
    const perturbed = logits.sub(log(log(u).neg()));
    return { mean: softmax(logits), sample: cast(eq(perturbed, max(perturbed, 1, true)), 'float32') };
  }

  /** `steps` steps of block Gibbs sampling from the hidden units: h → v → h. */
  gibbsFromHidden(h: Variable, steps: number): { visible: UnitState; hidden: UnitState } {
    let state: { visible: UnitState; hidden: UnitState } | undefined;
    for (let i = 0; i < steps; i++) {
      const visible = this.sampleVisible(state ? state.hidden.sample : h);
      state = { visible, hidden: this.sampleHidden(visible.sample) };
    }
    return state!;
  }

  /**
   * One CD-k (or PCD-k) update's objective F(x) − F(ṽ), ṽ held constant; the monitor is the
   * pseudo-likelihood for PCD with binary units and the reconstruction cost otherwise (ch. 9.4.1).
   */
  objective(x: Variable, batchSize: number): Objective {
    const { k, persistent } = this.config;
    const chain = persistent ? shared(new NDArray('float32', [batchSize, this.hidden]), 'persistentChain') : undefined;
    const start = chain ?? this.sampleHidden(x).sample;
    const end = this.gibbsFromHidden(start, k);
    const chainEnd = end.visible.sample;
    const cost = mean(this.freeEnergy(x)).sub(mean(this.freeEnergy(chainEnd)));
    const updates: Update[] = chain ? [[chain, end.hidden.sample]] : [];
    const base = { cost, considerConstant: [chainEnd] };
    if (persistent && !this.gaussian) {
      const pl = this.pseudoLikelihood(x);
      return { ...base, monitor: pl.value, monitorName: 'pseudo-likelihood', updates: [...updates, pl.update] };
    }
    return {
      ...base,
      monitor: this.reconstructionCost(x, end.visible.preActivation),
      monitorName: this.reconstructionName,
      updates,
    };
  }

  private get reconstructionName(): string {
    return this.gaussian ? 'reconstruction squared error' : 'reconstruction cross-entropy';
  }

  /**
   * Mean over examples of the reconstruction error summed over visible units, from the visible
   * units' pre-activation (the cross-entropy from logits stays finite where sigm(·) rounds to 0 or 1).
   */
  reconstructionCost(x: Variable, visiblePreActivation: Variable): Variable {
    const perUnit = this.gaussian
      ? square(visiblePreActivation.sub(x))
      : sigmoidCrossentropyWithLogits(visiblePreActivation, x);
    return mean(sum(perUnit, 1));
  }

  /**
   * Stochastic log pseudo-likelihood (ch. 9.4.1): N·log sigm(F(x̃_i) − F(x)), x̃_i being the
   * binarized x with bit i flipped; i cycles through the visible units, one per update.
   */
  pseudoLikelihood(x: Variable): { value: Variable; update: Update } {
    const bit = shared(array(0, 'int32'), 'pseudoLikelihoodBit');
    const xi = floor(x.add(0.5));
    const flipped = incSubtensor(xi, [':', bit], xi.at(':', bit).rsub(1), true);
    const value = mean(softplus(this.freeEnergy(xi).sub(this.freeEnergy(flipped))).neg()).mul(this.visible);
    return { value, update: [bit, mod(bit.add(1), this.visible)] };
  }

  /** Mean-field reconstructions: E[v | h = p(h | x)]. */
  reconstruct(data: NDArray): NDArray {
    return mapRows((v) => this.sampleVisible(this.encode(v)).mean)(data);
  }

  /**
   * Gibbs chains started at `start` (one chain per row), as in the tutorial's sampling: each call of
   * the returned function runs `steps` more steps and returns the visible units' mean at the last one.
   * @example const next = rbm.gibbsChains(test.x rows 0..19); const row = next(1000);
   */
  gibbsChains(start: NDArray, unroll = 10): (steps: number) => NDArray {
    const chain = shared(start, 'visibleChain');
    const compile = (steps: number): CompiledFunction => {
      let v: Variable = chain;
      let m: Variable = chain;
      for (let i = 0; i < steps; i++) {
        const visible = this.sampleVisible(this.sampleHidden(v).sample);
        [v, m] = [visible.sample, visible.mean];
      }
      return fn([], m, { updates: [[chain, v]] });
    };
    const many = compile(unroll);
    let one: CompiledFunction | undefined;
    return (steps) => {
      if (!Number.isInteger(steps) || steps < 1) throw new Error(`gibbsChains: steps ${steps} must be a positive integer`);
      let out: NDArray | undefined;
      for (let i = 0; i < Math.floor(steps / unroll); i++) out = many() as NDArray;
      for (let i = 0; i < steps % unroll; i++) out = (one ??= compile(1))() as NDArray;
      return out!;
    };
  }

  static load(path: string): Rbm {
    return loadLayer(path, RBM_KIND, (config: RbmConfig) => new Rbm(config));
  }
}
