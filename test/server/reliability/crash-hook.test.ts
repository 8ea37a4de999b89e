// The partner SIGKILLed while its onPaid hook runs, then restarted on the same SQLite files: the payment
// was saved `paid` with its hook marked owed in the same compare-and-set, so `reconcile()` runs onPaid
// again after the restart, and the shop's idempotent fulfilment (an order is marked paid only while open)
// ships the order once, whether the crash came before or after the fulfilment.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ServerType } from '@hono/node-server';
import { createSandbox, type Sandbox } from '../../../sandbox/index.js';
import { sqliteStore } from '../../../server-adapter/sqlite.js';
import type { ReconcileReport } from '../../../server-adapter/payments/payment-service.js';
import { freePort, startScript, temporaryFolder, type RunningProcess } from '../../e2e/helpers/processes.js';
import { payAsStudent, STUDENT } from '../helpers/harness.js';
import { closeServer, listen } from '../helpers/http-server.js';
import { recordCheck } from './reliability-log.js';

const PARTNER_SCRIPT = 'test/server/reliability/crash-hook-partner.ts';
type HookMode = 'normal' | 'stall-before-fulfilment' | 'stall-after-fulfilment' | 'throw';

describe('the partner killed (SIGKILL) during onPaid, restarted: reconcile() runs the hook again, the order ships once', () => {
  let sandbox: Sandbox;
  let sandboxServer: ServerType;
  let sandboxUrl: string;
  let partnerUrl: string;
  let port: number;
  let folder: ReturnType<typeof temporaryFolder>;
  let partner: RunningProcess | undefined;
  const cases: string[] = [];

  before(async () => {
    folder = temporaryFolder('izly-pay-crash-hook-');
    port = await freePort();
    partnerUrl = `http://127.0.0.1:${port}`;
    ({ server: sandboxServer, url: sandboxUrl } = await listen((request) => sandbox.fetch(request)));
    sandbox = createSandbox({
      publicUrl: sandboxUrl,
      callbackRetries: 3,
      callbackRetryDelayMs: 100,
      pointsOfSale: [{ callbackUrl: `${partnerUrl}/izly/callback`, urlAfterPayment: `${partnerUrl}/`, urlAfterCancellation: `${partnerUrl}/` }],
    });
  });

  after(async () => {
    await partner?.stop('SIGTERM');
    await sandbox.control.settled();
    sandbox.control.close();
    await closeServer(sandboxServer);
    folder.remove();
  });

  async function startPartner(mode: HookMode): Promise<void> {
    partner = await startScript(
      PARTNER_SCRIPT,
      {
        PARTNER_PORT: String(port),
        PARTNER_DB: join(folder.path, 'payments.db'),
        SHOP_DB: join(folder.path, 'shop.db'),
        IZLY_BASE_URL: sandboxUrl,
        HOOK_MODE: mode,
      },
      /ready/,
    );
  }

  /** Resolves when the partner prints `line` (or already has). */
  function printed(line: string): Promise<void> {
    const running = partner!;
    return new Promise((resolve) => {
      const check = () => {
        if (running.output().includes(line)) {
          running.child.stdout!.off('data', check);
          resolve();
        }
      };
      running.child.stdout!.on('data', check);
      check();
    });
  }

  /** The shop's view of an order, read from its SQLite file. */
  function shopOrder(orderId: string): { status: string | null; shipments: number } {
    const path = join(folder.path, 'shop.db');
    if (!existsSync(path)) return { status: null, shipments: 0 };
    const shop = new Database(path, { readonly: true });
    try {
      const order = shop.prepare<[string], { status: string }>('SELECT status FROM shop_orders WHERE order_id = ?').get(orderId);
      const { count } = shop.prepare<[string], { count: number }>('SELECT count(*) AS count FROM shipments WHERE order_id = ?').get(orderId)!;
      return { status: order?.status ?? null, shipments: count };
    } finally {
      shop.close();
    }
  }

  /** The payment as the adapter stored it (the partner is stopped, or between requests). */
  async function storedPayment(paymentId: string) {
    const store = sqliteStore(join(folder.path, 'payments.db'));
    try {
      return await store.get(paymentId);
    } finally {
      await store.close();
    }
  }

  const reconcile = async () => (await (await fetch(`${partnerUrl}/admin/reconcile`, { method: 'POST' })).json()) as ReconcileReport;
  const hookStarts = (paymentId: string) =>
    partnerOutput
      .concat(partner!.output())
      .split('\n')
      .filter((line) => line === `onPaid started ${paymentId}`).length;
  let partnerOutput = '';

  async function killDuringHook(mode: HookMode, orderId: string, waitFor: 'started' | 'fulfilled'): Promise<string> {
    await startPartner(mode);
    const response = await fetch(`${partnerUrl}/izly/payments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID(), Origin: partnerUrl },
      body: JSON.stringify({ orderId, returnUrl: `${partnerUrl}/order` }),
    });
    const payment = (await response.json()) as { paymentId: string; authorizationUrl: string };
    const inHook = printed(`onPaid ${waitFor} ${payment.paymentId}`);
    await payAsStudent(payment.authorizationUrl, { ...STUDENT, action: 'validate' });
    await inHook;
    await partner!.stop('SIGKILL');
    partnerOutput += partner!.output();
    cases.push(`killed in onPaid ${waitFor === 'started' ? 'before' : 'after'} the fulfilment`);
    return payment.paymentId;
  }

  test('killed before onPaid fulfilled the order: after the restart, reconcile() runs onPaid again and the order ships once', async () => {
    const paymentId = await killDuringHook('stall-before-fulfilment', 'H-1', 'started');
    const stored = await storedPayment(paymentId);
    assert.equal(stored?.status, 'paid');
    assert.equal(stored?.pendingHook, 'onPaid', 'the hook is still owed');
    assert.deepEqual(shopOrder('H-1'), { status: 'open', shipments: 0 });

    await startPartner('normal');
    const report = await reconcile();
    assert.deepEqual(report.hooks, [{ paymentId, hook: 'onPaid' }]);
    assert.deepEqual(shopOrder('H-1'), { status: 'paid', shipments: 1 });
    assert.equal(hookStarts(paymentId), 2);
    assert.equal((await reconcile()).hooks.length, 0, 'nothing owed any more');
    await sandbox.control.settled();
    assert.equal(hookStarts(paymentId), 2, "Izly's retried callback did not run the hook again");
    await partner!.stop('SIGTERM');
    partnerOutput += partner!.output();
    assert.equal((await storedPayment(paymentId))?.pendingHook, null);
  });

  test('killed after onPaid fulfilled, before it returned: run again (at least once), and the idempotent fulfilment ships once', async () => {
    const paymentId = await killDuringHook('stall-after-fulfilment', 'H-2', 'fulfilled');
    assert.equal((await storedPayment(paymentId))?.pendingHook, 'onPaid');
    assert.deepEqual(shopOrder('H-2'), { status: 'paid', shipments: 1 });

    await startPartner('normal');
    const report = await reconcile();
    assert.deepEqual(report.hooks, [{ paymentId, hook: 'onPaid' }]);
    assert.equal(hookStarts(paymentId), 2, 'onPaid ran twice: at least once across a crash');
    assert.deepEqual(shopOrder('H-2'), { status: 'paid', shipments: 1 }, 'the order shipped once');
    await sandbox.control.settled();
    await partner!.stop('SIGTERM');
    partnerOutput += partner!.output();
    assert.equal((await storedPayment(paymentId))?.pendingHook, null);
    recordCheck({
      id: 'crash-hook',
      area: 'Crash and restart',
      tried: `The partner process SIGKILLed during a slow onPaid and restarted on the same SQLite files: ${cases.join('; ')}`,
      cases: cases.length,
      held: 'the hook stayed marked owed on the paid record; reconcile() ran onPaid again once; the order (fulfilled only while open) shipped exactly once',
    });
  });

  test('onPaid threw, and the partner was killed before its retry: after the restart, reconcile() retries it and the order ships once', async () => {
    await startPartner('throw');
    const response = await fetch(`${partnerUrl}/izly/payments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID(), Origin: partnerUrl },
      body: JSON.stringify({ orderId: 'H-3', returnUrl: `${partnerUrl}/order` }),
    });
    const { paymentId, authorizationUrl } = (await response.json()) as { paymentId: string; authorizationUrl: string };
    const retryScheduled = printed(`izly-pay: onPaid failed for payment ${paymentId} (attempt 1)`);
    await payAsStudent(authorizationUrl, { ...STUDENT, action: 'validate' });
    await retryScheduled;
    await partner!.stop('SIGKILL');
    partnerOutput += partner!.output();
    const stored = await storedPayment(paymentId);
    assert.equal(stored?.pendingHook, 'onPaid', 'the hook is still owed');
    assert.equal(stored?.hookAttempts, 1);
    assert.equal(stored?.pendingHookSince, null, 'no attempt running: the retry waits for its time');
    assert.deepEqual(shopOrder('H-3'), { status: 'open', shipments: 0 });

    await startPartner('normal');
    assert.deepEqual((await reconcile()).hooks, [{ paymentId, hook: 'onPaid' }]);
    assert.deepEqual(shopOrder('H-3'), { status: 'paid', shipments: 1 });
    assert.equal((await reconcile()).hooks.length, 0, 'nothing owed any more');
    await sandbox.control.settled();
    assert.equal(hookStarts(paymentId), 2, 'the failed attempt and one retry');
    await partner!.stop('SIGTERM');
    partnerOutput += partner!.output();
    assert.equal((await storedPayment(paymentId))?.pendingHook, null);
    recordCheck({
      id: 'crash-hook-retry',
      area: 'Crash and restart',
      tried: 'onPaid threw (the shop down), then the partner process was SIGKILLed before the retry and restarted on the same SQLite files',
      cases: 1,
      held: 'the failure, its attempt count and the next attempt time were in the store; reconcile() after the restart retried onPaid once and the order shipped once',
    });
  });
});
