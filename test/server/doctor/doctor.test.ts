// `izly-pay doctor` against the real sandbox, in each plausible Izly the sandbox can be: it must find the
// settings every time (and the client set with them must then be taken by that Izly), say what is wrong
// when they cannot be found, and never print the API key. The callback check runs against the adapter
// mounted at /izly in a Hono app, as the harness serves it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { Hono } from 'hono';
import { createSandbox, type SandboxOptions } from '../../../sandbox/index.js';
import { createIzlyClient, IzlyApiError } from '../../../server-adapter/index.js';
import { doctorCommand, parseDoctorArguments, type CommandIo } from '../../../server-adapter/doctor/cli.js';
import { runDoctor, type DoctorOptions, type DoctorReport } from '../../../server-adapter/doctor/doctor.js';
import { formatReport } from '../../../server-adapter/doctor/report-text.js';
import { API_KEY, startHarness, type Harness } from '../helpers/harness.js';
import { closeServer, listen, type ListeningServer } from '../helpers/http-server.js';

const APP_IDENTIFIER = 'izly-pay-demo';
/** A key such as the document's example header carries: already the base64 of a pair. */
const BASE64_KEY = btoa(`${APP_IDENTIFIER}:doctor-secret-0123456789`);
const S_MONEY = 'application/vnd.s-money.v1+json';
const XPOLLENS = 'application/vnd.Xpollens.v1+json';
const JSON_TYPE = 'application/json';

/** A sandbox served on a free loopback port, with one POS holding `apiKey`. */
async function serveSandbox(options: SandboxOptions & { apiKey: string }): Promise<{ url: string; close(): Promise<void> }> {
  const { apiKey, ...sandboxOptions } = options;
  const sandbox = createSandbox({ ...sandboxOptions, pointsOfSale: [{ apiKey, ...sandboxOptions.pointsOfSale?.[0] }] });
  const served = await listen((request) => sandbox.fetch(request));
  return {
    url: served.url,
    async close() {
      sandbox.control.close();
      await closeServer(served.server);
    },
  };
}

function assertNoSecret(report: DoctorReport, apiKey: string): void {
  for (const text of [formatReport(report), JSON.stringify(report)]) {
    assert.ok(!text.includes(apiKey), 'the API key is never printed');
    assert.ok(!text.includes(btoa(`${APP_IDENTIFIER}:${apiKey}`)), 'nor the Basic credentials made of it');
  }
}

async function doctor(options: Partial<DoctorOptions> & { baseUrl: string; apiKey: string }): Promise<DoctorReport> {
  const report = await runDoctor({ appIdentifier: APP_IDENTIFIER, timeoutMs: 2_000, ...options });
  assertNoSecret(report, options.apiKey);
  return report;
}

/** A key that does not look like base64: only standard Basic can carry it on the token call. */
const PLAIN_KEY = 'a-plain-api-key';

/** One switch at a time over the lenient preset (the sandbox's defaults are every strictest value at once). */
const lenientWith = (switches: Exclude<SandboxOptions['izly'], string | undefined>): SandboxOptions['izly'] => ({ preset: 'lenient', ...switches });

const VARIANTS: Array<{ name: string; izly: SandboxOptions['izly']; apiKey: string; accepted: string[]; tokenAuthorization: 'basic' | 'raw-key' }> = [
  { name: 'the default Izly (the strictest), the built-in key', izly: undefined, apiKey: API_KEY, accepted: [S_MONEY], tokenAuthorization: 'raw-key' },
  { name: 'the lenient Izly', izly: 'lenient', apiKey: PLAIN_KEY, accepted: [S_MONEY, XPOLLENS], tokenAuthorization: 'basic' },
  { name: 'contentTypes: xpollens', izly: lenientWith({ contentTypes: 'xpollens' }), apiKey: PLAIN_KEY, accepted: [XPOLLENS], tokenAuthorization: 'basic' },
  { name: 'contentTypes: s-money', izly: lenientWith({ contentTypes: 's-money' }), apiKey: PLAIN_KEY, accepted: [S_MONEY], tokenAuthorization: 'basic' },
  {
    name: 'contentTypes: vendor',
    izly: lenientWith({ contentTypes: 'vendor' }),
    apiKey: PLAIN_KEY,
    accepted: [S_MONEY, XPOLLENS],
    tokenAuthorization: 'basic',
  },
  {
    name: 'contentTypes: vendor-and-json',
    izly: lenientWith({ contentTypes: 'vendor-and-json' }),
    apiKey: PLAIN_KEY,
    accepted: [S_MONEY, XPOLLENS, JSON_TYPE],
    tokenAuthorization: 'basic',
  },
  {
    name: 'tokenAuthorization: standard-basic, a base64 key',
    izly: lenientWith({ tokenAuthorization: 'standard-basic' }),
    apiKey: BASE64_KEY,
    accepted: [S_MONEY, XPOLLENS],
    tokenAuthorization: 'basic',
  },
  {
    name: 'tokenAuthorization: raw-key, a base64 key',
    izly: lenientWith({ tokenAuthorization: 'raw-key' }),
    apiKey: BASE64_KEY,
    accepted: [S_MONEY, XPOLLENS],
    tokenAuthorization: 'raw-key',
  },
  { name: 'errorCodes: sandbox', izly: lenientWith({ errorCodes: 'sandbox' }), apiKey: PLAIN_KEY, accepted: [S_MONEY, XPOLLENS], tokenAuthorization: 'basic' },
  {
    name: 'errorCodes: xpollens',
    izly: lenientWith({ errorCodes: 'xpollens' }),
    apiKey: PLAIN_KEY,
    accepted: [S_MONEY, XPOLLENS],
    tokenAuthorization: 'basic',
  },
  { name: 'strictest, a base64 key', izly: 'strictest', apiKey: BASE64_KEY, accepted: [S_MONEY], tokenAuthorization: 'raw-key' },
];

