#!/usr/bin/env node
// npm's install step for nabla as a dependency: builds the native addon (binding.gyp, native/) from source
// with node-gyp where a C++ compiler and OpenBLAS are present. It never fails the install: without the addon
// nabla runs on its reference backend (about 50 times slower) and says so, naming the command that builds it
// (`npm rebuild nabla` in the project). The compiler's output goes to addon-build.log in the package.
// In a clone of the repository it does nothing: scripts/setup-native.sh (npm run build:native) installs
// OpenBLAS and the toolchain, then builds the addon.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const OPENBLAS = '/usr/lib/x86_64-linux-gnu/openblas-openmp';
const PACKAGES = 'g++ make python3 libopenblas-openmp-dev';

/** Why the addon cannot be built here, or undefined when it can be tried. */
function missingPrerequisite() {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `the addon is built for Linux on x86-64, not ${process.platform} ${process.arch}`;
  if (!existsSync(join(OPENBLAS, 'libopenblas.so'))) return `no OpenMP OpenBLAS in ${OPENBLAS} (Debian/Ubuntu: apt-get install ${PACKAGES})`;
  for (const tool of ['g++', 'make', 'python3']) {
    if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0) return `no ${tool} on PATH (Debian/Ubuntu: apt-get install ${PACKAGES})`;
  }
  return undefined;
}

/** node-gyp's script: npm's own copy, which npm names to install scripts, else one installed beside nabla. */
function nodeGyp() {
  if (process.env.npm_config_node_gyp) return process.env.npm_config_node_gyp;
  try {
    return createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    return undefined;
  }
}

function build() {
  if (existsSync(join(root, 'src', 'index.ts'))) {
    console.log('nabla: a clone of the repository; scripts/setup-native.sh (npm run build:native) builds the addon');
    return;
  }
  if (process.env.NABLA_SKIP_ADDON) {
    console.log('nabla: NABLA_SKIP_ADDON is set; the native addon is not built');
    return;
  }
  const missing = missingPrerequisite();
  const gyp = nodeGyp();
  if (missing || !gyp) {
    console.log(`nabla: native addon not built (${missing ?? 'node-gyp not found'}); nabla will use its reference backend. ` +
      'Once that is fixed, "npm rebuild nabla" builds it.');
    return;
  }
  // Beside build/, which node-gyp's rebuild deletes first.
  const logPath = join(root, 'addon-build.log');
  const log = openSync(logPath, 'w');
  const started = Date.now();
  const run = spawnSync(process.execPath, [gyp, 'rebuild', '--jobs', 'max'], { cwd: root, stdio: ['ignore', log, log] });
  closeSync(log);
  if (run.status === 0) {
    // The object files are only needed to build again; the three .node files are what nabla loads.
    for (const dir of ['obj.target', '.deps']) rmSync(join(root, 'build', 'Release', dir), { recursive: true, force: true });
    console.log(`nabla: native addon built in ${((Date.now() - started) / 1000).toFixed(0)} s (${join(root, 'build', 'Release')})`);
  } else {
    console.log(`nabla: building the native addon failed (see ${logPath}); nabla will use its reference backend. ` +
      'Once that is fixed, "npm rebuild nabla" builds it.');
  }
}

try {
  build();
} catch (e) {
  console.log(`nabla: native addon not built (${e.message}); "npm rebuild nabla" tries again`);
}
