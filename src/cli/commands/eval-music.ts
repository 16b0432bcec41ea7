// `nabla eval` for a sequence model of music (an RNN-RBM): the frame-level accuracy of a split and, with
// --ais-chains, the log-likelihood of its frames estimated by annealed importance sampling per time step.
import { loadMusic, songMatrix, MUSIC_SPLITS, type MusicSplit } from '../../data/index.js';
import { FrameCounter, frameAccuracy } from '../../fit/index.js';
import { RnnRbm, metaChoice } from '../../models/index.js';
import { datasetFor, firstOfEachSplit } from '../recipes/dataset.js';
import { SHARED_NOTTINGHAM } from '../recipes/rnnrbm.js';

export interface MusicEvalOptions {
  dataset?: string;
  split: string;
  limit?: string;
  aisChains?: string;
  aisTemperatures: string;
}

const count = (text: string, flag: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag}: '${text}' is not a positive integer`);
  return n;
};

/**
 * The accuracy (and, asked for, the AIS log-likelihood) of a saved RNN-RBM on a split of its data.
 * @example evaluateMusic('runs/rnnrbm/model.nbm', { split: 'test', aisChains: '100', aisTemperatures: '1000' })
 */
export function evaluateMusic(modelPath: string, options: MusicEvalOptions): Record<string, unknown> {
  if (!(MUSIC_SPLITS as readonly string[]).includes(options.split)) throw new Error(`--split: '${options.split}' is not train, valid or test`);
  const model = RnnRbm.load(modelPath);
  const { meta, config } = model;
  const dataset = datasetFor(options.dataset, meta, modelPath, SHARED_NOTTINGHAM);
  const timing = metaChoice(modelPath, meta, 'timing', ['tempo-map', 'tutorial'] as const, 'tempo-map');
  const outsideRange = metaChoice(modelPath, meta, 'outside_range', ['refuse', 'clip'] as const, 'refuse');
  const reading = { dt: config.dt, range: config.range, timing, outsideRange } as const;
  const music = firstOfEachSplit(loadMusic(dataset, reading), options.limit);
  const songs = music[options.split as MusicSplit].map((song) => songMatrix(song, config.range));
  const frames = songs.reduce((n, s) => n + s.shape[0], 0);
  const result: Record<string, unknown> = {
    model: modelPath, kind: model.kind, dataset, split: options.split, songs: songs.length, frames,
    accuracy: frameAccuracy(new FrameCounter(model).counts(songs)),
  };
  if (options.aisChains !== undefined) {
    const ais = { chains: count(options.aisChains, 'ais-chains'), temperatures: count(options.aisTemperatures, 'ais-temperatures') };
    let total = 0;
    for (const s of songs) total += model.frameLogLikelihoods(s, ais).reduce((a, b) => a + b, 0);
    result.log_likelihood = { estimator: 'annealed importance sampling of each step\'s log Z', ...ais, per_frame: total / frames };
  }
  return result;
}
