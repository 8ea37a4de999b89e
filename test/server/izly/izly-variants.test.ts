// The client against each plausible Izly the sandbox can be (contract 4b; sandbox/README.md, "Which Izly"):
// the content types it accepts, the token call's Authorization it checks, the users answer it gives. Every
// call goes to the real sandbox, in process; the fetch only records what was sent and answered.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../../sandbox/index.js';
import { createIzlyClient, IzlyApiError, type IzlyClient, type IzlyClientOptions } from '../../../server-adapter/index.js';
import { APP_IDENTIFIER, STUDENT } from '../helpers/harness.js';

const BASE = 'http://sandbox.test';
const S_MONEY = 'application/vnd.s-money.v1+json';
const XPOLLENS = 'application/vnd.Xpollens.v1+json';
/** A back-office key that is already the base64 string after `Basic`, as the document's example header. */
const BASE64_KEY = btoa(`${APP_IDENTIFIER}:secret`);

interface Exchange {
  method: string;
  path: string;
  contentType: string | null;
  authorization: string | null;
  status: number;
}

interface Setup {
  sandbox: Sandbox;
  izly: IzlyClient;
  exchanges: Exchange[];
}

function setUp(sandboxOptions: Omit<SandboxOptions, 'publicUrl'>, clientOptions: Partial<IzlyClientOptions> = {}): Setup {
  const sandbox = createSandbox({ publicUrl: BASE, callbackRetryDelayMs: 1, fetch: async () => new Response(''), ...sandboxOptions });
  const exchanges: Exchange[] = [];
  const apiKey = sandbox.control.pointsOfSale()[0]!.apiKey;
  const izly = createIzlyClient({
    baseUrl: BASE,
    appIdentifier: APP_IDENTIFIER,
    apiKey,
    retryDelayMs: 1,
    fetch: async (request) => {
      const answer = await sandbox.fetch(request.clone());
      exchanges.push({
        method: request.method,
        path: new URL(request.url).pathname,
        contentType: request.headers.get('content-type'),
        authorization: request.headers.get('authorization'),
        status: answer.status,
      });
      return answer;
    },
    ...clientOptions,
  });
  return { sandbox, izly, exchanges };
}

async function tearDown({ sandbox }: Setup): Promise<void> {
  await sandbox.control.settled();
  sandbox.control.close();
}

/** The student validates the payment on the sandbox's page, in process. */
async function pay(sandbox: Sandbox, authorizationUrl: string): Promise<void> {
  const path = new URL(authorizationUrl).pathname;
  assert.equal((await sandbox.request(path)).status, 200);
  const decided = await sandbox.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...STUDENT, action: 'validate' }),
  });
  assert.equal(decided.status, 200);
}

