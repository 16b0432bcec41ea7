// Draws docs/images/rbm-pseudo-likelihood.svg and .png: the RBM tutorial's pseudo-likelihood per epoch as
// published and as `nabla train rbm` measured it in two sessions (the figures of docs/results.md's RBM table).
// Run: npx tsx scripts/rbm-curve.ts
import { curveSpec, writeChart } from '../src/viz/index.js';

const RUNS: Record<string, number[]> = {
  'published (Theano)': [-90.65, -81.24, -74.91, -73.02, -68.41, -63.27, -65.99, -68.12, -68.32, -64.29, -61.52, -61.65, -63.55, -63.38, -62.76],
  'nabla, session 1': [-90.55, -80.71, -74.24, -73.18, -68.94, -63.70, -65.71, -67.61, -68.32, -65.00, -60.75, -61.39, -63.38, -62.72, -62.26],
  'nabla, session 2 kernels': [-90.23, -80.46, -74.88, -72.46, -67.86, -63.17, -65.20, -68.00, -68.24, -64.64, -60.98, -61.45, -63.60, -62.27, -62.40],
};

const runs = Object.entries(RUNS).map(([name, values]) => ({
  name, rows: values.map((pseudo_likelihood, i) => ({ epoch: i + 1, iteration: 0, seconds: 0, pseudo_likelihood })),
}));
const spec = curveSpec(runs, 'pseudo_likelihood', { title: 'RBM (PCD-15, 500 hidden units): pseudo-likelihood per epoch' });
const files = await writeChart('docs/images/rbm-pseudo-likelihood', spec);
console.log(`${files.svg}\n${files.png}`);
