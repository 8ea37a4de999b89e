// A client that sends a request's headers, then its body one byte a second (slow loris), is answered 408 and cut once the
// mount's `bodyTimeoutMs` has passed: it cannot hold a connection and a handler for minutes. Real time,
// over real TCP; each test is bounded (a 1 s deadline, the test given 5 s) and ends by itself.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startHarness } from '../helpers/harness.js';

/**
 * Sends `head`, then one byte of body a second, until the server closes the connection; resolves with
 * the time that took and what the server sent back.
 */
function slowLoris(url: string, head: string): Promise<{ elapsedMs: number; received: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let received = '';
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(head));
    const drip = setInterval(() => socket.write('{'), 1_000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      clearInterval(drip);
      resolve({ elapsedMs: Date.now() - started, received });
    });
    socket.on('timeout', () => reject(new Error('never cut')));
    // The bound of the test itself: far beyond the deadline, far below the server's own 300 s.
    socket.setTimeout(4_000);
  });
}

describe('a slow request body', () => {
  for (const path of ['/izly/callback?p=pay_x&s=y', '/izly/payments']) {
    test(`POST ${path} dripping one byte a second is cut within the 1 s deadline`, { timeout: 5_000 }, async () => {
      const h = await startHarness({ adapter: { bodyTimeoutMs: 1_000 } });
      try {
        const { host } = new URL(h.partnerUrl);
        const head = [
          `POST ${path} HTTP/1.1`,
          `Host: ${host}`,
          `Origin: ${h.partnerUrl}`,
          'Content-Type: application/json',
          'Idempotency-Key: slow-1',
          'Content-Length: 1000',
          '',
          '',
        ].join('\r\n');
        const { elapsedMs, received } = await slowLoris(h.partnerUrl, head);
        assert.ok(elapsedMs >= 900 && elapsedMs < 3_000, `cut after ${elapsedMs} ms`);
        assert.match(received, /^HTTP\/1\.1 408 /);
        assert.match(received, /connection: close/i);
        assert.match(received, /"code":"request_timeout"/);
        assert.equal(h.upstream.length, 0, 'Izly is not asked');
      } finally {
        await h.close();
      }
    });
  }

  test('a body that arrives in time is read as before', async () => {
    const h = await startHarness({ adapter: { bodyTimeoutMs: 1_000 } });
    try {
      h.orders.set('A-1', { amount: 250 });
      assert.equal((await h.createPayment('A-1')).status, 201);
    } finally {
      await h.close();
    }
  });
});
