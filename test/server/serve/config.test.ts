// The settings of `izly-pay serve`: from variables and/or a JSON file, defaults filled in, and every
// unknown key or bad value refused with its name; through the bin, a refusal is one line on stderr and
// exit code 2, before anything listens or any file is created.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadServeConfig, ServeConfigError, SETTINGS } from '../../../server-adapter/serve/config.js';
import { temporaryFolder } from '../../e2e/helpers/processes.js';
import { runServe } from './serve-process.js';

const SECRET_A = 'a'.repeat(32);
const SECRET_B = 'b'.repeat(32);
const MINIMAL = {
  IZLY_APP_IDENTIFIER: 'shop',
  IZLY_API_KEY: 'key',
  IZLY_PAY_CALLBACK_SECRET: SECRET_A,
  IZLY_PAY_SIGNING_SECRET: SECRET_B,
  IZLY_PAY_ALLOWED_ORIGINS: 'https://shop.example',
  IZLY_PAY_ORDER_URL: 'https://shop.example/izly-order.php',
  IZLY_PAY_WEBHOOK_URL: 'https://shop.example/izly-webhook.php',
};

function refusal(env: Record<string, string>, file?: unknown): ServeConfigError {
  try {
    loadServeConfig(env, file);
  } catch (error) {
    assert.ok(error instanceof ServeConfigError, `a ServeConfigError, not ${String(error)}`);
    return error;
  }
  assert.fail('the settings were taken');
}

describe('izly-pay serve settings', () => {
  test('the required ones alone give a service with the defaults', () => {
    const config = loadServeConfig(MINIMAL);
    assert.equal(config.izlyBaseUrl, 'https://rest-pp.izly.fr');
    assert.equal(config.database, 'izly-pay.sqlite');
    assert.deepEqual(config.allowedOrigins, ['https://shop.example']);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 8787);
    assert.equal(config.basePath, '/izly');
    assert.equal(config.cors, false);
    assert.equal(config.backOfficeKey, null);
    assert.equal(config.webhookRetryDelaysMs, null, "the adapter's own retry delays");
  });

  test('a JSON file gives the same settings by key, and a variable wins over its key', () => {
    const file = {
      appIdentifier: 'shop',
      apiKey: 'key',
      callbackSecret: SECRET_A,
      signingSecret: SECRET_B,
      allowedOrigins: ['https://shop.example', 'https://www.shop.example/'],
      orderUrl: 'https://shop.example/o',
      webhookUrl: 'https://shop.example/w',
      port: 9000,
      cors: true,
      webhookRetryDelaysMs: [1000, 5000],
    };
    const config = loadServeConfig({ IZLY_PAY_PORT: '9100' }, file);
    assert.equal(config.port, 9100);
    assert.equal(config.cors, true);
    assert.deepEqual(config.allowedOrigins, ['https://shop.example', 'https://www.shop.example']);
    assert.deepEqual(config.webhookRetryDelaysMs, [1000, 5000]);
    assert.deepEqual(loadServeConfig({ ...MINIMAL, IZLY_PAY_WEBHOOK_RETRY_DELAYS_MS: '10, 20' }).webhookRetryDelaysMs, [10, 20]);
  });

  const BAD: Array<[string, Record<string, string>, unknown, RegExp]> = [
    ['a missing required variable', { ...MINIMAL, IZLY_PAY_ORDER_URL: '' }, {}, /^IZLY_PAY_ORDER_URL is required/],
    ['an unknown IZLY_PAY_ variable (a typo)', { ...MINIMAL, IZLY_PAY_WEBHOK_URL: 'x' }, {}, /^IZLY_PAY_WEBHOK_URL is not a setting/],
    ['an unknown key in the file', MINIMAL, { webhookUrls: 'x' }, /^"webhookUrls" \(config file\) is not a setting/],
    ['a file that is not an object', MINIMAL, ['x'], /^the config file must hold a JSON object/],
    ['a short secret', { ...MINIMAL, IZLY_PAY_SIGNING_SECRET: 'short' }, {}, /^IZLY_PAY_SIGNING_SECRET must be at least 32 characters/],
    ['a URL that is not http(s)', { ...MINIMAL, IZLY_PAY_WEBHOOK_URL: 'ftp://shop.example/w' }, {}, /^IZLY_PAY_WEBHOOK_URL must be an absolute http\(s\) URL/],
    [
      'an origin with a path',
      { ...MINIMAL, IZLY_PAY_ALLOWED_ORIGINS: 'https://shop.example/shop' },
      {},
      /^IZLY_PAY_ALLOWED_ORIGINS lists "https:\/\/shop.example\/shop"/,
    ],
    ['a port out of range', { ...MINIMAL, IZLY_PAY_PORT: '70000' }, {}, /^IZLY_PAY_PORT must be an integer from 0 to 65535/],
    ['a port that is not a number', { ...MINIMAL, IZLY_PAY_PORT: '80a' }, {}, /^IZLY_PAY_PORT must be an integer/],
    ['a port given as text in the file', MINIMAL, { port: '8080' }, /^"port" \(config file\) must be an integer/],
    ['a boolean that is not one', { ...MINIMAL, IZLY_PAY_CORS: 'yes' }, {}, /^IZLY_PAY_CORS must be true or false/],
    ['an unknown authorization form', { ...MINIMAL, IZLY_AUTHORIZATION: 'bearer' }, {}, /^IZLY_AUTHORIZATION must be one of raw-key, basic/],
    ['a base path with a trailing slash', { ...MINIMAL, IZLY_PAY_BASE_PATH: '/izly/' }, {}, /^IZLY_PAY_BASE_PATH must be a path such as \/izly/],
    ['a negative retry delay', { ...MINIMAL, IZLY_PAY_WEBHOOK_RETRY_DELAYS_MS: '10,-1' }, {}, /^IZLY_PAY_WEBHOOK_RETRY_DELAYS_MS must be an integer/],
  ];
  for (const [name, env, file, message] of BAD) {
    test(`refuses ${name}, naming it`, () => assert.match(refusal(env, file).message, message));
  }

  test('a refused secret is never echoed back', () => {
    const error = refusal({ ...MINIMAL, IZLY_PAY_BACK_OFFICE_KEY: 'tooshort-secret-value' });
    assert.equal(error.setting, 'IZLY_PAY_BACK_OFFICE_KEY');
    assert.doesNotMatch(error.message, /tooshort-secret-value/);
  });

  test('every setting has a variable of its own and a help line', () => {
    const variables = Object.values(SETTINGS).map((setting) => setting.env);
    assert.equal(new Set(variables).size, variables.length);
    for (const setting of Object.values(SETTINGS)) assert.ok(setting.help.length > 10, setting.env);
  });
});

