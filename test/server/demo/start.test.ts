// `npm start` with a bad setting, or a port it cannot take, stops with one line that names the variable.
import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../e2e/helpers/processes.js';

function startDemo(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'demo/start.ts'], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('starting the demo with a bad setting', () => {
  it('stops with exit code 1 and names the variable', () => {
    const run = startDemo({ PORT: 'eighty' });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /The demo cannot start: PORT: expected a port number/);
  });

  it('refuses a real Izly without credentials', () => {
    const run = startDemo({ IZLY_BASE_URL: 'https://rest-pp.izly.fr' });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /IZLY_APP_IDENTIFIER: is required when IZLY_BASE_URL points at a real Izly/);
  });
});

describe('starting the demo on a port another program holds', () => {
  for (const variable of ['PORT', 'SANDBOX_PORT'] as const) {
    test(`${variable} busy: exit code 1, one line naming ${variable}, no stack trace`, async () => {
      const busy = createServer();
      await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
      const data = mkdtempSync(join(tmpdir(), 'izly-pay-demo-busy-'));
      try {
        const port = (busy.address() as AddressInfo).port;
        const other = await freePort();
        const ports = variable === 'PORT' ? { PORT: String(port), SANDBOX_PORT: String(other) } : { PORT: String(other), SANDBOX_PORT: String(port) };
        const run = startDemo({ ...ports, DEMO_DATA_DIR: data });
        assert.equal(run.status, 1, run.stderr);
        assert.equal(run.stderr, `The demo cannot start: ${variable}: port ${port} is in use: choose another with ${variable}\n`);
      } finally {
        rmSync(data, { recursive: true, force: true });
        await new Promise((resolve) => busy.close(resolve));
      }
    });
  }
});
