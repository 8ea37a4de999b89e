import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallbackBody } from '../../../sandbox/index.js';
import { freePort } from '../../e2e/helpers/processes.js';
import { closeServer, listen } from '../helpers/http-server.js';
import { APP_IDENTIFIER, callbackReceiver, initiate, pagePath, postForm, testSandbox } from './sandbox-test-helpers.js';

const PAYER = { identifier: 'etudiant@izly.test', password: 'izly1234', action: 'validate' };

async function pay(
  options: Parameters<typeof testSandbox>[0] = {},
  statuses: number[] = [],
  body: Record<string, unknown> = { Amount: 350, ClientOrderId: 'A-1', CallbackParameters: 'p=pay_1&s=abc' },
) {
  const { sandbox, receiver } = testSandbox(options, statuses);
  const answer = await initiate(sandbox, body);
  await postForm(sandbox, pagePath(answer), PAYER);
  return { sandbox, receiver, id: answer.OperationSMoney.Id };
}

describe('the callback', () => {
  test('is a JSON POST to the callback URL with CallbackParameters appended, body shaped as the contract shows', async () => {
    const now = Date.parse('2021-12-09T17:53:34Z');
    // The contract's own shape: the document's status names and the parameters joined with `?`.
    const izly = { statusVocabulary: 'document', callbackParameters: 'joined' } as const;
    const { sandbox, receiver, id } = await pay({ now: () => now, izly, pointsOfSale: [{ callbackUrl: 'https://shop.test/izly/callback' }] });
    await sandbox.control.settled();
    assert.equal(receiver.received.length, 1);
    const [callback] = receiver.received;
    assert.equal(callback?.url, 'https://shop.test/izly/callback?p=pay_1&s=abc');
    assert.equal(callback?.contentType, 'application/json');
    assert.deepEqual(callback?.body, {
      OperationSMoney: {
        Id: id,
        IdTransactionDebitIzly: id + 10740,
        Amount: '350.00',
        Date: '09/12/2021 18:53:34',
        Message: '',
        ClientOrderId: 'A-1',
        Status: 'Completed',
        CallbackParameters: 'p=pay_1&s=abc',
      },
      Beneficiary: { Id: '49915', ClientId: APP_IDENTIFIER },
      User: { Id: '6000050617', Email: 'etudiant@izly.test', ClientCode: 'cmartin01', NumeroAffectation: '75012345' },
      Error: { Code: 0, Message: '' },
    } satisfies CallbackBody);
  });

  test('appends with & when the callback URL already has a query, and drops a leading ? from the parameters', async () => {
    const { sandbox, receiver } = await pay({ izly: { callbackParameters: 'joined' }, pointsOfSale: [{ callbackUrl: 'https://shop.test/cb?shop=1' }] }, [], {
      Amount: 100,
      ClientOrderId: 'A',
      CallbackParameters: '?p=x',
    });
    await sandbox.control.settled();
    assert.equal(receiver.received[0]?.url, 'https://shop.test/cb?shop=1&p=x');
  });

  test('leaves the URL alone without CallbackParameters', async () => {
    const { sandbox, receiver } = await pay({}, [], { Amount: 100, ClientOrderId: 'A' });
    await sandbox.control.settled();
    assert.equal(receiver.received[0]?.url, 'http://localhost:8787/izly/callback');
    assert.equal((receiver.received[0]?.body as CallbackBody).OperationSMoney.CallbackParameters, '');
  });

  test('can carry the amount in decimal euros instead (callbackAmountFormat)', async () => {
    const { sandbox, receiver } = await pay({ izly: { callbackAmountFormat: 'decimal-euros' } });
    await sandbox.control.settled();
    assert.match(receiver.received[0]?.text ?? '', /"Amount":3\.50,/);
  });

  test('is retried until the partner answers 200, every attempt logged', async () => {
    const { sandbox, receiver, id } = await pay({}, [500, 404]);
    await sandbox.control.settled();
    assert.equal(receiver.received.length, 3);
    const log = sandbox.control.callbackLog();
    assert.deepEqual(
      log.map((entry) => [entry.operationId, entry.attempt, entry.outcome, entry.status]),
      [
        [id, 1, 'rejected', 500],
        [id, 2, 'rejected', 404],
        [id, 3, 'delivered', 200],
      ],
    );
    assert.equal(log[2]?.body.OperationSMoney.Id, id);
  });

  test('stops after 3 retries (4 attempts) by default, or as configured', async () => {
    const failing = await pay({}, [500, 500, 500, 500, 500, 500]);
    await failing.sandbox.control.settled();
    assert.equal(failing.receiver.received.length, 4);
    assert.ok(failing.sandbox.control.callbackLog().every((entry) => entry.outcome === 'rejected'));

    const once = await pay({ callbackRetries: 0 }, [500]);
    await once.sandbox.control.settled();
    assert.equal(once.receiver.received.length, 1);
  });

  test('counts only HTTP 200 as success (201 is retried)', async () => {
    const { sandbox, receiver } = await pay({}, [201]);
    await sandbox.control.settled();
    assert.equal(receiver.received.length, 2);
  });

  test('is not sent while the POS is not allow-listed: logged as blocked', async () => {
    const { sandbox, receiver, id } = await pay({ pointsOfSale: [{ callbackAllowListed: false }] });
    await sandbox.control.settled();
    assert.equal(receiver.received.length, 0);
    const [entry] = sandbox.control.callbackLog();
    assert.equal(entry?.operationId, id);
    assert.equal(entry?.outcome, 'blocked');
    assert.match(entry?.error ?? '', /autoris/);
  });

  test('a partner that does not answer in time counts as a failed attempt', async () => {
    const { sandbox, receiver } = testSandbox({
      callbackTimeoutMs: 20,
      callbackRetries: 1,
      fetch: () => new Promise<Response>(() => {}),
    });
    const answer = await initiate(sandbox, { Amount: 100, ClientOrderId: 'A' });
    await postForm(sandbox, pagePath(answer), PAYER);
    await sandbox.control.settled();
    assert.equal(receiver.received.length, 0);
    const log = sandbox.control.callbackLog();
    assert.deepEqual(
      log.map((entry) => entry.outcome),
      ['error', 'error'],
    );
    assert.match(log[0]?.error ?? '', /20 ms/);
  });

  test("does not hold the AD's page: the page is answered before the partner is called", async () => {
    let releasePartner: () => void = () => {};
    const partnerCalled = new Promise<void>((resolve) => {
      releasePartner = resolve;
    });
    const { sandbox } = testSandbox({
      fetch: async () => {
        releasePartner();
        return new Response(null, { status: 200 });
      },
    });
    const answer = await initiate(sandbox, { Amount: 100, ClientOrderId: 'A' });
    const page = await postForm(sandbox, pagePath(answer), PAYER);
    assert.equal(page.status, 200);
    assert.equal(sandbox.control.callbackLog().length, 0);
    await partnerCalled;
    await sandbox.control.settled();
    assert.equal(sandbox.control.callbackLog()[0]?.outcome, 'delivered');
  });

  test('close() stops pending retries', async () => {
    const { sandbox, receiver } = await pay({ callbackRetryDelayMs: 60_000 }, [500]);
    while (receiver.received.length === 0) await new Promise((resolve) => setImmediate(resolve));
    sandbox.control.close();
    await sandbox.control.settled();
    assert.equal(receiver.received.length, 1);
  });

  test('reaches a partner over a real loopback port with the default fetch', async () => {
    const receiver = callbackReceiver();
    const { server, url } = await listen(receiver.app.fetch);
    try {
      const { sandbox } = testSandbox({ fetch: (request) => fetch(request), pointsOfSale: [{ callbackUrl: `${url}/izly/callback` }] });
      const answer = await initiate(sandbox, { Amount: 100, ClientOrderId: 'A', CallbackParameters: 'p=1' });
      await postForm(sandbox, pagePath(answer), PAYER);
      await sandbox.control.settled();
      // Concatenated as the default (strictest) Izly does: the parameters right after the path.
      assert.equal(receiver.received[0]?.url, `${url}/izly/callbackp=1`);
      assert.equal(sandbox.control.callbackLog()[0]?.outcome, 'delivered');
    } finally {
      await closeServer(server);
    }
  });

  test('an unreachable partner is logged as a network error', async () => {
    // A port that was just free: nothing listens on it any more.
    const port = await freePort();
    const { sandbox } = testSandbox({ fetch: (request) => fetch(request), callbackRetries: 0, pointsOfSale: [{ callbackUrl: `http://127.0.0.1:${port}/cb` }] });
    const answer = await initiate(sandbox, { Amount: 100, ClientOrderId: 'A' });
    await postForm(sandbox, pagePath(answer), PAYER);
    await sandbox.control.settled();
    const [entry] = sandbox.control.callbackLog();
    assert.equal(entry?.outcome, 'error');
    assert.match(entry?.error ?? '', /ECONNREFUSED|réseau/);
  });
});