describe('izly-pay serve refusing its settings through the bin', () => {
  const folder = temporaryFolder('izly-pay-serve-config-');
  after(() => folder.remove());

  test('one line on stderr naming the setting, exit code 2, nothing created', async () => {
    const database = join(folder.path, 'payments.sqlite');
    const run = await runServe({ ...MINIMAL, IZLY_PAY_DATABASE: database, IZLY_PAY_PORT: 'eighty' });
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'izly-pay serve: IZLY_PAY_PORT must be an integer from 0 to 65535, not "eighty".\n');
    assert.equal(run.stdout, '');
    assert.equal(existsSync(database), false, 'no store was opened');
  });

  test('a config file with an unknown key, and one that is not JSON', async () => {
    const file = join(folder.path, 'serve.json');
    writeFileSync(file, JSON.stringify({ orderUrl: 'https://shop.example/o', alowedOrigins: ['https://shop.example'] }));
    const unknown = await runServe(MINIMAL, ['--config', file]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^izly-pay serve: "alowedOrigins" \(config file\) is not a setting \(known: [^\n]*\)\.\n$/);
    writeFileSync(file, '{ "port": 80, }');
    const broken = await runServe({ ...MINIMAL, IZLY_PAY_CONFIG: file });
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /^izly-pay serve: the config file \S+ is not JSON \([^\n]*\)\.\n$/);
  });

  test('an unknown flag', async () => {
    const run = await runServe(MINIMAL, ['--prot', '80']);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'izly-pay serve: unknown option --prot. Run izly-pay serve --help.\n');
  });

  test('--help lists every variable and exits 0', async () => {
    const run = await runServe({}, ['--help']);
    assert.equal(run.code, 0);
    for (const setting of Object.values(SETTINGS)) assert.ok(run.stdout.includes(setting.env), setting.env);
  });
});
