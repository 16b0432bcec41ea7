// nabla compare RUN...: several runs side by side: the learning curves of every measure (per stage) with
// the runs on the same axes, as SVG and PNG under --out, and the runs' options and final figures in a table
// (printed, and written with the pictures into --out/compare.md). Reads each run folder's metrics.jsonl and
// run.json; a .jsonl file of metrics lines stands for a run known only by its curve (a published one).
import { writeFileSync, existsSync, statSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { readMetrics, type MetricsLine } from '../../train/metrics.js';
import { measuresOf, writeRunCurves, type CurveRun } from '../../viz/index.js';
import { parsers } from '../recipes/options.js';
import { RECEIPT_FILE, readReceipt, type RunReceipt } from '../recipes/run-receipt.js';
import { makeFolder } from '../../models/atomic-write.js';

export interface CompareOptions {
  out: string;
  logY?: boolean;
  x?: 'epoch' | 'iteration' | 'seconds';
  smoothing?: number;
  /** The runs' names in the legend and the tables, in order; their folders' or files' names by default. */
  names?: readonly string[];
  /** Draw only these measures; every measure by default. */
  measures?: readonly string[];
  /** Put before each picture's title: 'RBM: pseudo likelihood'. */
  title?: string;
}

export interface Comparison {
  runs: { name: string; dir: string; receipt?: RunReceipt; lines: number }[];
  /** PNG paths by 'measure' or 'stage/measure'. */
  pictures: Record<string, string>;
  /** The markdown table of options and final figures. */
  table: string;
  report: string;
}

/** Runs' names: their folders' (or files', less .jsonl) names, or their paths when two share a name. */
function runNames(paths: readonly string[]): string[] {
  const names = paths.map((p) => basename(resolve(p), '.jsonl'));
  return names.map((name, i) => (names.indexOf(name) !== names.lastIndexOf(name) ? relative('.', paths[i]) || name : name));
}

/** A run's metrics file: its folder's metrics.jsonl, or the .jsonl file named. */
function metricsFile(path: string): string {
  if (!existsSync(path)) throw new Error(`${path}: no such run folder or .jsonl file`);
  if (extname(path) === '.jsonl' && statSync(path).isFile()) return path;
  const metrics = join(path, 'metrics.jsonl');
  if (!existsSync(metrics)) {
    throw new Error(`${path}: holds no metrics.jsonl (not a run folder, or a run from before metrics were written)`);
  }
  return metrics;
}

const cell = (value: unknown): string => {
  if (value === undefined) return '–';
  if (value === null) return 'null';
  // Four significant digits are enough to tell runs apart (0.0374 beside 0.0218); integers stay whole.
  const number = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(4)) : v);
  const text = Array.isArray(value) ? value.map(number).join(',')
    : typeof value === 'object' ? JSON.stringify(value) : String(number(value));
  return text.replace(/\|/g, '\\|');
};

/** One markdown table: a row per key, a column per run; rows whose values differ first, their keys in bold. */
function table(title: string, names: readonly string[], records: readonly Record<string, unknown>[]): string[] {
  const keys = [...new Set(records.flatMap((r) => Object.keys(r)))];
  if (!keys.length) return [];
  const differs = (key: string) => new Set(records.map((r) => cell(r[key]))).size > 1;
  const ordered = [...keys.filter(differs), ...keys.filter((k) => !differs(k))];
  return [
    `| ${title} | ${names.join(' | ')} |`,
    `|---|${names.map(() => '---').join('|')}|`,
    ...ordered.map((key) => `| ${differs(key) ? `**${key}**` : key} | ${records.map((r) => cell(r[key])).join(' | ')} |`),
  ];
}

/** A receipt's final figures: the summary's numbers and short strings (no paths, no histories). */
function figures(receipt?: RunReceipt): Record<string, unknown> {
  const summary = receipt?.summary ?? {};
  const kept = Object.entries(summary).filter(([key, v]) =>
    typeof v === 'number' || (typeof v === 'string' && !key.endsWith('_path') && v.length < 40));
  return { status: receipt?.status, ...Object.fromEntries(kept) };
}

/**
 * Compares runs: their curves into `options.out`, their options and figures as a markdown table.
 * @example const { table } = await compareRuns(['runs/lr-0.1', 'runs/lr-0.01'], { out: 'runs/compare' });
 */
