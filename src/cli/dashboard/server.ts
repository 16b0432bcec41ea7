// The dashboard's HTTP server, on 127.0.0.1 only. It serves the page (assets/dashboard/ and vega's own
// build from node_modules, never a CDN) and a read-only view of one runs folder: the run folders, a run's
// metrics and receipt, its PNG and SVG pictures, the charts of chosen runs, and a server-sent event stream
// per run that follows metrics.jsonl (its new lines with their charts' points), run.json and the pictures as
// training writes them. It never writes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { packageRoot } from '../../backends/native/addon.js';
import { buildCharts, linesUpdate, percentMeasures, type ChartOptions } from './charts.js';
import { resolveInside } from './safe-path.js';
import { RECEIPT_FILE } from '../recipes/run-receipt.js';
import { findRuns, listPictures, METRICS_FILE, MetricsFollower, readBytes, readReceipt, type Picture } from './run-files.js';

export const DEFAULT_PORT = 6006;
const HOST = '127.0.0.1';

export interface DashboardOptions {
  /** The runs folder. */
  dir: string;
  /** The port; by default 6006, or a free one when 6006 is taken. 0 asks for a free one. */
  port?: number;
  /** How often an event stream looks at its run's files, in milliseconds (500 by default). */
  pollMs?: number;
}

export interface Dashboard {
  server: Server;
  /** http://127.0.0.1:PORT/ */
  url: string;
  /** The runs folder's real path. */
  root: string;
  /** Ends the event streams and closes the server. */
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};
const PICTURE_TYPES = { '.png': TYPES['.png'], '.svg': TYPES['.svg'] };
const COMMON_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' };
// vega compiles its expressions with new Function, hence 'unsafe-eval'; nothing is loaded from elsewhere.
const PAGE_POLICY = "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
// A picture opened on its own (an SVG could hold a script) runs nothing.
const PICTURE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
const KEEPALIVE_MS = 15_000;

/** The folders the page's files come from, as real paths: assets/dashboard/ of the package, and vega's build. */
async function staticRoots(): Promise<{ assets: string; vega: string }> {
  const require = createRequire(import.meta.url);
  return {
    assets: await realpath(join(packageRoot(), 'assets', 'dashboard')),
    // vega's package exports only its module and schema; the schema sits beside the browser build.
    vega: dirname(require.resolve('vega/vega-schema.json')),
  };
}

/**
 * Only requests addressed to this machine by name are answered, so that a page elsewhere cannot rebind its own
 * host name to 127.0.0.1 and read the runs through the visitor's browser.
 */
function localHost(host: string | undefined): boolean {
  const name = (host ?? '').replace(/:\d+$/, '').toLowerCase();
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]';
}

type Headers = Record<string, string>;

