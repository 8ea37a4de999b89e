// Forgery and tampering: what an attacker on the internet, or a student editing requests in the browser,
// can try against a payment. Nothing marks a payment paid without Izly's word, nothing pays twice, and no
// secret appears in any answer or log line.
import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { BROKE_STUDENT, payAsStudent, STUDENT } from '../helpers/harness.js';
import { assertNoSecret, expectAdapterRefusal, expectCallbackRefusal, secretsOf, snapshot } from './answer-checks.js';
import { recordCheck } from './reliability-log.js';
import { startTargets, type Targets } from './reliability-fixture.js';
import type { CallbackAttempt } from '../../../sandbox/index.js';

describe('forgery and tampering', () => {
  let t: Targets;
  afterEach(() => t.h.close());

  const status = async (paymentId: string) => ((await (await t.h.getPayment(paymentId)).json()) as { status: string }).status;
  const genuineCallbacks = (operationId: number): CallbackAttempt[] =>
    t.h.sandbox.control.callbackLog().filter((attempt) => attempt.operationId === operationId);
  const replay = (attempt: CallbackAttempt, body: unknown = attempt.body) =>
    fetch(attempt.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  test('signed callbacks that lie: Izly’s word decides, another operation or order is refused', async () => {
    t = await startTargets();
    const { h, pending, paid } = t;
    const before = await snapshot(h);
    const signed = (target = pending) => `?${target.callbackParameters}`;
    const lies: Array<[string, string, unknown]> = [
      [
        'body claims Completed while Izly says Pending',
        signed(),
        {
          OperationSMoney: { Id: pending.operationId, ClientOrderId: pending.orderId, Status: 'Completed', Amount: '420.00' },
          Error: { Code: 0, Message: '' },
        },
      ],
      ['body claims Completed with no ids', signed(), { OperationSMoney: { Status: 'Completed' }, Error: { Code: 0 } }],
      [
        'body claims a failure while Izly says Pending',
        signed(),
        { OperationSMoney: { Id: pending.operationId, Status: 'Failed' }, Error: { Code: 2002, Message: 'Solde insuffisant' } },
      ],
    ];
    for (const [label, query, body] of lies) {
      const answer = await h.postCallback(query, body);
      assert.equal(answer.status, 200, label);
      assert.equal(await status(pending.paymentId), 'pending', label);
    }
    const pointing: Array<[string, string, unknown]> = [
      [
        "pending payment's signature, paid payment's operation",
        signed(),
        { OperationSMoney: { Id: paid.operationId, ClientOrderId: pending.orderId, Status: 'Completed' } },
      ],
      [
        "pending payment's signature, paid payment's order",
        signed(),
        { OperationSMoney: { Id: pending.operationId, ClientOrderId: paid.orderId, Status: 'Completed' } },
      ],
      [
        "paid payment's signature, pending payment's operation",
        signed(paid),
        { OperationSMoney: { Id: pending.operationId, ClientOrderId: paid.orderId, Status: 'Completed' } },
      ],
      ['an operation that does not exist', signed(), { OperationSMoney: { Id: 424242, ClientOrderId: pending.orderId, Status: 'Completed' } }],
    ];
    for (const [label, query, body] of pointing) await expectCallbackRefusal(await h.postCallback(query, body), label);
    assert.equal(await status(pending.paymentId), 'pending');
    assert.equal(await status(paid.paymentId), 'paid');
    assert.equal(h.hooks.paid.length, 1);
    // Only audit events were added; statuses, amounts and Izly's operations are as they were (the izlyStatus
    // read back is the same "Pending").
    const after = JSON.parse(await snapshot(h)) as { records: Array<{ status: string; amount: number }> };
    assert.deepEqual(
      after.records.map((r) => [r.status, r.amount]),
      (JSON.parse(before) as typeof after).records.map((r) => [r.status, r.amount]),
    );
    recordCheck({
      id: 'lying-callbacks',
      area: 'Forgery and tampering',
      tried:
        'Correctly signed callbacks that lie: success or failure claimed while Izly says Pending; pointing at another payment’s operation or order, or at an operation that does not exist',
      cases: lies.length + pointing.length,
      held: 'the payment moves only on Izly’s GET; callbacks naming another operation or order refused (409, Code 3); onPaid never called',
    });
  });

  test('a genuine callback replayed, duplicated and reordered: one paid transition, one onPaid', async () => {
    t = await startTargets();
    const { h } = t;
    h.orders.set('R-1', { amount: 300 });
    // First attempt refused (balance too low), then paid on a new click: two genuine callbacks for one order.
    const first = (await (await h.createPayment('R-1')).json()) as { paymentId: string; authorizationUrl: string };
    await payAsStudent(first.authorizationUrl, { ...BROKE_STUDENT, action: 'validate' });
    await h.sandbox.control.settled();
    assert.equal(await status(first.paymentId), 'failed');
    const second = (await (await h.createPayment('R-1')).json()) as { paymentId: string; authorizationUrl: string };
    h.sandbox.control.setFaults({ duplicateCallbacks: true });
    await payAsStudent(second.authorizationUrl, { ...STUDENT, action: 'validate' });
    await h.sandbox.control.settled();
    h.sandbox.control.clearFaults();
    const firstOperation = h.sandbox.control.operations().find((o) => o.callbackParameters.includes(first.paymentId))!.id;
    const secondOperation = h.sandbox.control.operations().find((o) => o.callbackParameters.includes(second.paymentId))!.id;
    const failure = genuineCallbacks(firstOperation)[0]!;
    const success = genuineCallbacks(secondOperation)[0]!;

    let cases = genuineCallbacks(secondOperation).length; // the duplicates Izly sent
    const replays = await Promise.all(Array.from({ length: 20 }, () => replay(success)));
    cases += replays.length;
    for (const answer of replays) assert.equal(answer.status, 200);
    // Out of order: the old failure after the success, and the success of the paid payment with the old
    // failure's body.
    const late = [await replay(failure), await replay(success, failure.body), await replay(failure, success.body)];
    cases += late.length;
    assert.equal(await status(second.paymentId), 'paid');
    assert.equal(await status(first.paymentId), 'failed');
    assert.equal(h.hooks.paid.filter((p) => p.orderId === 'R-1').length, 1);
    // The order's attempts reach Izly as R-1, R-1-2…
    assert.equal(h.sandbox.control.operations().filter((o) => /^R-1(-\d+)?$/.test(o.clientOrderId) && o.status === 'Completed').length, 1);
    recordCheck({
      id: 'replayed-callbacks',
      area: 'Forgery and tampering',
      tried:
        'Genuine callbacks duplicated by Izly, replayed 20 times at once, and reordered (an older failure after the success, bodies swapped between the two)',
      cases,
      held: 'one paid transition and one onPaid call; the failed attempt stays failed; one debit at Izly',
    });
  });

  test('the browser cannot choose the amount, reuse a key for another order, or send the student elsewhere', async () => {
    t = await startTargets();
    const { h, freshOrders } = t;
    const [orderA, orderB] = freshOrders as [string, string];
    let cases = 0;
    const tampered: Array<Record<string, unknown>> = [
      { amount: 1 },
      { amount: -420 },
      { amount: 0.01 },
      { Amount: 1 },
      { currency: 'USD' },
      { status: 'paid' },
      { paymentId: t.paid.paymentId },
    ];
    const created = (await (await h.createPayment(orderA, { body: { amount: 1, Amount: 1, status: 'paid' } })).json()) as {
      paymentId: string;
      amount: number;
      status: string;
    };
    assert.equal(created.amount, 420);
    assert.equal(created.status, 'pending');
    for (const body of tampered) {
      cases += 1;
      const again = (await (await h.createPayment(orderA, { body })).json()) as { paymentId: string; amount: number };
      assert.deepEqual([again.paymentId, again.amount], [created.paymentId, 420], JSON.stringify(body));
    }
    const operations = h.sandbox.control.operations().filter((o) => o.clientOrderId === orderA);
    assert.deepEqual(
      operations.map((o) => o.amount),
      [420],
    );

    const key = crypto.randomUUID();
    assert.equal((await h.createPayment(orderB, { key })).status, 201);
    cases += 1;
    assert.equal(await expectAdapterRefusal(await h.createPayment(orderA, { key }), 'same key, other order'), 'idempotency_key_reused');

    const foreign = ['https://evil.example/', 'http://evil.example/', `${h.partnerUrl}@evil.example/`, 'javascript:alert(document.domain)'];
    for (const returnUrl of foreign) {
      cases += 1;
      const code = await expectAdapterRefusal(await h.createPayment(freshOrders[2]!, { returnUrl }), returnUrl);
      assert.match(code, /return_url/);
    }
    // The URL Izly sends the student back to is always on the shop's origin.
    for (const operation of h.sandbox.control.operations()) {
      if (operation.redirectUrlAfterPayment) assert.equal(new URL(operation.redirectUrlAfterPayment).origin, h.partnerUrl);
    }
    cases += 1 + tampered.length;
    recordCheck({
      id: 'browser-tampering',
      area: 'Forgery and tampering',
      tried:
        'Browser-side tampering: amount, currency, status or payment id added to POST /payments; an Idempotency-Key reused for another order; returnUrl on a foreign origin or a javascript: URL',
      cases,
      held: 'the server’s amount is charged (one Izly operation of that amount); key reuse refused 409; foreign return URLs refused 400, Izly only ever gets the shop’s origin',
    });
  });

  test('cross-site POST /payments: refused without a trace at Izly', async () => {
    t = await startTargets();
    const { h, freshOrders } = t;
    const before = await snapshot(h);
    const body = JSON.stringify({ orderId: freshOrders[0], returnUrl: `${h.partnerUrl}/` });
    const attempts: Array<[string, Record<string, string>]> = [
      ['JSON from a foreign origin', { 'Content-Type': 'application/json', Origin: 'https://evil.example' }],
      ['JSON from a sandboxed iframe (Origin: null)', { 'Content-Type': 'application/json', Origin: 'null' }],
      ['JSON from a sibling port', { 'Content-Type': 'application/json', Origin: h.sandboxUrl }],
      ['HTML form, urlencoded', { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' }],
      ['HTML form, text/plain carrying JSON', { 'Content-Type': 'text/plain' }],
      ['HTML form, multipart', { 'Content-Type': 'multipart/form-data; boundary=x' }],
      ['no content type', {}],
    ];
    for (const [label, headers] of attempts) {
      const answer = await fetch(`${h.partnerUrl}/izly/payments`, { method: 'POST', headers: { 'Idempotency-Key': crypto.randomUUID(), ...headers }, body });
      assert.ok([403, 415].includes(answer.status), `${label}: ${answer.status}`);
      await expectAdapterRefusal(answer, label);
    }
    assert.equal(await snapshot(h), before);
    recordCheck({
      id: 'cross-site',
      area: 'Forgery and tampering',
      tried:
        'Cross-site POST /payments: foreign, null and sibling-port Origins; form-encoded, text/plain, multipart and missing content types (what a page on another site can send without a CORS preflight)',
      cases: attempts.length,
      held: '403 origin_not_allowed or 415 unsupported_content_type; no record, no Izly operation',
    });
  });

  test('no secret in any answer or log line, through forgeries, refusals and Izly failures', async () => {
    const lines: string[] = [];
    const logger = { warn: (message: string) => void lines.push(message), error: (message: string) => void lines.push(message) };
    const original = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
    for (const name of Object.keys(original) as Array<keyof typeof original>)
      console[name] = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
    const answers: string[] = [];
    const keep = async (response: Response) => {
      answers.push(`${response.status} ${JSON.stringify([...response.headers])} ${await response.text()}`);
    };
    try {
      t = await startTargets({ adapter: { logger, timeoutMs: 200, retries: 0 } });
      const { h, pending, paid, freshOrders } = t;
      const p = pending.paymentId;
      await keep(await h.postCallback(`?p=${p}&s=${paid.signature}`, {}));
      await keep(await h.postCallback(`?p=${p}&s=bad`, '{'));
      await keep(await h.postCallback(`?${pending.callbackParameters}`, { OperationSMoney: { Id: paid.operationId } }));
      await keep(await h.postCallback(`?${paid.callbackParameters}`, { OperationSMoney: { Id: paid.operationId, ClientOrderId: 'other' } }));
      await keep(await h.createPayment(freshOrders[0]!, { headers: { Origin: 'https://evil.example' } }));
      h.sandbox.control.setFaults({ serverErrors: 5, routes: ['initiate', 'get'] });
      await keep(await h.createPayment(freshOrders[1]!));
      await keep(await h.getPayment(p));
      await keep(await h.postCallback(`?${pending.callbackParameters}`, {}));
      h.sandbox.control.setFaults({ latencyMs: 400, routes: ['initiate'] });
      await keep(await h.createPayment(freshOrders[2]!));
      h.sandbox.control.setFaults({ malformedJson: 2, routes: ['get', 'refund'] });
      await keep(await h.postCallback(`?${pending.callbackParameters}`, {}));
      await keep(await fetch(`${h.partnerUrl}/izly/payments/${paid.paymentId}/refund`, { method: 'POST', headers: { 'X-Staff': 'yes' } }));
      h.sandbox.control.clearFaults();
      // The order() hook throwing: its message is logged, never returned.
      h.orders.set('boom', { amount: Number.NaN });
      await keep(await h.createPayment('boom'));
      await keep(await h.getPayment(p, 0));
      const signatures = h.sandbox.control
        .operations()
        .map((o) => new URLSearchParams(o.callbackParameters).get('s') ?? '')
        .filter(Boolean);
      const secrets = secretsOf(h, signatures);
      assert.ok(lines.length >= 5, `expected warnings to be logged, got ${lines.length}`);
      for (const answer of answers) assertNoSecret(answer, secrets, 'answer');
      for (const line of lines) assertNoSecret(line, secrets, 'log line');
      recordCheck({
        id: 'secrets',
        area: 'Forgery and tampering',
        tried:
          'Secrets in answers and logs: forged and mismatched callbacks, a foreign origin, Izly answering 503, timing out and garbling its JSON, a broken order() hook; the adapter’s logger and the console captured',
        cases: answers.length + lines.length,
        held: `no API key, Basic credentials, callback secret or payment signature (${signatures.length} checked) in ${answers.length} answers and ${lines.length} log lines`,
      });
    } finally {
      Object.assign(console, original);
    }
  });
});
