// PCA of MNIST's 60,000 training images against an independent NumPy computation: writes nabla's top 50
// eigenvalues and components to DIR (default /tmp/nabla-pca-check), then runs scripts/pca_numpy_check.py
// (np.cov and np.linalg.eigh on the same float32 pixels) with Debian's python3, which compares them.
//   npx tsx scripts/pca-numpy-check.ts [DIR]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as nb from '../src/index.js';
import { loadMnist, writeNpy } from '../src/data/index.js';

const dir = process.argv[2] ?? '/tmp/nabla-pca-check';
const x = loadMnist({ validationSize: 0, limit: { valid: 0, test: 0 } }).train.x;
const started = process.cpuUsage();
const pca = new nb.Pca({ components: 50 }).fit(x);
const { user, system } = process.cpuUsage(started);
console.log(`nabla: PCA (${pca.meta.method}) of ${x.shape[0]}×${x.shape[1]} in ${((user + system) / 1e6).toFixed(2)} s of CPU`);
writeNpy(join(dir, 'values.npy'), pca.explainedVariance!);
writeNpy(join(dir, 'components.npy'), pca.components!);
const check = spawnSync('/usr/bin/python3', [join(import.meta.dirname, 'pca_numpy_check.py'), dir], { stdio: 'inherit' });
process.exitCode = check.status ?? 1;
