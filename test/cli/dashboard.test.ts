// nabla dashboard: the server answers on 127.0.0.1 only, lists the run folders and serves their metrics,
// receipts, pictures and charts as they are on disk, follows a metrics file as it grows (with the points of
// each line made by the curve spec), refuses every path that leads out of the runs folder without opening
// anything there, never writes, and stops on Ctrl-C.
import { after, before, test, mock } from 'node:test';
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import {
  appendFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:net';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startDashboard, type Dashboard } from '../../src/cli/dashboard/server.js';
import { curvePoints, type CurvePoint } from '../../src/viz/curve-spec.js';
import { startNabla } from './fixtures.js';

const SECRET = `outside-the-runs-${process.pid}-${Date.now()}`;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('a picture')]);
const ROWS = [
  { epoch: 1, iteration: 100, train_cost: 0.9, valid_error: 0.2, seconds: 1.5 },
  { epoch: 2, iteration: 200, train_cost: 0.5, valid_error: 0.12, seconds: 3.1 },
];
const RECEIPT = {
  command: ['train', 'mlp', '--epochs', '2'], options: { epochs: 2, lr: 0.01 }, seed: 1234, status: 'finished',
  started: '2026-12-03T18:00:00.000Z', ended: '2026-12-03T18:00:04.000Z', summary: { test_error: 0.125 },
};

let base: string;
let dir: string;
let dashboard: Dashboard;
let port: number;

const jsonl = (rows: readonly object[]) => rows.map((r) => `${JSON.stringify(r)}\n`).join('');

before(async () => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'nabla-dashboard-')));
  dir = join(base, 'runs');
  mkdirSync(join(dir, 'mlp'), { recursive: true });
  mkdirSync(join(dir, 'sweep', 'lr-0.1'), { recursive: true });
  mkdirSync(join(dir, 'not-a-run'));
  writeFileSync(join(base, 'secret.png'), SECRET);
  writeFileSync(join(base, 'secret.txt'), SECRET);
  writeFileSync(join(dir, 'mlp', 'metrics.jsonl'), jsonl(ROWS));
  writeFileSync(join(dir, 'mlp', 'run.json'), JSON.stringify(RECEIPT));
  writeFileSync(join(dir, 'mlp', 'filters.png'), PNG);
  writeFileSync(join(dir, 'mlp', 'model.nbm'), 'not served');
  writeFileSync(join(dir, 'mlp', 'notes.html'), '<script>not served either</script>');
  const first = { epoch: 1, iteration: 5, seconds: 0.5, stage: 'pretrain-1', cost: 70 };
  writeFileSync(join(dir, 'sweep', 'lr-0.1', 'metrics.jsonl'), jsonl([first]));
  symlinkSync(join(base, 'secret.png'), join(dir, 'mlp', 'link.png'));
  symlinkSync(base, join(dir, 'linked-folder'));
  dashboard = await startDashboard({ dir, port: 0, pollMs: 40 });
  port = (dashboard.server.address() as { port: number }).port;
});

