import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
test('hono answers', async () => {
  const app = new Hono().get('/x', (c) => c.json({ ok: true }));
  const res = await app.request('/x');
  assert.deepEqual(await res.json(), { ok: true });
});
