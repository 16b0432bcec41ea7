// Learning-rate schedules: the rate for an epoch, and a shared variable to feed it to compiled functions.
import { array } from '../ndarray/index.js';
import { SharedVariable } from '../graph/variable.js';

export type Schedule = (epoch: number) => number;

/** lr₀ · drop^⌊epoch / every⌋ */
export const stepDecay = (lr0: number, drop: number, every: number): Schedule => (epoch) =>
  lr0 * Math.pow(drop, Math.floor(epoch / every));
/** lr₀ / (1 + γ·epoch)^power */
export const inverseDecay = (lr0: number, gamma: number, power = 1): Schedule => (epoch) =>
  lr0 / Math.pow(1 + gamma * epoch, power);
/** lr₀ · e^(−k·epoch) */
export const exponentialDecay = (lr0: number, k: number): Schedule => (epoch) => lr0 * Math.exp(-k * epoch);
export const constant = (lr0: number): Schedule => () => lr0;

/**
 * A shared learning rate driven by a schedule: pass `.rate` as learningRate, call `.step(epoch)` each epoch.
 * @example const lr = new ScheduledRate(nb.stepDecay(0.1, 0.5, 10)); nb.sgd(cost, params, { learningRate: lr.rate })
 */
export class ScheduledRate {
  readonly rate: SharedVariable;
  private readonly schedule: Schedule;

  constructor(schedule: Schedule, dtype: 'float32' | 'float64' = 'float32') {
    this.schedule = schedule;
    this.rate = new SharedVariable(array(schedule(0), dtype), 'learningRate');
  }

  step(epoch: number): number {
    const value = this.schedule(epoch);
    this.rate.set(array(value, this.rate.dtype));
    return value;
  }
}
