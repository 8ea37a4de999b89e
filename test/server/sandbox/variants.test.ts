// The sandbox as each plausible Izly (issue 12): every value of every switch, seen over HTTP as a partner
// would see it, plus the presets, the strict checks of the config and of the control API.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../e2e/helpers/processes.js';
import { createSandbox, IZLY_SWITCHES, type CallbackBody, type IzlyBehaviour, type Sandbox, type SandboxOptions } from '../../../sandbox/index.js';
import { API_KEY, APP_IDENTIFIER, control, initiate, pagePath, partnerHeaders, postForm, testSandbox } from './sandbox-test-helpers.js';

const PAYER = { identifier: 'etudiant@izly.test', password: 'izly1234', action: 'validate' };
const json = (method: string, body: unknown) => control(method, body);

/**
 * A sandbox being one Izly: these switches over the lenient preset, so that each switch is seen alone (the
 * defaults are every strictest value at once).
 */
function sandboxAs(izly: Partial<IzlyBehaviour>, options: SandboxOptions = {}) {
  return testSandbox({ ...options, izly: { preset: 'lenient', ...izly } });
}

async function errorOf(response: Response): Promise<{ status: number; Code: number; ErrorMessage: string }> {
  const body = (await response.json()) as { Code: number; ErrorMessage: string };
  return { status: response.status, Code: body.Code, ErrorMessage: body.ErrorMessage };
}

async function paid(sandbox: Sandbox, body: Record<string, unknown> = { Amount: 350, ClientOrderId: 'A-1' }, headers = partnerHeaders()) {
  const answer = await initiate(sandbox, body, headers);
  await postForm(sandbox, pagePath(answer), PAYER);
  return answer.OperationSMoney.Id;
}

const getOperation = (sandbox: Sandbox, id: number) => Promise.resolve(sandbox.request(`/api/Izly/WebPayments/${id}`, { headers: partnerHeaders() }));
const refund = (sandbox: Sandbox, id: number, clientOrderId = 'A-1') =>
  Promise.resolve(sandbox.request(`/api/Izly/WebPayments/${id}/Refund?clientOrderId=${clientOrderId}`, { method: 'POST', headers: partnerHeaders() }));

