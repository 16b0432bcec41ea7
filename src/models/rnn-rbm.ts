// The RNN-RBM of the polyphonic-music tutorial (rnnrbm.py; Boulanger-Lewandowski et al., ICML 2012): at
// each time step an RBM over the frame v_t whose biases follow an RNN's state u_{t-1}:
//   b_v(t) = b_v + u_{t-1} W_uv,   b_h(t) = b_h + u_{t-1} W_uh,   u_t = tanh(b_u + v_t W_vu + u_{t-1} W_uu),
// u_0 = 0. Given a sequence, the RNN runs first (nb.scan) and every step's RBM is then trained at once by
// CD-k, the Gibbs chain also run in nb.scan and its end held constant in the gradient. Generating runs the
// RNN one step at a time with a Gibbs chain per step (a scan within the scan).
import { NDArray, type DType } from '../ndarray/index.js';
import type { SharedVariable, Variable } from '../graph/variable.js';
import { iscalar, matrix, shared } from '../graph/constructors.js';
import { asVariable, cast, concatenate, sigmoid, sigmoidCrossentropyWithLogits, slice, softplus, sum, tanh, zerosLike } from '../ops/index.js';
import { RandomStreams } from '../random/index.js';
import { fn, type CompiledFunction } from '../compile/index.js';
import { scan } from '../scan/index.js';
import type { Objective, TrainableSequenceDensity } from '../fit/index.js';
import { aisLogPartition, softplusOf, type AisOptions } from './ais.js';
import { configReader } from './config-reader.js';
import { loadModelAs, setParameters, saveModelFile, type ModelFile } from './model-store.js';

export interface RnnRbmConfig {
  /** Visible units: the pitches of the piano-roll, MIDI notes range[0] … range[1] − 1. */
  range: [number, number];
  /** Seconds per time step of the piano-rolls it models (written into generated MIDI files). */
  dt: number;
  /** Hidden units of each step's RBM. */
  hidden: number;
  /** Units of the RNN. */
  recurrent: number;
  /** Gibbs steps of CD-k in training. */
  k: number;
}

/** The tutorial's model: 88 piano keys at 0.3 s, 150 RBM hidden units, 100 RNN units, CD-15. */
export const RNN_RBM_TUTORIAL: RnnRbmConfig = { range: [21, 109], dt: 0.3, hidden: 150, recurrent: 100, k: 15 };

/** Gibbs steps per generated frame and per predicted frame (the tutorial's generation uses 25). */
export const GENERATION_GIBBS_STEPS = 25;

/** The RNN's state and the biases of every step's RBM, for a sequence of frames. */
interface Conditionals {
  bv: Variable;
  bh: Variable;
}

/**
 * An RNN-RBM over piano-roll frames; `nabla train rnnrbm` trains it on Nottingham.
 * @example const model = new RnnRbm(RNN_RBM_TUTORIAL); // then new MusicTraining(model, songs, ...)
 * model.generate(200) // float32 [200, 88] of 0/1
 */
export class RnnRbm implements TrainableSequenceDensity {
  readonly kind = 'rnnrbm';
  readonly config: RnnRbmConfig;
  meta: Record<string, unknown> = {};
  readonly W: SharedVariable;
  readonly bv: SharedVariable;
  readonly bh: SharedVariable;
  readonly Wuh: SharedVariable;
  readonly Wuv: SharedVariable;
  readonly Wvu: SharedVariable;
  readonly Wuu: SharedVariable;
  readonly bu: SharedVariable;
  /** float32, or float64 for checking gradients. */
  readonly dtype: 'float32' | 'float64';
  private readonly rng: RandomStreams;
  private conditionalsFn: CompiledFunction | undefined;
  /** The compiled generator, by Gibbs steps per frame. */
  private readonly generators = new Map<number, CompiledFunction>();

  constructor(config: RnnRbmConfig, seed = 1234, dtype: 'float32' | 'float64' = 'float32') {
    const [low, high] = config.range;
    if (!(Number.isInteger(low) && Number.isInteger(high) && low >= 0 && low < high && high <= 128)) {
      throw new Error(`RnnRbm: the pitch range [${low}, ${high}) must be MIDI note numbers with 0 ≤ low < high ≤ 128`);
    }
    for (const field of ['hidden', 'recurrent', 'k'] as const) {
      if (!Number.isInteger(config[field]) || config[field] < 1) throw new Error(`RnnRbm: ${field} must be a positive integer, not ${config[field]}`);
    }
    if (!(config.dt > 0)) throw new Error(`RnnRbm: dt must be positive, not ${config.dt}`);
    this.config = config;
    this.dtype = dtype;
    const [v, h, r] = [this.visible, config.hidden, config.recurrent];
    const init = new RandomStreams(seed);
    // The tutorial's shared_normal(rows, cols, scale): N(0, scale²) entries.
    const normal = (shape: number[], std: number, name: string) =>
      shared(init.normal(shape, 0, std, dtype).eval() as NDArray, name);
    const zero = (n: number, name: string) => shared(new NDArray(dtype, [n]), name);
    this.W = normal([v, h], 0.01, 'W');
    this.bv = zero(v, 'bv');
    this.bh = zero(h, 'bh');
    this.Wuh = normal([r, h], 0.0001, 'Wuh');
    this.Wuv = normal([r, v], 0.0001, 'Wuv');
    this.Wvu = normal([v, r], 0.0001, 'Wvu');
    this.Wuu = normal([r, r], 0.0001, 'Wuu');
    this.bu = zero(r, 'bu');
    this.rng = new RandomStreams(seed + 1);
  }

