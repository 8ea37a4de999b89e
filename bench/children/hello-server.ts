// The baseline of benchmark 7: a bare Hono hello world on @hono/node-server, started the same way as the
// demo (`node --import tsx`, PORT from the environment).
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/', (c) => c.text('Hello'));
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
process.once('SIGTERM', () => server.close(() => process.exit(0)));
