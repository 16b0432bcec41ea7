// The fuzz suite's child process: loads each file listed in the JSON file named by argv[2] as nabla's
// command line would (a model through loadClassifier and a prediction, IDX through readIdx, images through
// readImages) and prints one JSON line per file: the outcome, the error's class and message, and the peak
// resident memory so far (process.resourceUsage().maxRSS, in kilobytes).
import { readFileSync } from 'node:fs';
import { decodeIdx, encodeIdx, readIdxFile } from '../../src/data/index.js';
import { encodeModel, loadClassifier, loadModelFile } from '../../src/index.js';
import { NDArray, firstNonFinite } from '../../src/ndarray/index.js';
import { readImages } from '../../src/cli/read-images.js';

export type Format = 'model' | 'idx' | 'png';
export interface FuzzCase {
  path: string;
  format: Format;
}
export interface FuzzOutcome {
  path: string;
  /** What a correct load gave, for the parent to check. */
  loaded?: string;
  error?: { name: string; message: string; stack?: string };
  maxRssKb: number;
}

/** Loads one file; a result that breaks an invariant (a silent wrong answer) is thrown as a TypeError. */
function load({ path, format }: FuzzCase): string {
  if (format === 'model') {
    // What loads is exactly what the file holds: written again, it gives the same bytes.
    if (!Buffer.concat(encodeModel(loadModelFile(path))).equals(readFileSync(path))) throw new TypeError(`${path}: loaded, but not as written`);
    const model = loadClassifier(path);
    const [rows, cols] = model.config.imageShape;
    const p = model.predictProba(new NDArray('float32', [2, rows * cols]));
    if (firstNonFinite(p.data) >= 0) throw new TypeError(`${path}: loaded, but its probabilities are not finite`);
    return `${model.kind} ${rows}x${cols} -> ${model.config.classes} classes`;
  }
  if (format === 'idx') {
    const file = readIdxFile(path);
    const x = decodeIdx(file);
    const again = encodeIdx(x, path, { type: file.type });
    if (!Buffer.from(again.subarray(again.length - file.values.length)).equals(file.values)) throw new TypeError(`${path}: loaded values that are not the file's`);
    return `${x.dtype}[${x.shape.join(', ')}]`;
  }
  const images = readImages(path, [28, 28]);
  const bad = firstNonFinite(images.data);
  if (bad >= 0 || images.data.some((v) => v < 0 || v > 1)) throw new TypeError(`${path}: loaded pixels outside [0, 1]`);
  return `[${images.shape.join(', ')}]`;
}

const cases = JSON.parse(readFileSync(process.argv[2], 'utf8')) as FuzzCase[];
for (const c of cases) {
  const outcome: FuzzOutcome = { path: c.path, maxRssKb: 0 };
  try {
    outcome.loaded = load(c);
  } catch (e) {
    const name = e instanceof Error ? e.constructor.name : `a thrown ${typeof e}`;
    const message = e instanceof Error ? e.message : String(e);
    outcome.error = { name, message, stack: name === 'Error' ? undefined : (e as Error).stack };
  }
  outcome.maxRssKb = process.resourceUsage().maxRSS;
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
}