  /** Pitches per frame. */
  get visible(): number {
    return this.config.range[1] - this.config.range[0];
  }

  /** Every trainable parameter, in the tutorial's order. */
  get params(): SharedVariable[] {
    return [this.W, this.bv, this.bh, this.Wuh, this.Wuv, this.Wvu, this.Wuu, this.bu];
  }

  /**
   * The biases of every step's RBM given the frames v [T, visible]: the RNN's recurrence runs in nb.scan;
   * its input term and the biases, products of whole matrices, are computed outside the loop.
   */
  conditionals(v: Variable): Conditionals {
    const u0 = this.zeros([this.config.recurrent]);
    const input = v.dot(this.Wvu).add(this.bu);
    const [[u]] = scan((inputT: Variable, uPrevious: Variable) => tanh(inputT.add(uPrevious.dot(this.Wuu))), {
      sequences: [input], outputsInfo: [u0],
    });
    const previous = concatenate([u0.dimshuffle(['x', 0]), u.at(slice(null, -1))], 0);
    return { bv: previous.dot(this.Wuv).add(this.bv), bh: previous.dot(this.Wuh).add(this.bh) };
  }

  /** One Gibbs step v → h → v of the RBMs with biases `c` (one row each); returns the new v's logits and sample. */
  private gibbsStep(v: Variable, c: Conditionals): { logits: Variable; sample: Variable } {
    const hMean = sigmoid(v.dot(this.W).add(c.bh));
    const h = this.rng.binomial(hMean.shape, 1, hMean, this.dtype);
    const logits = h.dot(this.W.T).add(c.bv);
    const vMean = sigmoid(logits);
    return { logits, sample: this.rng.binomial(vMean.shape, 1, vMean, this.dtype) };
  }

  /** The end of a `steps`-step Gibbs chain from `start`, run in nb.scan. */
  gibbsChain(start: Variable, c: Conditionals, steps: number): Variable {
    const [[chain]] = scan((v: Variable) => this.gibbsStep(v, c).sample, { outputsInfo: [start], nSteps: steps });
    return chain.at(-1);
  }

  /** F(v) = −Σ_t v_t·b_v(t) − Σ_t Σ_j softplus(b_h(t)_j + v_t W_j), summed over the sequence. */
  private freeEnergy(v: Variable, c: Conditionals): Variable {
    return sum(v.mul(c.bv)).neg().sub(sum(softplus(v.dot(this.W).add(c.bh))));
  }

  /**
   * A sequence's CD-k objective, (F(v) − F(ṽ)) / T with the chain's end ṽ held constant, and the
   * tutorial's monitor: Σ over pitches of log p(v_t | h), h drawn from p(h | ṽ_t), averaged over frames.
   */
  objective(v: Variable): Objective {
    const c = this.conditionals(v);
    const chainEnd = this.gibbsChain(v, c, this.config.k);
    const frames = cast(v.shape.at(0), this.dtype);
    const cost = this.freeEnergy(v, c).sub(this.freeEnergy(chainEnd, c)).div(frames);
    // From the logits, so a pitch the model is sure of gives a finite log-likelihood (the tutorial's
    // sigmoid then log printed -inf in such epochs).
    const monitor = sum(sigmoidCrossentropyWithLogits(this.gibbsStep(chainEnd, c).logits, v)).neg().div(frames);
    return { cost, considerConstant: [chainEnd], monitor, monitorName: 'frame log-likelihood of the reconstruction', updates: [] };
  }

  /**
   * A draw of each frame from its RBM given the true history: a Gibbs chain of `steps` steps from silence
   * per frame, all frames at once. What frame-level accuracy compares with the frames.
   */
  predictFrames(v: Variable, steps = GENERATION_GIBBS_STEPS): Variable {
    return this.gibbsChain(zerosLike(v), this.conditionals(v), steps);
  }

