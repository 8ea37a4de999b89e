// The sandbox on Node, for the runtime matrix.
import { serve } from '@hono/node-server';
import { matrixSandbox } from './sandbox-app.js';

const sandbox = matrixSandbox(process.env);
serve({ fetch: sandbox.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT) }, (info) => console.log(`listening on http://127.0.0.1:${info.port}`));
