// `payment.amount_mismatch` comes from a hook the adapter calls once, so `izly-pay serve` keeps it owed on
// the payment itself (`webhook_owed`) until its receiver accepts it: sent to a partner that is down, then
// the service stopped as a crash stops it (its in-process retries gone) and started again on the same
// SQLite file, the partner back: the restarted service sends it again, the partner processes it once, the
// back office shows it delivered, and a further restart sends nothing. Izly's status answers are rewritten
// to report 0.01 € for a 3.30 € order, as an Izly that recorded another amount would send them.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sqliteStore } from '../../../server-adapter/sqlite.js';
import { ManualClock } from '../payments/manual-clock.js';
import { payAsStudent, STUDENT } from '../helpers/harness.js';
import { temporaryFolder } from '../../e2e/helpers/processes.js';
import { startServiceFixture, type ServiceFixture } from './service-fixture.js';

/** Izly's `GET WebPayments/{id}` answers with another amount; every other request as it is. */
async function izlyReportingOneCent(request: Request): Promise<Response> {
  const answer = await fetch(request);
  if (request.method !== 'GET' || !/\/WebPayments\/\d+$/.test(new URL(request.url).pathname) || !answer.ok) return answer;
  const body = (await answer.json()) as Record<string, unknown>;
  return Response.json({ ...body, Amount: '0.01' }, { status: answer.status });
}

interface BackOfficePayment {
  payment: { status: string };
  webhook: { owed: string | null; deliveries: Array<{ detail: { event: string; eventId: string; status: number } }> };
  events: Array<{ type: string; detail: Record<string, unknown> }>;
}

describe('izly-pay serve, an amount-mismatch webhook owed across a restart (SQLite)', () => {
  let f: ServiceFixture;
  const folder = temporaryFolder('izly-pay-serve-owed-');
  const file = join(folder.path, 'izly-pay.sqlite');

  before(async () => {
    f = await startServiceFixture({ store: sqliteStore(file), clock: new ManualClock(), fetch: izlyReportingOneCent });
  });
  after(async () => {
    await f.close();
    folder.remove();
  });

  const read = async (paymentId: string) => (await (await f.backOffice(`/payments/${paymentId}`)).json()) as BackOfficePayment;

  test('partner down, service restarted, partner back: payment.amount_mismatch delivered once', async () => {
    f.shop.orders.set('M-1', { amount: 330 });
    const created = (await (await f.createPayment('M-1')).json()) as { paymentId: string; authorizationUrl: string };
    const eventId = `evt_${created.paymentId}.amount_mismatch`;
    await f.shop.stop();
    await payAsStudent(created.authorizationUrl, { ...STUDENT, action: 'validate' });
    await f.logged(new RegExp(`payment.amount_mismatch ${eventId.replace('.', '\\.')}: .* could not be reached; next attempt`));
    const before = await read(created.paymentId);
    assert.equal(before.payment.status, 'paid', 'paid as Izly says, fulfilment held');
    assert.equal(before.webhook.owed, 'payment.amount_mismatch', 'owed, and shown so');
    assert.deepEqual(
      before.events.filter((event) => event.type === 'webhook_owed').map((event) => event.detail),
      [{ event: 'payment.amount_mismatch', eventId, data: JSON.stringify({ expected: 330, izly: '0.01' }) }],
    );

    await f.shop.start();
    assert.equal(await f.restart(sqliteStore(file)), 1, 'the restarted service sends the owed webhook again');
    const processed = f.shop.processed.filter((event) => event.id === eventId);
    assert.equal(processed.length, 1);
    assert.deepEqual(processed[0]!.data, { expected: 330, izly: '0.01' });
    assert.equal(f.shop.attempts.filter((attempt) => attempt.eventId === eventId).length, 1, 'the attempt while down never reached it');

    const after = await read(created.paymentId);
    assert.equal(after.webhook.owed, null);
    assert.deepEqual(
      after.webhook.deliveries.map(({ detail }) => [detail.eventId, detail.status]),
      [[eventId, 200]],
    );
    assert.equal(await f.restart(sqliteStore(file)), 0, 'delivered: a further restart owes nothing');
    assert.equal(f.shop.processed.filter((event) => event.id === eventId).length, 1);
  });
});
