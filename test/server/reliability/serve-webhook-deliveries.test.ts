// `izly-pay serve`'s webhooks when the partner's server misbehaves: down (its port closed), slow (it
// processes the event but answers after the service stopped waiting), answering 500, then back. The
// service's webhooks run inside the adapter's hooks, so each failed attempt is in the store and retried by
// `reconcile()` once due; the clock is moved, never waited on. Held: each event is processed once by the
// partner (fixed event id; a retry of an event it has is answered 409, which ends the retries), the
// failures and the accepted deliveries are visible per payment in the back office, and a payment's events
// arrive in order even when a refund comes while payment.paid is still being retried. On the SQLite store, the service's default.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sqliteStore } from '../../../server-adapter/sqlite.js';
import { ManualClock } from '../payments/manual-clock.js';
import { payAsStudent, STUDENT } from '../helpers/harness.js';
import { startServiceFixture, type ServiceFixture } from '../serve/service-fixture.js';
import { temporaryFolder } from '../../e2e/helpers/processes.js';
import { recordCheck } from './reliability-log.js';

const RETRY_DELAY_MS = 1_000;

describe('izly-pay serve webhooks to a partner that is down, slow or failing, then back (SQLite)', () => {
  let f: ServiceFixture;
  let clock: ManualClock;
  const folder = temporaryFolder('izly-pay-serve-webhooks-');

  before(async () => {
    clock = new ManualClock();
    f = await startServiceFixture({
      store: sqliteStore(join(folder.path, 'izly-pay.sqlite')),
      clock,
      env: { IZLY_PAY_WEBHOOK_RETRY_DELAYS_MS: Array.from({ length: 5 }, () => String(RETRY_DELAY_MS)).join(',') },
    });
  });
  after(async () => {
    await f.close();
    folder.remove();
  });

  /** A payment created (the callout answered), then `meanwhile` (the partner goes down...), then paid by the student. */
  async function paid(orderId: string, meanwhile: () => unknown = () => {}): Promise<string> {
    f.shop.orders.set(orderId, { amount: 330 });
    const created = (await (await f.createPayment(orderId)).json()) as { paymentId: string; authorizationUrl: string };
    await meanwhile();
    await payAsStudent(created.authorizationUrl, { ...STUDENT, action: 'validate' });
    return created.paymentId;
  }

  /** Resolves once the service has logged the failure of a hook's attempt. */
  const failed = (hook: string, paymentId: string, attempt: number) => f.logged(new RegExp(`${hook} failed for payment ${paymentId} \\(attempt ${attempt}\\)`));

  /** The next retries fall due, and reconcile() runs them. */
  async function retryDue(): Promise<void> {
    clock.advance(RETRY_DELAY_MS);
    await f.service.izly.reconcile();
  }

  const processedFor = (paymentId: string) => f.shop.processed.filter((event) => event.payment.id === paymentId).map((event) => event.id);
  const attemptsFor = (paymentId: string) =>
    f.shop.attempts.filter((attempt) => attempt.eventId.startsWith(`evt_${paymentId}.`)).map((attempt) => attempt.status);

  async function webhookState(paymentId: string) {
    const answer = (await (await f.backOffice(`/payments/${paymentId}`)).json()) as {
      webhook: {
        owed: string | null;
        failures: Array<{ type: string; detail: { message: string } }>;
        deliveries: Array<{ detail: { eventId: string; status: number; attempt: number } }>;
      };
    };
    return answer.webhook;
  }

  test('partner down for two attempts, then back: payment.paid processed once', async () => {
    const paymentId = await paid('R-down', () => f.shop.stop());
    await failed('onPaid', paymentId, 1);
    assert.equal((await webhookState(paymentId)).owed, 'payment.paid', 'owed, and shown so');
    await retryDue();
    await failed('onPaid', paymentId, 2);
    await f.shop.start();
    await retryDue();
    assert.deepEqual(processedFor(paymentId), [`evt_${paymentId}.paid`]);
    assert.deepEqual(attemptsFor(paymentId), [200], 'the two attempts while down never reached it');
    const state = await webhookState(paymentId);
    assert.equal(state.owed, null);
    assert.deepEqual(
      state.failures.map((failure) => failure.detail.message),
      [1, 2].map(() => `webhook payment.paid evt_${paymentId}.paid: ${f.config.webhookUrl} could not be reached`),
    );
    assert.deepEqual(
      state.deliveries.map(({ detail }) => [detail.eventId, detail.status, detail.attempt]),
      [[`evt_${paymentId}.paid`, 200, 3]],
      'the delivery is on the payment too, with its attempt',
    );
    recordCheck({
      id: 'serve-webhook-partner-down',
      area: 'Faults',
      tried: "izly-pay serve's payment.paid webhook while the partner's server is down (port closed) for two attempts, then back",
      cases: 1,
      held: 'each failed attempt recorded on the payment (back office), retried by reconcile() once due; delivered once when the partner is back',
    });
  });

  test('partner slow: it processed the event but answered too late; the retry gets 409 and ends, processed once', async () => {
    const paymentId = await paid('R-slow', () => (f.shop.webhookMode = 'late'));
    await failed('onPaid', paymentId, 1);
    f.shop.webhookMode = 'ok';
    await retryDue();
    assert.deepEqual(processedFor(paymentId), [`evt_${paymentId}.paid`]);
    assert.deepEqual(attemptsFor(paymentId), [0, 409], 'the late answer never counted; the retry is refused as known');
    const state = await webhookState(paymentId);
    assert.equal(state.owed, null);
    assert.match(state.failures[0]!.detail.message, /did not answer within 300 ms/);
    assert.deepEqual(
      state.deliveries.map(({ detail }) => [detail.status, detail.attempt]),
      [[409, 2]],
      'the late answer is no delivery; the 409 is',
    );
    recordCheck({
      id: 'serve-webhook-partner-slow',
      area: 'Faults',
      tried: "izly-pay serve's payment.paid webhook to a partner that processes it but answers after the 300 ms timeout",
      cases: 1,
      held: 'the timeout is a failed attempt, retried with the same event id; the partner answers 409 (it has the event), which ends it: processed once',
    });
  });

  test('partner answering 500 twice, then 200: three attempts, processed once', async () => {
    const paymentId = await paid('R-500', () => (f.shop.webhookMode = 'error'));
    await failed('onPaid', paymentId, 1);
    await retryDue();
    await failed('onPaid', paymentId, 2);
    f.shop.webhookMode = 'ok';
    await retryDue();
    assert.deepEqual(attemptsFor(paymentId), [500, 500, 200]);
    assert.deepEqual(processedFor(paymentId), [`evt_${paymentId}.paid`]);
    assert.equal((await webhookState(paymentId)).owed, null);
    recordCheck({
      id: 'serve-webhook-partner-500',
      area: 'Faults',
      tried: "izly-pay serve's payment.paid webhook answered 500 twice by the partner, then 200",
      cases: 3,
      held: 'every 5xx retried once due, the 2xx ends the deliveries; the partner processed the event once',
    });
  });

  test('refunded while payment.paid is still being retried: the partner gets payment.paid then payment.refunded, once each', async () => {
    const paymentId = await paid('R-order', () => f.shop.stop());
    await failed('onPaid', paymentId, 1);
    const refundFailed = failed('onRefunded', paymentId, 1);
    await f.service.izly.refund(paymentId);
    await refundFailed;
    await f.shop.start();
    await retryDue();
    assert.deepEqual(processedFor(paymentId), [`evt_${paymentId}.paid`, `evt_${paymentId}.refunded`]);
    assert.equal((await webhookState(paymentId)).owed, null);
    // Nothing is owed any more: later runs send nothing again.
    const attempts = f.shop.attempts.length;
    await retryDue();
    assert.equal(f.shop.attempts.length, attempts);
    recordCheck({
      id: 'serve-webhook-order-per-payment',
      area: 'Faults',
      tried: 'izly-pay serve: a payment refunded while its payment.paid webhook waits for a retry (partner down), then the partner back',
      cases: 1,
      held: 'payment.paid then payment.refunded, in that order, each processed once; nothing sent again afterwards',
    });
  });
});
