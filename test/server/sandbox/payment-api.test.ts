import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Sandbox, SandboxOptions } from '../../../sandbox/index.js';
import { API_KEY, APP_IDENTIFIER, initiate, pagePath, partnerHeaders, postForm, testSandbox } from './sandbox-test-helpers.js';

const createSandbox = (options: SandboxOptions = {}) => testSandbox(options).sandbox;

// 2021-12-09T18:53:34 in Paris (UTC+1 in December): the document's example date.
const EXAMPLE_INSTANT = Date.parse('2021-12-09T17:53:34Z');

/**
 * A sandbox set up with the values of the document's examples, and as the document reads (the lenient Izly:
 * amounts in euros, its status names), since the examples are replayed byte for byte.
 */
function exampleSandbox() {
  return createSandbox({
    izly: 'lenient',
    now: () => EXAMPLE_INSTANT,
    pointsOfSale: [{ appIdentifier: 'Paris-78-78-78-78', apiKey: 'RPPEQsqOWRiSGkoCgEFO', beneficiaryId: '49915', callbackAllowListed: false }],
    accounts: [{ email: 'test@test.com', id: '6000050617', clientCode: 'patricka23', balance: 1000, password: 'secret' }],
  });
}

const exampleHeaders = partnerHeaders({ authorization: 'Basic RPPEQsqOWRiSGkoCgEFO', appidentifier: 'Paris-78-78-78-78' });

async function paidOperation(sandbox: Sandbox, body: Record<string, unknown> = { Amount: 350, ClientOrderId: 'A-1' }) {
  const answer = await initiate(sandbox, body);
  await postForm(sandbox, pagePath(answer), { identifier: 'etudiant@izly.test', password: 'izly1234', action: 'validate' });
  return answer.OperationSMoney.Id;
}

describe('the contract examples, replayed', () => {
  test('GET WebPayments/{id} answers the example object, byte for byte', async () => {
    const sandbox = exampleSandbox();
    const answer = await initiate(sandbox, { Amount: 100, ClientOrderId: '100003685', Message: 'test 1' }, exampleHeaders);
    assert.equal(answer.OperationSMoney.Id, 52795);
    await postForm(sandbox, pagePath(answer), { identifier: 'test@test.com', password: 'secret', action: 'validate' });

    const response = await sandbox.request('/api/Izly/WebPayments/52795', { headers: exampleHeaders });
    assert.equal(response.status, 200);
    assert.equal(
      await response.text(),
      '{"OperationId":52795,"IdTransactionDebitIzly":63535,"Amount":1.00,"BeneficiarySmoneyId":"49915",' +
        '"BeneficiaryClientId":"Paris-78-78-78-78","CustomerSmoneyId":"6000050617","CustomerEmail":"test@test.com",' +
        '"CustomerClientCode":"patricka23","OperationStatus":"Completed","Error":"","ClientParameters":null,' +
        '"Message":"test 1","PaymentDate":"2021-12-09T18:53:34","OrderId":"100003685"}',
    );
  });

  test('Refund answers the example object, byte for byte, with the document\'s "clientOrderId=/" spelling', async () => {
    const sandbox = exampleSandbox();
    const answer = await initiate(sandbox, { Amount: 100, ClientOrderId: '100003685', Message: 'test 1' }, exampleHeaders);
    await postForm(sandbox, pagePath(answer), { identifier: 'test@test.com', password: 'secret', action: 'validate' });

    const response = await sandbox.request('/api/Izly/WebPayments/52795/Refund?clientOrderId=/100003685', { method: 'POST', headers: exampleHeaders });
    assert.equal(response.status, 200);
    assert.equal(
      await response.text(),
      '{"OperationId":52795,"IdTransactionDebitIzly":63535,"RefundDate":"2021-12-09T18:53:34","Amount":1.00,' +
        '"OperationStatus":"Refund","ClientOrderId":"100003685"}',
    );
  });

  test('an unknown operation answers error 356 on GET and on Refund', async () => {
    const sandbox = createSandbox();
    const expected = { Code: 356, ErrorMessage: 'Opération introuvable', Title: "L'opération ne peut pas aboutir", Priority: 2 };
    // Xpollens answers its codes with HTTP 400 (errorCodes: 'xpollens', the default).
    const get = await sandbox.request('/api/Izly/WebPayments/99999', { headers: partnerHeaders() });
    assert.equal(get.status, 400);
    assert.deepEqual(await get.json(), expected);
    const refund = await sandbox.request('/api/Izly/WebPayments/99999/Refund?clientOrderId=A-1', { method: 'POST', headers: partnerHeaders() });
    assert.equal(refund.status, 400);
    assert.deepEqual(await refund.json(), expected);
    const notANumber = await sandbox.request('/api/Izly/WebPayments/abc', { headers: partnerHeaders() });
    assert.deepEqual(await notANumber.json(), expected);
  });

  test("the standard Basic header of the document's example (AppIdentifier:apiKey) is accepted", async () => {
    const sandbox = createSandbox({ pointsOfSale: [{ appIdentifier: 'izly-connect-test1', apiKey: 'RPPEQsqOWRiSGkoCgEFO' }] });
    const headers = partnerHeaders({ authorization: 'Basic aXpseS1jb25uZWN0LXRlc3QxOlJQUEVRc3FPV1JpU0drb0NnRUZP', appidentifier: 'izly-connect-test1' });
    const answer = await initiate(sandbox, { Amount: 100, ClientOrderId: 'X' }, headers);
    assert.equal(answer.Beneficiary.ClientId, 'izly-connect-test1');
  });
});

