// Timing a workload as BENCH.md asks: warm-up, then at least five timed repetitions, each long enough
// to average out timer noise; the median, min and max per step.
export interface Timing {
  median: number;
  min: number;
  max: number;
}

export interface TimingOptions {
  reps?: number;
  /** Warm-up calls before timing, at least this many and for at least warmupMs. */
  warmup?: number;
  /**
   * V8 compiles the hot loops of a compiled function (the schedule, and scan's per-step loop) only after many
   * calls: rnnslu_sentence runs at 4.3 ms a call for its first 200 calls and settles at 1.8 ms after about 500.
   */
  warmupMs?: number;
  /** Each repetition runs whole steps for at least this long. */
  minRepMs?: number;
  /**
   * Time by the process's CPU time (user + system, all threads) instead of the wall clock: other processes on
   * a busy machine disturb it less, but threads that spin while waiting count, so run single-threaded.
   */
  cpuTime?: boolean;
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Milliseconds per call of `step`. */
export function time(
  step: () => void, { reps = 7, warmup = 3, warmupMs = 2000, minRepMs = 150, cpuTime = false }: TimingOptions = {},
): Timing {
  const clock = cpuTime ? cpuMs : () => performance.now();
  const warmStart = performance.now();
  for (let i = 0; i < warmup || performance.now() - warmStart < warmupMs; i++) step();
  let perRep = 1;
  if (minRepMs > 0) {
    const first = performance.now();
    step();
    perRep = Math.max(1, Math.ceil(minRepMs / Math.max(performance.now() - first, 1e-3)));
  }
  const samples: number[] = [];
  for (let r = 0; r < reps; r++) {
    const start = clock();
    for (let i = 0; i < perRep; i++) step();
    samples.push((clock() - start) / perRep);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)], min: samples[0], max: samples[samples.length - 1] };
}