export async function compareRuns(dirs: readonly string[], options: CompareOptions): Promise<Comparison> {
  if (dirs.length === 0) throw new Error('compare: name at least one run folder');
  if (options.names && options.names.length !== dirs.length) {
    throw new Error(`compare: ${options.names.length} names (--name) for ${dirs.length} runs`);
  }
  const names = options.names ?? runNames(dirs);
  const runs = dirs.map((dir, i) => {
    const metrics = metricsFile(dir);
    const curveAlone = metrics === dir; // a .jsonl file: no folder, so no receipt
    const receipt = curveAlone ? undefined : readReceipt(dir);
    return { name: names[i], dir, curveAlone, receipt, rows: readMetrics<MetricsLine>(metrics) };
  });
  const known = new Set(measuresOf(runs.flatMap((r) => r.rows)));
  const unknown = options.measures?.filter((m) => !known.has(m)) ?? [];
  if (unknown.length) throw new Error(`compare: no run has ${unknown.join(', ')} (measures: ${[...known].join(', ')})`);
  makeFolder(options.out);
  const curves: CurveRun[] = runs.map((r) => ({ name: r.name, rows: r.rows }));
  const { logY, x, smoothing, measures, title } = options;
  const pictures = await writeRunCurves(options.out, curves, { logY, x, smoothing, measures, title });
  const optionRecords = runs.map((r) => ({
    ...(r.receipt ? { command: r.receipt.command.slice(0, 3).join(' ') } : {}),
    ...r.receipt?.options,
    ...(r.receipt ? { nabla: `${r.receipt.nabla.version} ${r.receipt.nabla.commit?.slice(0, 10) ?? ''}`.trim() } : {}),
    ...(r.receipt ? { started: r.receipt.started } : {}),
  }));
  const lines = [
    ...table('option', names, optionRecords),
    '',
    ...table('result', names, runs.map((r) => figures(r.receipt))),
  ];
  const missing = runs.filter((r) => !r.receipt)
    .map((r) => `${r.dir} ${r.curveAlone ? 'is a curve alone' : `has no ${RECEIPT_FILE}`}: its options are unknown.`);
  const markdown = [...lines, ...(missing.length ? ['', ...missing] : [])].join('\n');
  const report = join(options.out, 'compare.md');
  const images = Object.entries(pictures).map(([key, png]) => `![${key}](${relative(options.out, png)})`);
  writeFileSync(report, `# ${names.join(' vs ')}\n\n${markdown}\n\n${images.join('\n')}\n`);
  return {
    runs: runs.map((r) => ({ name: r.name, dir: r.dir, receipt: r.receipt, lines: r.rows.length })),
    pictures, table: markdown, report,
  };
}

interface CompareFlags {
  out: string;
  name?: string[];
  measure?: string[];
  title?: string;
  logY?: boolean;
  x: string;
  smoothing: string;
  json?: true;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Adds `nabla compare`. */
export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('learning curves of runs on the same axes (a picture per measure), their options side by side')
    .argument('<run...>', 'run folders (each with metrics.jsonl, and run.json for its options), or .jsonl files of metrics lines')
    .requiredOption('--out <dir>', 'folder for the pictures (curves-MEASURE.svg and .png) and compare.md')
    .option('--name <name>', "a run's name in the legend, once per run in order (default: folder or file names)", collect)
    .option('--measure <name>', 'draw only this measure (repeat for more; default: every measure)', collect)
    .option('--title <text>', "put before each picture's title")
    .option('--log-y', 'a log scale for the measures')
    .option('--x <axis>', 'epoch, iteration or seconds', 'epoch')
    .option('--smoothing <n>', 'draw the moving mean over n points', '1')
    .option('--json', 'print one JSON object: runs, pictures, table')
    .action(async (dirs: string[], o: CompareFlags) => {
      const x = parsers.choice(['epoch', 'iteration', 'seconds'] as const)(o.x, 'x');
      const smoothing = parsers.positiveInt(o.smoothing, 'smoothing');
      const result = await compareRuns(dirs, {
        out: o.out, logY: o.logY, x, smoothing, title: o.title,
        names: o.name, measures: o.measure,
      });
      if (o.json) {
        const runs = result.runs.map(({ name, dir, lines }) => ({ name, dir, lines }));
        console.log(JSON.stringify({ runs, pictures: result.pictures, report: result.report }));
        return;
      }
      console.log(result.table);
      console.log(`\npictures: ${Object.values(result.pictures).join(', ')}\nreport: ${result.report}`);
    });
}
