// Autoencoders with tied weights (Deep Learning Tutorial, ch. 7; Unsupervised Deep Learning, ch. 3):
// denoising (a binomial mask or Gaussian noise on the input), sparse and contractive variants.
//   x̃ ~ q(x̃ | x)         y = s(x̃ W + b)         z = s(y Wᵀ + b')
//   L = Σ_k −x_k log z_k − (1 − x_k) log(1 − z_k)          (cross-entropy; or Σ_k (x_k − z_k)²)
//     + β Σ_j KL(ρ ‖ ρ̂_j),  ρ̂_j = mean over the batch of y_j     (sparse)
//     + λ ‖∂y/∂x̃‖²_F = λ Σ_j (y_j (1 − y_j))² Σ_i W_ij²           (contractive, Rifai et al. 2011)
import type { NDArray } from '../ndarray/index.js';
import type { Variable } from '../graph/variable.js';
import { div, log, mean, sigmoid, sigmoidCrossentropyWithLogits, square, squaredError, sum } from '../ops/index.js';
import type { Objective } from '../fit/index.js';
import { UnsupervisedLayer, loadLayer, mapRows, type LayerParams } from './unsupervised-layer.js';

export type ReconstructionLoss = 'crossEntropy' | 'squaredError';

export interface AutoencoderConfig {
  visible: number;
  hidden: number;
  /** 'crossEntropy' for inputs in [0, 1] (the tutorial's), 'squaredError' for real-valued inputs. */
  loss?: ReconstructionLoss;
  /** Fraction of the inputs set to zero at random each step (the tutorial's corruption level). */
  corruption?: number;
  /** Standard deviation of Gaussian noise added to the input each step. */
  gaussianNoise?: number;
  /** Sparse autoencoder: pull each hidden unit's mean activation toward `target`, with weight `weight`. */
  sparsity?: { target: number; weight: number };
  /** Contractive autoencoder: the weight λ of the squared Frobenius norm of the encoder's Jacobian. */
  contraction?: number;
  /** Seeds the initial weights and the corruption. */
  seed?: number;
}

export const AUTOENCODER_KIND = 'autoencoder' as const;

