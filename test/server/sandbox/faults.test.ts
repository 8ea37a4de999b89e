import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeServer, listen } from '../helpers/http-server.js';
import { API_KEY, initiate, pagePath, partnerHeaders, postForm, testSandbox } from './sandbox-test-helpers.js';

const PAYER = { identifier: 'etudiant@izly.test', password: 'izly1234', action: 'validate' };
// A new reference per call: the default Izly refuses a ClientOrderId used before (710).
let references = 0;
const initiateRequest = () => ({ method: 'POST', headers: partnerHeaders(), body: JSON.stringify({ Amount: 100, ClientOrderId: `A-${++references}` }) });

describe('fault injection', () => {
  test('serverErrors: the next N calls answer 503 with an Error body and have no effect', async () => {
    const { sandbox } = testSandbox();
    sandbox.control.setFaults({ serverErrors: 2 });
    for (let i = 0; i < 2; i += 1) {
      const response = await sandbox.request('/api/Izly/WebPayments', initiateRequest());
      assert.equal(response.status, 503);
      const error = (await response.json()) as { Code: number; Priority: number };
      assert.equal(error.Code, 1090);
      assert.equal(error.Priority, 2);
    }
    assert.equal(sandbox.control.operations().length, 0);
    assert.equal((await sandbox.request('/api/Izly/WebPayments', initiateRequest())).status, 200);
    assert.equal(sandbox.control.faults().serverErrors, 0);
  });

  test('malformedJson: the call is processed but its answer is cut short', async () => {
    const { sandbox } = testSandbox();
    sandbox.control.setFaults({ malformedJson: 1 });
    const response = await sandbox.request('/api/Izly/WebPayments', initiateRequest());
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.throws(() => JSON.parse(text), SyntaxError);
    assert.equal(sandbox.control.operations().length, 1);
    const next = await sandbox.request('/api/Izly/WebPayments', initiateRequest());
    assert.equal(((await next.json()) as { OperationSMoney: { Amount: number } }).OperationSMoney.Amount, 100);
  });

  test('routes limits the faults to some calls', async () => {
    const { sandbox } = testSandbox();
    sandbox.control.setFaults({ serverErrors: 1, routes: ['get'] });
    const answer = await initiate(sandbox, { Amount: 100, ClientOrderId: 'A' });
    const get = await sandbox.request(`/api/Izly/WebPayments/${answer.OperationSMoney.Id}`, { headers: partnerHeaders() });
    assert.equal(get.status, 503);
    const tokenCall = await sandbox.request('/oauth/Home/Token?grant_type=password', {
      method: 'POST',
      // The back office's key as is: the token call's Authorization of the default (strictest) Izly.
      headers: { authorization: `Basic ${API_KEY}` },
    });
    assert.equal(tokenCall.status, 400);
  });

  test('faults reach the token and users calls too', async () => {
    const { sandbox } = testSandbox();
    sandbox.control.setFaults({ serverErrors: 2, routes: ['token', 'users'] });
    assert.equal((await sandbox.request('/oauth/Home/Token?grant_type=password', { method: 'POST' })).status, 503);
    assert.equal((await sandbox.request('/api/izly/users')).status, 503);
    assert.equal((await sandbox.request('/api/izly/users')).status, 401);
  });

  test('latencyMs delays the answer (the delay is observed as a pending request, not timed)', async () => {
    const { sandbox } = testSandbox();
    sandbox.control.setFaults({ latencyMs: 30 });
    let answered = false;
    const pending = Promise.resolve(sandbox.request('/api/Izly/WebPayments', initiateRequest())).then((response) => {
      answered = true;
      return response;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(answered, false);
    assert.equal((await pending).status, 200);
  });

  test('clearFaults removes them all', async () => {
    const { sandbox } = testSandbox();
    sandbox.control.setFaults({ serverErrors: 5, dropCallbacks: true });
    sandbox.control.clearFaults();
    assert.deepEqual(sandbox.control.faults(), {});
    assert.equal((await sandbox.request('/api/Izly/WebPayments', initiateRequest())).status, 200);
  });

  test('dropCallbacks: nothing is sent, the drop is logged', async () => {
    const { sandbox, receiver } = testSandbox();
    sandbox.control.setFaults({ dropCallbacks: true });
    const answer = await initiate(sandbox, { Amount: 100, ClientOrderId: 'A' });
    await postForm(sandbox, pagePath(answer), PAYER);
    await sandbox.control.settled();
    assert.equal(receiver.received.length, 0);
    assert.deepEqual(
      sandbox.control.callbackLog().map((entry) => entry.outcome),
      ['dropped'],
    );
    assert.equal(sandbox.control.operation(answer.OperationSMoney.Id)?.status, 'Completed');
  });

  test('duplicateCallbacks: each callback is sent twice', async () => {
    const { sandbox, receiver } = testSandbox();
    sandbox.control.setFaults({ duplicateCallbacks: true });
    const answer = await initiate(sandbox, { Amount: 100, ClientOrderId: 'A' });
    await postForm(sandbox, pagePath(answer), PAYER);
    await sandbox.control.settled();
    assert.equal(receiver.received.length, 2);
    assert.equal(receiver.received[0]?.text, receiver.received[1]?.text);
    assert.deepEqual(
      sandbox.control
        .callbackLog()
        .map((entry) => entry.duplicate)
        .sort(),
      [false, true],
    );
  });

  test('refundAnswersLost: the refund is made, then its answer never arrives (over a real port too)', async () => {
    const { sandbox } = testSandbox();
    const { server, url: origin } = await listen(sandbox.fetch);
    try {
      const answer = await initiate(sandbox, { Amount: 100, ClientOrderId: 'A' });
      const id = answer.OperationSMoney.Id;
      const pending = await sandbox.request(`/api/Izly/WebPayments/${id}/Refund?clientOrderId=A`, { method: 'POST', headers: partnerHeaders() });
      assert.equal(pending.status, 400, 'a refused refund answers as usual (708) and does not use the fault up');
      assert.equal(((await pending.json()) as { Code: number }).Code, 708);
      await postForm(sandbox, pagePath(answer), PAYER);
      sandbox.control.setFaults({ refundAnswersLost: 1 });
      await assert.rejects(async () => {
        const lost = await fetch(`${origin}/api/Izly/WebPayments/${id}/Refund?clientOrderId=A`, { method: 'POST', headers: partnerHeaders() });
        await lost.text();
      });
      assert.equal(sandbox.control.operation(id)?.status, 'Refund');
      assert.equal(sandbox.control.account('etudiant@izly.test')?.balance, 10000);
      assert.equal(sandbox.control.faults().refundAnswersLost, 0);
      const again = await fetch(`${origin}/api/Izly/WebPayments/${id}/Refund?clientOrderId=A`, { method: 'POST', headers: partnerHeaders() });
      assert.equal(again.status, 400, 'asking again finds the refund already made');
      assert.equal(((await again.json()) as { Code: number }).Code, 708);
      const read = await fetch(`${origin}/api/Izly/WebPayments/${id}`, { headers: partnerHeaders() });
      assert.equal(((await read.json()) as { OperationStatus: number }).OperationStatus, 2, 'refunded, in the default numeric vocabulary');
    } finally {
      await closeServer(server);
    }
  });

  test('a bad faults object is refused', () => {
    const { sandbox } = testSandbox();
    assert.throws(() => sandbox.control.setFaults({ serverErrors: -1 }), /serverErrors/);
    assert.throws(() => sandbox.control.setFaults({ routes: ['nowhere' as 'get'] }), /routes/);
    assert.throws(() => sandbox.control.setFaults({ refundAnswersLost: true as unknown as number }), /refundAnswersLost/);
  });
});
