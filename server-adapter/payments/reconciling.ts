// `startReconciling()`: runs `reconcile()` on a schedule on long-lived runtimes (Node, Bun, Deno), one run at
// a time: the next run is timed from the end of the previous one, so a slow run (Izly slow, many payments)
// never overlaps the next. Runs of several instances may overlap: every step of `reconcile()` is a
// compare-and-set, so they do no harm. On Workers, call `reconcile()` from a `scheduled` handler instead.
import type { IzlyPayLogger } from '../options.js';
import type { Clock } from './clock.js';
import type { ReconcileOptions, ReconcileReport } from './reconcile.js';

/** Options of `startReconciling()`: those of `reconcile()`, and the schedule. */
export interface ReconcilingOptions extends ReconcileOptions {
  /** Time from the end of one run to the start of the next, in ms; default 30000 (a failed hook's first retry is due 30 s after it). */
  everyMs?: number;
  /** Called with each run's report (e.g. to log what changed). */
  onReport?: (report: ReconcileReport) => void;
}

/** Runs `reconcile` at once and then every `everyMs` after each run ends, until the returned function is called (it resolves once a run in progress ended). */
export function startReconciling(
  reconcile: (options?: ReconcileOptions) => Promise<ReconcileReport>,
  { clock, logger }: { clock: Clock; logger: IzlyPayLogger },
  { everyMs = 30_000, onReport, ...options }: ReconcilingOptions = {},
): () => Promise<void> {
  if (!Number.isFinite(everyMs) || everyMs < 0) throw new Error('izlyPay: startReconciling: everyMs must be a number of ms ≥ 0');
  let stopped = false;
  let cancelTimer = () => {};
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = reconcile(options)
      .then(
        (report) => onReport?.(report),
        (error: unknown) => logger.error(`izly-pay: reconcile() failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .then(() => {
        // A background timer: a schedule alone never keeps the process alive.
        if (!stopped) cancelTimer = clock.setTimer(everyMs, run, { keepAlive: false });
      });
  };
  run();
  return async () => {
    stopped = true;
    cancelTimer();
    await running;
  };
}
