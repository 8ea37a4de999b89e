// The partner app SIGKILLed at each step of a payment and restarted on the same SQLite file: before Izly
// answered the creation, once pending, between the student's validation and the callback, and while the
// callback is being confirmed. Each payment ends in the right state exactly once: one debit at Izly, one
// `paid` record, one onPaid line.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerType } from '@hono/node-server';
import { createSandbox, type Sandbox } from '../../../sandbox/index.js';
import { freePort, startScript, temporaryFolder, type RunningProcess } from '../../e2e/helpers/processes.js';
import { payAsStudent, STUDENT } from '../helpers/harness.js';
import { closeServer, listen } from '../helpers/http-server.js';
import { recordCheck } from './reliability-log.js';

const PARTNER_SCRIPT = 'test/server/reliability/crash-partner.ts';

describe('the partner killed (SIGKILL) at each step of a payment, restarted on the same SQLite file', () => {
  let sandbox: Sandbox;
  let sandboxServer: ServerType;
  let sandboxUrl: string;
  let partnerUrl: string;
  let port: number;
  let folder: ReturnType<typeof temporaryFolder>;
  let partner: RunningProcess | undefined;
  /** Called with each request the sandbox receives, before it is answered. */
  let onUpstream: (request: Request) => void = () => {};
  const kills: string[] = [];

  before(async () => {
    folder = temporaryFolder('izly-pay-crash-');
    port = await freePort();
    partnerUrl = `http://127.0.0.1:${port}`;
    ({ server: sandboxServer, url: sandboxUrl } = await listen((request) => (onUpstream(request), sandbox.fetch(request))));
    sandbox = createSandbox({
      publicUrl: sandboxUrl,
      // Izly keeps calling back while the shop is down (40 attempts, 250 ms apart).
      callbackRetries: 40,
      callbackRetryDelayMs: 250,
      pointsOfSale: [{ callbackUrl: `${partnerUrl}/izly/callback`, urlAfterPayment: `${partnerUrl}/`, urlAfterCancellation: `${partnerUrl}/` }],
    });
    await startPartner();
  });

  after(async () => {
    await partner?.stop('SIGTERM');
    await sandbox.control.settled();
    sandbox.control.close();
    await closeServer(sandboxServer);
    folder.remove();
  });

  async function startPartner(): Promise<void> {
    partner = await startScript(
      PARTNER_SCRIPT,
      {
        PARTNER_PORT: String(port),
        PARTNER_DB: join(folder.path, 'payments.db'),
        PAID_LOG: join(folder.path, 'paid.log'),
        IZLY_BASE_URL: sandboxUrl,
        IZLY_TIMEOUT_MS: '1000',
      },
      /ready/,
    );
  }

  async function kill(step: string): Promise<void> {
    await partner!.stop('SIGKILL');
    kills.push(step);
  }

  /** The next request to the sandbox matching method and path, seen as it arrives. */
  function nextUpstream(method: string, path: RegExp): Promise<void> {
    return new Promise((resolve) => {
      onUpstream = (request) => {
        if (request.method === method && path.test(new URL(request.url).pathname)) {
          onUpstream = () => {};
          resolve();
        }
      };
    });
  }

  const createPayment = (orderId: string, key = crypto.randomUUID()) =>
    fetch(`${partnerUrl}/izly/payments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, Origin: partnerUrl },
      body: JSON.stringify({ orderId, returnUrl: `${partnerUrl}/order` }),
    });
  const readPayment = async (paymentId: string, wait = 10) =>
    (await (await fetch(`${partnerUrl}/izly/payments/${paymentId}?wait=${wait}`)).json()) as { status: string };
  const onPaidLines = (paymentId: string) =>
    existsSync(join(folder.path, 'paid.log'))
      ? readFileSync(join(folder.path, 'paid.log'), 'utf8')
          .split('\n')
          .filter((line) => line === paymentId).length
      : 0;
  // An order's attempts reach Izly as its id, then `<orderId>-2`, `-3`…
  const ofOrder = (orderId: string, reference: string) => reference === orderId || reference.startsWith(`${orderId}-`);
  const debits = (orderId: string) => sandbox.control.operations().filter((o) => ofOrder(orderId, o.clientOrderId) && o.status === 'Completed').length;

  /** Reads until the payment is final (or the wait runs out) and checks it is paid exactly once. */
  async function assertPaidOnce(orderId: string, paymentId: string): Promise<void> {
    let view = await readPayment(paymentId);
    for (let attempt = 0; attempt < 3 && view.status !== 'paid'; attempt++) view = await readPayment(paymentId);
    assert.equal(view.status, 'paid', `${orderId}: ${JSON.stringify(view)}`);
    await sandbox.control.settled();
    assert.equal(debits(orderId), 1, `${orderId}: one debit at Izly`);
    assert.equal(onPaidLines(paymentId), 1, `${orderId}: onPaid once`);
  }

  test('killed after creating the record, before Izly answered: a retry pays once', async () => {
    sandbox.control.setFaults({ latencyMs: 1500, routes: ['initiate'] });
    const initiating = nextUpstream('POST', /webpayments$/i);
    const key = crypto.randomUUID();
    const lost = createPayment('C-1', key).catch(() => null);
    await initiating;
    await kill('after create, before Izly answered');
    await lost;
    sandbox.control.clearFaults();
    await startPartner();
    // The widget first repeats the lost request (same key), then the student clicks again.
    // The abandoned record (no one ever got its Izly URL) ends failed rather than blocking the order.
    const replayed = await createPayment('C-1', key);
    assert.equal(replayed.status, 200, `replay answered ${replayed.status}`);
    assert.equal(((await replayed.json()) as { status: string }).status, 'failed');
    const retry = await createPayment('C-1');
    assert.equal(retry.status, 201, `a new click answered ${retry.status}: ${await retry.clone().text()}`);
    const payment = (await retry.json()) as { paymentId: string; authorizationUrl: string };
    await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
    await assertPaidOnce('C-1', payment.paymentId);
  });

  test('killed once pending, before the student decides: paid once after the restart', async () => {
    const payment = (await (await createPayment('C-2')).json()) as { paymentId: string; authorizationUrl: string };
    await kill('after pending');
    await startPartner();
    await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
    await assertPaidOnce('C-2', payment.paymentId);
  });

  test('killed between the student’s validation and the callback: Izly’s retries or a read settle it once', async () => {
    const payment = (await (await createPayment('C-3')).json()) as { paymentId: string; authorizationUrl: string };
    await kill('between validation and callback');
    await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
    await startPartner();
    await assertPaidOnce('C-3', payment.paymentId);
  });

  test('killed while confirming the callback with Izly: the retried callback pays once', async () => {
    const payment = (await (await createPayment('C-4')).json()) as { paymentId: string; authorizationUrl: string };
    sandbox.control.setFaults({ latencyMs: 1500, routes: ['get'] });
    const confirming = nextUpstream('GET', /webpayments\/\d+$/i);
    await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
    await confirming;
    await kill('during the callback');
    sandbox.control.clearFaults();
    await startPartner();
    await assertPaidOnce('C-4', payment.paymentId);
    recordCheck({
      id: 'crash-restart',
      area: 'Crash and restart',
      tried: `The partner process SIGKILLed at each step of a payment and restarted on the same SQLite file: ${kills.join('; ')}`,
      cases: kills.length,
      held: 'each payment paid exactly once: one debit at Izly, one paid record, one onPaid call (counted in a file the hook appends to)',
    });
  });
});
