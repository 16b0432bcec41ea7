// Progress within the epochs of unsupervised training: a live bar on a terminal (an SdA epoch at
// minibatches of one is 50,000 steps), nothing otherwise; the per-epoch lines are printed either way.
import { SingleBar } from 'cli-progress';

export interface PretrainProgress {
  epochStart(label: string, batches: number): void;
  step(minibatch: number, monitor: number): void;
  epochEnd(): void;
}

/**
 * A bar on standard error when it is a terminal and the run is not quiet; otherwise undefined.
 * @example pretrain(layers, data, { ...options, progress: pretrainProgressBar(context.quiet) })
 */
export function pretrainProgressBar(
  quiet?: boolean, stream: NodeJS.WriteStream = process.stderr,
): PretrainProgress | undefined {
  if (quiet || !stream.isTTY) return undefined;
  const bar = new SingleBar({ stream, clearOnComplete: true, hideCursor: true, format: '{label} |{bar}| {value}/{total} | {monitor} | eta {eta_formatted}' });
  let label = '';
  return {
    epochStart(text, batches) {
      label = text;
      bar.start(batches, 0, { label, monitor: '-' });
    },
    // Redrawing costs more than a small step: update every 100 minibatches.
    step(minibatch, monitor) {
      if (minibatch % 100 === 0) bar.update(minibatch, { label, monitor: monitor.toFixed(3) });
    },
    epochEnd() {
      bar.stop();
    },
  };
}