function send(res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Headers = {}) {
  const length = Buffer.byteLength(body);
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': type, 'Content-Length': length, ...extra });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
const notFound = (res: ServerResponse) => send(res, 404, 'not found\n', 'text/plain; charset=utf-8');
const sendJson = (res: ServerResponse, value: unknown) => send(res, 200, JSON.stringify(value), 'application/json; charset=utf-8');

async function sendFile(res: ServerResponse, path: string | undefined, extra: Headers = {}, types = TYPES) {
  const type = path && types[extname(path).toLowerCase()];
  const bytes = type ? await readBytes(path) : undefined;
  if (!type || !bytes) return notFound(res);
  send(res, 200, bytes, type, extra);
}

/** The chart options of a query, with defaults for what is missing or unknown. */
function chartOptions(query: URLSearchParams): ChartOptions {
  const x = query.get('x');
  const smoothing = Number(query.get('smooth') ?? 1);
  return {
    x: x === 'iteration' || x === 'seconds' ? x : 'epoch',
    logY: query.get('log') === '1',
    smoothing: Number.isInteger(smoothing) && smoothing >= 1 && smoothing <= 100 ? smoothing : 1,
  };
}

/**
 * Starts the dashboard on 127.0.0.1.
 * @example const dashboard = await startDashboard({ dir: 'runs' }); console.log(dashboard.url);
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const root = await realpath(options.dir).catch(() => {
    throw new Error(`${options.dir}: no such folder (train a model first, or name the folder that holds the runs)`);
  });
  if (!(await stat(root)).isDirectory()) throw new Error(`${options.dir}: not a folder`);
  const pollMs = options.pollMs ?? 500;
  const statics = await staticRoots();
  const streams = new Set<ServerResponse>();

  /** A run folder named by id ('' for the runs folder itself), or undefined. */
  const runDir = async (id: string | null): Promise<string | undefined> => {
    if (id === null) return undefined;
    const dir = id === '' ? root : await resolveInside(root, id);
    return dir && (await stat(dir)).isDirectory() ? dir : undefined;
  };
  const runName = (id: string) => id || basename(root);

  /**
   * Streams a run's files as they change. Metrics lines come with the points they add to the charts of
   * `options` and the measures shown in percent; the receipt with the summary's measures shown in percent.
   */
  const follow = (req: IncomingMessage, res: ServerResponse, dir: string, name: string, options: ChartOptions) => {
    res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    streams.add(res);
    const write = (text: string) => {
      if (!res.writableEnded && !res.destroyed) res.write(text);
    };
    const event = (name: string, data: unknown) => write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    const metrics = new MetricsFollower(join(dir, METRICS_FILE));
    let receiptStamp = '';
    let picturesStamp = '';
    let first = true;
    let busy = false;
    const look = async () => {
      if (busy || res.writableEnded) return;
      busy = true;
      try {
        const { reset, rows } = await metrics.read();
        if (reset || rows.length || first) event(reset ? 'reset' : 'rows', linesUpdate(name, rows, options));
        first = false;
        const receiptFile = await stat(join(dir, RECEIPT_FILE)).catch(() => undefined);
        const stamp = receiptFile ? `${receiptFile.mtimeMs}:${receiptFile.size}` : 'none';
        if (stamp !== receiptStamp) {
          receiptStamp = stamp;
          const receipt = await readReceipt(dir);
          const summary = receipt?.summary;
          const measures = summary && typeof summary === 'object' ? Object.keys(summary) : [];
          event('receipt', { receipt, percent: percentMeasures(measures) });
        }
        const pictures: Picture[] = await listPictures(dir);
        const picturesNow = JSON.stringify(pictures);
        if (picturesNow !== picturesStamp) {
          picturesStamp = picturesNow;
          event('pictures', pictures);
        }
      } finally {
        busy = false;
      }
    };
    const poll = setInterval(() => void look(), pollMs);
    const keepAlive = setInterval(() => write(': still here\n\n'), KEEPALIVE_MS);
    const stop = () => {
      clearInterval(poll);
      clearInterval(keepAlive);
      streams.delete(res);
    };
    req.on('close', stop);
    res.on('close', stop);
    void look();
  };

  const routes: Record<string, (query: URLSearchParams, req: IncomingMessage, res: ServerResponse) => Promise<void>> = {
    '/': async (_q, _req, res) => sendFile(res, join(statics.assets, 'index.html'), { 'Content-Security-Policy': PAGE_POLICY }),
    '/vendor/vega.min.js': async (_q, _req, res) => sendFile(res, join(statics.vega, 'vega.min.js')),
    '/api/runs': async (_q, _req, res) => {
      const runs = await findRuns(root);
      sendJson(res, { root: options.dir, runs: runs.map((r) => ({ ...r, name: runName(r.id) })) });
    },
    '/api/run': async (query, _req, res) => {
      const dir = await runDir(query.get('run'));
      if (!dir) return notFound(res);
      sendJson(res, { receipt: await readReceipt(dir), pictures: await listPictures(dir) });
    },
    '/api/metrics': async (query, _req, res) => {
      const dir = await runDir(query.get('run'));
      if (!dir) return notFound(res);
      sendJson(res, (await new MetricsFollower(join(dir, METRICS_FILE)).read()).rows);
    },
    '/api/charts': async (query, _req, res) => {
      const ids = query.getAll('run');
      const dirs = await Promise.all(ids.map(runDir));
      if (dirs.some((d) => !d)) return notFound(res);
      const runs = await Promise.all(dirs.map(async (dir, i) => ({
        name: runName(ids[i]), rows: (await new MetricsFollower(join(dir!, METRICS_FILE)).read()).rows,
      })));
      const counts = Object.fromEntries(ids.map((id, i) => [id, runs[i].rows.length]));
      sendJson(res, { charts: buildCharts(runs, chartOptions(query)), counts });
    },
    '/api/events': async (query, req, res) => {
      const id = query.get('run');
      const dir = await runDir(id);
      if (id === null || !dir) return notFound(res);
      follow(req, res, dir, runName(id), chartOptions(query));
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!localHost(req.headers.host)) return send(res, 403, 'this dashboard answers only to 127.0.0.1 and localhost\n', 'text/plain');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'read-only\n', 'text/plain', { Allow: 'GET, HEAD' });
    // The raw target, not a URL object: WHATWG parsing would fold '/files/../x' and '%2e%2e' into a path.
    const target = req.url ?? '/';
    const mark = target.indexOf('?');
    const path = mark < 0 ? target : target.slice(0, mark);
    const query = new URLSearchParams(mark < 0 ? '' : target.slice(mark + 1));
    const route = routes[path];
    if (route) return route(query, req, res);
    if (path.startsWith('/assets/')) return sendFile(res, await resolveInside(statics.assets, path.slice('/assets/'.length)));
    if (path.startsWith('/files/')) {
      const picture = await resolveInside(root, path.slice('/files/'.length));
      return sendFile(res, picture, { 'Content-Security-Policy': PICTURE_POLICY }, PICTURE_TYPES);
    }
    notFound(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      if (!res.headersSent) send(res, 500, `${e.message}\n`, 'text/plain; charset=utf-8');
      else res.destroy();
    });
  });
  const port = await listen(server, options.port);
  return {
    server,
    url: `http://${HOST}:${port}/`,
    root,
    close: async () => {
      for (const res of streams) res.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Listens on 127.0.0.1: on `port`, or on 6006 and else any free port; returns the port. */
async function listen(server: Server, port: number | undefined): Promise<number> {
  const attempt = (p: number) => new Promise<number>((resolve, reject) => {
    const failed = (e: NodeJS.ErrnoException) => reject(e);
    server.once('error', failed);
    server.listen(p, HOST, () => {
      server.off('error', failed);
      resolve((server.address() as { port: number }).port);
    });
  });
  if (port !== undefined) {
    return attempt(port).catch((e: NodeJS.ErrnoException) => {
      throw new Error(e.code === 'EADDRINUSE' ? `--port ${port}: the port is taken` : `--port ${port}: ${e.message}`);
    });
  }
  return attempt(DEFAULT_PORT).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EADDRINUSE') throw e;
    return attempt(0);
  });
}
