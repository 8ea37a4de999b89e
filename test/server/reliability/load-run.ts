// A load run: N payments created and completed concurrently through the real adapter and the real
// sandbox on loopback, each decided by the student's form post, with callbacks on or blocked (the point of
// sale not allow-listed, so payments complete by status reads alone). Used by the short load test in
// `npm test` and by `npm run test:stress`.
import assert from 'node:assert/strict';
import { APP_IDENTIFIER, payAsStudent, startHarness, STUDENT } from '../helpers/harness.js';

export interface LoadReport {
  payments: number;
  callbacks: 'on' | 'blocked';
  concurrency: number;
  seconds: number;
  paymentsPerSecond: number;
  /** POST /payments answer time, ms. */
  createP50Ms: number;
  createP99Ms: number;
  /** From the student's validation to the adapter answering `paid`, ms. */
  paidP50Ms: number;
  paidP99Ms: number;
  /** Adapter answers seen, and how many were 5xx. */
  requests: number;
  serverErrors: number;
}

const AMOUNT = 100;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
}

/** Runs `task(i)` for i < count with at most `concurrency` at a time. */
async function pool(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/** Runs the load and checks that every payment was paid exactly once with no 5xx; returns the figures. */
export async function runLoad({
  payments,
  callbacks,
  concurrency = payments,
}: {
  payments: number;
  callbacks: 'on' | 'blocked';
  concurrency?: number;
}): Promise<LoadReport> {
  // Status reads at most every 250 ms per operation: what a partner would configure under load. Every
  // simulated student comes from this one machine: the per-client limits are sized to the run (the default
  // of 120 creations a minute per address is checked by the campus-rush test of abuse.test.ts).
  const h = await startHarness({
    adapter: {
      statusReadIntervalMs: 250,
      limits: { creationsPerClientPerMinute: Math.max(120, 2 * payments), longPollsPerClient: Math.max(200, 2 * payments) },
    },
  });
  try {
    h.sandbox.control.updateAccount(STUDENT.identifier, { balance: payments * AMOUNT * 10 });
    if (callbacks === 'blocked') h.sandbox.control.updatePointOfSale(APP_IDENTIFIER, { callbackAllowListed: false });
    for (let i = 0; i < payments; i++) h.orders.set(`L-${i}`, { amount: AMOUNT });
    const balanceBefore = h.sandbox.control.account(STUDENT.identifier)!.balance;
    const createTimes: number[] = [];
    const paidTimes: number[] = [];
    const statuses: number[] = [];

    const started = performance.now();
    await pool(payments, concurrency, async (i) => {
      const t0 = performance.now();
      const created = await h.createPayment(`L-${i}`);
      createTimes.push(performance.now() - t0);
      statuses.push(created.status);
      assert.equal(created.status, 201, `L-${i}: ${created.status} ${await created.clone().text()}`);
      const payment = (await created.json()) as { paymentId: string; authorizationUrl: string };
      const outcome = await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
      assert.equal(outcome.alert, null, `L-${i}: ${outcome.alert}`);
      const decided = performance.now();
      let view = { status: 'pending' };
      for (let read = 0; read < 5 && view.status !== 'paid'; read++) {
        const answer = await h.getPayment(payment.paymentId, 20);
        statuses.push(answer.status);
        view = (await answer.json()) as { status: string };
      }
      paidTimes.push(performance.now() - decided);
      assert.equal(view.status, 'paid', `L-${i} ended ${view.status}`);
    });
    const seconds = (performance.now() - started) / 1000;
    await h.sandbox.control.settled();

    assert.equal(statuses.filter((status) => status >= 500).length, 0, 'no 5xx');
    const paidIds = h.hooks.paid.map((record) => record.id);
    assert.equal(paidIds.length, payments, 'onPaid once per payment');
    assert.equal(new Set(paidIds).size, payments);
    assert.equal(new Set(h.hooks.paid.map((record) => record.orderId)).size, payments, 'each order paid once');
    assert.equal(h.sandbox.control.operations().filter((o) => o.status === 'Completed').length, payments, 'one debit per payment');
    assert.equal(h.sandbox.control.account(STUDENT.identifier)!.balance, balanceBefore - payments * AMOUNT);
    if (callbacks === 'blocked') assert.ok(h.sandbox.control.callbackLog().every((attempt) => attempt.outcome === 'blocked'));

    return {
      payments,
      callbacks,
      concurrency: Math.min(concurrency, payments),
      seconds: Math.round(seconds * 100) / 100,
      paymentsPerSecond: Math.round((payments / seconds) * 10) / 10,
      createP50Ms: percentile(createTimes, 50),
      createP99Ms: percentile(createTimes, 99),
      paidP50Ms: percentile(paidTimes, 50),
      paidP99Ms: percentile(paidTimes, 99),
      requests: statuses.length,
      serverErrors: statuses.filter((status) => status >= 500).length,
    };
  } finally {
    await h.close();
  }
}

/** One line for the console. */
export function describeLoad(report: LoadReport): string {
  return `${report.payments} payments, callbacks ${report.callbacks}, ${report.concurrency} at a time: ${report.paymentsPerSecond} payments/s (${report.seconds} s); POST /payments p50 ${report.createP50Ms} ms, p99 ${report.createP99Ms} ms; validation → paid p50 ${report.paidP50Ms} ms, p99 ${report.paidP99Ms} ms; ${report.requests} adapter answers, ${report.serverErrors} 5xx`;
}
