// Progress of a training run on standard error: a live bar with validation lines above it on a terminal,
// plain lines at each validation otherwise (logs, CI, pipes), nothing when quiet.
import { SingleBar } from 'cli-progress';
import type { ValidationRecord } from '../fit/index.js';

export interface Progress {
  epochStart(epoch: number, maxEpochs: number, batches: number, done: number): void;
  step(minibatch: number, cost: number): void;
  validation(record: ValidationRecord): void;
  finish(): void;
}

export interface ProgressOptions {
  /** Standard error by default. */
  stream?: NodeJS.WriteStream;
  /** Prints nothing. */
  quiet?: boolean;
  /** Prefix of each line, e.g. the model name. */
  label?: string;
  /** The loop minimises 1 − an accuracy (a sequence density's frame-level accuracy): report the accuracy. */
  accuracy?: boolean;
}

const HEARTBEAT_MS = 30_000;

const percent = (fraction: number) => `${(100 * fraction).toFixed(2)}%`;

/** The tutorial's report of a validation, plus the train cost and the time; with `accuracy`, 1 − the errors. */
export function validationLine(label: string, r: ValidationRecord, batches: number, accuracy = false): string {
  const [measure, shown] = accuracy ? ['accuracy', (e: number) => percent(1 - e)] : ['error', percent];
  const best = r.improved ? ' (new best)' : `, best ${shown(r.bestValidError)}`;
  return `${label}epoch ${r.epoch}, minibatch ${r.minibatch}/${batches}, train cost ${r.trainCost.toFixed(4)}, ` +
    `validation ${measure} ${shown(r.validError)}${best}, test ${measure} of best model ${shown(r.testError)}, ${r.seconds.toFixed(1)} s`;
}

/**
 * A progress reporter that suits where standard error goes.
 * @example const progress = createProgress({ label: 'mlp ' });
 */
export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const label = options.label ?? '';
  let batches = 0;
  if (options.quiet) return { epochStart: () => {}, step: () => {}, validation: () => {}, finish: () => {} };
  if (!stream.isTTY) {
    // A line per validation, and between validations one every HEARTBEAT_MS, so that slow epochs
    // (the reference backend, big models) still show life in a log.
    let epoch = 0;
    let last = Date.now();
    const write = (line: string) => {
      stream.write(`${line}\n`);
      last = Date.now();
    };
    return {
      epochStart: (e, _max, total) => void ((epoch = e), (batches = total)),
      step: (minibatch, cost) => {
        if (Date.now() - last > HEARTBEAT_MS) write(`${label}epoch ${epoch}, minibatch ${minibatch}/${batches}, cost ${cost.toFixed(4)}`);
      },
      validation: (r) => write(validationLine(label, r, batches, options.accuracy)),
      finish: () => {},
    };
  }
  // The bar is cleared before each validation line is written and restarted after, so lines scroll above it.
  const bar = new SingleBar({
    stream,
    clearOnComplete: true,
    hideCursor: true,
    format: `${label}epoch {epoch}/{epochs} |{bar}| {value}/{total} | cost {cost} | best valid {best} | test {test} | eta {eta_formatted}`,
  });
  let payload = { epoch: 0, epochs: 0, cost: '-', best: '-', test: '-' };
  let value = 0;
  return {
    epochStart(epoch, maxEpochs, total, done) {
      batches = total;
      value = done;
      payload = { ...payload, epoch, epochs: maxEpochs };
      bar.stop();
      bar.start(total, done, payload);
    },
    step(minibatch, cost) {
      value = minibatch;
      payload.cost = cost.toFixed(4);
      bar.update(minibatch, payload);
    },
    validation(r) {
      const shown = (e: number) => percent(options.accuracy ? 1 - e : e);
      payload = { ...payload, best: shown(r.bestValidError), test: shown(r.testError) };
      bar.stop();
      stream.write(`${validationLine(label, r, batches, options.accuracy)}\n`);
      if (value < batches) bar.start(batches, value, payload);
    },
    finish() {
      bar.stop();
    },
  };
}
