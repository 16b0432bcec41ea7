// Bundles the page's script for a browser (nabla's core and the embedded MNIST slice in one file):
//   npx tsx examples/browser/build.ts [OUTFILE]    (default examples/browser/main.js, beside index.html)
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/** Writes the bundle to `outfile`; returns what went into it. */
export async function bundlePage(outfile = join(here, 'main.js')): Promise<Metafile> {
  const result = await build({
    entryPoints: [join(here, 'main.ts')], outfile, bundle: true, platform: 'browser', format: 'iife',
    loader: { '.gz': 'binary' }, metafile: true, logLevel: 'warning',
  });
  return result.metafile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outfile = process.argv[2] ?? join(here, 'main.js');
  await bundlePage(outfile);
  console.log(`wrote ${outfile}; open ${join(dirname(outfile), 'index.html')} in a browser`);
}
