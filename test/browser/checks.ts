// What the browser test computes, the same script in Chromium and in Node: the README's first model on the
// MNIST slice of test/fixtures (examples/browser/first-model.ts), and the op table's value checks on the
// reference backend, with every float32 result. run.ts compares the two runs number for number.
import { decodeSplit, trainFirstModel, type EpochRecord, type MnistSlice } from '../../examples/browser/first-model.js';
import { opTable } from '../ops/op-table.js';
import { checkValues } from '../ops/runner.js';

export interface Report {
  firstModel: { epochs: EpochRecord[]; W: number[]; b: number[] };
  /** Per row of the op table: the float32 values of each draw, or the check that failed. */
  opTable: { row: string; values?: number[][]; failed?: string }[];
}

/** Runs both checks on the current backend (the reference backend in a browser). */
export function runChecks(slice: MnistSlice): Report {
  const { W, b, epochs } = trainFirstModel(decodeSplit(slice, 'train'), decodeSplit(slice, 'test'), { epochs: 5, batch: 20 });
  const opRows = opTable.map((row) => {
    try {
      return { row: row.name, values: checkValues(row).map((result) => [...result.data]) };
    } catch (e) {
      return { row: row.name, failed: (e as Error).message };
    }
  });
  return { firstModel: { epochs, W: [...W.get().data], b: [...b.get().data] }, opTable: opRows };
}
