// Stacked denoising autoencoders (Deep Learning Tutorial, ch. 8; Vincent et al. 2008): a deep
// sigmoid network whose layers are pre-trained, greedily, as denoising autoencoders, each one on the
// codes of the layer below, then fine-tuned with a logistic layer on top. Published on MNIST with
// three layers of 1000 units, corruption 0.1, 0.2, 0.3: 1.3% test error (1.39% validation).
import { Classifier } from './classifier.js';
import { DeepNetwork, type DeepNetworkConfig } from './deep-network.js';
import type { ModelFile } from './model-store.js';

export type StackedAutoencoderConfig = DeepNetworkConfig & { pretraining: 'autoencoder' };

/**
 * An SdA: pre-train with pretrainNetwork (train/pretrain.ts), fine-tune with fit.
 * @example const sda = new StackedAutoencoder({ imageShape: [28, 28], classes: 10, hidden: [1000, 1000, 1000],
 *   pretraining: 'autoencoder', corruption: [0.1, 0.2, 0.3], k: 1 });
 */
export class StackedAutoencoder extends DeepNetwork<StackedAutoencoderConfig> {
  override readonly kind = 'sda';

  static override fromModelFile(file: ModelFile, path: string): StackedAutoencoder {
    const config = DeepNetwork.readConfig(file, path);
    if (config.pretraining !== 'autoencoder') throw new Error(`${path}: an sda model is pre-trained by autoencoders, not ${config.pretraining}`);
    return new StackedAutoencoder({ ...config, pretraining: 'autoencoder' }).restore(path, file.tensors);
  }

  /** A saved sda model. @example const model = StackedAutoencoder.load('runs/sda/model.nbm'); */
  static override load(path: string): StackedAutoencoder {
    return Classifier.loadAs(path, 'sda', StackedAutoencoder.fromModelFile);
  }
}
