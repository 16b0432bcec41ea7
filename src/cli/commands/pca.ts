// nabla pca --out DIR: principal components of MNIST's training images (or an IDX folder, or a matrix
// file): the codes (CSV, NPY), the model, a scatter of the first two components coloured by label (PNG,
// SVG) and the explained variance per component.
import type { Command } from 'commander';
import { join } from 'node:path';
import { setBackend, type BackendName } from '../../backends/index.js';
import { Pca, type PcaMethod } from '../../models/index.js';
import { measuresSpec, writeChart, writeScatter } from '../../viz/index.js';
import { parsers } from '../recipes/options.js';
import { addInputOptions, addRunOptions, loadEmbeddingInput, naming, writeCodes, type InputOptions } from './embedding-input.js';

interface PcaOptions extends InputOptions {
  out: string;
  components: string;
  whiten?: boolean;
  method: string;
  seed: string;
  backend?: BackendName;
  json?: boolean;
  quiet?: boolean;
}

/** Adds `nabla pca`. */
export function registerPca(program: Command): void {
  const command = program
    .command('pca')
    .description('principal components: codes, explained variance and a scatter plot of the first two components')
    .requiredOption('--out <dir>', 'folder for pca.csv, pca.npy, model.nbm, pca.png, pca.svg and explained-variance.png');
  addInputOptions(command)
    .option('--components <n>', 'components kept', '50')
    .option('--whiten', 'scale each component to unit variance')
    .option('--method <name>', 'auto, exact (eigh of the covariance) or randomized', 'auto')
    .option('--seed <n>', 'seed of the randomized method', '1');
  addRunOptions(command)
    .action(async (options: PcaOptions) => {
      if (options.backend) setBackend(options.backend);
      const components = parsers.positiveInt(options.components, 'components');
      if (!['auto', 'exact', 'randomized'].includes(options.method)) throw new Error(`--method: '${options.method}' is not auto, exact or randomized`);
      const seed = parsers.seed(options.seed, 'seed');
      const input = loadEmbeddingInput(options);
      const started = performance.now();
      const pca = new Pca({ components, whiten: options.whiten, method: options.method as PcaMethod, seed });
      const codes = naming(input, () => pca.fitTransform(input.x));
      const seconds = (performance.now() - started) / 1000;
      const { csv, npy } = writeCodes(options.out, 'pca', codes, input.labels);
      const model = join(options.out, 'model.nbm');
      pca.save(model);
      const [n, d] = input.x.shape;
      const ratio = Array.from(pca.explainedVarianceRatio!.data);
      const pictures: string[] = [];
      if (codes.shape[1] >= 2) {
        const two = new Float64Array(2 * n);
        for (let i = 0; i < n; i++) {
          two[2 * i] = codes.data[i * components];
          two[2 * i + 1] = codes.data[i * components + 1];
        }
        const title = `PCA of ${n.toLocaleString('en-US')} points`;
        const axes = { xLabel: `component 1 (${(100 * ratio[0]).toFixed(1)}% of the variance)`, yLabel: 'component 2' };
        const files = writeScatter(join(options.out, 'pca'), two, input.labels, { title, ...axes });
        pictures.push(files.png, files.svg);
      }
      let cumulative = 0;
      const byComponent = ratio.map((r, i) => ({
        epoch: i + 1, iteration: i + 1, seconds: 0, ratio: r, cumulative: (cumulative += r),
      }));
      const variance = measuresSpec(byComponent, { ratio: 'explained variance ratio', cumulative: 'cumulative' }, {
        title: 'PCA: variance per component', xTitle: 'component', percent: true,
      });
      pictures.push((await writeChart(join(options.out, 'explained-variance'), variance)).png);
      const summary = {
        dataset: input.name, points: n, dimensions: d, components: ratio.length, method: pca.meta.method,
        whiten: Boolean(options.whiten),
        seconds: Number(seconds.toFixed(3)), codes_csv: csv, codes_npy: npy, model, pictures,
        explained_variance_ratio: ratio.map((r) => Number(r.toPrecision(6))),
      };
      if (options.json) {
        console.log(JSON.stringify(summary));
        return;
      }
      const kept = ratio.reduce((a, b) => a + b, 0);
      console.log(`pca: ${n} points of ${d} values, ${ratio.length} components (${pca.meta.method}) keep ${(100 * kept).toFixed(2)}% of the variance in ${seconds.toFixed(2)} s`);
      console.log(`  first components: ${ratio.slice(0, 5).map((r) => `${(100 * r).toFixed(2)}%`).join(', ')}`);
      console.log(`  wrote ${csv}, ${npy}, ${model}, ${pictures.join(', ')}`);
    });
}
