// The dashboard in a real browser (CI, not npm test): one short MLP run finishes, a second one trains while
// `nabla dashboard` serves their folder, and headless Chromium opens the page. It checks that the runs are
// listed, that the live run's curve gains points while it trains, that its pictures appear when it ends,
// that a change of x axis while it trains draws every line once at the new x (the server sends the points
// for it), that the page asks nothing of any other address and throws nothing, and that Ctrl-C stops the
// server with 0.
// It saves a screenshot of the page to docs/images/dashboard.png.
// Run: npx tsx scripts/ci-dashboard.ts
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'nabla.js');
const SCREENSHOT = join(ROOT, 'docs', 'images', 'dashboard.png');
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];
const ENV = { ...process.env, OMP_NUM_THREADS: '1' };
const MLP = ['train', 'mlp', '--limit', '10000,2000,2000', '--hidden', '200', '--quiet'];
const LIVE = 'mlp-lr0.1';
const DONE = 'mlp-lr0.01';

function fail(message: string): never {
  throw new Error(`ci-dashboard: ${message}`);
}

/** Waits until `probe` gives a value that is not undefined, or fails after `seconds`. */
async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, seconds = 60): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) fail(`${what}: not within ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(args: string[], cwd = ROOT): Started {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/**
 * The live run's points in the chart of valid_error: in its data, and as vertices of its drawn line (the path
 * stroked in its colour). The page's `state` is a top-level binding of its script, reached by an expression
 * evaluated in the page's own scope.
 */
function livePoints(page: Page): Promise<{ data: number; drawn: number } | null> {
  return page.evaluate(`(() => {
    const run = ${JSON.stringify(LIVE)};
    const chart = state.charts.find((c) => c.measure === 'valid_error');
    if (!chart) return null;
    const colour = chart.view.scale('color')(run);
    const paths = [...document.querySelectorAll('.chart-card[data-measure="valid_error"] g.mark-line path')]
      .filter((p) => p.getAttribute('stroke') === colour);
    return {
      data: chart.view.data(chart.dataset).filter((p) => p.run === run).length,
      drawn: Math.max(0, ...paths.map((p) => (p.getAttribute('d')?.match(/[ML]/g) ?? []).length)),
    };
  })()`);
}

/** The x values of the live run's points in the chart of valid_error, in the order of its data. */
function liveXs(page: Page): Promise<number[] | null> {
  return page.evaluate(`(() => {
    const chart = state.charts.find((c) => c.measure === 'valid_error');
    return chart ? chart.view.data(chart.dataset).filter((p) => p.run === ${JSON.stringify(LIVE)}).map((p) => p.x) : null;
  })()`);
}

/** The epoch or iteration of each line of a metrics file. */
const column = (metrics: string, x: 'epoch' | 'iteration') =>
  readFileSync(metrics, 'utf8').trim().split('\n').map((line) => JSON.parse(line)[x] as number);

/** Waits until the live curve has one point at each line's x (its epoch or iteration), in the lines' order. */
async function drawnBy(page: Page, x: 'epoch' | 'iteration', metrics: string) {
  await until(`the live curve by ${x}`, async () => {
    const xs = await liveXs(page);
    const wanted = column(metrics, x);
    return xs && xs.length === wanted.length && xs.every((v, i) => v === wanted[i]) ? true : undefined;
  });
}

const base = mkdtempSync(join(tmpdir(), 'nabla-ci-dashboard-'));
const runs = join(base, 'runs');
const cleanUp: (() => void)[] = [() => rmSync(base, { recursive: true, force: true })];
try {
  // Run from the temporary folder, so that the commands on the page read as a user's: --out runs/NAME.
  const firstRun = [BIN, ...MLP, '--epochs', '5', '--lr', '0.01', '--out', `runs/${DONE}`];
  const done = spawnSync(process.execPath, firstRun, { cwd: base, env: ENV, encoding: 'utf8' });
  if (done.status !== 0) fail(`the first run failed: ${done.stderr}`);
  const live = start([...MLP, '--epochs', '15', '--lr', '0.1', '--out', `runs/${LIVE}`], base);
  cleanUp.unshift(() => live.child.kill());
  const dashboard = start(['dashboard', 'runs', '--port', '0'], base);
  cleanUp.unshift(() => dashboard.child.kill());
  const url = await until('the dashboard address', () => dashboard.output().match(/http:\/\/127\.0\.0\.1:\d+\//)?.[0], 30);
  console.log(`ci-dashboard: ${url}`);

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  cleanUp.unshift(() => void browser.close());
  const page = await browser.newPage({ viewport: { width: 1440, height: 1420 } });
  const elsewhere: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(url) && !r.url().startsWith('data:')) elsewhere.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${url}#run=${LIVE}&run=${DONE}`);
  await page.waitForSelector(`li.run[data-run="${LIVE}"]`, { timeout: 30_000 });
  await page.waitForSelector(`li.run[data-run="${DONE}"]`, { timeout: 30_000 });

  // The curve gains points while the run trains: two counts taken while its process still runs.
  const first = await until('a first point of the live run', async () => {
    const points = await livePoints(page);
    return points && points.data > 0 ? points : undefined;
  });
  if (live.child.exitCode !== null) fail('the live run ended before its first point was seen; make it longer');
  const later = await until('more points of the live run', async () => {
    const points = await livePoints(page);
    return points && points.data > first.data && points.drawn > first.drawn ? points : undefined;
  });
  const grew = `${first.data} to ${later.data} points (${first.drawn} to ${later.drawn} drawn)`;
  console.log(`ci-dashboard: the live curve grew from ${grew} while the run trained`);
  // By iteration from here, while it still trains: the page opens its streams again for the new x.
  const metrics = join(runs, LIVE, 'metrics.jsonl');
  const switchedWhileTraining = live.child.exitCode === null;
  await page.selectOption('#controls select[name="x"]', 'iteration');
  // Until the run ends, the curve is by epoch (the old charts) or by iteration, never both: the new charts
  // get no point made for the old x (epochs 1 to 15 are no iteration of the run).
  while (live.child.exitCode === null) {
    const xs = await liveXs(page) ?? [];
    const iterations = new Set(column(metrics, 'iteration'));
    if (xs.some((x) => iterations.has(x)) && xs.some((x) => !iterations.has(x))) fail(`a curve of both x axes: ${xs}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if ((await live.exited) !== 0) fail(`the live run failed: ${live.output()}`);
  await drawnBy(page, 'iteration', metrics);
  const during = switchedWhileTraining ? 'while it trained' : 'after it ended (it ended early)';
  console.log(`ci-dashboard: by iteration (chosen ${during}), each line of the live run is drawn once, at its iteration`);
  await page.selectOption('#controls select[name="x"]', 'epoch');
  await drawnBy(page, 'epoch', metrics);

  // At the end: every line on the curve, and the run's pictures on the page.
  const lines = readFileSync(metrics, 'utf8').trim().split('\n').length;
  await until(`all ${lines} lines on the curve`, async () => ((await livePoints(page))?.data === lines ? true : undefined));
  // The filters and the confusion matrix are written when the run ends.
  const pictures = `article[data-run="${LIVE}"] .picture img:is([alt^="filters."], [alt^="confusion."])`;
  await until('the live run\'s filters and confusion matrix', async () => {
    const shown = (images: Element[]) => images.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length;
    return (await page.$$eval(pictures, shown)) === 2 ? true : undefined;
  });
  await page.waitForTimeout(500);
  await page.screenshot({ path: SCREENSHOT });
  console.log(`ci-dashboard: ${lines} lines drawn, pictures shown; screenshot in docs/images/dashboard.png`);
  if (elsewhere.length) fail(`the page asked other addresses: ${elsewhere.join(', ')}`);
  if (errors.length) fail(`the page reported errors: ${errors.join(' | ')}`);

  await browser.close();
  dashboard.child.kill('SIGINT');
  const code = await Promise.race([dashboard.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 5000))]);
  if (code !== 0) fail(`Ctrl-C left the dashboard with ${code}: ${dashboard.output()}`);
  console.log('ci-dashboard: ok');
} finally {
  for (const step of cleanUp) step();
}
