// The whole login (login route, Izly's page, callback, code exchange, users read, onLogin, refresh) against
// each plausible IzlyConnect the sandbox can be (contract 4b; sandbox/README.md, "Which Izly"), one switch at
// a time and every strictest value at once, with the adapter's default options.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SandboxOptions } from '../../../sandbox/index.js';
import { APP_IDENTIFIER, STUDENT, issuedTokens, loginUntilCallback, startConnectHarness } from './connect-harness.js';

/** A back-office key that is already the base64 string after `Basic`, as the document's example header. */
const BASE64_KEY = btoa(`${APP_IDENTIFIER}:secret`);

const VARIANTS: Array<[string, SandboxOptions['izly']]> = [
  ["connectState 'echoed'", { connectState: 'echoed' }],
  ["connectState 'dropped'", { connectState: 'dropped' }],
  ["tokenAuthorization 'standard-basic'", { tokenAuthorization: 'standard-basic' }],
  ["tokenAuthorization 'raw-key'", { tokenAuthorization: 'raw-key' }],
  ["usersAnswer 'flat'", { usersAnswer: 'flat' }],
  ["usersAnswer 'profile'", { usersAnswer: 'profile' }],
  ["usersAnswer 'minimal'", { usersAnswer: 'minimal' }],
  ['every switch at its strictest', 'strictest'],
];

describe('IzlyConnect against every plausible Izly', () => {
  for (const [name, izly] of VARIANTS) {
    test(`${name}: a student logs in, twice, and the tokens refresh`, async () => {
      // One switch at a time over the lenient preset: the sandbox's defaults are every strictest value.
      const harness = await startConnectHarness({ apiKey: BASE64_KEY, sandbox: { izly: typeof izly === 'string' ? izly : { preset: 'lenient', ...izly } } });
      try {
        for (const round of [1, 2]) {
          const browser = harness.browser();
          const callback = await loginUntilCallback(harness, browser);
          const answer = await browser.get(callback);
          assert.equal(answer.status, 303, answer.body);
          assert.equal(new URL(answer.location ?? '').searchParams.get('izly_connect'), 'success');
          assert.equal(harness.logins.length, round);
          const { user } = harness.logins.at(-1)!;
          assert.ok(user.id);
          assert.equal(user.email, STUDENT.identifier);
          browser.assertNeverSent(issuedTokens(harness));
        }
        const { tokens } = harness.logins.at(-1)!;
        assert.ok((await harness.izly.connect.refresh(tokens.refreshToken)).accessToken);

        // A refused token call form costs one extra call in the life of the adapter, never one per login.
        const tokenAnswers = harness.upstream.filter((r) => r.path === '/oauth/Home/Token').length;
        const rawKey = izly === 'strictest' || (typeof izly === 'object' && izly.tokenAuthorization === 'raw-key');
        assert.equal(tokenAnswers, 3 + (rawKey ? 1 : 0));
      } finally {
        await harness.close();
      }
    });
  }
});
