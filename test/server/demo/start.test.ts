// `npm start` with a bad setting stops at once with a message that names the variable.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

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
