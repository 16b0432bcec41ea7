// How many threads the native kernels use. An OpenMP region ends at a barrier that waits for every
// thread, so when another process holds a core, each small region stalls until the scheduler gives
// the descheduled thread its turn: an MLP step of 0.5 ms took 37 ms beside one busy loop on this
// 2-core machine, and 0.6 ms on one thread. So, unless told otherwise, the thread count follows the
// load: about once a second it becomes the number of cores other processes left free.
import { readFileSync } from 'node:fs';
import type { NativeAddon } from './addon.js';

const INTERVAL_MS = 1000;
const FIRST_INTERVAL_MS = 100; // a short first look, so a run started on a busy machine adapts at once
const TICK_MS = 10; // /proc/stat counts in USER_HZ = 100 ticks a second

/** CPU time spent busy on all cores since boot, in ms, from /proc/stat; null off Linux. */
function busyCpuMs(): number | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = fields;
    return (user + nice + system + irq + softirq + steal) * TICK_MS;
  } catch {
    return null;
  }
}

const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Where the governor reads the time and CPU use (tests substitute their own). */
export interface LoadProbe {
  now(): number;
  busyCpuMs(): number | null;
  ownCpuMs(): number;
}

const machineProbe: LoadProbe = { now: () => performance.now(), busyCpuMs, ownCpuMs };

export class ThreadGovernor {
  private readonly most: number;
  private fixed = false;
  private last?: { at: number; busy: number; own: number };
  private checks = 0;

  constructor(
    private readonly addon: Pick<NativeAddon, 'threads'>,
    private readonly probe: LoadProbe = machineProbe,
    userChose = process.env.OMP_NUM_THREADS !== undefined,
  ) {
    this.most = addon.threads();
    // OMP_NUM_THREADS is the user's choice; so is a machine where /proc/stat cannot be read.
    this.fixed = userChose || this.most === 1 || probe.busyCpuMs() === null;
  }

  /** Uses exactly n threads from now on, or follows the load again for 'auto'. */
  set(n: number | 'auto'): void {
    if (n === 'auto') {
      this.fixed = false;
      this.last = undefined;
      this.checks = 0;
      this.addon.threads(this.most);
      return;
    }
    if (!Number.isInteger(n) || n < 1) throw new Error(`setThreads: expected a positive integer or 'auto', got ${n}`);
    this.fixed = true;
    this.addon.threads(n);
  }

  get count(): number {
    return this.addon.threads();
  }

  /** Called before each compiled-function call; cheap except about once a second. */
  tick(): void {
    if (this.fixed) return;
    const at = this.probe.now();
    if (this.last && at - this.last.at < (this.checks > 1 ? INTERVAL_MS : FIRST_INTERVAL_MS)) return;
    const now = { at, busy: this.probe.busyCpuMs() ?? 0, own: this.probe.ownCpuMs() };
    if (this.last) {
      const others = (now.busy - this.last.busy - (now.own - this.last.own)) / (now.at - this.last.at);
      // A quarter of a core of background noise does not cost a thread; anything more does.
      const free = Math.max(1, Math.min(this.most, this.most - Math.ceil(others - 0.25)));
      if (free !== this.addon.threads()) this.addon.threads(free);
    }
    this.last = now;
    this.checks++;
  }
}
