// The demo's Node servers hold slow and idle clients to their limits: headers sent a byte a second, or a
// body that never ends, are cut by Node within the limits given (a second or so here; the demo's own are
// in DEMO_SERVER_LIMITS), and the connection count is capped. Real time, over TCP, each test bounded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { DEMO_SERVER_LIMITS, listen, type ServerLimits } from '../../../demo/node-server.js';
import { closeServer } from '../helpers/http-server.js';

const TIGHT: ServerLimits = { headersTimeout: 1_000, requestTimeout: 1_500, keepAliveTimeout: 500, connectionsCheckingInterval: 200, maxConnections: 3 };

/** Writes `first` at once, then `drip` every second until the server closes; resolves with the time and the answer. */
function dripUntilClosed(port: number, first: string, drip: string): Promise<{ elapsedMs: number; received: string }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let received = '';
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(first));
    const timer = setInterval(() => socket.write(drip), 1_000);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ elapsedMs: Date.now() - started, received });
    });
    socket.setTimeout(4_000, () => {
      socket.destroy();
      reject(new Error('never cut'));
    });
  });
}

async function withServer(limits: ServerLimits, run: (port: number, server: Server) => Promise<void>): Promise<void> {
  // Reads the whole body before answering, as a route that parses it does.
  const server = (await listen(async (request) => new Response(`read ${(await request.text()).length}`), 0, '127.0.0.1', limits)) as Server;
  try {
    await run((server.address() as AddressInfo).port, server);
  } finally {
    await closeServer(server);
  }
}

describe("the demo's Node servers", () => {
  test('carry the limits they are given', async () => {
    await withServer(DEMO_SERVER_LIMITS, async (_port, server) => {
      assert.equal(server.headersTimeout, DEMO_SERVER_LIMITS.headersTimeout);
      assert.equal(server.requestTimeout, DEMO_SERVER_LIMITS.requestTimeout);
      assert.equal(server.keepAliveTimeout, DEMO_SERVER_LIMITS.keepAliveTimeout);
      assert.equal(server.maxConnections, DEMO_SERVER_LIMITS.maxConnections);
    });
  });

  test('headers sent a byte a second are cut after headersTimeout', { timeout: 5_000 }, async () => {
    await withServer(TIGHT, async (port) => {
      const { elapsedMs, received } = await dripUntilClosed(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X');
      assert.ok(elapsedMs >= 900 && elapsedMs < 3_000, `cut after ${elapsedMs} ms`);
      assert.match(received, /^HTTP\/1\.1 408 /);
    });
  });

  test('a body that never ends is cut after requestTimeout', { timeout: 5_000 }, async () => {
    await withServer(TIGHT, async (port) => {
      const head = 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n';
      const { elapsedMs, received } = await dripUntilClosed(port, head, 'x');
      assert.ok(elapsedMs >= 1_400 && elapsedMs < 3_500, `cut after ${elapsedMs} ms`);
      assert.match(received, /^HTTP\/1\.1 408 /);
    });
  });

  test('an idle keep-alive connection is closed after keepAliveTimeout', { timeout: 5_000 }, async () => {
    await withServer(TIGHT, async (port) => {
      const { elapsedMs, received } = await dripUntilClosed(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', '');
      assert.match(received, /^HTTP\/1\.1 200 /);
      assert.ok(elapsedMs < 2_500, `closed after ${elapsedMs} ms`);
    });
  });
  test('connections beyond maxConnections are closed at once', { timeout: 5_000 }, async () => {
    await withServer(TIGHT, async (port, server) => {
      const open = await Promise.all(
        [1, 2, 3].map(
          () =>
            new Promise<ReturnType<typeof connect>>((resolve) => {
              const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
            }),
        ),
      );
      try {
        // Accepted by the kernel, then dropped by Node: closed with nothing said.
        const { received } = await dripUntilClosed(port, '', '');
        assert.equal(received, '');
        assert.equal(server.maxConnections, 3);
      } finally {
        for (const socket of open) socket.destroy();
      }
    });
  });
});