after(async () => {
  await dashboard.close();
  rmSync(base, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A request sent exactly as written (no URL parsing folds '..' away), always to 127.0.0.1. */
function get(path: string, options: { method?: string; host?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { host: options.host ?? `127.0.0.1:${port}` };
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Chart {
  key: string; stage: string | null; measure: string; dataset: string;
  vega: { data: { name: string; values?: unknown[] }[]; axes: { scale: string; format?: string }[] };
}
/** What the event stream sends of metrics lines. */
interface LinesUpdate {
  rows: object[];
  points: Record<string, CurvePoint[]>[];
  percent: string[];
}

const getJson = async (path: string) => {
  const answer = await get(path);
  assert.equal(answer.status, 200, `${path}: ${answer.body}`);
  return JSON.parse(answer.body.toString()) as unknown;
};

/** The paths `open` from node:fs/promises opens while `work` runs (the server opens every file that way). */
async function opened(work: () => Promise<void>): Promise<string[]> {
  const paths: string[] = [];
  const original = fsp.open;
  mock.method(fsp, 'open', (...args: Parameters<typeof fsp.open>) => {
    paths.push(String(args[0]));
    return original(...args);
  });
  syncBuiltinESMExports();
  try {
    await work();
  } finally {
    mock.restoreAll();
    syncBuiltinESMExports();
  }
  return paths;
}

/** Server-sent events of one stream, read as they come. */
function subscribe(path: string) {
  const events: { name: string; data: unknown }[] = [];
  const waiting: (() => void)[] = [];
  let text = '';
  const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}` } }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      text += chunk;
      let end;
      while ((end = text.indexOf('\n\n')) >= 0) {
        const block = text.slice(0, end);
        text = text.slice(end + 2);
        const name = block.match(/^event: (.*)$/m)?.[1];
        const data = block.match(/^data: (.*)$/m)?.[1];
        if (name && data !== undefined) events.push({ name, data: JSON.parse(data) });
      }
      waiting.splice(0).forEach((wake) => wake());
    });
  });
  req.on('error', () => {});
  req.end();
  /** The next event called `name` after those already taken. */
  let taken = 0;
  const next = async (name: string, timeoutMs = 5000): Promise<unknown> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = events.findIndex((e, k) => k >= taken && e.name === name);
      if (i >= 0) {
        taken = i + 1;
        return events[i].data;
      }
      if (Date.now() > deadline) throw new Error(`no '${name}' event within ${timeoutMs} ms; got ${events.map((e) => e.name)}`);
      await new Promise<void>((wake) => {
        waiting.push(wake);
        setTimeout(wake, 100);
      });
    }
  };
  return { next, close: () => req.destroy() };
}

test('the server listens on 127.0.0.1 only, and answers only to requests addressed to this machine', async () => {
  const address = dashboard.server.address();
  assert.ok(address && typeof address === 'object');
  assert.equal(address.address, '127.0.0.1');
  assert.equal(address.family, 'IPv4');
  assert.equal(dashboard.url, `http://127.0.0.1:${port}/`);
  // A page elsewhere that rebinds its name to 127.0.0.1 sends its own name as the host.
  assert.equal((await get('/api/runs', { host: `attacker.example:${port}` })).status, 403);
  assert.equal((await get('/api/runs', { host: `localhost:${port}` })).status, 200);
});

test('the run list holds the folders with metrics.jsonl or run.json, nested too, and no symlinked folder', async () => {
  const answer = await getJson('/api/runs') as { runs: { id: string; name: string; status?: string; command?: string[] }[] };
  assert.deepEqual(answer.runs.map((r) => r.id).sort(), ['mlp', 'sweep/lr-0.1']);
  const mlp = answer.runs.find((r) => r.id === 'mlp')!;
  assert.equal(mlp.status, 'finished');
  assert.deepEqual(mlp.command, RECEIPT.command);
});

test('a run\'s metrics, receipt, pictures and charts are what is on disk', async () => {
  assert.deepEqual(await getJson('/api/metrics?run=mlp'), ROWS);
  const run = await getJson('/api/run?run=mlp') as { receipt: unknown; pictures: { name: string }[] };
  assert.deepEqual(run.receipt, RECEIPT);
  // The symlink out of the folder is no picture; the model file is none either.
  assert.deepEqual(run.pictures.map((p) => p.name), ['filters.png']);
  const picture = await get('/files/mlp/filters.png');
  assert.equal(picture.status, 200);
  assert.equal(picture.headers['content-type'], 'image/png');
  assert.deepEqual(picture.body, PNG);
  // Pictures only: a page in a run folder is not served with the dashboard's address.
  assert.equal((await get('/files/mlp/model.nbm')).status, 404);
  assert.equal((await get('/files/mlp/notes.html')).status, 404);
  const query = '/api/charts?run=mlp&run=sweep%2Flr-0.1&x=iteration';
  const charts = await getJson(query) as { charts: Chart[]; counts: Record<string, number> };
  assert.deepEqual(charts.charts.map((c) => [c.stage, c.measure]), [[null, 'train_cost'], [null, 'valid_error'], ['pretrain-1', 'cost']]);
  assert.equal(new Set(charts.charts.map((c) => c.key)).size, 3);
  assert.deepEqual(charts.counts, { mlp: 2, 'sweep/lr-0.1': 1 });
  const cost = charts.charts[0];
  const values = cost.vega.data.find((d) => d.name === cost.dataset)?.values;
  assert.deepEqual(values, ROWS.map((r) => ({ run: 'mlp', x: r.iteration, value: r.train_cost })));
});

test('paths out of the runs folder get 404 without a file outside it being opened', async () => {
  const outside = [
    '/../secret.png', '/files/../secret.png', '/files/../../secret.txt', '/files/mlp/../../secret.png',
    '/files/%2e%2e/secret.png', '/files/%2E%2E/secret.png', '/files/..%2fsecret.png', '/files/%2e%2e%2fsecret.png',
    '/files/mlp%2f..%2f..%2fsecret.png', '/files/mlp%5c..%5c..%5csecret.png', '/files/.%2e/secret.png',
    `/files/${base}/secret.png`, `/files//${base}/secret.png`, `/files/${encodeURIComponent(join(base, 'secret.png'))}`,
    '/files/mlp/link.png', '/files/linked-folder/secret.png', '/files/mlp/%00../secret.png', '/files/%',
    '/assets/../../package.json', '/assets/%2e%2e/%2e%2e/package.json', `/assets/${encodeURIComponent(join(base, 'secret.png'))}`,
    '/api/metrics?run=..', '/api/metrics?run=../runs/mlp', `/api/metrics?run=${encodeURIComponent(base)}`,
    '/api/run?run=linked-folder', '/api/events?run=..%2F..', '/api/charts?run=mlp&run=..', `/${base}/secret.txt`,
  ];
  const answers: [string, Answer][] = [];
  const paths = await opened(async () => {
    for (const path of outside) answers.push([path, await get(path)]);
  });
  for (const [path, answer] of answers) {
    assert.equal(answer.status, 404, path);
    assert.ok(!answer.body.toString('latin1').includes(SECRET), path);
  }
  const root = realpathSync(dir);
  assert.deepEqual(paths.filter((p) => relative(root, p).startsWith('..')), []);
  // The spy does see what the server opens: a file inside is read through it.
  const inside = await opened(async () => void (await get('/files/mlp/filters.png')));
  assert.deepEqual(inside, [join(root, 'mlp', 'filters.png')]);
});

test('the server only reads: other methods get 405, and the folder is unchanged after every request', async () => {
  // Every entry with its size and times, symlinks not followed.
  const listing = (folder: string): string[] => readdirSync(folder, { withFileTypes: true }).flatMap((e) => {
    const path = join(folder, e.name);
    const s = lstatSync(path);
    return [`${path} ${s.size} ${s.mtimeMs} ${s.ctimeMs}`, ...(e.isDirectory() ? listing(path) : [])];
  });
  const before = listing(base);
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    assert.equal((await get('/files/mlp/filters.png', { method })).status, 405, method);
  }
  await getJson('/api/runs');
  await getJson('/api/charts?run=mlp');
  assert.deepEqual(listing(base), before);
});

test('the event stream delivers a metrics line appended after connecting, once it is whole, and new pictures', async () => {
  const run = join(dir, 'sweep', 'lr-0.1');
  const stream = subscribe('/api/events?run=sweep%2Flr-0.1');
  try {
    const rows = (update: unknown) => (update as LinesUpdate).rows;
    assert.deepEqual(rows(await stream.next('rows')), [{ epoch: 1, iteration: 5, seconds: 0.5, stage: 'pretrain-1', cost: 70 }]);
    assert.deepEqual(await stream.next('pictures'), []);
    const row = { epoch: 2, iteration: 10, seconds: 1, stage: 'pretrain-1', cost: 64.5 };
    const line = JSON.stringify(row);
    appendFileSync(join(run, 'metrics.jsonl'), line.slice(0, 20)); // a line cut in the middle of a write
    await new Promise((resolve) => setTimeout(resolve, 200));
    appendFileSync(join(run, 'metrics.jsonl'), `${line.slice(20)}\n`);
    assert.deepEqual(rows(await stream.next('rows')), [row]);
    writeFileSync(join(run, 'samples.png'), PNG);
    writeFileSync(join(run, 'curves-cost.png'), PNG);
    const pictures = await stream.next('pictures') as { name: string; curve: boolean }[];
    // Learning curves last, marked, so that the page folds them away.
    assert.deepEqual(pictures.map((p) => [p.name, p.curve]), [['samples.png', false], ['curves-cost.png', true]]);
  } finally {
    stream.close();
  }
});

test('each line arrives with the points curvePoints makes for the charts of the options; fractions stay fractions', async () => {
  const run = join(dir, 'log-scale');
  mkdirSync(run);
  // On a log scale the curve spec leaves out values ≤ 0: the first line's valid_error has no point.
  const lines = [
    { epoch: 1, iteration: 10, seconds: 1, stage: 'finetune', train_cost: 2, valid_error: 0 },
    { epoch: 2, iteration: 20, seconds: 2, stage: 'finetune', train_cost: 1, valid_error: 0.25 },
  ];
  writeFileSync(join(run, 'metrics.jsonl'), jsonl(lines));
  const query = 'run=log-scale&x=iteration&log=1';
  const stream = subscribe(`/api/events?${query}`);
  try {
    const { charts } = await getJson(`/api/charts?${query}`) as { charts: Chart[] };
    const update = await stream.next('rows') as LinesUpdate;
    assert.deepEqual(update.rows, lines);
    // For each line, every chart's points by its key: those of the curve spec, which the charts' data holds.
    const options = { stage: 'finetune', x: 'iteration', logY: true } as const;
    const expected = lines.map((line) => Object.fromEntries(charts.map((c) => [
      c.key, curvePoints([{ name: 'log-scale', rows: [line] }], c.measure, options),
    ])));
    assert.deepEqual(update.points, expected);
    const valid = charts.find((c) => c.measure === 'valid_error')!;
    assert.deepEqual(update.points.map((p) => p[valid.key]), [[], [{ run: 'log-scale', x: 20, value: 0.25 }]]);
    assert.deepEqual(valid.vega.data.find((d) => d.name === valid.dataset)?.values, [{ run: 'log-scale', x: 20, value: 0.25 }]);
    // The error stays a fraction: the chart's axis labels it in percent, and the page's tables are told to.
    const yFormats = (chart: Chart) => chart.vega.axes.filter((a) => a.scale === 'y').map((a) => a.format);
    assert.ok(yFormats(valid).includes('.2~%'));
    assert.ok(!yFormats(charts.find((c) => c.measure === 'train_cost')!).includes('.2~%'));
    assert.deepEqual(update.percent, ['valid_error']);
  } finally {
    stream.close();
    rmSync(run, { recursive: true });
  }
  // The receipt comes with its summary's measures shown in percent.
  const mlp = subscribe('/api/events?run=mlp');
  try {
    assert.deepEqual(await mlp.next('receipt'), { receipt: RECEIPT, percent: ['test_error'] });
  } finally {
    mlp.close();
  }
});

test('a port that is taken is an error naming it', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const taken = (blocker.address() as { port: number }).port;
  try {
    await assert.rejects(startDashboard({ dir, port: taken }), { message: `--port ${taken}: the port is taken` });
  } finally {
    blocker.close();
  }
});

test('nabla dashboard prints its address, and Ctrl-C closes the open streams and exits with 0', async () => {
  const { child, done } = startNabla('dashboard', dir, '--port', '0');
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const found = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (found) resolve(found[0]);
    });
    child.on('exit', () => reject(new Error(`nabla dashboard exited early: ${out}`)));
  });
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const streamEnded = new Promise<void>((resolve) => {
    request(`${url}api/events?run=mlp`, (res) => {
      res.once('data', () => child.kill('SIGINT'));
      res.on('end', resolve);
      res.on('error', () => resolve());
      res.resume();
    }).end();
  });
  const result = await done;
  await streamEnded;
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stderr, '');
});