describe('Izly switches: defaults, presets and strict checks', () => {
  test('by default every switch is at its strictest value; "lenient" sets every switch to the document\'s easiest reading', () => {
    const strictest = Object.fromEntries(Object.entries(IZLY_SWITCHES).map(([name, { strictest: value }]) => [name, value]));
    const lenient = Object.fromEntries(Object.entries(IZLY_SWITCHES).map(([name, { lenient: value }]) => [name, value]));
    assert.deepEqual(createSandbox().control.izly(), strictest);
    assert.deepEqual(strictest, {
      clientOrderIdReuse: 'refused',
      callbackParameters: 'concatenated',
      contentTypes: 's-money',
      amountUnit: 'cents',
      callbackAmountFormat: 'cents-string',
      statusVocabulary: 'numeric',
      errorCodes: 'xpollens',
      connectState: 'dropped',
      tokenAuthorization: 'raw-key',
      usersAnswer: 'profile',
    });
    assert.deepEqual(createSandbox({ izly: 'strictest' }).control.izly(), strictest);
    assert.deepEqual(createSandbox({ izly: 'default' }).control.izly(), strictest);
    assert.deepEqual(createSandbox({ izly: 'lenient' }).control.izly(), lenient);
    assert.deepEqual(lenient, {
      clientOrderIdReuse: 'allowed',
      callbackParameters: 'joined',
      contentTypes: 'vendor',
      amountUnit: 'euros',
      callbackAmountFormat: 'cents-string',
      statusVocabulary: 'document',
      errorCodes: 'sandbox',
      connectState: 'echoed',
      tokenAuthorization: 'standard-basic',
      usersAnswer: 'flat',
    });
    assert.deepEqual(createSandbox({ izly: { preset: 'lenient', statusVocabulary: 'numeric' } }).control.izly(), {
      ...lenient,
      statusVocabulary: 'numeric',
    });
    assert.deepEqual(createSandbox({ izly: { statusVocabulary: 'document' } }).control.izly(), { ...strictest, statusVocabulary: 'document' });
  });

  test('an unknown option, switch, preset or value is refused with its name', () => {
    assert.throws(() => createSandbox({ izly: { statusVocabulary: 'french' as never } }), /"statusVocabulary" must be one of document, s-money, numeric/);
    assert.throws(() => createSandbox({ izly: { nonsense: 'x' } as never }), /unknown switch "nonsense"/);
    assert.throws(() => createSandbox({ izly: 'strict' as never }), /unknown preset "strict"/);
    assert.throws(() => createSandbox({ izly: { preset: 'laxest' } as never }), /"preset" must be one of/);
    assert.throws(() => createSandbox({ izly: 3 as never }), /izly: expected a preset name/);
    assert.throws(() => createSandbox({ callbackAmountFormat: 'decimal-euros' } as never), /unknown option "callbackAmountFormat"/);
  });

  test("a config file sets switches, strictly checked; the options' switches apply over the file's", () => {
    const dir = mkdtempSync(join(tmpdir(), 'izly-sandbox-'));
    try {
      const file = join(dir, 'sandbox.json');
      writeFileSync(file, JSON.stringify({ izly: { preset: 'strictest', usersAnswer: 'minimal' } }));
      const sandbox = createSandbox({ configFile: file, izly: { errorCodes: 'sandbox' } });
      assert.equal(sandbox.control.izly().usersAnswer, 'minimal');
      assert.equal(sandbox.control.izly().errorCodes, 'sandbox');
      assert.equal(sandbox.control.izly().statusVocabulary, 'numeric');
      writeFileSync(file, JSON.stringify({ izly: { amountUnit: 'dollars' } }));
      assert.throws(() => createSandbox({ configFile: file }), /izly: "amountUnit" must be one of euros, cents/);
      writeFileSync(file, JSON.stringify({ izlyy: 'strictest' }));
      assert.throws(() => createSandbox({ configFile: file }), /unknown option "izlyy"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the control API reads and changes the switches; a bad change answers 400 and changes nothing', async () => {
    const { sandbox } = testSandbox({ izly: 'lenient' });
    const patched = await sandbox.request('/sandbox/api/izly', json('PATCH', { statusVocabulary: 's-money' }));
    assert.equal(patched.status, 200);
    assert.equal(((await patched.json()) as IzlyBehaviour).statusVocabulary, 's-money');
    const bad = await sandbox.request('/sandbox/api/izly', json('PATCH', { connectState: 'dropped', usersAnswer: 'nested' }));
    assert.equal(bad.status, 400);
    const error = ((await bad.json()) as { error: { code: string; message: string } }).error;
    assert.equal(error.code, 'invalid_request');
    assert.match(error.message, /"usersAnswer" must be one of flat, profile, minimal/);
    assert.equal(sandbox.control.izly().connectState, 'echoed', 'the valid half of a bad change is not applied');
    assert.equal((await sandbox.request('/sandbox/api/izly', json('PATCH', { typo: 1 }))).status, 400);

    const strictest = (await (await sandbox.request('/sandbox/api/izly', json('PATCH', 'strictest'))).json()) as IzlyBehaviour;
    assert.equal(strictest.clientOrderIdReuse, 'refused');
    assert.deepEqual(((await (await sandbox.request('/sandbox/api/state', control())).json()) as { izly: IzlyBehaviour }).izly, strictest);
    assert.deepEqual(await (await sandbox.request('/sandbox/api/izly', control())).json(), strictest);
    const lenient = (await (await sandbox.request('/sandbox/api/izly', json('PATCH', 'lenient'))).json()) as IzlyBehaviour;
    assert.equal(lenient.clientOrderIdReuse, 'allowed');
    // DELETE restores the defaults: the strictest values.
    const reset = (await (await sandbox.request('/sandbox/api/izly', control('DELETE'))).json()) as IzlyBehaviour;
    assert.deepEqual(reset, strictest);
    assert.deepEqual(sandbox.control.izly(), strictest);
  });
});

describe('clientOrderIdReuse', () => {
  test('allowed: a second operation with the same ClientOrderId is created', async () => {
    const { sandbox } = sandboxAs({ clientOrderIdReuse: 'allowed' });
    await initiate(sandbox, { Amount: 100, ClientOrderId: 'A-1042' });
    await initiate(sandbox, { Amount: 100, ClientOrderId: 'A-1042' });
    assert.equal(sandbox.control.operations().length, 2);
  });

  test('refused: Xpollens\' 710 "OrderId déjà existant." with HTTP 400, whatever became of the first, in either codes', async () => {
    for (const errorCodes of ['sandbox', 'xpollens'] as const) {
      const { sandbox } = sandboxAs({ clientOrderIdReuse: 'refused', errorCodes });
      const first = await initiate(sandbox, { Amount: 100, ClientOrderId: 'A-1042' });
      await postForm(sandbox, pagePath(first), { ...PAYER, action: 'cancel' });
      const again = await sandbox.request('/api/Izly/WebPayments', {
        method: 'POST',
        headers: partnerHeaders(),
        body: JSON.stringify({ Amount: 100, ClientOrderId: 'A-1042' }),
      });
      assert.deepEqual(await errorOf(again), { status: 400, Code: 710, ErrorMessage: 'OrderId déjà existant.' });
      assert.equal(sandbox.control.operations().length, 1);
      await initiate(sandbox, { Amount: 100, ClientOrderId: 'A-1042-2' });
    }
  });
});

describe('callbackParameters', () => {
  const cases: Array<[IzlyBehaviour['callbackParameters'], string]> = [
    ['joined', 'http://localhost:8787/izly/callback?p=pay_1&s=sig'],
    ['concatenated', 'http://localhost:8787/izly/callbackp=pay_1&s=sig'],
    ['encoded', 'http://localhost:8787/izly/callback?CallbackParameters=p%3Dpay_1%26s%3Dsig'],
    ['body-only', 'http://localhost:8787/izly/callback'],
  ];
  for (const [placement, url] of cases) {
    test(`${placement}: the callback is posted to ${url}, the body echoes the parameters`, async () => {
      const { sandbox, receiver } = sandboxAs({ callbackParameters: placement });
      await paid(sandbox, { Amount: 350, ClientOrderId: 'A-1', CallbackParameters: 'p=pay_1&s=sig' });
      await sandbox.control.settled();
      assert.equal(receiver.received[0]?.url, url);
      assert.equal(sandbox.control.callbackLog()[0]?.url, url);
      assert.equal((receiver.received[0]?.body as CallbackBody).OperationSMoney.CallbackParameters, 'p=pay_1&s=sig');
    });
  }

  test('joined keeps the URL\'s own query and drops a leading "?" of the parameters; concatenated keeps it', async () => {
    for (const [placement, url] of [
      ['joined', 'https://shop.test/cb?lang=fr&p=1'],
      ['concatenated', 'https://shop.test/cb?lang=fr?p=1'],
    ] as const) {
      const { sandbox, receiver } = sandboxAs({ callbackParameters: placement }, { pointsOfSale: [{ callbackUrl: 'https://shop.test/cb?lang=fr' }] });
      await paid(sandbox, { Amount: 350, ClientOrderId: 'A-1', CallbackParameters: '?p=1' });
      await sandbox.control.settled();
      assert.equal(receiver.received[0]?.url, url);
    }
  });
});

describe('contentTypes', () => {
  const XPOLLENS = 'application/vnd.Xpollens.v1+json';
  const S_MONEY = 'application/vnd.s-money.v1+json; charset=utf-8';
  const JSON_TYPE = 'application/json';
  const accepted: Record<IzlyBehaviour['contentTypes'], string[]> = {
    vendor: [XPOLLENS, S_MONEY],
    xpollens: [XPOLLENS],
    's-money': [S_MONEY],
    'vendor-and-json': [XPOLLENS, S_MONEY, JSON_TYPE],
  };
  for (const [value, types] of Object.entries(accepted) as Array<[IzlyBehaviour['contentTypes'], string[]]>) {
    test(`${value}: accepts ${types.join(', ')}; refuses the others with 415 on every call`, async () => {
      const { sandbox } = sandboxAs({ contentTypes: value });
      const id = await paid(sandbox, { Amount: 100, ClientOrderId: 'A-1' }, partnerHeaders({ 'content-type': types[0] ?? '' }));
      for (const type of [XPOLLENS, S_MONEY, JSON_TYPE]) {
        const headers = partnerHeaders({ 'content-type': type });
        const expected = types.includes(type) ? 200 : 415;
        const initiated = await sandbox.request('/api/Izly/WebPayments', { method: 'POST', headers, body: JSON.stringify({ Amount: 1, ClientOrderId: 'B' }) });
        assert.equal(initiated.status, expected, `initiate with ${type}`);
        if (expected === 415) {
          const error = await errorOf(initiated);
          assert.equal(error.Code, 1004);
          assert.match(error.ErrorMessage, /attendu .*reçu/);
        }
        assert.equal((await sandbox.request(`/api/Izly/WebPayments/${id}`, { headers })).status, expected, `GET with ${type}`);
      }
      const withoutType = partnerHeaders();
      delete withoutType['content-type'];
      assert.equal((await sandbox.request(`/api/Izly/WebPayments/${id}`, { headers: withoutType })).status, 200, 'a GET may omit it');
    });
  }
});

describe('amountUnit and callbackAmountFormat', () => {
  test('euros: GET and Refund write 3.50 for 350 cents; cents: 350.00', async () => {
    for (const [unit, text] of [
      ['euros', '3.50'],
      ['cents', '350.00'],
    ] as const) {
      const { sandbox } = sandboxAs({ amountUnit: unit });
      const id = await paid(sandbox);
      assert.match(await (await getOperation(sandbox, id)).text(), new RegExp(`"Amount":${text.replace('.', '\\.')},`));
      assert.match(await (await refund(sandbox, id)).text(), new RegExp(`"Amount":${text.replace('.', '\\.')},`));
    }
  });

  test('the initiate answer keeps the cents it was sent, whatever the unit', async () => {
    const { sandbox } = sandboxAs({ amountUnit: 'cents' });
    assert.equal((await initiate(sandbox, { Amount: 350, ClientOrderId: 'A-1' })).OperationSMoney.Amount, 350);
  });

  test('callbacks carry "350.00" (cents, a string) or 3.50 (euros, a number)', async () => {
    for (const [format, pattern] of [
      ['cents-string', /"Amount":"350\.00",/],
      ['decimal-euros', /"Amount":3\.50,/],
    ] as const) {
      const { sandbox, receiver } = sandboxAs({ callbackAmountFormat: format });
      await paid(sandbox);
      await sandbox.control.settled();
      assert.match(receiver.received[0]?.text ?? '', pattern);
    }
  });
});

describe('statusVocabulary', () => {
  /** Every status an operation can show, in one vocabulary, as the partner reads it. */
  async function statusesIn(vocabulary: IzlyBehaviour['statusVocabulary']) {
    const { sandbox, receiver } = sandboxAs(
      { statusVocabulary: vocabulary },
      {
        operationTtlMs: 60_000,
        now: () => clock,
        accounts: [
          { email: 'etudiant@izly.test', balance: 10_000 },
          { email: 'fauche@izly.test', balance: 1 },
        ],
      },
    );
    let clock = Date.parse('2025-01-06T10:00:00Z');
    const statusOf = async (id: number) => ((await (await getOperation(sandbox, id)).json()) as { OperationStatus: string | number }).OperationStatus;

    const paidAnswer = await initiate(sandbox, { Amount: 100, ClientOrderId: 'A-1' });
    const id = paidAnswer.OperationSMoney.Id;
    const created = await statusOf(id);
    await sandbox.request(pagePath(paidAnswer));
    const pageOpened = await statusOf(id);
    await postForm(sandbox, pagePath(paidAnswer), PAYER);
    const completed = await statusOf(id);
    const refunded = ((await (await refund(sandbox, id)).json()) as { OperationStatus: string | number }).OperationStatus;

    const cancelledAnswer = await initiate(sandbox, { Amount: 100, ClientOrderId: 'A-2' });
    await postForm(sandbox, pagePath(cancelledAnswer), { ...PAYER, action: 'cancel' });
    const failedAnswer = await initiate(sandbox, { Amount: 100, ClientOrderId: 'A-3' });
    await postForm(sandbox, pagePath(failedAnswer), { ...PAYER, identifier: 'fauche@izly.test' });
    const expiredId = (await initiate(sandbox, { Amount: 100, ClientOrderId: 'A-4' })).OperationSMoney.Id;
    clock += 60_000;
    await sandbox.control.settled();
    return {
      initiated: paidAnswer.OperationSMoney.Status,
      created,
      pageOpened,
      completed,
      refunded,
      cancelled: await statusOf(cancelledAnswer.OperationSMoney.Id),
      failed: await statusOf(failedAnswer.OperationSMoney.Id),
      expired: await statusOf(expiredId),
      callbacks: receiver.received.map((callback) => (callback.body as CallbackBody).OperationSMoney.Status),
    };
  }

  test('document: Pending, Completed, Refund, Canceled, Failed, Expired', async () => {
    assert.deepEqual(await statusesIn('document'), {
      initiated: 'Pending',
      created: 'Pending',
      pageOpened: 'Pending',
      completed: 'Completed',
      refunded: 'Refund',
      cancelled: 'Canceled',
      failed: 'Failed',
      expired: 'Expired',
      callbacks: ['Completed', 'Failed'],
    });
  });

  test('s-money: Pending, WaitingValidation once the page is open, Succeeded, Refund, Canceled, Failed, Expired', async () => {
    assert.deepEqual(await statusesIn('s-money'), {
      initiated: 'Pending',
      created: 'Pending',
      pageOpened: 'WaitingValidation',
      completed: 'Succeeded',
      refunded: 'Refund',
      cancelled: 'Canceled',
      failed: 'Failed',
      expired: 'Expired',
      callbacks: ['Succeeded', 'Failed'],
    });
  });

  test('numeric: 0 pending, 4 waiting validation, 1 completed, 2 refunded, 5 cancelled, 3 failed, 7 expired (JSON numbers)', async () => {
    assert.deepEqual(await statusesIn('numeric'), {
      initiated: 0,
      created: 0,
      pageOpened: 4,
      completed: 1,
      refunded: 2,
      cancelled: 5,
      failed: 3,
      expired: 7,
      callbacks: [1, 3],
    });
  });
});

describe('errorCodes', () => {
  /** Each case with an invented sandbox code: how to provoke it, then [sandbox code, HTTP], [Xpollens code, HTTP]. */
  const cases: Array<[string, (sandbox: Sandbox) => Promise<Response>, [number, number], [number, number]]> = [
    ['unknown operation', (sandbox) => getOperation(sandbox, 1), [356, 404], [356, 400]],
    [
      'no Authorization',
      async (sandbox) => sandbox.request('/api/Izly/WebPayments/1', { headers: partnerHeaders({ authorization: '' }) }),
      [1001, 401],
      [362, 401],
    ],
    [
      'unknown API key',
      async (sandbox) => sandbox.request('/api/Izly/WebPayments/1', { headers: partnerHeaders({ authorization: 'Basic nope' }) }),
      [1002, 401],
      [362, 401],
    ],
    [
      'wrong AppIdentifier',
      async (sandbox) => sandbox.request('/api/Izly/WebPayments/1', { headers: partnerHeaders({ appidentifier: 'other' }) }),
      [1003, 401],
      [362, 401],
    ],
    [
      'bad Amount',
      async (sandbox) =>
        sandbox.request('/api/Izly/WebPayments', { method: 'POST', headers: partnerHeaders(), body: JSON.stringify({ Amount: 1.5, ClientOrderId: 'A' }) }),
      [1021, 400],
      [364, 400],
    ],
    [
      'bad body',
      async (sandbox) => sandbox.request('/api/Izly/WebPayments', { method: 'POST', headers: partnerHeaders(), body: '[]' }),
      [1020, 400],
      [364, 400],
    ],
    ['refund with another clientOrderId', async (sandbox) => refund(sandbox, await paid(sandbox), 'B'), [1032, 400], [364, 400]],
    [
      'refund of a pending operation',
      async (sandbox) => refund(sandbox, (await initiate(sandbox, { Amount: 1, ClientOrderId: 'A-1' })).OperationSMoney.Id),
      [1031, 409],
      [708, 400],
    ],
    [
      'second refund',
      async (sandbox) => {
        const id = await paid(sandbox);
        await refund(sandbox, id);
        return refund(sandbox, id);
      },
      [1030, 409],
      [708, 400],
    ],
  ];
  for (const [name, provoke, ownCode, xpollensCode] of cases) {
    test(`${name}: ${ownCode.join('/')} with sandbox codes, ${xpollensCode.join('/')} with Xpollens codes`, async () => {
      for (const [errorCodes, [code, status]] of [
        ['sandbox', ownCode],
        ['xpollens', xpollensCode],
      ] as const) {
        const { sandbox } = sandboxAs({ errorCodes });
        const error = await errorOf(await provoke(sandbox));
        assert.deepEqual([error.Code, error.status], [code, status], errorCodes);
      }
    });
  }

  test("codes Izly has none for stay the sandbox's own: 415/1004, 403/1010, 405/1006", async () => {
    const { sandbox } = sandboxAs({ errorCodes: 'xpollens' });
    const wrongType = await sandbox.request('/api/Izly/WebPayments', { method: 'POST', headers: partnerHeaders({ 'content-type': 'text/plain' }), body: '{}' });
    assert.deepEqual([(await errorOf(wrongType)).Code, wrongType.status], [1004, 415]);
    assert.equal((await errorOf(await sandbox.request('/api/Izly/WebPayments', { headers: partnerHeaders() }))).Code, 1006);
    sandbox.control.updatePointOfSale(APP_IDENTIFIER, { approved: false });
    assert.equal((await errorOf(await getOperation(sandbox, 1))).Code, 1010);
  });

  test('a balance too low is refused with 2002 (sandbox) or 110 (Xpollens) in the callback and on the operation', async () => {
    for (const [errorCodes, code] of [
      ['sandbox', 2002],
      ['xpollens', 110],
    ] as const) {
      const { sandbox, receiver } = sandboxAs({ errorCodes });
      const answer = await initiate(sandbox, { Amount: 500, ClientOrderId: 'A-1' });
      await postForm(sandbox, pagePath(answer), { ...PAYER, identifier: 'fauche@izly.test' });
      await sandbox.control.settled();
      assert.equal((receiver.received[0]?.body as CallbackBody).Error.Code, code);
      assert.equal(sandbox.control.operations()[0]?.errorCode, code);
    }
  });
});

describe('IzlyConnect switches', () => {
  const AUTHORIZE = `/oauth/Home/Authorize?response_type=code&client_id=${APP_IDENTIFIER}&scope=1&state=nonce-1`;

  async function logIn(sandbox: Sandbox): Promise<URL> {
    const response = await postForm(sandbox, AUTHORIZE, { identifier: 'etudiant@izly.test', password: 'izly1234', action: 'login' });
    assert.equal(response.status, 303);
    return new URL(response.headers.get('location') ?? '');
  }
  const token = (sandbox: Sandbox, code: string, authorization: string) =>
    Promise.resolve(sandbox.request(`/oauth/Home/Token?grant_type=authorization_code&code=${code}`, { method: 'POST', headers: { authorization } }));

  test('connectState echoed: state comes back with the code; dropped: only the code', async () => {
    assert.equal((await logIn(sandboxAs({ connectState: 'echoed' }).sandbox)).searchParams.get('state'), 'nonce-1');
    const dropped = await logIn(sandboxAs({ connectState: 'dropped' }).sandbox);
    assert.equal(dropped.searchParams.get('state'), null);
    assert.ok(dropped.searchParams.get('code'));
  });

  test('tokenAuthorization standard-basic accepts only base64(AppIdentifier:apiKey); raw-key only the key after Basic', async () => {
    // The back office's key already looks like the base64 string of the document's example header.
    const apiKey = btoa(`${APP_IDENTIFIER}:RPPEQsqOWRiSGkoCgEFO`);
    const forms = { 'standard-basic': `Basic ${btoa(`${APP_IDENTIFIER}:${apiKey}`)}`, 'raw-key': `Basic ${apiKey}` };
    for (const mode of ['standard-basic', 'raw-key'] as const) {
      const { sandbox } = sandboxAs({ tokenAuthorization: mode }, { pointsOfSale: [{ apiKey }] });
      for (const [form, authorization] of Object.entries(forms)) {
        const response = await token(sandbox, (await logIn(sandbox)).searchParams.get('code') ?? '', authorization);
        if (form === mode) {
          assert.equal(response.status, 200, `${mode} with ${form}`);
        } else {
          assert.equal(response.status, 401, `${mode} with ${form}`);
          assert.equal(((await response.json()) as { error: string }).error, 'invalid_client');
        }
      }
    }
  });

  test('usersAnswer flat, profile (nested under Profile) or minimal (Id and Email)', async () => {
    const expected: Record<IzlyBehaviour['usersAnswer'], unknown> = {
      flat: {
        Id: '6000050617',
        Email: 'etudiant@izly.test',
        ClientCode: 'cmartin01',
        NumeroAffectation: '75012345',
        FirstName: 'Camille',
        LastName: 'Martin',
        Phone: '0612345678',
      },
      profile: {
        Id: '6000050617',
        ClientCode: 'cmartin01',
        NumeroAffectation: '75012345',
        Profile: { Email: 'etudiant@izly.test', FirstName: 'Camille', LastName: 'Martin', PhoneNumber: '0612345678' },
      },
      minimal: { Id: '6000050617', Email: 'etudiant@izly.test' },
    };
    for (const [shape, user] of Object.entries(expected) as Array<[IzlyBehaviour['usersAnswer'], unknown]>) {
      const { sandbox } = sandboxAs({ usersAnswer: shape });
      const code = (await logIn(sandbox)).searchParams.get('code') ?? '';
      const { access_token: accessToken } = (await (await token(sandbox, code, `Basic ${btoa(`${APP_IDENTIFIER}:${API_KEY}`)}`)).json()) as {
        access_token: string;
      };
      const answer = await sandbox.request('/api/izly/users', { headers: { authorization: `Bearer ${accessToken}` } });
      assert.deepEqual(await answer.json(), user, shape);
    }
  });
});

describe('the strictest preset, all at once', () => {
  test('a whole payment against the strictest Izly, as a partner that knows every quirk would make it', async () => {
    const { sandbox, receiver } = testSandbox({ izly: 'strictest' });
    const headers = partnerHeaders({ 'content-type': 'application/vnd.s-money.v1+json' });
    const refused = await sandbox.request('/api/Izly/WebPayments', {
      method: 'POST',
      headers: partnerHeaders({ 'content-type': 'application/vnd.Xpollens.v1+json' }),
      body: JSON.stringify({ Amount: 350, ClientOrderId: 'A-1' }),
    });
    assert.equal(refused.status, 415);
    const first = await initiate(sandbox, { Amount: 350, ClientOrderId: 'A-1', CallbackParameters: 'p=pay_1' }, headers);
    assert.equal(first.OperationSMoney.Status, 0);
    const reused = await sandbox.request('/api/Izly/WebPayments', { method: 'POST', headers, body: JSON.stringify({ Amount: 350, ClientOrderId: 'A-1' }) });
    assert.deepEqual(await errorOf(reused), { status: 400, Code: 710, ErrorMessage: 'OrderId déjà existant.' });
    await postForm(sandbox, pagePath(first), PAYER);
    await sandbox.control.settled();
    assert.equal(receiver.received[0]?.url, 'http://localhost:8787/izly/callbackp=pay_1');
    assert.match(receiver.received[0]?.text ?? '', /"Amount":"350\.00",.*"Status":1,/);
    const id = first.OperationSMoney.Id;
    const read = await sandbox.request(`/api/Izly/WebPayments/${id}`, { headers });
    assert.match(await read.text(), /"Amount":350\.00,.*"OperationStatus":1,/);
    const unknown = await sandbox.request('/api/Izly/WebPayments/1', { headers });
    assert.deepEqual([unknown.status, (await errorOf(unknown)).Code], [400, 356]);
  });
});

describe("the CLI's switches", () => {
  const bin = fileURLToPath(new URL('../../../bin/izly-sandbox.mjs', import.meta.url));

  /** Runs the CLI until it prints its accounts (then stops it) or exits; its output and exit code. */
  function run(args: string[]): Promise<{ output: string; code: number | null }> {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Accounts')) child.kill('SIGTERM');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    return new Promise((resolve) => child.once('exit', (code) => resolve({ output, code })));
  }

  test('--strictest sets every switch, a flag overrides one, and the banner says which Izly it is', async () => {
    const { output } = await run(['--port', String(await freePort()), '--strictest', '--status-vocabulary', 'document']);
    assert.match(output, /clientOrderIdReuse\s+refused/);
    assert.match(output, /callbackParameters\s+concatenated/);
    assert.match(output, /statusVocabulary\s+document/);
  });

  test('--lenient sets every switch to the lenient value, a flag overrides one; without a flag every switch is at its strictest', async () => {
    const lenient = await run(['--port', String(await freePort()), '--lenient', '--content-types', 's-money']);
    assert.match(lenient.output, /clientOrderIdReuse\s+allowed/);
    assert.match(lenient.output, /statusVocabulary\s+document/);
    assert.match(lenient.output, /contentTypes\s+s-money/);
    const byDefault = await run(['--port', String(await freePort())]);
    assert.match(byDefault.output, /clientOrderIdReuse\s+refused/);
    assert.match(byDefault.output, /tokenAuthorization\s+raw-key/);
    const both = await run(['--port', String(await freePort()), '--lenient', '--strictest']);
    assert.equal(both.code, 2);
    assert.match(both.output, /--strictest and --lenient are two different Izlys/);
  });

  test("a bad value is refused with the switch's name and exit code 2", async () => {
    const { output, code } = await run(['--port', String(await freePort()), '--users-answer', 'nested']);
    assert.equal(code, 2);
    assert.match(output, /"usersAnswer" must be one of flat, profile, minimal/);
  });
});
