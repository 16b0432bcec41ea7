import * as nb from '../src/index.js';
import { loadMnist, writeNpy } from '../src/data/index.js';
const x = loadMnist({ validationSize: 0, limit: { valid: 0, test: 0 } }).train.x;
const t = process.cpuUsage(); const w = performance.now();
const pca = new nb.Pca({ components: 50 }).fit(x);
const u = process.cpuUsage(t);
console.log(JSON.stringify({ n: x.shape[0], method: pca.meta.method, cpu_s: (u.user + u.system) / 1e6, wall_s: (performance.now() - w) / 1000 }));
writeNpy('/tmp/pca-check/values.npy', pca.explainedVariance!);
writeNpy('/tmp/pca-check/components.npy', pca.components!);
