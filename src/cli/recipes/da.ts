// `nabla train da`: the tutorial's denoising autoencoder (chapter 7): 500 sigmoid hidden units, tied
// weights, corruption 0.3, cross-entropy, lr 0.1, minibatches of 20, 15 epochs; its figures are the
// filters with 30% corruption and without (--corruption 0). Sparse (--sparsity-target/--sparsity-weight),
// contractive (--contraction), squared-error and Gaussian-noise variants are options.
import { Autoencoder, type ReconstructionLoss } from '../../models/autoencoder.js';
import { parsers } from './options.js';
import { consecutiveRows, writeReconstructions } from './unsupervised-pictures.js';
import { unsupervisedRecipe } from './unsupervised-recipe.js';

interface DaOptions {
  corruption: number;
  gaussianNoise: number;
  loss: ReconstructionLoss;
  sparsityTarget: number;
  sparsityWeight: number;
  contraction: number;
}

export const daRecipe = unsupervisedRecipe<DaOptions>({
  name: 'da',
  description: 'denoising autoencoder (tutorial chapter 7): filters with and without corruption; sparse and contractive variants',
  modelOptions: [
    { flag: 'corruption', value: '<level>', description: 'fraction of the inputs zeroed at random (0: a plain autoencoder)', default: 0.3, parse: parsers.nonNegative },
    { flag: 'gaussian-noise', value: '<std>', description: 'standard deviation of Gaussian noise added to the inputs', default: 0, parse: parsers.nonNegative },
    { flag: 'loss', value: '<name>', description: 'reconstruction loss: crossEntropy or squaredError', default: 'crossEntropy', parse: parsers.choice(['crossEntropy', 'squaredError'] as const) },
    { flag: 'sparsity-target', value: '<rho>', description: 'sparse autoencoder: target mean activation of each hidden unit', default: 0.05, parse: parsers.positive },
    { flag: 'sparsity-weight', value: '<beta>', description: 'sparse autoencoder: weight of the KL penalty (0: off)', default: 0, parse: parsers.nonNegative },
    { flag: 'contraction', value: '<lambda>', description: "contractive autoencoder: weight of the encoder Jacobian's squared norm (0: off)", default: 0, parse: parsers.nonNegative },
  ],
  build: (o, inputs) =>
    new Autoencoder({
      visible: inputs, hidden: o.hidden, corruption: o.corruption, gaussianNoise: o.gaussianNoise,
      loss: o.loss, contraction: o.contraction, seed: o.seed,
      sparsity: o.sparsityWeight > 0 ? { target: o.sparsityTarget, weight: o.sparsityWeight } : undefined,
    }),
  pictures: (layer, out, data, o) => {
    const digits = consecutiveRows(data.test.x, 20, o.seed);
    return {
      reconstructions: writeReconstructions(out, digits, (layer as Autoencoder).reconstruct(digits), data.imageShape),
    };
  },
});
