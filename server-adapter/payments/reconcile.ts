// `reconcile()`, run by the partner on a schedule: settles with Izly the open payments old enough that
// their flow should be over (a callback lost, a poll given up, a crash mid-creation) and the refunds whose
// answer was lost, and runs the owed
// hooks that are due: retries of those that threw, and those whose run never returned.
import { IzlyApiError } from '../izly/errors.js';
import { OPEN_STATUSES, type PaymentHookName, type PaymentRecord, type PaymentStatus } from '../stores/payment-store.js';
import type { FlowParts } from './flow-parts.js';
import { settleRefundsInFlight } from './refund.js';

/** What `reconcile()` did. */
export interface ReconcileReport {
  /** Payments looked at. */
  checked: number;
  /** Payments whose status changed. */
  changed: Array<{ paymentId: string; from: PaymentStatus; to: PaymentStatus }>;
  /** Payments that could not be settled this time (Izly failing...); they are tried again next run. */
  errors: Array<{ paymentId: string; message: string }>;
  /** Hooks run again: retries of hooks that threw, once due, and hooks whose run never returned (the process stopped during the hook). */
  hooks: Array<{ paymentId: string; hook: PaymentHookName }>;
}

/** Options of `reconcile()`. */
export interface ReconcileOptions {
  /** Open payments created more than this long ago are settled with Izly, in ms; default 60000. */
  olderThanMs?: number;
  /**
   * A hook attempt started more than this long ago, in ms, and not running in this process, is taken as
   * abandoned (its process stopped) and run again; default 30000. Keep it above your hooks' longest run:
   * another instance may still be running it. Retries of hooks that threw wait for their own time instead.
   */
  hookGraceMs?: number;
}

/** A record never initiated at Izly is left to its creation for at least this long, in ms. */
const INITIATION_GRACE_MS = 120_000;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function reconcile(parts: FlowParts, { olderThanMs = 60_000, hookGraceMs = 30_000 }: ReconcileOptions = {}): Promise<ReconcileReport> {
  const { store, clock } = parts.options;
  const { transitions } = parts;
  const report: ReconcileReport = { checked: 0, changed: [], errors: [], hooks: [] };
  const candidates = await store.listByStatus(OPEN_STATUSES, new Date(clock.now() - olderThanMs));
  for (const record of candidates) {
    report.checked += 1;
    try {
      let after: PaymentRecord;
      if (record.operationId === null) {
        // Creation never finished (a crash between our record and Izly's answer): no one has a URL to pay it.
        const stale = clock.now() - Date.parse(record.createdAt) > Math.max(olderThanMs, INITIATION_GRACE_MS);
        after = stale
          ? await transitions.move(record, ['created'], { status: 'failed', failureReason: 'initiation_incomplete', updatedAt: transitions.nowIso() })
          : record;
      } else {
        after = await readForReconcile(parts, record);
      }
      if (after.status !== record.status) report.changed.push({ paymentId: record.id, from: record.status, to: after.status });
    } catch (error) {
      report.errors.push({ paymentId: record.id, message: messageOf(error) });
    }
  }
  for (const settled of await settleRefundsInFlight(parts)) {
    report.checked += 1;
    if ('error' in settled) report.errors.push({ paymentId: settled.record.id, message: messageOf(settled.error) });
    else if (settled.after.status !== settled.record.status)
      report.changed.push({ paymentId: settled.record.id, from: settled.record.status, to: settled.after.status });
  }
  await runDueHooks(parts, hookGraceMs, report);
  return report;
}

/**
 * Runs the owed hooks that are due: those whose attempt never returned (the process stopped during the
 * hook; its claim older than `graceMs`) and the retries of those that threw, once their time has come.
 */
async function runDueHooks(parts: FlowParts, graceMs: number, report: ReconcileReport): Promise<void> {
  const { store, clock, logger } = parts.options;
  const { transitions } = parts;
  const now = clock.now();
  for (const record of await store.listPendingHooks(new Date(now - graceMs), new Date(now))) {
    // A partner's own store may not filter on the retry's time: checked here again.
    const notYetDue = record.hookRetryAt !== null && Date.parse(record.hookRetryAt) > now;
    if (record.pendingHook === null || notYetDue || transitions.isHookRunning(record)) continue;
    try {
      // Claim the attempt with a compare-and-set on the version: of several instances reconciling at once,
      // one runs it, and the others see its claim (the lease) until `graceMs` has passed.
      const taken = await store.transition(
        record.id,
        [record.status],
        { pendingHookSince: transitions.nowIso(), updatedAt: record.updatedAt },
        { version: record.version },
      );
      if (!taken || taken.pendingHook === null) continue;
      if (record.pendingHookSince !== null) {
        logger.warn(`izly-pay: ${taken.pendingHook} for payment ${taken.id} never returned (the process stopped?); running it again`);
      }
      report.hooks.push({ paymentId: taken.id, hook: taken.pendingHook });
      await transitions.runHook(taken);
    } catch (error) {
      report.errors.push({ paymentId: record.id, message: messageOf(error) });
    }
  }
}

async function readForReconcile(parts: FlowParts, record: PaymentRecord): Promise<PaymentRecord> {
  const { clock, expireAfterMs } = parts.options;
  try {
    // A sweep: an operation read within the interval is left as it stands, for the next run.
    return await parts.reader.read(record, 'sweep', 'reconcile');
  } catch (error) {
    // Izly does not know the operation (356): it can never be paid; past the expiry age it ends.
    if (error instanceof IzlyApiError && error.isUnknownOperation && clock.now() - Date.parse(record.createdAt) >= expireAfterMs) {
      return parts.transitions.move(record, OPEN_STATUSES, {
        status: 'expired',
        failureReason: 'izly_unknown_operation',
        updatedAt: parts.transitions.nowIso(),
      });
    }
    throw error;
  }
}
