// The typed client against the real sandbox (called in-process through its own fetch): what it sends,
// what it returns, and the error it throws for each failure.
import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox, type Sandbox } from '../../../sandbox/index.js';
import {
  createIzlyClient,
  IzlyApiError,
  IzlyError,
  IzlyNetworkError,
  IzlyTimeoutError,
  IzlyUnexpectedAnswerError,
  IZLY_PREPRODUCTION,
  IZLY_PRODUCTION,
  type IzlyClientOptions,
} from '../../../server-adapter/index.js';
import { API_KEY, APP_IDENTIFIER, STUDENT } from '../helpers/harness.js';

const BASE = 'http://sandbox.test';

/** A plain HTTP server on a free loopback port. */
function listen(handler: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

describe('createIzlyClient()', () => {
  let sandbox: Sandbox;
  const sent: Request[] = [];
  const client = (options: Partial<IzlyClientOptions> = {}) =>
    createIzlyClient({
      baseUrl: BASE,
      appIdentifier: APP_IDENTIFIER,
      apiKey: API_KEY,
      retryDelayMs: 1,
      // Only records and forwards: the sandbox answers.
      fetch: async (request) => {
        sent.push(request.clone());
        return sandbox.fetch(request);
      },
      ...options,
    });

  beforeEach(() => {
    sent.length = 0;
    sandbox = createSandbox({ publicUrl: BASE, callbackRetryDelayMs: 1, fetch: async () => new Response('{"Code":0,"ErrorMessage":""}') });
  });
  afterEach(async () => {
    await sandbox.control.settled();
    sandbox.control.close();
  });

  test('presets name the two Izly environments', () => {
    assert.equal(IZLY_PREPRODUCTION, 'https://rest-pp.izly.fr');
    assert.equal(IZLY_PRODUCTION, 'https://rest.izly.fr');
  });

  test('bad settings are refused at construction', () => {
    assert.throws(() => createIzlyClient({ baseUrl: 'ftp://x', appIdentifier: 'a', apiKey: 'k' }), /baseUrl/);
    assert.throws(() => createIzlyClient({ baseUrl: BASE, appIdentifier: '', apiKey: 'k' }), /appIdentifier/);
    assert.throws(() => createIzlyClient({ baseUrl: BASE, appIdentifier: 'a', apiKey: '' }), /apiKey/);
    assert.throws(() => createIzlyClient({ baseUrl: BASE, appIdentifier: 'a', apiKey: 'k', timeoutMs: 0 }), /timeoutMs/);
  });

  describe('WebPayments', () => {
    test('initiate sends the contract (PascalCase, vendor type, AppIdentifier, Basic + raw key) and reads the answer', async () => {
      const izly = client();
      const initiated = await izly.initiatePayment({ amount: 250, clientOrderId: 'A-1', callbackParameters: 'p=x&s=y', message: 'hello' });
      const request = sent[0]!;
      assert.equal(request.method, 'POST');
      assert.equal(new URL(request.url).pathname, '/api/Izly/WebPayments');
      assert.equal(request.headers.get('authorization'), `Basic ${API_KEY}`);
      assert.equal(request.headers.get('appidentifier'), APP_IDENTIFIER);
      // The type proven in production first; the document's after a 415 (izly-variants.test.ts).
      assert.equal(request.headers.get('content-type'), 'application/vnd.s-money.v1+json');
      assert.deepEqual(await request.json(), { Amount: 250, ClientOrderId: 'A-1', CallbackParameters: 'p=x&s=y', Message: 'hello' });
      assert.match(initiated.authorizationUrl, /^http:\/\/sandbox\.test\/payment\//);
      assert.equal(initiated.operationId, String(sandbox.control.operations()[0]!.id));
      assert.equal(initiated.status.state, 'pending');
      assert.equal(initiated.clientOrderId, 'A-1');
    });

    test("standard Basic of AppIdentifier:apiKey is accepted as well ('basic')", async () => {
      // An Izly that takes the document's content type too, since the client is pinned to it here.
      sandbox.control.updateIzly({ contentTypes: 'vendor' });
      await client({ authorization: 'basic', contentType: 'application/vnd.Xpollens.v1+json' }).initiatePayment({ amount: 100, clientOrderId: 'A-2' });
      assert.equal(sent[0]!.headers.get('authorization'), `Basic ${btoa(`${APP_IDENTIFIER}:${API_KEY}`)}`);
    });

    test('get reads euros as exact cents, Paris dates, our status with the raw one; refund likewise', async () => {
      // The document's reading: amounts in euros, its status names (the other units and vocabularies:
      // status-vocabularies.test.ts and the payments' tests).
      sandbox.control.updateIzly({ amountUnit: 'euros', statusVocabulary: 'document' });
      const izly = client();
      const { operationId, authorizationUrl } = await izly.initiatePayment({ amount: 1999, clientOrderId: 'A-3' });
      const pending = await izly.getPayment(operationId);
      assert.equal(pending.amount, 1999);
      assert.equal(pending.orderId, 'A-3');
      assert.deepEqual(pending.status, { state: 'pending', raw: 'Pending', known: true });
      const created = Date.parse(sandbox.control.operations()[0]!.createdAt);
      assert.ok(pending.paymentDate && Math.abs(pending.paymentDate.getTime() - created) < 1000);

      // The student's page is served by the same in-process sandbox.
      await payAsStudentInProcess(authorizationUrl);
      const paid = await izly.getPayment(operationId);
      assert.equal(paid.status.state, 'paid');
      assert.equal(paid.customerEmail, STUDENT.identifier);

      const refund = await izly.refundPayment(operationId, 'A-3');
      assert.equal(refund.status.state, 'refunded');
      assert.equal(refund.amount, 1999);
      assert.equal(new URL(sent.at(-1)!.url).searchParams.get('clientOrderId'), 'A-3');
    });

    test('an unknown operation is IzlyApiError code 356, with Izly message, title and priority', async () => {
      const error = await client()
        .getPayment('999999')
        .catch((e: unknown) => e);
      assert.ok(error instanceof IzlyApiError);
      assert.equal(error.name, 'IzlyApiError');
      assert.equal(error.code, 356);
      assert.ok(error.isUnknownOperation);
      assert.ok(error.errorMessage.length > 0);
      assert.equal(typeof error.priority, 'number');
      assert.equal(error.call, 'get');
      const refund = await client()
        .refundPayment('999999', 'A-1')
        .catch((e: unknown) => e);
      assert.ok(refund instanceof IzlyApiError && refund.code === 356);
    });

    test('a wrong API key is an IzlyApiError whose message holds no secret', async () => {
      const error = await client({ apiKey: 'wrong-secret-key' })
        .initiatePayment({ amount: 1, clientOrderId: 'A' })
        .catch((e: unknown) => e);
      assert.ok(error instanceof IzlyApiError);
      assert.ok(!error.message.includes('wrong-secret-key'));
      assert.ok(!JSON.stringify(error.body).includes('wrong-secret-key'));
    });
  });

  describe('faults', () => {
    test('a GET is retried after 5xx and succeeds; a POST is never retried', async () => {
      const izly = client({ retries: 2 });
      const { operationId } = await izly.initiatePayment({ amount: 100, clientOrderId: 'A' });
      sandbox.control.setFaults({ serverErrors: 2 });
      assert.equal((await izly.getPayment(operationId)).operationId, operationId);
      assert.equal(sent.filter((r) => r.method === 'GET').length, 3);

      sandbox.control.setFaults({ serverErrors: 1 });
      const error = await izly.initiatePayment({ amount: 100, clientOrderId: 'B' }).catch((e: unknown) => e);
      assert.ok(error instanceof IzlyApiError);
      assert.equal(error.httpStatus, 503);
      assert.equal(sent.filter((r) => r.method === 'POST').length, 2);
      assert.equal(sandbox.control.operations().length, 1);
    });

    test('retries run out: the last error is thrown', async () => {
      sandbox.control.setFaults({ serverErrors: 5 });
      const error = await client({ retries: 1 })
        .getPayment('1')
        .catch((e: unknown) => e);
      assert.ok(error instanceof IzlyApiError && error.httpStatus === 503);
      assert.equal(sent.length, 2);
    });

    test('latency beyond the timeout is IzlyTimeoutError', async () => {
      sandbox.control.setFaults({ latencyMs: 500 });
      const error = await client({ timeoutMs: 50, retries: 0 })
        .getPayment('1')
        .catch((e: unknown) => e);
      assert.ok(error instanceof IzlyTimeoutError);
      assert.equal(error.name, 'IzlyTimeoutError');
      assert.equal(error.timeoutMs, 50);
      assert.ok(error instanceof IzlyError);
    });

    test('a truncated JSON body is IzlyUnexpectedAnswerError', async () => {
      sandbox.control.setFaults({ malformedJson: 1 });
      const error = await client()
        .initiatePayment({ amount: 100, clientOrderId: 'A' })
        .catch((e: unknown) => e);
      assert.ok(error instanceof IzlyUnexpectedAnswerError);
      assert.equal(error.name, 'IzlyUnexpectedAnswerError');
    });

    test('a redirect is not followed: IzlyUnexpectedAnswerError, and the place it points to is never asked', async () => {
      const elsewhere: string[] = [];
      const target = await listen((request, response) => {
        elsewhere.push(String(request.headers.authorization));
        response.end('{}');
      });
      const redirecting = await listen((_, response) => {
        response.writeHead(307, { Location: `${target.url}/api/Izly/WebPayments` }).end();
      });
      try {
        const izly = createIzlyClient({ baseUrl: redirecting.url, appIdentifier: 'a', apiKey: 'k', retries: 0 });
        const error = await izly.initiatePayment({ amount: 100, clientOrderId: 'A' }).catch((e: unknown) => e);
        assert.ok(error instanceof IzlyUnexpectedAnswerError);
        assert.equal(error.httpStatus, 307);
        assert.match(error.message, /a redirect, which is not followed/);
        assert.deepEqual(elsewhere, []);
      } finally {
        redirecting.server.close();
        target.server.close();
      }
    });

    test('an unreachable Izly is IzlyNetworkError', async () => {
      const izly = createIzlyClient({ baseUrl: 'http://127.0.0.1:9', appIdentifier: 'a', apiKey: 'k', retries: 0 });
      const error = await izly.getPayment('1').catch((e: unknown) => e);
      assert.ok(error instanceof IzlyNetworkError);
      assert.equal(error.name, 'IzlyNetworkError');
    });
  });

  describe('IzlyConnect', () => {
    test('authorize URL, code exchange, user details and refresh', async () => {
      const izly = client();
      const authorizeUrl = izly.authorizeUrl({ state: 'st-1' });
      const url = new URL(authorizeUrl);
      assert.equal(url.pathname, '/oauth/Home/Authorize');
      assert.deepEqual(Object.fromEntries(url.searchParams), { response_type: 'code', client_id: APP_IDENTIFIER, scope: '1', state: 'st-1' });

      // The student logs in on the sandbox's page, which redirects to the POS with ?code=.
      const login = await sandbox.request(`${url.pathname}${url.search}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ identifier: STUDENT.identifier, password: STUDENT.password, action: 'validate' }),
      });
      const back = new URL(login.headers.get('location')!);
      assert.equal(back.searchParams.get('state'), null, 'the default (strictest) Izly drops state');
      const code = back.searchParams.get('code')!;

      const tokens = await izly.exchangeCode(code);
      // Standard Basic first; refused by the default Izly, then the key as is, since it looks like base64.
      const tokenRequests = sent.filter((request) => new URL(request.url).pathname === '/oauth/Home/Token');
      assert.deepEqual(
        tokenRequests.map((request) => request.headers.get('authorization')),
        [`Basic ${btoa(`${APP_IDENTIFIER}:${API_KEY}`)}`, `Basic ${API_KEY}`],
      );
      assert.equal(new URL(tokenRequests.at(-1)!.url).searchParams.get('grant_type'), 'authorization_code');
      assert.ok(tokens.accessToken && tokens.refreshToken);

      const user = await izly.getUser(tokens.accessToken);
      assert.equal(user.email, STUDENT.identifier);
      assert.equal(user.clientCode, 'cmartin01');
      assert.equal(user.assignmentNumber, '75012345');
      assert.equal(user.firstName, 'Camille');

      const refreshed = await izly.refreshToken(tokens.refreshToken);
      assert.notEqual(refreshed.accessToken, tokens.accessToken);

      // A used code is refused; the error carries the OAuth code and never the code itself.
      const error = await izly.exchangeCode(code).catch((e: unknown) => e);
      assert.ok(error instanceof IzlyApiError);
      assert.equal(error.code, 'invalid_grant');
      assert.ok(!error.message.includes(code));
      const badToken = await izly.getUser('nope').catch((e: unknown) => e);
      assert.ok(badToken instanceof IzlyApiError && badToken.httpStatus === 401 && badToken.code === 'invalid_token');
    });
  });

  async function payAsStudentInProcess(authorizationUrl: string) {
    const path = new URL(authorizationUrl).pathname;
    const page = await sandbox.request(path);
    assert.equal(page.status, 200);
    const decided = await sandbox.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...STUDENT, action: 'validate' }),
    });
    assert.equal(decided.status, 200);
  }
});
