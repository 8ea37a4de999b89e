// Bad input on the sandbox's partner API (WebPayments initiate, get, refund): listed by hand, then generated
// with fast-check. Every answer is a 4xx in Izly's error shape `{Code, ErrorMessage, Title, Priority}`, and
// no operation, status or balance changes. Partners in any language test against this sandbox, so it must
// refuse bad requests as clearly as Izly would.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { API_KEY, APP_IDENTIFIER } from '../helpers/harness.js';
import { expectIzlyRefusal, snapshot } from './answer-checks.js';
import { FUZZ_SEED, recordCheck } from './reliability-log.js';
import { startTargets, type Targets } from './reliability-fixture.js';

const HEADERS = { Authorization: `Basic ${API_KEY}`, AppIdentifier: APP_IDENTIFIER, 'Content-Type': 'application/vnd.Xpollens.v1+json' };

describe('bad input on the sandbox partner API', () => {
  let t: Targets;
  before(async () => {
    t = await startTargets();
  });
  after(() => t.h.close());

  const call = (path: string, init: RequestInit = {}) => fetch(`${t.h.sandboxUrl}${path}`, init);

  test('hand-listed bad requests: each a 4xx in Izly’s error shape, nothing changed', async () => {
    const paid = t.paid.operationId;
    const valid = { Amount: 100, ClientOrderId: 'X-1' };
    const initiate = (body: unknown, headers: Record<string, string> = HEADERS) => ({
      path: '/api/Izly/WebPayments',
      init: { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) },
    });
    const cases: Array<[string, { path: string; init: RequestInit }]> = [
      ['no Authorization', initiate(valid, { ...HEADERS, Authorization: '' })],
      ['Bearer instead of Basic', initiate(valid, { ...HEADERS, Authorization: `Bearer ${API_KEY}` })],
      ['unknown key', initiate(valid, { ...HEADERS, Authorization: 'Basic nope' })],
      ['Basic pair with a wrong key', initiate(valid, { ...HEADERS, Authorization: `Basic ${btoa(`${APP_IDENTIFIER}:nope`)}` })],
      ['Basic that is not base64', initiate(valid, { ...HEADERS, Authorization: 'Basic ####' })],
      ['Basic of invalid UTF-8', initiate(valid, { ...HEADERS, Authorization: `Basic ${btoa('\xff\xfe:\xff')}` })],
      ['no AppIdentifier', initiate(valid, { Authorization: HEADERS.Authorization, 'Content-Type': HEADERS['Content-Type'] })],
      ['another AppIdentifier', initiate(valid, { ...HEADERS, AppIdentifier: 'other-shop' })],
      ['plain application/json', initiate(valid, { ...HEADERS, 'Content-Type': 'application/json' })],
      ['no Content-Type', initiate(valid, { Authorization: HEADERS.Authorization, AppIdentifier: APP_IDENTIFIER })],
      ['empty body', initiate('')],
      ['truncated JSON', initiate('{"Amount":')],
      ['body an array', initiate('[]')],
      ['body null', initiate('null')],
      ['body over 64 KB', initiate({ ...valid, Message: 'x'.repeat(70_000) })],
      ['Amount missing', initiate({ ClientOrderId: 'X-1' })],
      ['Amount zero', initiate({ ...valid, Amount: 0 })],
      ['Amount negative', initiate({ ...valid, Amount: -100 })],
      ['Amount fractional', initiate({ ...valid, Amount: 1.5 })],
      ['Amount enormous', initiate({ ...valid, Amount: 1e12 })],
      ['Amount beyond a double', initiate('{"Amount":1e400,"ClientOrderId":"X-1"}')],
      ['Amount a string', initiate({ ...valid, Amount: '100' })],
      ['Amount euros as text', initiate({ ...valid, Amount: '1.00' })],
      ['Amount unsafe integer', initiate('{"Amount":9007199254740993,"ClientOrderId":"X-1"}')],
      ['"__proto__" carrying Amount', initiate('{"__proto__":{"Amount":100},"ClientOrderId":"X-1"}')],
      ['ClientOrderId missing', initiate({ Amount: 100 })],
      ['ClientOrderId blank', initiate({ ...valid, ClientOrderId: '   ' })],
      ['ClientOrderId of 51 characters', initiate({ ...valid, ClientOrderId: 'x'.repeat(51) })],
      ['ClientOrderId a number', initiate({ ...valid, ClientOrderId: 12 })],
      ['RedirectUrlAfterPayment javascript:', initiate({ ...valid, RedirectUrlAfterPayment: 'javascript:alert(1)' })],
      ['RedirectUrlAfterPayment relative', initiate({ ...valid, RedirectUrlAfterPayment: '/back' })],
      ['Message of 256 characters', initiate({ ...valid, Message: 'x'.repeat(256) })],
      ['CallbackParameters an object', initiate({ ...valid, CallbackParameters: { p: 1 } })],
      ['Software fractional', initiate({ ...valid, Software: 1.5 })],
      ['GET of an unknown operation', { path: '/api/Izly/WebPayments/99999999', init: { headers: HEADERS } }],
      ['GET of a negative id', { path: '/api/Izly/WebPayments/-1', init: { headers: HEADERS } }],
      ['GET of a 30-digit id', { path: `/api/Izly/WebPayments/${'9'.repeat(30)}`, init: { headers: HEADERS } }],
      ['GET of an encoded traversal', { path: '/api/Izly/WebPayments/..%2F52795', init: { headers: HEADERS } }],
      ['GET of an invalid escape', { path: '/api/Izly/WebPayments/%E0%A4%A', init: { headers: HEADERS } }],
      ['GET with a text/html Content-Type', { path: `/api/Izly/WebPayments/${paid}`, init: { headers: { ...HEADERS, 'Content-Type': 'text/html' } } }],
      ['GET without credentials', { path: `/api/Izly/WebPayments/${paid}`, init: {} }],
      ['refund without clientOrderId', { path: `/api/Izly/WebPayments/${paid}/Refund`, init: { method: 'POST', headers: HEADERS } }],
      ['refund with another clientOrderId', { path: `/api/Izly/WebPayments/${paid}/Refund?clientOrderId=other`, init: { method: 'POST', headers: HEADERS } }],
      ['refund with an invalid escape', { path: `/api/Izly/WebPayments/${paid}/Refund?clientOrderId=%E0%A4%A`, init: { method: 'POST', headers: HEADERS } }],
      [
        'refund of a pending operation',
        { path: `/api/Izly/WebPayments/${t.pending.operationId}/Refund?clientOrderId=${t.pending.orderId}`, init: { method: 'POST', headers: HEADERS } },
      ],
      ['refund of an unknown operation', { path: '/api/Izly/WebPayments/99999999/Refund?clientOrderId=x', init: { method: 'POST', headers: HEADERS } }],
      [
        'refund with a wrong key',
        {
          path: `/api/Izly/WebPayments/${paid}/Refund?clientOrderId=${t.paid.orderId}`,
          init: { method: 'POST', headers: { ...HEADERS, Authorization: 'Basic nope' } },
        },
      ],
      ['GET on the initiate path', { path: '/api/Izly/WebPayments', init: { headers: HEADERS } }],
      ['PUT on the initiate path', { path: '/api/Izly/WebPayments', init: { method: 'PUT', headers: HEADERS, body: JSON.stringify(valid) } }],
      ['DELETE of an operation', { path: `/api/Izly/WebPayments/${paid}`, init: { method: 'DELETE', headers: HEADERS } }],
      ['POST on an operation', { path: `/api/Izly/WebPayments/${paid}`, init: { method: 'POST', headers: HEADERS, body: '{}' } }],
      ['GET on the refund path', { path: `/api/Izly/WebPayments/${paid}/Refund?clientOrderId=${t.paid.orderId}`, init: { headers: HEADERS } }],
      ['an unknown sub-path', { path: `/api/Izly/WebPayments/${paid}/Capture`, init: { method: 'POST', headers: HEADERS } }],
    ];
    const before = await snapshot(t.h);
    for (const [label, { path, init }] of cases) await expectIzlyRefusal(await call(path, init), label);
    assert.equal(await snapshot(t.h), before);
    recordCheck({
      id: 'sandbox-hand-listed',
      area: 'Bad input',
      tried:
        'Sandbox partner API (WebPayments initiate, get, refund), listed by hand: credentials, content types, malformed and huge bodies, zero, negative, fractional, enormous and textual amounts, path tricks in ids, wrong methods',
      cases: cases.length,
      held: "every answer a 4xx in Izly's error shape {Code, ErrorMessage, Title, Priority}; no operation or balance changed",
    });
  });

  const anyValue = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.object({ maxDepth: 1 }),
  );
  const badAmount = fc.oneof(
    fc.integer({ max: 0 }),
    fc.integer({ min: 100_001 }),
    fc.double({ noNaN: true }).filter((value) => !Number.isInteger(value)),
    fc.string({ maxLength: 10 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.integer({ min: 1, max: 10 }), { maxLength: 2 }),
  );
  const headers = fc.record({
    Authorization: fc.constantFrom(`Basic ${API_KEY}`, `Basic ${btoa(`${APP_IDENTIFIER}:${API_KEY}`)}`, 'Basic nope', `Bearer ${API_KEY}`, ''),
    AppIdentifier: fc.constantFrom(APP_IDENTIFIER, 'other', ''),
    'Content-Type': fc.constantFrom('application/vnd.Xpollens.v1+json', 'application/vnd.s-money.v1+json; charset=utf-8', 'application/json', 'text/plain', ''),
  });
  const present = (sent: Record<string, string>) => Object.fromEntries(Object.entries(sent).filter(([, value]) => value !== ''));

  test('generated initiate calls: bad amounts, fields of every type, any case, any credentials', async () => {
    const before = await snapshot(t.h);
    const body = fc.oneof(
      fc
        .record(
          {
            amount: badAmount,
            clientOrderId: anyValue,
            callbackParameters: anyValue,
            redirectUrlAfterPayment: fc.oneof(anyValue, fc.webUrl()),
            message: anyValue,
            software: anyValue,
          },
          { requiredKeys: ['amount'] },
        )
        .chain((fields) => fc.constantFrom('pascal', 'camel', 'lower').map((spelling) => respell(fields, spelling)))
        .map((value) => JSON.stringify(value)),
      fc.json().filter((text) => !/amount/i.test(text)),
      fc.string({ unit: 'binary', maxLength: 200 }),
    );
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(body, headers, async (text, sent) => {
        runs += 1;
        await expectIzlyRefusal(
          await call('/api/Izly/WebPayments', { method: 'POST', headers: present(sent), body: text }),
          `generated initiate ${JSON.stringify(sent)} ${text.slice(0, 150)}`,
        );
      }),
      { numRuns: 150, seed: FUZZ_SEED },
    );
    assert.equal(await snapshot(t.h), before);
    recordCheck({
      id: 'sandbox-generated-initiate',
      area: 'Bad input',
      tried:
        'Sandbox initiate, generated: invalid amounts (≤ 0, > 1000 €, fractional, text, arrays), other fields of every type in PascalCase, camelCase or lower case, random JSON and text, any credentials',
      cases: runs,
      held: "every answer a 4xx in Izly's error shape; no operation created",
      seed: FUZZ_SEED,
    });
  });

  test('generated get and refund calls: unknown and malformed ids, wrong order ids, any credentials', async () => {
    const before = await snapshot(t.h);
    const known = new Set([t.pending.operationId, t.paid.operationId].map(String));
    const id = fc
      .oneof(
        fc.bigInt({ min: 10n ** 9n, max: 10n ** 30n }).map(String),
        fc.integer({ max: -1 }).map(String),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map(encodeURIComponent),
      )
      .filter((encoded) => !known.has(encoded) && !['.', '..'].includes(encoded.replace(/%2e/gi, '.')));
    const wrongOrderId = fc.string({ maxLength: 60 }).filter((value) => value !== t.paid.orderId && value !== `/${t.paid.orderId}`);
    const request = fc.oneof(
      fc.tuple(id, headers).map(([operationId, sent]) => ({ path: `/api/Izly/WebPayments/${operationId}`, init: { method: 'GET', headers: present(sent) } })),
      fc.tuple(id, fc.string({ maxLength: 20 }), headers).map(([operationId, orderId, sent]) => ({
        path: `/api/Izly/WebPayments/${operationId}/Refund?clientOrderId=${encodeURIComponent(orderId)}`,
        init: { method: 'POST', headers: present(sent) },
      })),
      fc.tuple(wrongOrderId, headers).map(([orderId, sent]) => ({
        path: `/api/Izly/WebPayments/${t.paid.operationId}/Refund?clientOrderId=${encodeURIComponent(orderId)}`,
        init: { method: 'POST', headers: present(sent) },
      })),
    );
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(request, async ({ path, init }) => {
        runs += 1;
        await expectIzlyRefusal(await call(path, init), `generated ${init.method} ${path} ${JSON.stringify(init.headers)}`);
      }),
      { numRuns: 150, seed: FUZZ_SEED },
    );
    assert.equal(await snapshot(t.h), before);
    recordCheck({
      id: 'sandbox-generated-get-refund',
      area: 'Bad input',
      tried: 'Sandbox get and refund, generated: huge, negative and unicode ids, wrong clientOrderId on a paid operation, any credentials',
      cases: runs,
      held: "every answer a 4xx in Izly's error shape; nothing refunded",
      seed: FUZZ_SEED,
    });
  });
});

/** The same fields spelt PascalCase, camelCase or lower case (the sandbox binds names case-insensitively). */
function respell(fields: Record<string, unknown>, spelling: 'pascal' | 'camel' | 'lower'): Record<string, unknown> {
  const pascal: Record<string, string> = {
    amount: 'Amount',
    clientOrderId: 'ClientOrderId',
    callbackParameters: 'CallbackParameters',
    redirectUrlAfterPayment: 'RedirectUrlAfterPayment',
    message: 'Message',
    software: 'Software',
  };
  return Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [spelling === 'pascal' ? pascal[name]! : spelling === 'lower' ? name.toLowerCase() : name, value]),
  );
}