describe('POST /api/Izly/WebPayments', () => {
  test('answers the authorization URL, the new Pending operation and the beneficiary', async () => {
    const sandbox = createSandbox({ publicUrl: 'http://127.0.0.1:8790/' });
    const answer = await initiate(sandbox, { Amount: 350, ClientOrderId: 'A-1042', Message: 'Commande A-1042', Software: 3 });
    assert.match(answer.PaymentAuthorizationUrl, /^http:\/\/127\.0\.0\.1:8790\/payment\/[A-Za-z0-9_-]{40,}$/);
    assert.deepEqual(Object.keys(answer.OperationSMoney), ['Id', 'IdTransactionDebitIzly', 'Amount', 'Date', 'Message', 'ClientOrderId', 'Status']);
    assert.equal(answer.OperationSMoney.Amount, 350);
    assert.equal(answer.OperationSMoney.ClientOrderId, 'A-1042');
    assert.equal(answer.OperationSMoney.Message, 'Commande A-1042');
    // S-money's numeric vocabulary (the default): 0 is pending.
    assert.equal(answer.OperationSMoney.Status, 0);
    assert.match(answer.OperationSMoney.Date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.deepEqual(answer.Beneficiary, { Id: '49915', ClientId: APP_IDENTIFIER });
  });

  test('operation ids increase and each operation gets its own page', async () => {
    const sandbox = createSandbox();
    const first = await initiate(sandbox, { Amount: 100, ClientOrderId: 'A' });
    const second = await initiate(sandbox, { Amount: 100, ClientOrderId: 'B' });
    assert.equal(second.OperationSMoney.Id, first.OperationSMoney.Id + 1);
    assert.ok(second.OperationSMoney.IdTransactionDebitIzly > first.OperationSMoney.IdTransactionDebitIzly);
    assert.notEqual(first.PaymentAuthorizationUrl, second.PaymentAuthorizationUrl);
  });

  test('binds property names case-insensitively (camelCase as esup-papercut sends them)', async () => {
    const sandbox = createSandbox();
    const answer = await initiate(sandbox, { amount: 200, clientOrderId: 'papercut-7', callbackParameters: '', message: 'impressions' });
    assert.equal(answer.OperationSMoney.Amount, 200);
    assert.equal(answer.OperationSMoney.ClientOrderId, 'papercut-7');
    assert.equal(answer.OperationSMoney.Message, 'impressions');
    const shouting = await initiate(sandbox, { AMOUNT: 300, CLIENTORDERID: 'loud' });
    assert.equal(shouting.OperationSMoney.Amount, 300);
  });

  test('accepts the former S-money content type and matches paths in any case', async () => {
    const sandbox = createSandbox();
    const response = await sandbox.request('/api/izly/webpayments', {
      method: 'POST',
      headers: partnerHeaders({ 'content-type': 'application/vnd.s-money.v1+json; charset=utf-8' }),
      body: JSON.stringify({ Amount: 100, ClientOrderId: 'A' }),
    });
    assert.equal(response.status, 200);
  });

  // The sandbox's own code of each refusal; Xpollens' (the default errorCodes) is 364 for all of them.
  const invalidBodies: Array<[string, string, number]> = [
    ['no amount', JSON.stringify({ ClientOrderId: 'A' }), 1021],
    ['a zero amount', JSON.stringify({ Amount: 0, ClientOrderId: 'A' }), 1021],
    ['a negative amount', JSON.stringify({ Amount: -5, ClientOrderId: 'A' }), 1021],
    ['a decimal amount', JSON.stringify({ Amount: 3.5, ClientOrderId: 'A' }), 1021],
    ['an amount as a string', JSON.stringify({ Amount: '350', ClientOrderId: 'A' }), 1021],
    ['an amount over the bound', JSON.stringify({ Amount: 100_001, ClientOrderId: 'A' }), 1021],
    ['no order id', JSON.stringify({ Amount: 100 }), 1022],
    ['a blank order id', JSON.stringify({ Amount: 100, ClientOrderId: '  ' }), 1022],
    ['an order id too long', JSON.stringify({ Amount: 100, ClientOrderId: 'x'.repeat(51) }), 1022],
    ['an order id with a line break', JSON.stringify({ Amount: 100, ClientOrderId: 'A-1\nB' }), 1022],
    ['an order id with a NUL', JSON.stringify({ Amount: 100, ClientOrderId: 'A-1\u0000' }), 1022],
    ['an order id with a tab', JSON.stringify({ Amount: 100, ClientOrderId: 'A\t1' }), 1022],
    ['an order id with DEL', JSON.stringify({ Amount: 100, ClientOrderId: 'A-1\u007f' }), 1022],
    ['an order id with a C1 control (NEL)', JSON.stringify({ Amount: 100, ClientOrderId: 'A-1\u0085' }), 1022],
    ['a relative redirect URL', JSON.stringify({ Amount: 100, ClientOrderId: 'A', RedirectUrlAfterPayment: '/back' }), 1023],
    ['a non-integer Software', JSON.stringify({ Amount: 100, ClientOrderId: 'A', Software: 'x' }), 1023],
    ['a body that is not JSON', '{"Amount": 1', 1020],
    ['a JSON array', '[]', 1020],
  ];
  for (const [name, body, ownCode] of invalidBodies) {
    test(`refuses ${name} with 400 and code 364 (${ownCode} with errorCodes 'sandbox')`, async () => {
      for (const [options, code] of [
        [{}, 364],
        [{ izly: { errorCodes: 'sandbox' } }, ownCode],
      ] as const) {
        const sandbox = createSandbox(options);
        const response = await sandbox.request('/api/Izly/WebPayments', { method: 'POST', headers: partnerHeaders(), body });
        assert.equal(response.status, 400);
        const error = (await response.json()) as { Code: number; ErrorMessage: string; Title: string; Priority: number };
        assert.equal(error.Code, code);
        assert.equal(error.Priority, 2);
        assert.ok(error.ErrorMessage.length > 0 && error.Title.length > 0);
        assert.equal(sandbox.control.operations().length, 0);
      }
    });
  }
});

describe('the common headers and the point of sale flags', () => {
  const body = JSON.stringify({ Amount: 100, ClientOrderId: 'A' });
  // The HTTP status and Xpollens' code (the default errorCodes), then the sandbox's own code.
  const cases: Array<[string, Record<string, string>, number, number, number]> = [
    ['no Authorization', { authorization: '' }, 401, 362, 1001],
    ['a Bearer Authorization', { authorization: `Bearer ${API_KEY}` }, 401, 362, 1001],
    ['an unknown raw key', { authorization: 'Basic not-the-key' }, 401, 362, 1002],
    ['a standard Basic pair with the wrong key', { authorization: `Basic ${btoa(`${APP_IDENTIFIER}:wrong`)}` }, 401, 362, 1002],
    ['no AppIdentifier', { appidentifier: '' }, 401, 362, 1003],
    ['an AppIdentifier of another POS', { appidentifier: 'someone-else' }, 401, 362, 1003],
    ['plain application/json', { 'content-type': 'application/json' }, 415, 1004, 1004],
    ['no Content-Type', { 'content-type': '' }, 415, 1004, 1004],
  ];
  for (const [name, overrides, status, code, ownCode] of cases) {
    test(`${name} → ${status} code ${code} (${ownCode} with errorCodes 'sandbox')`, async () => {
      for (const [options, expected] of [
        [{}, code],
        [{ izly: { errorCodes: 'sandbox' } }, ownCode],
      ] as const) {
        const sandbox = createSandbox(options);
        const headers = Object.fromEntries(Object.entries(partnerHeaders(overrides)).filter(([, value]) => value !== ''));
        const response = await sandbox.request('/api/Izly/WebPayments', { method: 'POST', headers, body });
        assert.equal(response.status, status);
        assert.equal(((await response.json()) as { Code: number }).Code, expected);
      }
    });
  }

  test('GET accepts no Content-Type but refuses a wrong one', async () => {
    const sandbox = createSandbox();
    const id = (await initiate(sandbox, { Amount: 100, ClientOrderId: 'A' })).OperationSMoney.Id;
    const { 'content-type': _dropped, ...withoutType } = partnerHeaders();
    assert.equal((await sandbox.request(`/api/Izly/WebPayments/${id}`, { headers: withoutType })).status, 200);
    const wrong = await sandbox.request(`/api/Izly/WebPayments/${id}`, { headers: partnerHeaders({ 'content-type': 'text/plain' }) });
    assert.equal(wrong.status, 415);
  });

  const flags: Array<[string, 'approved' | 'paymentEnabled' | 'izlyPay', number]> = [
    ['not approved', 'approved', 1010],
    ['payment disabled', 'paymentEnabled', 1011],
    ['IzlyPay not ticked', 'izlyPay', 1012],
  ];
  for (const [name, flag, code] of flags) {
    test(`a POS ${name} → 403 code ${code} on every payment call`, async () => {
      const sandbox = createSandbox();
      const id = (await initiate(sandbox, { Amount: 100, ClientOrderId: 'A' })).OperationSMoney.Id;
      sandbox.control.updatePointOfSale(APP_IDENTIFIER, { [flag]: false });
      const calls = [
        sandbox.request('/api/Izly/WebPayments', { method: 'POST', headers: partnerHeaders(), body }),
        sandbox.request(`/api/Izly/WebPayments/${id}`, { headers: partnerHeaders() }),
        sandbox.request(`/api/Izly/WebPayments/${id}/Refund?clientOrderId=A`, { method: 'POST', headers: partnerHeaders() }),
      ];
      for (const response of await Promise.all(calls)) {
        assert.equal(response.status, 403);
        assert.equal(((await response.json()) as { Code: number }).Code, code);
      }
    });
  }

  test("another POS's operation is unknown (356) to this POS", async () => {
    const sandbox = createSandbox({ pointsOfSale: [{}, { appIdentifier: 'other-shop', apiKey: 'other-key' }] });
    const id = (await initiate(sandbox, { Amount: 100, ClientOrderId: 'A' })).OperationSMoney.Id;
    const response = await sandbox.request(`/api/Izly/WebPayments/${id}`, {
      headers: partnerHeaders({ authorization: 'Basic other-key', appidentifier: 'other-shop' }),
    });
    assert.equal(response.status, 400, "Xpollens' 356 comes with HTTP 400");
    assert.equal(((await response.json()) as { Code: number }).Code, 356);
  });
});

describe('GET /api/Izly/WebPayments/{id}', () => {
  test('a pending operation has empty customer fields and its amount as a decimal of cents (of euros with amountUnit euros)', async () => {
    const sandbox = createSandbox();
    const id = (await initiate(sandbox, { Amount: 1234, ClientOrderId: 'A' })).OperationSMoney.Id;
    const response = await sandbox.request(`/api/Izly/WebPayments/${id}`, { headers: partnerHeaders() });
    const text = await response.text();
    assert.match(text, /"Amount":1234\.00,/);
    sandbox.control.updateIzly({ amountUnit: 'euros' });
    assert.match(await (await sandbox.request(`/api/Izly/WebPayments/${id}`, { headers: partnerHeaders() })).text(), /"Amount":12\.34,/);
    const answer = JSON.parse(text) as Record<string, unknown>;
    assert.equal(answer.OperationStatus, 0, 'pending, in the default numeric vocabulary');
    assert.equal(answer.CustomerEmail, '');
    assert.equal(answer.CustomerSmoneyId, '');
    assert.equal(answer.Error, '');
    assert.equal(answer.ClientParameters, null);
  });

  test('a paid operation names the customer', async () => {
    const sandbox = createSandbox();
    const id = await paidOperation(sandbox);
    const answer = (await (await sandbox.request(`/api/Izly/WebPayments/${id}`, { headers: partnerHeaders() })).json()) as Record<string, unknown>;
    assert.equal(answer.OperationStatus, 1, 'completed, in the default numeric vocabulary');
    assert.equal(answer.CustomerEmail, 'etudiant@izly.test');
    assert.equal(answer.CustomerClientCode, 'cmartin01');
    assert.equal(answer.CustomerSmoneyId, '6000050617');
  });

  test('an operation left pending past its lifetime reads Expired', async () => {
    let now = Date.parse('2025-03-01T10:00:00Z');
    const sandbox = createSandbox({ now: () => now, operationTtlMs: 60_000 });
    const id = (await initiate(sandbox, { Amount: 100, ClientOrderId: 'A' })).OperationSMoney.Id;
    now += 60_000;
    const answer = (await (await sandbox.request(`/api/Izly/WebPayments/${id}`, { headers: partnerHeaders() })).json()) as Record<string, unknown>;
    assert.equal(answer.OperationStatus, 7, 'expired, in the default numeric vocabulary');
  });
});

describe('POST /api/Izly/WebPayments/{id}/Refund', () => {
  test('gives the whole amount back to the account and takes it from the partner', async () => {
    const sandbox = createSandbox();
    const id = await paidOperation(sandbox, { Amount: 350, ClientOrderId: 'A-1' });
    assert.equal(sandbox.control.account('etudiant@izly.test')?.balance, 10000 - 350);
    assert.equal(sandbox.control.pointOfSale(APP_IDENTIFIER)?.balance, 350);

    const response = await sandbox.request(`/api/Izly/WebPayments/${id}/Refund?clientOrderId=A-1`, { method: 'POST', headers: partnerHeaders() });
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.match(text, /"Amount":350\.00,/, 'a decimal of cents (amountUnit cents, the default)');
    const answer = JSON.parse(text) as Record<string, unknown>;
    assert.deepEqual(Object.keys(answer), ['OperationId', 'IdTransactionDebitIzly', 'RefundDate', 'Amount', 'OperationStatus', 'ClientOrderId']);
    assert.equal(answer.OperationStatus, 2, 'refunded, in the default numeric vocabulary');
    assert.equal(answer.ClientOrderId, 'A-1');
    assert.equal(sandbox.control.account('etudiant@izly.test')?.balance, 10000);
    assert.equal(sandbox.control.pointOfSale(APP_IDENTIFIER)?.balance, 0);
    assert.equal(sandbox.control.operation(id)?.status, 'Refund');
    const read = (await (await sandbox.request(`/api/Izly/WebPayments/${id}`, { headers: partnerHeaders() })).json()) as Record<string, unknown>;
    assert.equal(read.OperationStatus, 2);
  });

  // Xpollens' code and HTTP status (the default errorCodes), then the sandbox's own.
  const refusals = [
    [{}, 400, 708],
    [{ izly: { errorCodes: 'sandbox' } }, 409, 1030],
  ] as const;

  test('a second refund is refused with 400 code 708 (409 code 1030 with errorCodes sandbox) and gives nothing more back', async () => {
    for (const [options, status, code] of refusals) {
      const sandbox = createSandbox(options);
      const id = await paidOperation(sandbox);
      await sandbox.request(`/api/Izly/WebPayments/${id}/Refund?clientOrderId=A-1`, { method: 'POST', headers: partnerHeaders() });
      const again = await sandbox.request(`/api/Izly/WebPayments/${id}/Refund?clientOrderId=A-1`, { method: 'POST', headers: partnerHeaders() });
      assert.equal(again.status, status);
      assert.equal(((await again.json()) as { Code: number }).Code, code);
      assert.equal(sandbox.control.account('etudiant@izly.test')?.balance, 10000);
    }
  });

  test('a wrong or missing clientOrderId is refused with 400 code 364 (1032 with errorCodes sandbox)', async () => {
    for (const [options, code] of [
      [{}, 364],
      [{ izly: { errorCodes: 'sandbox' } }, 1032],
    ] as const) {
      const sandbox = createSandbox(options);
      const id = await paidOperation(sandbox);
      for (const query of ['?clientOrderId=B-2', '', '?clientOrderId=']) {
        const response = await sandbox.request(`/api/Izly/WebPayments/${id}/Refund${query}`, { method: 'POST', headers: partnerHeaders() });
        assert.equal(response.status, 400);
        assert.equal(((await response.json()) as { Code: number }).Code, code);
      }
      assert.equal(sandbox.control.operation(id)?.status, 'Completed');
    }
  });

  test('the query parameter name is bound case-insensitively', async () => {
    const sandbox = createSandbox();
    const id = await paidOperation(sandbox);
    const response = await sandbox.request(`/api/izly/webpayments/${id}/refund?ClientOrderId=A-1`, { method: 'POST', headers: partnerHeaders() });
    assert.equal(response.status, 200);
  });

  test('an operation that is not Completed is refused with 400 code 708 (409 code 1031 with errorCodes sandbox)', async () => {
    for (const [options, status, code] of [
      [{}, 400, 708],
      [{ izly: { errorCodes: 'sandbox' } }, 409, 1031],
    ] as const) {
      const sandbox = createSandbox(options);
      const id = (await initiate(sandbox, { Amount: 100, ClientOrderId: 'A' })).OperationSMoney.Id;
      const response = await sandbox.request(`/api/Izly/WebPayments/${id}/Refund?clientOrderId=A`, { method: 'POST', headers: partnerHeaders() });
      assert.equal(response.status, status);
      assert.equal(((await response.json()) as { Code: number }).Code, code);
    }
  });
});
