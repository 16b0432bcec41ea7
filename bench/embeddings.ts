// The BENCH.md workloads of PCA and t-SNE: pca_fit (all components of the 60,000 training images, float32
// as the peers) and tsne_2000 / tsne_10000 (PCA to 50, perplexity 30, 1,000 iterations; extra: the final
// KL divergence and the leave-one-out 10-NN accuracy of the map). Each call runs for seconds, so one call
// is a repetition; pca_fit is warmed up by one call, t-SNE by none (a run of 1,000 iterations warms itself:
// V8 has compiled its loops within the first few).
import * as nb from '../src/index.js';
import { loadMnist } from '../src/data/index.js';
import type { Workload } from './workloads.js';

const LONG = { warmup: 1, warmupMs: 0, minRepMs: 0 };
const SELF_WARMING = { warmup: 0, warmupMs: 0, minRepMs: 0 };

/** The official training images (all 60,000), loaded once. */
let training: { x: nb.NDArray; y: nb.NDArray } | undefined;
const trainingImages = () => (training ??= loadMnist({ validationSize: 0, limit: { valid: 0, test: 0 } }).train);

function tsne(n: number): Workload {
  return {
    unit: 's',
    timing: SELF_WARMING,
    setup() {
      const { x, y } = trainingImages();
      const first = new nb.NDArray('float32', [n, 784], x.data.subarray(0, n * 784));
      const labels = y.data.subarray(0, n);
      let last = { kl: NaN, knn_accuracy: NaN };
      return {
        step: () => {
          const model = new nb.Tsne({ perplexity: 30, iterations: 1000, pcaComponents: 50, seed: 1 });
          const map = model.fitTransform(first);
          last = { kl: model.klDivergence!, knn_accuracy: nb.knnAccuracy(map, labels) };
        },
        extra: () => last,
      };
    },
  };
}

export const embeddingWorkloads: Record<string, Workload> = {
  pca_fit: {
    unit: 's',
    timing: LONG,
    setup() {
      const { x } = trainingImages();
      let ratio = new Float32Array(0) as ArrayLike<number>;
      return {
        step: () => void (ratio = new nb.Pca({ method: 'exact', dtype: 'float32' }).fit(x).explainedVarianceRatio!.data),
        extra: () => ({ variance_top50: Array.from(ratio).slice(0, 50).reduce((a, b) => a + b, 0) }),
      };
    },
  },
  tsne_2000: tsne(2000),
  tsne_10000: tsne(10000),
};