function checkConfig(c: AutoencoderConfig): Required<Pick<AutoencoderConfig, 'loss' | 'corruption' | 'gaussianNoise' | 'contraction' | 'seed'>> {
  const where = `autoencoder ${c.visible}→${c.hidden}`;
  for (const [name, v] of [['visible', c.visible], ['hidden', c.hidden]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${where}: ${name} must be a positive integer, not ${v}`);
  }
  const resolved = { loss: c.loss ?? 'crossEntropy', corruption: c.corruption ?? 0, gaussianNoise: c.gaussianNoise ?? 0, contraction: c.contraction ?? 0, seed: c.seed ?? 123 };
  if (resolved.loss !== 'crossEntropy' && resolved.loss !== 'squaredError') throw new Error(`${where}: loss ${String(resolved.loss)} is not crossEntropy or squaredError`);
  if (!(resolved.corruption >= 0 && resolved.corruption < 1)) throw new Error(`${where}: corruption ${resolved.corruption} must be in [0, 1)`);
  if (!(resolved.gaussianNoise >= 0)) throw new Error(`${where}: gaussianNoise ${resolved.gaussianNoise} must be at least 0`);
  if (!(resolved.contraction >= 0)) throw new Error(`${where}: contraction ${resolved.contraction} must be at least 0`);
  if (c.sparsity && !(c.sparsity.target > 0 && c.sparsity.target < 1 && c.sparsity.weight >= 0)) {
    throw new Error(`${where}: sparsity target ${c.sparsity.target} must be in (0, 1) and its weight ${c.sparsity.weight} at least 0`);
  }
  return resolved;
}

/**
 * A tied-weight sigmoid autoencoder; denoising, sparse or contractive as its config says.
 * @example const da = new Autoencoder({ visible: 784, hidden: 500, corruption: 0.3 });
 * const codes = da.transform(train.x); // float32[50000, 500]
 */
export class Autoencoder extends UnsupervisedLayer {
  readonly kind = AUTOENCODER_KIND;
  readonly config: AutoencoderConfig;
  private readonly options: ReturnType<typeof checkConfig>;

  /** `shared` and `index` as for every UnsupervisedLayer: W and hbias of a deep network, the position in its stack. */
  constructor(config: AutoencoderConfig, shared: Partial<LayerParams> = {}, index = 0) {
    const options = checkConfig(config);
    super(config.visible, config.hidden, options.seed, shared, index);
    this.options = options;
    this.config = { ...config, ...options };
  }

  /** x̃ ~ q(x̃ | x): the mask keeps each input with probability 1 − corruption; then the Gaussian noise. */
  corrupt(x: Variable): Variable {
    let out = x;
    if (this.options.corruption > 0) out = this.rng.binomial(x.shape, 1, 1 - this.options.corruption).mul(out);
    if (this.options.gaussianNoise > 0) out = out.add(this.rng.normal(x.shape, 0, this.options.gaussianNoise));
    return out;
  }

  encode(x: Variable): Variable {
    return sigmoid(x.dot(this.W).add(this.hbias));
  }

  /**
   * The decoder's pre-sigmoid activation y Wᵀ + b' (the cross-entropy is computed from it, stably),
   * written (W yᵀ)ᵀ: the gradient with respect to W then comes out as a [visible, hidden] product,
   * where y·W.T's would be a [hidden, visible] one transposed by a copy of all of W at every step.
   */
  decodeLogits(y: Variable): Variable {
    return this.W.dot(y.T).T.add(this.vbias);
  }

  decode(y: Variable): Variable {
    return sigmoid(this.decodeLogits(y));
  }

  /** Per-example reconstruction error of x from the code y, summed over the inputs. */
  reconstructionError(x: Variable, y: Variable): Variable {
    const logits = this.decodeLogits(y);
    const perInput = this.options.loss === 'crossEntropy' ? sigmoidCrossentropyWithLogits(logits, x) : squaredError(sigmoid(logits), x);
    return sum(perInput, 1);
  }

  /** β Σ_j KL(ρ ‖ ρ̂_j), ρ̂_j the mean activation of hidden unit j over the batch. */
  sparsityPenalty(y: Variable): Variable {
    const { target: rho, weight } = this.config.sparsity ?? { target: 0.05, weight: 0 };
    const rhoHat = mean(y, 0);
    return sum(log(div(rho, rhoHat)).mul(rho).add(log(div(1 - rho, rhoHat.rsub(1))).mul(1 - rho))).mul(weight);
  }

  /** λ ‖∂y/∂x̃‖²_F averaged over the batch; for sigmoid units ∂y_j/∂x_i = y_j (1 − y_j) W_ij. */
  contractionPenalty(y: Variable): Variable {
    const columnNorms = sum(square(this.W), 0);
    return mean(sum(square(y.mul(y.rsub(1))).mul(columnNorms), 1)).mul(this.options.contraction);
  }

  objective(x: Variable): Objective {
    const y = this.encode(this.corrupt(x));
    let cost: Variable = mean(this.reconstructionError(x, y));
    const penalised = Boolean(this.config.sparsity?.weight) || this.options.contraction > 0;
    if (this.config.sparsity?.weight) cost = cost.add(this.sparsityPenalty(y));
    if (this.options.contraction > 0) cost = cost.add(this.contractionPenalty(y));
    const name = this.options.loss === 'crossEntropy' ? 'reconstruction cross-entropy' : 'reconstruction squared error';
    return { cost, considerConstant: [], monitor: cost, monitorName: penalised ? `${name} + penalties` : name, updates: [] };
  }

  /** Reconstructions z of clean inputs (no corruption), as pictures of what the code keeps. */
  reconstruct(data: NDArray): NDArray {
    return mapRows((x) => this.decode(this.encode(x)))(data);
  }

  static load(path: string): Autoencoder {
    return loadLayer(path, AUTOENCODER_KIND, (config: AutoencoderConfig) => new Autoencoder(config));
  }
}
