// The page's script: trains the README's first model on 1,000 MNIST digits (embedded in the bundle) with
// nabla's browser build, then draws the weights of each class as a 28x28 filter, red for evidence for the
// class and blue against it. Bundle it with the command in README.md beside this file.
import { setBackend, type NDArray } from '../../src/core.js';
import sliceBytes from '../../test/fixtures/mnist-slice.json.gz';
import { decodeSplit, trainFirstModel, type EpochRecord, type MnistSlice } from './first-model.js';

const SCALE = 4;
const GAP = 8;
const LABEL = 16;

async function gunzipText(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text();
}

/** Each column of W [rows * cols, classes] as a filter, side by side, on one colour scale (the largest |w|). */
function drawFilters(canvas: HTMLCanvasElement, W: NDArray, rows: number, cols: number): void {
  const [size, classes] = W.shape;
  const width = cols * SCALE;
  canvas.width = classes * (width + GAP) - GAP;
  canvas.height = rows * SCALE + LABEL;
  const context = canvas.getContext('2d')!;
  context.fillStyle = 'white';
  context.fillRect(0, 0, canvas.width, canvas.height);
  const largest = Math.max(...Array.from(W.data, Math.abs)) || 1;
  for (let k = 0; k < classes; k++) {
    const image = context.createImageData(cols, rows);
    for (let i = 0; i < size; i++) {
      const t = Math.round(255 * Math.min(1, Math.abs(W.data[i * classes + k]) / largest));
      const [r, g, b] = W.data[i * classes + k] >= 0 ? [255, 255 - t, 255 - t] : [255 - t, 255 - t, 255];
      image.data.set([r, g, b, 255], 4 * i);
    }
    // Drawn at 1:1 on a scratch canvas, then scaled up without smoothing: each weight a SCALE-pixel square.
    const tile = document.createElement('canvas');
    [tile.width, tile.height] = [cols, rows];
    tile.getContext('2d')!.putImageData(image, 0, 0);
    context.imageSmoothingEnabled = false;
    context.drawImage(tile, k * (width + GAP), 0, width, rows * SCALE);
    context.fillStyle = 'black';
    context.font = '12px sans-serif';
    context.textAlign = 'center';
    context.fillText(String(k), k * (width + GAP) + width / 2, rows * SCALE + LABEL - 3);
  }
}

function showEpoch(table: HTMLTableElement, record: EpochRecord): void {
  const row = table.insertRow();
  for (const text of [String(record.epoch), record.cost.toFixed(4), `${(100 * record.testError).toFixed(1)}%`]) row.insertCell().textContent = text;
}

async function main(): Promise<void> {
  const status = document.getElementById('status')!;
  const slice = JSON.parse(await gunzipText(sliceBytes)) as MnistSlice;
  const train = decodeSplit(slice, 'train');
  const test = decodeSplit(slice, 'test');
  setBackend('reference');
  status.textContent = `training on ${train.y.shape[0]} digits...`;
  // Let the page paint the message before training holds the main thread.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const started = performance.now();
  const table = document.getElementById('epochs') as HTMLTableElement;
  const onEpoch = (record: EpochRecord) => showEpoch(table, record);
  const { W, epochs } = trainFirstModel(train, test, { epochs: 5, batch: 20, onEpoch });
  drawFilters(document.getElementById('filters') as HTMLCanvasElement, W.get(), slice.rows, slice.cols);
  const last = epochs[epochs.length - 1];
  status.textContent = `trained ${epochs.length} epochs in ${((performance.now() - started) / 1000).toFixed(1)} s; ` +
    `test error ${(100 * last.testError).toFixed(1)}% on ${test.y.shape[0]} digits`;
  document.body.dataset.done = 'true';
}

main().catch((e: Error) => {
  document.getElementById('status')!.textContent = `error: ${e.message}`;
  document.body.dataset.done = 'error';
});
