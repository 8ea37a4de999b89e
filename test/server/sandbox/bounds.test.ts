// The sandbox's numbers are bounded: what it keeps and what it reads cannot grow without end.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSandbox } from '../../../sandbox/index.js';
import { initiate, pagePath, partnerHeaders, postForm, testSandbox } from './sandbox-test-helpers.js';

describe('bounds', () => {
  test('at most maxOperations kept: the oldest decided ones are forgotten, pending ones kept, and creations refused while all are pending', async () => {
    const { sandbox } = testSandbox({ maxOperations: 3 });
    const first = await initiate(sandbox, { Amount: 100, ClientOrderId: 'A' });
    await postForm(sandbox, pagePath(first), { identifier: 'etudiant@izly.test', password: 'izly1234', action: 'cancel' });
    await initiate(sandbox, { Amount: 100, ClientOrderId: 'B' });
    await initiate(sandbox, { Amount: 100, ClientOrderId: 'C' });
    await initiate(sandbox, { Amount: 100, ClientOrderId: 'D' });
    assert.deepEqual(
      sandbox.control.operations().map((operation) => operation.clientOrderId),
      ['D', 'C', 'B'],
    );
    assert.equal((await sandbox.request(pagePath(first))).status, 404);

    const refused = await sandbox.request('/api/Izly/WebPayments', {
      method: 'POST',
      headers: partnerHeaders(),
      body: JSON.stringify({ Amount: 100, ClientOrderId: 'E' }),
    });
    assert.equal(refused.status, 503);
    assert.equal(((await refused.json()) as { Code: number }).Code, 1040);
    assert.equal(sandbox.control.operations().length, 3);
  });

  test('a request body over 64 KiB: 413 in Izly’s shape on its API, in the sandbox’s on the control API, nothing created', async () => {
    const { sandbox } = testSandbox();
    const big = JSON.stringify({ Amount: 100, ClientOrderId: 'A', Message: 'x'.repeat(70 * 1024) });
    const partner = await sandbox.request('/api/Izly/WebPayments', { method: 'POST', headers: partnerHeaders(), body: big });
    assert.equal(partner.status, 413);
    assert.deepEqual(Object.keys((await partner.json()) as object), ['Code', 'ErrorMessage', 'Title', 'Priority']);
    assert.equal(sandbox.control.operations().length, 0);
    const controlApi = await sandbox.request('/sandbox/api/faults', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: big });
    assert.equal(controlApi.status, 413);
    assert.equal(((await controlApi.json()) as { error: { code: string } }).error.code, 'payload_too_large');
  });

  test('Message and CallbackParameters are bounded (255 and 1000 characters)', async () => {
    const { sandbox } = testSandbox();
    for (const field of [{ Message: 'x'.repeat(256) }, { CallbackParameters: 'x'.repeat(1001) }]) {
      const answer = await sandbox.request('/api/Izly/WebPayments', {
        method: 'POST',
        headers: partnerHeaders(),
        body: JSON.stringify({ Amount: 100, ClientOrderId: 'A', ...field }),
      });
      assert.equal(answer.status, 400);
    }
  });

  test('at most 1000 accounts and 100 points of sale', () => {
    const accounts = Array.from({ length: 1001 }, (_, index) => ({ email: `a${index}@izly.test` }));
    assert.throws(() => createSandbox({ accounts }), /accounts: at most 1000/);
    const pointsOfSale = Array.from({ length: 101 }, (_, index) => ({ appIdentifier: `pos-${index}`, apiKey: `key-${index}` }));
    assert.throws(() => createSandbox({ pointsOfSale }), /pointsOfSale: at most 100/);
  });
});
