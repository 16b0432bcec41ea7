// Axis ticks: "nice" steps (1, 2 or 5 times a power of ten) that cover a data range, and their labels.

export interface Axis {
  /** The axis runs from min to max, both multiples of step, covering the data. */
  min: number;
  max: number;
  step: number;
  ticks: number[];
}

function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

/**
 * About `target` evenly spaced round ticks over [low, high]; a flat or empty range is widened first.
 * `integer` keeps steps whole (epochs).
 * @example niceAxis(0.071, 0.5).ticks // [0, 0.1, 0.2, 0.3, 0.4, 0.5]
 */
export function niceAxis(low: number, high: number, target = 6, integer = false): Axis {
  if (!Number.isFinite(low) || !Number.isFinite(high)) [low, high] = [0, 1];
  if (low === high) {
    const pad = low === 0 ? 1 : Math.abs(low) * 0.1;
    [low, high] = [low - pad, high + pad];
  }
  let step = niceStep((high - low) / target);
  if (integer) step = Math.max(1, Math.round(step));
  const first = Math.floor(low / step + 1e-9);
  const last = Math.ceil(high / step - 1e-9);
  // Multiplying integers by the step (not adding steps up) keeps 0.3 from printing as 0.30000000000000004.
  const ticks = Array.from({ length: last - first + 1 }, (_, i) => Number(((first + i) * step).toPrecision(12)));
  return { min: ticks[0], max: ticks[ticks.length - 1], step, ticks };
}

/**
 * A tick label with as many decimals as the step needs; `percent` shows fractions as percentages.
 * @example formatTick(0.075, 0.025, true) // '7.5%'
 */
export function formatTick(value: number, step: number, percent = false): string {
  const scaled = percent ? value * 100 : value;
  const scaledStep = percent ? step * 100 : step;
  const decimals = decimalsOf(scaledStep);
  const text = scaled.toFixed(decimals);
  return (text === `-${(0).toFixed(decimals)}` ? text.slice(1) : text) + (percent ? '%' : '');
}

/** The decimals that write `step` exactly (2.5 needs one, 0.02 two), so neighbouring ticks never print alike. */
function decimalsOf(step: number): number {
  let decimals = 0;
  while (decimals < 20 && Math.abs(Number(step.toFixed(decimals)) - step) > Math.abs(step) * 1e-9) decimals++;
  return decimals;
}