describe('izly-pay doctor finds the settings of each plausible Izly', () => {
  for (const variant of VARIANTS) {
    test(variant.name, async () => {
      const sandbox = await serveSandbox({ izly: variant.izly, apiKey: variant.apiKey });
      try {
        const report = await doctor({ baseUrl: sandbox.url, apiKey: variant.apiKey });
        assert.equal(report.exitCode, 0, report.problems.join('\n'));
        assert.deepEqual(report.payments.acceptedContentTypes, variant.accepted);
        assert.deepEqual(report.options, {
          baseUrl: sandbox.url,
          appIdentifier: APP_IDENTIFIER,
          authorization: 'raw-key',
          contentType: variant.accepted[0],
          tokenAuthorization: variant.tokenAuthorization,
        });
        assert.deepEqual(report.problems, []);

        // The values printed are the client's own options, and this Izly takes a client set with them.
        const client = createIzlyClient({ ...report.options!, apiKey: variant.apiKey, retries: 0 });
        const initiated = await client.initiatePayment({ amount: 100, clientOrderId: `DOCTOR-${variant.name.length}` });
        assert.match(initiated.operationId, /^\d+$/);
        await assert.rejects(client.exchangeCode('never-issued'), (error) => error instanceof IzlyApiError && error.code === 'invalid_grant');
      } finally {
        await sandbox.close();
      }
    });
  }
});

