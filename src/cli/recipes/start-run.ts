// How every recipe's run begins: its options parsed (defaults applied), the backend chosen, the data loaded.
import { setBackend } from '../../backends/index.js';
import type { RunOptions } from './common-options.js';
import { loadDataset, type LoadedDataset } from './dataset.js';
import { parseOptions, type OptionSpecs, type RawOptions } from './options.js';

/**
 * Parses a recipe's raw options, selects the backend they name and loads the data set they name.
 * @example const { options: o, dataset } = startRun<CommonOptions>(specs, { epochs: '2', limit: '1000' });
 */
export function startRun<O extends RunOptions>(
  specs: OptionSpecs, raw: RawOptions,
): { options: O; dataset: LoadedDataset } {
  const options = parseOptions(specs, raw) as unknown as O;
  if (options.backend) setBackend(options.backend);
  const { dataset, limit, validationSize, pixelScale, classes } = options;
  return { options, dataset: loadDataset(dataset, limit, validationSize, pixelScale, classes) };
}
