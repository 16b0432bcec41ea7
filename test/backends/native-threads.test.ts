// The native thread count follows the cores other processes leave free, unless the user fixed it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ThreadGovernor, type LoadProbe } from '../../src/backends/native/threads.js';

/** A 4-thread addon stand-in and a probe whose clock and CPU counters the test advances. */
function fixture(userChose = false) {
  let threads = 4;
  const addon = { threads: (n?: number) => (n === undefined ? threads : (threads = n)) };
  const state = { now: 0, busy: 0, own: 0 };
  const probe: LoadProbe = { now: () => state.now, busyCpuMs: () => state.busy, ownCpuMs: () => state.own };
  const governor = new ThreadGovernor(addon, probe, userChose);
  /** `ms` of wall time in which we used `own` cores and other processes `others` cores. */
  const elapse = (ms: number, own: number, others: number) => {
    state.now += ms;
    state.own += own * ms;
    state.busy += (own + others) * ms;
    governor.tick();
  };
  return { governor, elapse, threads: () => threads };
}

test('threads drop to the cores left free when other processes are busy, and come back when they stop', () => {
  const { governor, elapse, threads } = fixture();
  governor.tick(); // the first look only records
  elapse(100, 1, 2.0);
  assert.equal(threads(), 2, 'two cores busy elsewhere');
  elapse(500, 2, 3.5);
  assert.equal(threads(), 2, 'no new decision within a second');
  elapse(600, 1, 3.5);
  assert.equal(threads(), 1, 'never fewer than one');
  elapse(1000, 4, 0.2);
  assert.equal(threads(), 4, 'a fifth of a core of noise costs no thread');
});

test('setThreads fixes the count; auto follows the load again; OMP_NUM_THREADS fixes it from the start', () => {
  const { governor, elapse, threads } = fixture();
  governor.set(3);
  governor.tick();
  elapse(2000, 1, 4);
  assert.equal(threads(), 3);
  governor.set('auto');
  assert.equal(threads(), 4);
  governor.tick();
  elapse(200, 1, 3);
  assert.equal(threads(), 1);
  assert.throws(() => governor.set(0), /setThreads: expected a positive integer or 'auto', got 0/);

  const pinned = fixture(true);
  pinned.governor.tick();
  pinned.elapse(2000, 1, 4);
  assert.equal(pinned.threads(), 4);
});
