// nabla tsne --out DIR: a t-SNE map of MNIST's training images (the first 10,000 by default), an IDX
// folder or a matrix file: the map (CSV, NPY), a scatter coloured by label (PNG, SVG), the KL divergence
// along the way and at the end, and, with labels, the leave-one-out 10-nearest-neighbour accuracy of the map.
import type { Command } from 'commander';
import { join } from 'node:path';
import { setBackend, type BackendName } from '../../backends/index.js';
import { knnAccuracy, Tsne, type TsneMethod } from '../../models/index.js';
import { pretrainProgressBar } from '../../train/pretrain-progress.js';
import { writeScatter } from '../../viz/index.js';
import { parsers } from '../recipes/options.js';
import { addInputOptions, addRunOptions, loadEmbeddingInput, naming, writeCodes, type InputOptions } from './embedding-input.js';

interface TsneOptions extends InputOptions {
  out: string;
  perplexity: string;
  iterations: string;
  learningRate: string;
  exaggeration: string;
  theta: string;
  method: string;
  pca: string;
  init: string;
  seed: string;
  thumbnails?: boolean;
  backend?: BackendName;
  json?: boolean;
  quiet?: boolean;
}

const MNIST_DEFAULT_LIMIT = 10000;

/** Adds `nabla tsne`. */
export function registerTsne(program: Command): void {
  const command = program
    .command('tsne')
    .description('t-SNE map: 2-D coordinates, a scatter plot coloured by label, KL divergence and 10-NN accuracy of the map')
    .requiredOption('--out <dir>', 'folder for tsne.csv, tsne.npy, tsne.png and tsne.svg');
  addInputOptions(command, ' (MNIST or a folder: 10,000 by default)')
    .option('--perplexity <p>', 'effective number of neighbours of each point', '30')
    .option('--iterations <n>', 'gradient steps', '1000')
    .option('--learning-rate <r>', "step size, or 'auto' (max(N / 48, 50))", 'auto')
    .option('--exaggeration <a>', 'early exaggeration of P over the first 250 steps', '12')
    .option('--theta <t>', 'Barnes-Hut accuracy (0.5; smaller is slower and closer to exact)', '0.5')
    .option('--method <name>', 'auto (exact up to 1,000 points), exact or barnes-hut', 'auto')
    .option('--pca <k>', 'reduce to K principal components first when the data has more columns (0: never)', '50')
    .option('--init <how>', 'pca or random', 'pca')
    .option('--seed <n>', 'seed of a random start', '1')
    .option('--thumbnails', 'with images: also tsne-thumbnails.png, small pictures of the digits at their places');
  addRunOptions(command, ' (for PCA and the neighbour search)')
    .action((options: TsneOptions) => {
      if (options.backend) setBackend(options.backend);
      if (!['auto', 'exact', 'barnes-hut'].includes(options.method)) throw new Error(`--method: '${options.method}' is not auto, exact or barnes-hut`);
      if (!['pca', 'random'].includes(options.init)) throw new Error(`--init: '${options.init}' is not pca or random`);
      const tsne = new Tsne({
        perplexity: parsers.positive(options.perplexity, 'perplexity'),
        iterations: parsers.positiveInt(options.iterations, 'iterations'),
        learningRate: options.learningRate === 'auto' ? 'auto' : parsers.positive(options.learningRate, 'learning-rate'),
        earlyExaggeration: parsers.positive(options.exaggeration, 'exaggeration'),
        theta: parsers.nonNegative(options.theta, 'theta'),
        method: options.method as TsneMethod,
        pcaComponents: parsers.nonNegativeInt(options.pca, 'pca'),
        init: options.init as 'pca' | 'random',
        seed: parsers.seed(options.seed, 'seed'),
      });
      const fromImages = options.dataset === 'mnist' || !/\.(csv|npy|txt)$/i.test(options.dataset);
      const input = loadEmbeddingInput(options, fromImages ? MNIST_DEFAULT_LIMIT : undefined);
      const [n, d] = input.x.shape;
      const quiet = options.quiet || options.json;
      const bar = pretrainProgressBar(quiet);
      const log = (line: string) => void (quiet || process.stderr.write(`${line}\n`));
      const started = performance.now();
      const elapsed = () => (performance.now() - started) / 1000;
      bar?.epochStart(`tsne ${n} points`, tsne.config.iterations);
      const map = naming(input, () => tsne.fitTransform(input.x, {
        onIteration: ({ iteration, iterations, kl }) => {
          if (kl !== undefined) bar?.step(iteration, kl);
          if (kl !== undefined && !bar && (iteration % 250 === 0 || iteration === iterations)) {
            const exaggerated = iteration <= tsne.config.exaggerationIterations ? ' (P exaggerated)' : '';
            log(`tsne: iteration ${iteration}/${iterations}, KL ${kl.toFixed(4)}${exaggerated}, ${elapsed().toFixed(1)} s`);
          }
        },
      }));
      bar?.epochEnd();
      const seconds = elapsed();
      const { csv, npy } = writeCodes(options.out, 'tsne', map, input.labels);
      const accuracy = input.labels ? knnAccuracy(map, input.labels, 10) : undefined;
      const title = `t-SNE of ${n.toLocaleString('en-US')} points (perplexity ${tsne.config.perplexity})`;
      const files = writeScatter(join(options.out, 'tsne'), map.data, input.labels, { title });
      const pictures = [files.png, files.svg];
      if (options.thumbnails) {
        if (!input.imageShape) throw new Error(`--thumbnails: ${input.name} holds no images (it is a matrix file)`);
        const thumbnails = { images: input.x.data, shape: input.imageShape, size: 20 };
        pictures.push(writeScatter(join(options.out, 'tsne-thumbnails'), map.data, input.labels, { title, size: 1000, pointSize: 2, thumbnails }).png);
      }
      const summary = {
        dataset: input.name, points: n, dimensions: d, method: tsne.meta.method, perplexity: tsne.config.perplexity,
        iterations: tsne.config.iterations, learning_rate: tsne.meta.learningRate, seconds: Number(seconds.toFixed(3)),
        kl_history: tsne.klHistory.map((h) => ({ iteration: h.iteration, kl: Number(h.kl.toFixed(6)) })),
        map_csv: csv, map_npy: npy, pictures,
        kl_divergence: Number(tsne.klDivergence!.toFixed(6)),
        ...(accuracy !== undefined && { knn_accuracy: Number(accuracy.toFixed(6)) }),
      };
      if (options.json) {
        console.log(JSON.stringify(summary));
        return;
      }
      const score = accuracy === undefined ? '' : `, 10-NN accuracy of the map ${(100 * accuracy).toFixed(2)}%`;
      console.log(`tsne: ${n} points of ${d} values (${tsne.meta.method}), KL ${tsne.klDivergence!.toFixed(4)}${score}, ${seconds.toFixed(1)} s`);
      console.log(`  wrote ${csv}, ${npy}, ${pictures.join(', ')}`);
    });
}