/** The student logs in on the sandbox's IzlyConnect page; the code it sends back. */
async function logIn(sandbox: Sandbox, izly: IzlyClient): Promise<string> {
  const url = new URL(izly.authorizeUrl({ state: 'st' }));
  const login = await sandbox.request(`${url.pathname}${url.search}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ identifier: STUDENT.identifier, password: STUDENT.password, action: 'login' }),
  });
  const code = new URL(login.headers.get('location') ?? '').searchParams.get('code');
  assert.ok(code, `no code in the redirect (${login.status})`);
  return code;
}

describe('content type of the payment calls (contentTypes switch)', () => {
  const accepted = { 's-money': S_MONEY, xpollens: XPOLLENS, vendor: S_MONEY, 'vendor-and-json': S_MONEY } as const;

  for (const contentTypes of ['s-money', 'xpollens', 'vendor', 'vendor-and-json'] as const) {
    test(`'${contentTypes}': initiation, GET and refund work, the working type is kept, at most one extra call per client`, async () => {
      const setup = setUp({ izly: { contentTypes } });
      const { sandbox, izly, exchanges } = setup;
      try {
        for (const orderId of ['A-1', 'A-2']) {
          const { operationId, authorizationUrl } = await izly.initiatePayment({ amount: 250, clientOrderId: orderId });
          assert.equal((await izly.getPayment(operationId)).status.state, 'pending');
          await pay(sandbox, authorizationUrl);
          assert.equal((await izly.getPayment(operationId)).status.state, 'paid');
          assert.equal((await izly.refundPayment(operationId, orderId)).status.state, 'refunded');
        }
        // A 415 means Izly did nothing: still one operation per initiation.
        assert.equal(sandbox.control.operations().length, 2);
        const refused = exchanges.filter((e) => e.status === 415);
        assert.equal(refused.length, contentTypes === 'xpollens' ? 1 : 0);
        assert.equal(exchanges.length, 8 + refused.length);
        assert.equal(izly.contentType, accepted[contentTypes]);
        // Every call after the first answer, GETs and refunds included, sends the type that worked.
        const afterLearning = exchanges.slice(refused.length > 0 ? 2 : 0);
        assert.deepEqual(new Set(afterLearning.map((e) => e.contentType)), new Set([accepted[contentTypes]]));
        assert.ok(exchanges.every((e) => e.status === 200 || e.status === 415));
      } finally {
        await tearDown(setup);
      }
    });
  }

  test('a GET first in the life of the client learns the type as well (a GET is safe to send again)', async () => {
    const setup = setUp({ izly: { contentTypes: 'xpollens' } });
    const { sandbox, izly, exchanges } = setup;
    try {
      const { operationId } = await createdElsewhere(sandbox);
      assert.equal((await izly.getPayment(operationId)).operationId, operationId);
      assert.deepEqual(
        exchanges.map((e) => [e.method, e.contentType, e.status]),
        [
          ['GET', S_MONEY, 415],
          ['GET', XPOLLENS, 200],
        ],
      );
      await izly.initiatePayment({ amount: 100, clientOrderId: 'B-2' });
      assert.deepEqual(exchanges.at(-1), { ...exchanges.at(-1)!, method: 'POST', contentType: XPOLLENS, status: 200 });
      assert.equal(exchanges.length, 3);
    } finally {
      await tearDown(setup);
    }
  });

  test('requests in flight when the type switches are each resent once, with the type that works', async () => {
    const setup = setUp({ izly: { contentTypes: 'xpollens' } });
    const { sandbox, izly, exchanges } = setup;
    try {
      await Promise.all(['E-1', 'E-2', 'E-3'].map((orderId) => izly.initiatePayment({ amount: 100, clientOrderId: orderId })));
      assert.equal(sandbox.control.operations().length, 3);
      assert.ok(exchanges.filter((e) => e.status === 415).length <= 3);
      assert.equal(exchanges.filter((e) => e.status === 200).length, 3);
      await izly.initiatePayment({ amount: 100, clientOrderId: 'E-4' });
      assert.deepEqual(exchanges.at(-1), { ...exchanges.at(-1)!, contentType: XPOLLENS, status: 200 });
    } finally {
      await tearDown(setup);
    }
  });

  test('a pinned contentType is never switched: the 415 is the answer, after one call', async () => {
    const setup = setUp({ izly: { contentTypes: 's-money' } }, { contentType: XPOLLENS });
    const { sandbox, izly, exchanges } = setup;
    try {
      const error = await izly.initiatePayment({ amount: 100, clientOrderId: 'C-1' }).catch((e: unknown) => e);
      assert.ok(error instanceof IzlyApiError && error.httpStatus === 415);
      assert.equal(exchanges.length, 1);
      assert.equal(sandbox.control.operations().length, 0);
      assert.equal(izly.contentType, XPOLLENS);
    } finally {
      await tearDown(setup);
    }
  });

  test('an Izly that refuses both types costs one extra call in the life of the client, not one per call', async () => {
    const sent: Array<string | null> = [];
    const izly = createIzlyClient({
      baseUrl: BASE,
      appIdentifier: APP_IDENTIFIER,
      apiKey: 'k',
      // Only application/json here: no documented type passes.
      fetch: async (request) => {
        sent.push(request.headers.get('content-type'));
        return Response.json({ Code: 1004, ErrorMessage: 'Type de contenu non pris en charge', Title: '', Priority: 2 }, { status: 415 });
      },
    });
    for (const orderId of ['D-1', 'D-2', 'D-3']) {
      const error = await izly.initiatePayment({ amount: 100, clientOrderId: orderId }).catch((e: unknown) => e);
      assert.ok(error instanceof IzlyApiError && error.httpStatus === 415);
    }
    assert.deepEqual(sent, [S_MONEY, XPOLLENS, XPOLLENS, XPOLLENS]);
  });

  test('a bad contentType option is refused at construction', () => {
    for (const contentType of ['', 'json', 'application/json\r\nX-Evil: 1']) {
      assert.throws(() => createIzlyClient({ baseUrl: BASE, appIdentifier: 'a', apiKey: 'k', contentType }), /contentType must be a media type/);
    }
  });
});

/** An operation made by another client of the same POS, so that the client under test starts with a GET. */
async function createdElsewhere(sandbox: Sandbox): Promise<{ operationId: string }> {
  const pos = sandbox.control.pointsOfSale()[0]!;
  const other = createIzlyClient({
    baseUrl: BASE,
    appIdentifier: pos.appIdentifier,
    apiKey: pos.apiKey,
    contentType: XPOLLENS,
    fetch: async (r) => sandbox.fetch(r),
  });
  return other.initiatePayment({ amount: 100, clientOrderId: 'B-1' });
}

describe("the token call's Authorization (tokenAuthorization switch)", () => {
  const standard = `Basic ${btoa(`${APP_IDENTIFIER}:${BASE64_KEY}`)}`;
  const raw = `Basic ${BASE64_KEY}`;

  test("'raw-key' with a base64 key: one 401 invalid_client, then Basic <apiKey>, kept for the refresh", async () => {
    const setup = setUp({ izly: { tokenAuthorization: 'raw-key' }, pointsOfSale: [{ apiKey: BASE64_KEY }] });
    const { sandbox, izly, exchanges } = setup;
    try {
      const tokens = await izly.exchangeCode(await logIn(sandbox, izly));
      const refreshed = await izly.refreshToken(tokens.refreshToken);
      assert.ok(refreshed.accessToken);
      const tokenCalls = exchanges.filter((e) => e.path === '/oauth/Home/Token');
      assert.deepEqual(
        tokenCalls.map((e) => [e.authorization, e.status]),
        [
          [standard, 401],
          [raw, 200],
          [raw, 200],
        ],
      );
    } finally {
      await tearDown(setup);
    }
  });

  test("'standard-basic' with a base64 key: standard Basic works at once, no extra call", async () => {
    const setup = setUp({ izly: { tokenAuthorization: 'standard-basic' }, pointsOfSale: [{ apiKey: BASE64_KEY }] });
    const { sandbox, izly, exchanges } = setup;
    try {
      await izly.exchangeCode(await logIn(sandbox, izly));
      assert.deepEqual(
        exchanges.filter((e) => e.path === '/oauth/Home/Token').map((e) => [e.authorization, e.status]),
        [[standard, 200]],
      );
    } finally {
      await tearDown(setup);
    }
  });

  test('a key that does not look like base64 is never sent as Basic <apiKey>: the 401 is the answer', async () => {
    // The built-in key is base64 already; this one is not (a dash, and not a multiple of 4 characters).
    const setup = setUp({ izly: { tokenAuthorization: 'raw-key' }, pointsOfSale: [{ apiKey: 'a-plain-api-key' }] });
    const { sandbox, izly, exchanges } = setup;
    try {
      const error = await izly.exchangeCode(await logIn(sandbox, izly)).catch((e: unknown) => e);
      assert.ok(error instanceof IzlyApiError && error.httpStatus === 401 && error.code === 'invalid_client');
      assert.equal(exchanges.filter((e) => e.path === '/oauth/Home/Token').length, 1);
    } finally {
      await tearDown(setup);
    }
  });

  test('a bad code is not a reason to switch: invalid_grant is the answer, after one call', async () => {
    const setup = setUp({ izly: { tokenAuthorization: 'raw-key' }, pointsOfSale: [{ apiKey: BASE64_KEY }] }, { tokenAuthorization: 'raw-key' });
    const { izly, exchanges } = setup;
    try {
      const error = await izly.exchangeCode('not-a-code').catch((e: unknown) => e);
      assert.ok(error instanceof IzlyApiError && error.code === 'invalid_grant');
      assert.deepEqual(
        exchanges.map((e) => e.authorization),
        [raw],
      );
      assert.throws(() => createIzlyClient({ baseUrl: BASE, appIdentifier: 'a', apiKey: 'k', tokenAuthorization: 'raw' as 'raw-key' }), /tokenAuthorization/);
    } finally {
      await tearDown(setup);
    }
  });
});

describe('the users answer (usersAnswer switch)', () => {
  const expected = {
    flat: { email: STUDENT.identifier, clientCode: 'cmartin01', assignmentNumber: '75012345', firstName: 'Camille', lastName: 'Martin' },
    profile: { email: STUDENT.identifier, clientCode: 'cmartin01', assignmentNumber: '75012345', firstName: 'Camille', lastName: 'Martin' },
    minimal: { email: STUDENT.identifier, clientCode: null, assignmentNumber: null, firstName: null, lastName: null },
  } as const;

  for (const usersAnswer of ['flat', 'profile', 'minimal'] as const) {
    test(`'${usersAnswer}': the AD is read`, async () => {
      const setup = setUp({ izly: { usersAnswer } });
      const { sandbox, izly } = setup;
      try {
        const { accessToken } = await izly.exchangeCode(await logIn(sandbox, izly));
        const user = await izly.getUser(accessToken);
        assert.ok(user.id);
        const { email, clientCode, assignmentNumber, firstName, lastName } = user;
        assert.deepEqual({ email, clientCode, assignmentNumber, firstName, lastName }, expected[usersAnswer]);
        if (usersAnswer !== 'minimal') assert.ok(user.phone);
      } finally {
        await tearDown(setup);
      }
    });
  }
});
