// `startReconciling()` runs reconcile() on a schedule: at once, then `everyMs` after each run ended, so that
// runs never overlap; stopping cancels the next run and waits for the one in progress. The clock is moved.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startReconciling } from '../../../server-adapter/payments/reconciling.js';
import type { ReconcileReport } from '../../../server-adapter/index.js';
import { startHarness } from '../helpers/harness.js';
import { ManualClock } from './manual-clock.js';

const EMPTY: ReconcileReport = { checked: 0, changed: [], errors: [], hooks: [] };

describe('startReconciling()', () => {
  test('runs at once, then everyMs after each run ended; a slow run is never overlapped; stop waits for it and ends the schedule', async () => {
    const clock = new ManualClock();
    const logger = { warn() {}, error() {} };
    let runs = 0;
    let running = 0;
    let release: () => void = () => {};
    const reconcile = async () => {
      runs += 1;
      running += 1;
      assert.equal(running, 1, 'one run at a time');
      await new Promise<void>((resolve) => (release = resolve));
      running -= 1;
      return EMPTY;
    };
    const scheduled = clock.nextTimerSet();
    const stop = startReconciling(reconcile, { clock, logger }, { everyMs: 30_000 });
    assert.equal(runs, 1, 'a first run at once');
    clock.advance(120_000);
    assert.equal(runs, 1, 'the slow run is not overlapped');
    release();
    await scheduled;
    clock.advance(29_999);
    assert.equal(runs, 1);
    clock.advance(1);
    assert.equal(runs, 2, 'the next run 30 s after the previous one ended');
    let stopped = false;
    const stopping = stop().then(() => (stopped = true));
    await Promise.resolve();
    assert.equal(stopped, false, 'stop waits for the run in progress');
    release();
    await stopping;
    clock.advance(3_600_000);
    assert.equal(runs, 2, 'no run after stop');
  });

  test("a failed run is logged and the schedule goes on; izlyPay()'s app starts it with its own reconcile()", async () => {
    const clock = new ManualClock();
    const errors: string[] = [];
    const reports: ReconcileReport[] = [];
    const h = await startHarness({ adapter: { clock, logger: { warn() {}, error: (line) => void errors.push(line) } } });
    try {
      const scheduled = clock.nextTimerSet();
      const stop = h.izly.startReconciling({ everyMs: 1_000, onReport: (report) => void reports.push(report) });
      await scheduled;
      assert.equal(reports.length, 1);
      const failing = startReconciling(() => Promise.reject(new Error('store down')), {
        clock,
        logger: { warn() {}, error: (line) => void errors.push(line) },
      });
      await clock.nextTimerSet();
      assert.ok(errors.some((line) => line.includes('reconcile() failed: store down')));
      await Promise.all([stop(), failing()]);
    } finally {
      await h.close();
    }
  });
});