describe('izly-pay doctor says what is wrong', () => {
  for (const errorCodes of ['sandbox', 'xpollens'] as const) {
    test(`a wrong API key (errorCodes: ${errorCodes}): exit 1, check the credentials or ask Xpollens`, async () => {
      const sandbox = await serveSandbox({ izly: { errorCodes }, apiKey: PLAIN_KEY });
      try {
        const report = await doctor({ baseUrl: sandbox.url, apiKey: 'a-key-izly-never-issued' });
        assert.equal(report.exitCode, 1);
        assert.equal(report.payments.verdict, 'credentials-refused');
        assert.equal(report.connect?.verdict, 'credentials-refused');
        assert.equal(report.options, null);
        assert.match(report.problems[0]!, /refused the AppIdentifier and API key in both Authorization forms \(HTTP 401, code (1002|362)/);
        assert.match(report.problems[0]!, /ask Xpollens whether AppIdentifier izly-pay-demo is known/);
        assert.match(formatReport(report), /Exit code 1: Izly answered, the settings were not found\./);
      } finally {
        await sandbox.close();
      }
    });
  }

  test('the IzlyPay box not ticked: the credentials work, ask Xpollens for the box', async () => {
    const sandbox = await serveSandbox({ apiKey: PLAIN_KEY, pointsOfSale: [{ izlyPay: false }] });
    try {
      const report = await doctor({ baseUrl: sandbox.url, apiKey: PLAIN_KEY });
      assert.equal(report.exitCode, 1);
      assert.equal(report.payments.verdict, 'point-of-sale-refused');
      assert.equal(report.connect?.verdict, 'ok');
      assert.match(report.problems.join('\n'), /refuses payments on this point of sale \(HTTP 403, code 1012 "IzlyPay n'est pas activé.*the IzlyPay box/);
    } finally {
      await sandbox.close();
    }
  });

  test('nothing listening (a port just closed): exit 3 after one probe, connection refused', async () => {
    const closed = await listen(() => new Response());
    await closeServer(closed.server);
    const report = await doctor({ baseUrl: closed.url, apiKey: PLAIN_KEY });
    assert.equal(report.exitCode, 3);
    assert.equal(report.payments.attempts.length, 1, 'one probe, no retry');
    assert.equal(report.connect, null);
    assert.match(
      report.problems[0]!,
      /^Izly did not answer at http:\/\/127\.0\.0\.1:\d+: connection refused: nothing listens at that host and port\. Check --base-url/,
    );
    assert.match(formatReport(report), /Exit code 3: Izly unreachable\./);
  });

  test('a server that never answers: exit 3 once the timeout is over, one probe', async () => {
    let requests = 0;
    const silent = await listen(() => {
      requests++;
      return new Promise<Response>(() => {});
    });
    try {
      const report = await doctor({ baseUrl: silent.url, apiKey: PLAIN_KEY, timeoutMs: 100 });
      assert.equal(report.exitCode, 3);
      assert.equal(requests, 1);
      assert.match(report.problems[0]!, /no answer within 0\.1 s/);
    } finally {
      await closeServer(silent.server);
    }
  });

  test("a base URL that is not Izly (a host page answers 404): exit 3, give Izly's origin", async () => {
    const host = await listen(() => new Response('<h1>Not found</h1>', { status: 404, headers: { 'content-type': 'text/html' } }));
    try {
      const report = await doctor({ baseUrl: host.url, apiKey: PLAIN_KEY });
      assert.equal(report.exitCode, 3);
      assert.equal(report.payments.verdict, 'not-izly');
      assert.match(report.problems[0]!, /answered HTTP 404, text\/html: that is not Izly's partner API\. --base-url must be Izly's origin/);
    } finally {
      await closeServer(host.server);
    }
  });
});

describe('izly-pay doctor checks the callback URL from the outside', () => {
  let harness: Harness;
  let host: ListeningServer;
  before(async () => {
    harness = await startHarness();
    // Hosts that answer the probe in the ways a misconfigured site does.
    const app = new Hono()
      .post('/moved/callback', (c) => c.redirect(`${harness.partnerUrl}/izly/callback`, 301))
      .post('/trusting/callback', (c) => c.json({ Code: 0, ErrorMessage: '' }))
      .post('/waf/callback', (c) => c.html('<h1>Forbidden</h1>', 403));
    host = await listen((request) => app.fetch(request));
  });
  after(async () => {
    await harness.close();
    await closeServer(host.server);
  });

  test('the adapter mounted at /izly answers 403 to the unsigned probe: OK, and the allow-list is still to ask', async () => {
    const report = await doctor({ baseUrl: harness.sandboxUrl, apiKey: API_KEY, callbackUrl: `${harness.partnerUrl}/izly/callback` });
    assert.equal(report.exitCode, 0, report.problems.join('\n'));
    assert.equal(report.callback?.verdict, 'adapter');
    assert.equal(report.callback?.answer, 'HTTP 403, code 1 "Invalid callback signature"');
    assert.match(report.notes.join('\n'), /allow-listed this URL on Izly's outbound filter/);
    assert.match(report.notes.join('\n'), /127\.0\.0\.1 is a local or private address/);
    assert.equal(harness.upstreamCount('GET', /WebPayments/), 0, 'the adapter refused the probe before any Izly call');
  });

  test("a path that 404s: exit 4, and where the adapter's route is", async () => {
    const report = await doctor({ baseUrl: harness.sandboxUrl, apiKey: API_KEY, callbackUrl: `${harness.partnerUrl}/callback` });
    assert.equal(report.exitCode, 4);
    assert.equal(report.callback?.verdict, 'not-found');
    assert.match(report.problems.join('\n'), /nothing answers at this path \(404\): the adapter's callback route is its mount path followed by \/callback/);
    assert.match(formatReport(report), /Exit code 4: the callback URL does not answer as the adapter does\./);
  });

  test("a redirect, a route that takes unsigned callbacks, a firewall's 403: each explained", async () => {
    const expected = [
      ['moved', 'redirect', /a redirect loses it/],
      ['trusting', 'accepts-unsigned', /would take a forged callback from anyone/],
      ['waf', 'blocked-in-front', /something in front of it .* refuses this POST/],
    ] as const;
    for (const [path, verdict, explanation] of expected) {
      const report = await doctor({ baseUrl: harness.sandboxUrl, apiKey: API_KEY, callbackUrl: `${host.url}/${path}/callback`, skipConnect: true });
      assert.equal(report.exitCode, 4, path);
      assert.equal(report.callback?.verdict, verdict);
      assert.match(report.callback!.explanation, explanation);
    }
  });
});

function capture(env: CommandIo['env'] = {}): CommandIo & { output: () => string; errors: () => string } {
  let output = '';
  let errors = '';
  return { out: (text) => void (output += text), err: (text) => void (errors += text), env, output: () => output, errors: () => errors };
}

describe('izly-pay doctor on the command line', () => {
  test('an unknown flag, a missing value, a flag given twice, a stray argument: exit 2 with its name', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--app-id', 'a', '--api-key', 'k', '--verbose'], /unknown option --verbose/],
      [['--app-id', '--api-key', 'k'], /--app-id needs a value/],
      [['--app-id', 'a', '--app-id=b', '--api-key', 'k'], /--app-id is given twice/],
      [['--app-id', 'a', '--api-key', 'k', 'extra'], /unexpected argument "extra"/],
      [['--app-id', 'a', '--api-key', 'k', '--timeout', '0'], /--timeout must be a number of seconds between 0\.1 and 60/],
      [['--app-id', 'a', '--api-key', 'k', '--callback-url', 'izly/callback'], /--callback-url must be an absolute http\(s\) URL/],
      [['--api-key', 'k'], /--app-id is required/],
    ];
    for (const [args, message] of cases) {
      const io = capture();
      assert.equal(await doctorCommand(args, io), 2, args.join(' '));
      assert.match(io.errors(), message);
    }
  });

  test('flags win over IZLY_* variables, which fill in the rest; the base URL defaults to the preproduction', () => {
    const env = { IZLY_APP_IDENTIFIER: 'from-env', IZLY_API_KEY: 'key-from-env' };
    const parsed = parseDoctorArguments(['--app-id=from-flag', '--timeout', '2.5', '--json'], env);
    assert.deepEqual(parsed, {
      options: { baseUrl: 'https://rest-pp.izly.fr', appIdentifier: 'from-flag', apiKey: 'key-from-env', timeoutMs: 2_500, skipConnect: false },
      json: true,
    });
    assert.equal(parseDoctorArguments(['--help'], {}), null);
  });

  test('--json prints the report as JSON, the key masked', async () => {
    const sandbox = await serveSandbox({ apiKey: 'doctor-test-key-0123456789' });
    try {
      const io = capture({ IZLY_API_KEY: 'doctor-test-key-0123456789' });
      const code = await doctorCommand(['--base-url', sandbox.url, '--app-id', APP_IDENTIFIER, '--json'], io);
      assert.equal(code, 0);
      const report = JSON.parse(io.output()) as DoctorReport;
      assert.equal(report.exitCode, 0);
      assert.equal(report.apiKey, '…6789 (26 characters)');
      assert.equal(report.options?.contentType, S_MONEY);
      assert.ok(!io.output().includes('doctor-test-key-0123456789'));
    } finally {
      await sandbox.close();
    }
  });

  test('`node bin/izly-pay.mjs doctor …` prints the options to use and exits 0; an unknown command exits 2', async () => {
    const harness = await startHarness({ sandbox: { izly: 'strictest' } });
    try {
      const bin = fileURLToPath(new URL('../../../bin/izly-pay.mjs', import.meta.url));
      const run = (args: string[]) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH } });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
          child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          child.once('close', (code) => resolve({ code, stdout, stderr }));
        });
      const callbackUrl = `${harness.partnerUrl}/izly/callback`;
      const doctorRun = await run([
        'doctor',
        '--base-url',
        harness.sandboxUrl,
        '--app-id',
        APP_IDENTIFIER,
        '--api-key',
        API_KEY,
        '--callback-url',
        callbackUrl,
      ]);
      assert.equal(doctorRun.code, 0, doctorRun.stdout + doctorRun.stderr);
      assert.match(doctorRun.stdout, /Everything answered as it should\. Use:/);
      assert.match(doctorRun.stdout, /contentType: 'application\/vnd\.s-money\.v1\+json',/);
      assert.match(doctorRun.stdout, /tokenAuthorization: 'raw-key',/);
      assert.match(doctorRun.stdout, /ok {2}HTTP 403, code 1 "Invalid callback signature"/);
      assert.ok(!doctorRun.stdout.includes(API_KEY), 'the key is not printed');

      const unknown = await run(['docter']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /izly-pay: unknown command "docter"\. Commands: doctor, serve\./);
    } finally {
      await harness.close();
    }
  });
});
