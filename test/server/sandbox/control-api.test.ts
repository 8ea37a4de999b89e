import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Account, CallbackAttempt, Operation, PointOfSale } from '../../../sandbox/index.js';
import { APP_IDENTIFIER, control, initiate, pagePath, partnerHeaders, postForm, testSandbox } from './sandbox-test-helpers.js';

const json = (method: string, body: unknown) => control(method, body);

describe('the control API (/sandbox/api)', () => {
  test('GET /state lists points of sale, accounts, operations, callback log and faults', async () => {
    const { sandbox } = testSandbox();
    const answer = await initiate(sandbox, { Amount: 100, ClientOrderId: 'A' });
    await postForm(sandbox, pagePath(answer), { identifier: 'etudiant@izly.test', password: 'izly1234', action: 'validate' });
    await sandbox.control.settled();
    const state = (await (await sandbox.request('/sandbox/api/state', control())).json()) as {
      pointsOfSale: PointOfSale[];
      accounts: Account[];
      operations: Operation[];
      callbackLog: CallbackAttempt[];
      faults: object;
    };
    assert.equal(state.pointsOfSale[0]?.appIdentifier, APP_IDENTIFIER);
    assert.equal(state.accounts.length, 3);
    assert.equal(state.accounts.find((account) => account.email === 'etudiant@izly.test')?.balance, 9900);
    assert.equal(state.operations[0]?.status, 'Completed');
    assert.equal(state.callbackLog[0]?.outcome, 'delivered');
    assert.deepEqual(state.faults, {});
  });

  test('PATCH a point of sale changes its flags; the partner API follows', async () => {
    const { sandbox } = testSandbox();
    const response = await sandbox.request(`/sandbox/api/points-of-sale/${APP_IDENTIFIER}`, json('PATCH', { izlyPay: false }));
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as PointOfSale).izlyPay, false);
    const refused = await sandbox.request('/api/Izly/WebPayments', {
      method: 'POST',
      headers: partnerHeaders(),
      body: JSON.stringify({ Amount: 1, ClientOrderId: 'A' }),
    });
    assert.equal(refused.status, 403);
  });

  test('PATCH an account changes its balance and debt', async () => {
    const { sandbox } = testSandbox();
    const response = await sandbox.request('/sandbox/api/accounts/etudiant@izly.test', json('PATCH', { balance: 100, unpaidDebt: true }));
    assert.equal(response.status, 200);
    assert.equal(sandbox.control.account('etudiant@izly.test')?.balance, 100);
    assert.equal(sandbox.control.account('0612345678')?.unpaidDebt, true);
  });

  test('bad changes answer 400, unknown records 404, with the house error shape', async () => {
    const { sandbox } = testSandbox();
    const bad = await sandbox.request(`/sandbox/api/points-of-sale/${APP_IDENTIFIER}`, json('PATCH', { approved: 'yes' }));
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'invalid_request');
    assert.equal((await sandbox.request('/sandbox/api/points-of-sale/nobody', json('PATCH', { approved: true }))).status, 404);
    assert.equal((await sandbox.request('/sandbox/api/accounts/nobody@izly.test', json('PATCH', { balance: 1 }))).status, 404);
    assert.equal((await sandbox.request('/sandbox/api/accounts/etudiant@izly.test', json('PATCH', { balance: 1.5 }))).status, 400);
    assert.equal((await sandbox.request('/sandbox/api/operations/1', control())).status, 404);
  });

  test('PUT and DELETE /faults set and clear faults', async () => {
    const { sandbox } = testSandbox();
    const put = await sandbox.request('/sandbox/api/faults', json('PUT', { serverErrors: 1, routes: ['initiate'] }));
    assert.equal(put.status, 200);
    assert.deepEqual(sandbox.control.faults(), { serverErrors: 1, routes: ['initiate'] });
    assert.equal((await sandbox.request('/sandbox/api/faults', json('PUT', { nonsense: 1 }))).status, 400);
    assert.equal((await sandbox.request('/sandbox/api/faults', control('DELETE'))).status, 200);
    assert.deepEqual(sandbox.control.faults(), {});
  });

  test('operations, one operation, authorize (for benchmarks) and the callback log', async () => {
    const { sandbox } = testSandbox();
    const id = (await initiate(sandbox, { Amount: 100, ClientOrderId: 'A' })).OperationSMoney.Id;
    const authorized = await sandbox.request(
      `/sandbox/api/operations/${id}/authorize`,
      json('POST', { identifier: 'etudiant@izly.test', password: 'izly1234' }),
    );
    assert.deepEqual(await authorized.json(), { kind: 'accepted' });
    assert.equal(((await (await sandbox.request(`/sandbox/api/operations/${id}`, control())).json()) as Operation).status, 'Completed');
    assert.equal(((await (await sandbox.request('/sandbox/api/operations', control())).json()) as Operation[]).length, 1);
    const log = (await (await sandbox.request('/sandbox/api/callbacks/settled', control())).json()) as CallbackAttempt[];
    assert.equal(log[0]?.outcome, 'delivered');
  });

  test('control getters return copies', () => {
    const { sandbox } = testSandbox();
    const account = sandbox.control.account('etudiant@izly.test');
    if (account) account.balance = 0;
    assert.equal(sandbox.control.account('etudiant@izly.test')?.balance, 10000);
  });
});

describe('the home page', () => {
  test('lists the point of sale, the accounts with balances, the operations and the callback log', async () => {
    const { sandbox } = testSandbox();
    const answer = await initiate(sandbox, { Amount: 350, ClientOrderId: 'CMD-77' });
    await postForm(sandbox, pagePath(answer), { identifier: 'etudiant@izly.test', password: 'izly1234', action: 'validate' });
    await sandbox.control.settled();
    const response = await sandbox.request('/');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const html = await response.text();
    assert.match(html, /<h1>Bac à sable Izly<\/h1>/);
    assert.match(html, /izly-pay-demo/);
    assert.match(html, /aXpseS1wYXktZGVtbzpzYW5kYm94LWRlbW8tc2VjcmV0/);
    assert.match(html, /etudiant@izly\.test/);
    assert.match(html, /96,50\u00a0€/);
    assert.match(html, /CMD-77/);
    assert.match(html, /status-Completed/);
    assert.match(html, /status-delivered/);
  });
});
