import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DemoConfigError, loadDemoConfig } from '../../../demo/config.js';
import { DEFAULT_POINT_OF_SALE } from '../../../sandbox/index.js';

function failure(env: NodeJS.ProcessEnv): DemoConfigError {
  try {
    loadDemoConfig(env);
  } catch (error) {
    assert.ok(error instanceof DemoConfigError);
    return error;
  }
  assert.fail('expected a DemoConfigError');
}

describe('demo configuration', () => {
  it('runs on the built-in sandbox with nothing set', () => {
    const config = loadDemoConfig({});
    assert.equal(config.port, 8787);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.publicUrl, 'http://localhost:8787');
    assert.equal(config.izlyBaseUrl, null);
    assert.equal(config.appIdentifier, 'izly-pay-demo');
    assert.equal(config.apiKey, DEFAULT_POINT_OF_SALE.apiKey);
    assert.equal(config.authorization, 'raw-key');
    assert.ok(config.callbackSecret.length >= 32);
    assert.equal(config.sandboxCallbackRetryDelayMs, null);
    assert.equal(loadDemoConfig({ SANDBOX_CALLBACK_RETRY_DELAY_MS: '200' }).sandboxCallbackRetryDelayMs, 200);
  });

  it('follows PORT in the default public URL', () => {
    assert.equal(loadDemoConfig({ PORT: '9000' }).publicUrl, 'http://localhost:9000');
  });

  it('names the variable of a malformed setting', () => {
    assert.equal(failure({ PORT: 'eighty' }).variable, 'PORT');
    assert.equal(failure({ HOST: 'my host' }).variable, 'HOST');
    assert.equal(failure({ PORT: '70000' }).variable, 'PORT');
    assert.equal(failure({ PUBLIC_URL: 'localhost:8787' }).variable, 'PUBLIC_URL');
    assert.equal(failure({ IZLY_BASE_URL: 'ftp://rest-pp.izly.fr' }).variable, 'IZLY_BASE_URL');
    assert.equal(failure({ IZLY_AUTHORIZATION: 'bearer' }).variable, 'IZLY_AUTHORIZATION');
    assert.equal(failure({ IZLY_CALLBACK_SECRET: 'short' }).variable, 'IZLY_CALLBACK_SECRET');
    assert.equal(failure({ SANDBOX_PORT: '8787' }).variable, 'SANDBOX_PORT');
    assert.equal(failure({ SANDBOX_CALLBACK_RETRY_DELAY_MS: 'soon' }).variable, 'SANDBOX_CALLBACK_RETRY_DELAY_MS');
  });

  it('requires real credentials and a secret when pointed at a real Izly', () => {
    const live = { IZLY_BASE_URL: 'https://rest-pp.izly.fr', PUBLIC_URL: 'https://shop.example.org' };
    assert.equal(failure(live).variable, 'IZLY_APP_IDENTIFIER');
    assert.equal(failure({ ...live, IZLY_APP_IDENTIFIER: 'my-pos' }).variable, 'IZLY_API_KEY');
    assert.equal(failure({ ...live, IZLY_APP_IDENTIFIER: 'my-pos', IZLY_API_KEY: 'k' }).variable, 'IZLY_CALLBACK_SECRET');
    const config = loadDemoConfig({
      ...live,
      IZLY_APP_IDENTIFIER: 'my-pos',
      IZLY_API_KEY: 'k',
      IZLY_CALLBACK_SECRET: 'x'.repeat(32),
    });
    assert.equal(config.izlyBaseUrl, 'https://rest-pp.izly.fr');
    assert.equal(config.publicUrl, 'https://shop.example.org');
  });

  it('keeps payments in PostgreSQL when DATABASE_URL is set, in SQLite otherwise', () => {
    assert.equal(loadDemoConfig({}).databaseUrl, null);
    assert.equal(loadDemoConfig({ DATABASE_URL: 'postgres://shop@localhost:5432/shop' }).databaseUrl, 'postgres://shop@localhost:5432/shop');
    assert.equal(loadDemoConfig({ DATABASE_URL: 'postgresql://localhost/shop' }).databaseUrl, 'postgresql://localhost/shop');
    assert.equal(failure({ DATABASE_URL: 'mysql://localhost/shop' }).variable, 'DATABASE_URL');
    assert.equal(failure({ DATABASE_URL: 'shop.db' }).variable, 'DATABASE_URL');
  });

  it('explains what is wrong in the message', () => {
    assert.match(failure({ PORT: 'eighty' }).message, /^PORT: expected a port number/);
  });

  it('takes the sandbox control token from IZLY_SANDBOX_CONTROL_TOKEN, or leaves it to the sandbox', () => {
    assert.equal(loadDemoConfig({}).sandboxControlToken, null);
    assert.equal(loadDemoConfig({ IZLY_SANDBOX_CONTROL_TOKEN: 'script-control-token-0123' }).sandboxControlToken, 'script-control-token-0123');
    assert.equal(failure({ IZLY_SANDBOX_CONTROL_TOKEN: 'short' }).variable, 'IZLY_SANDBOX_CONTROL_TOKEN');
  });
});
