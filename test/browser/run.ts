// The browser test (a step of .ci/run, not of npm test): nabla's browser entry bundled by esbuild for a
// browser (no stubs, no externals) and run in headless Chromium, which must print the same numbers as the
// Node reference backend running the same script (checks.ts): the README's first model on an MNIST slice,
// and the op table's float32 value checks. Then the page in examples/browser must train and draw its
// filters. Run: npx tsx test/browser/run.ts [--screenshot FILE]   (CHROMIUM overrides /usr/bin/chromium)
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { chromium, type Page } from 'playwright-core';
import * as nb from '../../src/index.js';
import { bundlePage } from '../../examples/browser/build.js';
import type { MnistSlice } from '../../examples/browser/first-model.js';
import { runChecks, type Report } from './checks.js';

const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/** test/browser/page.ts as one browser script, refusing any input from outside the repository's sources. */
async function bundleChecks(): Promise<string> {
  const result = await build({
    entryPoints: ['test/browser/page.ts'], bundle: true, platform: 'browser', format: 'iife', write: false,
    metafile: true, logLevel: 'silent',
  });
  const outside = Object.keys(result.metafile.inputs).filter((file) => !/^(src|test|examples)\//.test(file));
  if (outside.length) throw new Error(`the browser bundle takes in ${outside.join(', ')}`);
  return result.outputFiles[0].text;
}

/** Where two reports differ, one line each (none when every number is the same). */
function differences(browser: Report, node: Report): string[] {
  const found: string[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const firstDiff = (a: readonly number[], b: readonly number[]) => a.findIndex((v, i) => !same(v, b[i]));
  browser.firstModel.epochs.forEach((e, i) => {
    if (!same(e, node.firstModel.epochs[i])) found.push(`first model, epoch ${e.epoch}: Chromium ${JSON.stringify(e)}, Node ${JSON.stringify(node.firstModel.epochs[i])}`);
  });
  for (const name of ['W', 'b'] as const) {
    const i = firstDiff(browser.firstModel[name], node.firstModel[name]);
    if (i >= 0) found.push(`first model, ${name}[${i}]: Chromium ${browser.firstModel[name][i]}, Node ${node.firstModel[name][i]}`);
  }
  browser.opTable.forEach((row, r) => {
    const other = node.opTable[r];
    if (row.failed || other.failed) found.push(`op table, ${row.row}: ${row.failed ? `fails in Chromium: ${row.failed}` : ''} ${other.failed ? `fails in Node: ${other.failed}` : ''}`);
    else if (!same(row.values, other.values)) {
      const draw = row.values!.findIndex((v, d) => !same(v, other.values![d]));
      const i = firstDiff(row.values![draw], other.values![draw]);
      found.push(`op table, ${row.row}, draw ${draw + 1}, value ${i}: Chromium ${row.values![draw][i]}, Node ${other.values![draw][i]}`);
    }
  });
  if (browser.opTable.length !== node.opTable.length) found.push(`op table: ${browser.opTable.length} rows in Chromium, ${node.opTable.length} in Node`);
  return found;
}

/** examples/browser bundled and opened from a temporary folder; fails unless it trains and draws. */
async function renderExample(page: Page, screenshot: string | undefined): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-browser-'));
  try {
    await bundlePage(join(dir, 'main.js'));
    copyFileSync('examples/browser/index.html', join(dir, 'index.html'));
    await page.goto(pathToFileURL(join(dir, 'index.html')).href);
    await page.waitForSelector('body[data-done]', { timeout: 120_000 });
    const status = await page.locator('#status').innerText();
    if (await page.getAttribute('body', 'data-done') !== 'true') throw new Error(`examples/browser: ${status}`);
    // Drawn filters have many colours; a blank or failed canvas has one or two.
    const colours = await page.evaluate(() => {
      const canvas = document.getElementById('filters') as HTMLCanvasElement;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      return { count: seen.size, width: canvas.width, height: canvas.height };
    });
    if (colours.count < 100) throw new Error(`examples/browser: the filters canvas (${colours.width}x${colours.height}) has only ${colours.count} colours`);
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    return `${status}; filters ${colours.width}x${colours.height} px, ${colours.count} colours`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const screenshotAt = process.argv.indexOf('--screenshot');
const screenshot = screenshotAt > 0 ? resolve(process.argv[screenshotAt + 1]) : undefined;
const slice = JSON.parse(gunzipSync(readFileSync('test/fixtures/mnist-slice.json.gz')).toString()) as MnistSlice;
const script = await bundleChecks();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
let inBrowser: Report;
let example: string;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 480 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addScriptTag({ content: script });
  const inPage = (s: MnistSlice) => (globalThis as unknown as { runChecks: typeof runChecks }).runChecks(s);
  inBrowser = await page.evaluate(inPage, slice);
  example = await renderExample(page, screenshot);
  if (errors.length) throw new Error(`errors in the page: ${errors.join('; ')}`);
} finally {
  await browser.close();
}
nb.setBackend('reference');
const inNode = runChecks(slice);

const version = browser.version();
console.log(`Chromium ${version} (headless) and Node ${process.version}, each on nabla's reference backend`);
console.log("README's first model, 1,000 MNIST training digits, batch 20, lr 0.13; test error on 500:");
for (const e of inBrowser.firstModel.epochs) {
  console.log(`  epoch ${e.epoch}: cost ${e.cost}, test error ${e.testError}`);
}
const values = inBrowser.opTable.reduce((n, row) => n + (row.values ?? []).reduce((m, v) => m + v.length, 0), 0);
console.log(`op table, float32: ${inBrowser.opTable.length} rows, ${values} values`);
console.log(`examples/browser: ${example}${screenshot ? `; screenshot ${screenshot}` : ''}`);
const found = differences(inBrowser, inNode);
if (found.length) {
  console.error(`Chromium and Node differ in ${found.length} places:\n  ${found.slice(0, 20).join('\n  ')}`);
  process.exit(1);
}
console.log('every number is the same in Chromium and in Node, and every op-table check passes in both');
