// Update rules and learning-rate schedules chosen by name, as command lines and recipes give them.
import type { SharedVariable, Variable } from '../graph/variable.js';
import type { Update } from '../compile/index.js';
import { adadelta, adagrad, adam, centeredRmsprop, momentum, nesterov, rmsprop, sgd } from './updates.js';
import { constant, exponentialDecay, inverseDecay, stepDecay, type Schedule } from './schedules.js';

export const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'centered-rmsprop', 'adadelta', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export interface OptimizerOptions {
  /** A shared scalar, so that a schedule can change it between epochs. */
  learningRate: SharedVariable;
  /** μ for momentum, nesterov and centered-rmsprop (0.9 by default). */
  momentum?: number;
}

/**
 * The update list of a named rule; its own state (velocities, caches) lives in new shared variables.
 * @example nb.fn([i], cost, {
 *   updates: buildUpdates('momentum', cost, params, { learningRate: rate.rate, momentum: 0.9 }) })
 */
export function buildUpdates(
  name: OptimizerName, cost: Variable, params: readonly SharedVariable[], options: OptimizerOptions,
): Update[] {
  const learningRate = options.learningRate;
  switch (name) {
    case 'sgd':
      return sgd(cost, params, { learningRate });
    case 'momentum':
      return momentum(cost, params, { learningRate, momentum: options.momentum });
    case 'nesterov':
      return nesterov(cost, params, { learningRate, momentum: options.momentum });
    case 'adagrad':
      return adagrad(cost, params, { learningRate });
    case 'rmsprop':
      return rmsprop(cost, params, { learningRate });
    case 'centered-rmsprop':
      return centeredRmsprop(cost, params, { learningRate, momentum: options.momentum });
    case 'adadelta':
      return adadelta(cost, params, { learningRate });
    case 'adam':
      return adam(cost, params, { learningRate });
    default:
      throw new Error(`unknown optimizer '${String(name)}' (use ${OPTIMIZERS.join(', ')})`);
  }
}

const SCHEDULE_FORMS = 'constant, step:DROP:EVERY, inverse:GAMMA[:POWER] or exponential:K';

/**
 * A learning-rate schedule over epochs (counted from 0) from a short spec.
 * @example parseSchedule('step:0.5:10', 0.1)(25) // 0.025: halved every 10 epochs
 */
export function parseSchedule(spec: string, learningRate: number): Schedule {
  const [kind, ...rest] = spec.split(':');
  const numbers = rest.map(Number);
  const fail = () => new Error(`schedule '${spec}' is not one of ${SCHEDULE_FORMS}`);
  if (numbers.some((n) => !Number.isFinite(n))) throw fail();
  if (kind === 'constant' && numbers.length === 0) return constant(learningRate);
  if (kind === 'step' && numbers.length === 2 && numbers[1] >= 1) return stepDecay(learningRate, numbers[0], numbers[1]);
  if (kind === 'inverse' && (numbers.length === 1 || numbers.length === 2)) return inverseDecay(learningRate, numbers[0], numbers[1] ?? 1);
  if (kind === 'exponential' && numbers.length === 1) return exponentialDecay(learningRate, numbers[0]);
  throw fail();
}