  /**
   * A new piece of `steps` frames, float32 [steps, visible] of 0/1: each frame drawn by a Gibbs chain of
   * `gibbsSteps` steps in its RBM, then fed to the RNN.
   * @example const roll = model.generate(200);
   */
  generate(steps: number, gibbsSteps = GENERATION_GIBBS_STEPS): NDArray {
    if (!Number.isInteger(steps) || steps < 1) throw new Error(`generate: the number of steps must be a positive integer, not ${steps}`);
    let generator = this.generators.get(gibbsSteps);
    if (!generator) {
      const n = iscalar('steps');
      const [[frames]] = scan((uPrevious: Variable) => {
        const row = (b: Variable, W: SharedVariable) => uPrevious.dot(W).add(b).dimshuffle(['x', 0]);
        const c = { bv: row(this.bv, this.Wuv), bh: row(this.bh, this.Wuh) };
        const frame = this.gibbsChain(this.zeros([1, this.visible]), c, gibbsSteps).at(0);
        return [frame, tanh(this.bu.add(frame.dot(this.Wvu)).add(uPrevious.dot(this.Wuu)))];
      }, { outputsInfo: [null, this.zeros([this.config.recurrent])], nSteps: n });
      generator = fn([n], frames, { name: 'rnnrbm generate' });
      this.generators.set(gibbsSteps, generator);
    }
    return generator(steps) as NDArray;
  }

  private zeros(shape: number[]): Variable {
    return asVariable(new NDArray(this.dtype as DType, shape));
  }

  /**
   * log p(v_t | v_<t) = −F_t(v_t) − log Z_t for each frame of `frames` [T, visible], each step's log Z_t
   * estimated by annealed importance sampling (aisLogPartition, in float64, `options.chains` runs of
   * `options.temperatures` steps): unbiased in Z_t, so on average slightly high in log-likelihood.
   * @example const ll = model.frameLogLikelihoods(song, { chains: 100, temperatures: 1000 }); // nats per frame
   */
  frameLogLikelihoods(frames: NDArray, options: AisOptions = {}): Float64Array {
    if (!this.conditionalsFn) {
      const v = matrix('v', this.dtype);
      const c = this.conditionals(v);
      this.conditionalsFn = fn([v], [c.bv, c.bh], { name: 'rnnrbm conditionals' });
    }
    const [bv, bh] = (this.conditionalsFn(frames) as NDArray[]).map((m) => m.astype('float64'));
    const W = this.W.value.astype('float64');
    const [T, V, H] = [frames.shape[0], this.visible, this.config.hidden];
    const out = new Float64Array(T);
    // Stretches of 64 frames bound the annealing's memory (64 × chains rows).
    for (let from = 0; from < T; from += 64) {
      const to = Math.min(T, from + 64);
      const rows = (m: NDArray, width: number) => new NDArray('float64', [to - from, width], m.data.slice(from * width, to * width));
      const logZ = aisLogPartition(W, rows(bv, V), rows(bh, H), { ...options, seed: (options.seed ?? 1) + from });
      for (let t = from; t < to; t++) {
        let logStar = 0;
        for (let i = 0; i < V; i++) logStar += frames.data[t * V + i] * bv.data[t * V + i];
        for (let j = 0; j < H; j++) {
          let a = bh.data[t * H + j];
          for (let i = 0; i < V; i++) if (frames.data[t * V + i]) a += W.data[i * H + j];
          logStar += softplusOf(a);
        }
        out[t] = logStar - logZ[t - from];
      }
    }
    return out;
  }

  /** Sets every parameter from `tensors` by name, checking names, shapes and dtypes. */
  loadTensors(path: string, tensors: Record<string, NDArray>): this {
    setParameters(path, this.kind, this.params, tensors);
    return this;
  }

  toModelFile(meta: Record<string, unknown> = {}): ModelFile {
    const tensors = Object.fromEntries(this.params.map((p) => [p.name!, p.value]));
    return { kind: this.kind, config: { ...this.config, range: [...this.config.range] }, tensors, meta };
  }

  /**
   * Saves the model (atomically) for `nabla sample`.
   * @example model.save('runs/rnnrbm/model.nbm', { best_valid_accuracy: 0.61 });
   */
  save(path: string, meta: Record<string, unknown> = {}): void {
    saveModelFile(path, this.toModelFile(meta));
  }

  /** A saved model rebuilt; `seed` seeds its sampling (generation, predicted frames). */
  static fromModelFile(file: ModelFile, path: string, seed?: number): RnnRbm {
    const read = configReader(path, file.config);
    const config: RnnRbmConfig = {
      range: read.pair('range'), dt: read.positive('dt'), hidden: read.int('hidden'), recurrent: read.int('recurrent'), k: read.int('k'),
    };
    return new RnnRbm(config, seed).loadTensors(path, file.tensors);
  }

  /**
   * Loads a model saved by `save`.
   * @example const model = RnnRbm.load('runs/rnnrbm/model.nbm');
   */
  static load(path: string, seed?: number): RnnRbm {
    return loadModelAs(path, (file, where) => RnnRbm.fromModelFile(file, where, seed), 'rnnrbm');
  }
}
