// A fault-injecting proxy in front of the real adapter, for the browser tests (not a stub: every request
// that gets through is answered by the real adapter). `/test-proxy/<channel>/izly/...` forwards to
// `/izly/...` after applying the next fault queued on <channel>:
// - `drop`: never forwarded; the browser gets a broken answer (a network error for `fetch`);
// - `drop-after`: forwarded, then the answer is broken: the server acted, the browser never heard;
// - `hold`: forwarded only once the channel is released;
// - `instant`: forwarded with `wait=0`, so the adapter answers at once, as one whose long polls end straight away;
// - `502`: never forwarded; a gateway's plain-text error page, as a reverse proxy answers when the adapter is down;
// - `429`: never forwarded; `429` with `Retry-After: 1` and the adapter's JSON error shape (`rate_limited`), as a
//   rate limit in front of the adapter, or the adapter's own limits, refuse a request.
// Control routes on the same channel: `POST _faults` (a JSON array of faults to queue), `POST _release`,
// `GET _log` (every request seen: method, path, Idempotency-Key, the status answered, `at` when it arrived and
// `answeredAt` when its answer left, in ms since the epoch).

/** Breaks the answer in a way Chromium reports as a network error and never retries on its own. */
function breakAnswer(ctx) {
  ctx.respond = false;
  ctx.res.socket?.end('NOT-HTTP\r\n\r\n');
  ctx.res.socket?.destroy();
}

async function readJson(ctx) {
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
}

function json(ctx, value, status = 200) {
  ctx.respond = false;
  ctx.res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  ctx.res.end(JSON.stringify(value));
}

/** @param {(request: Request) => Promise<Response>} forward the real servers' handler */
export function faultProxy(forward) {
  const channels = new Map();
  const channel = (name) => {
    if (!channels.has(name)) channels.set(name, { faults: [], held: [], log: [] });
    return channels.get(name);
  };

  return {
    async handle(ctx, url, answerWith, send) {
      const match = /^\/test-proxy\/([^/]+)(\/.*)$/.exec(url.pathname);
      if (!match) return json(ctx, { error: { code: 'not_found', message: 'no channel' } }, 404);
      const [, name, rest] = match;
      const state = channel(name);
      if (rest === '/_faults' && ctx.method === 'POST') {
        state.faults.push(...(await readJson(ctx)));
        return json(ctx, { queued: state.faults.length });
      }
      if (rest === '/_release' && ctx.method === 'POST') {
        for (const release of state.held.splice(0)) release();
        return json(ctx, { released: true });
      }
      if (rest === '/_log') return json(ctx, state.log);

      const entry = { method: ctx.method, path: rest, idempotencyKey: ctx.get('idempotency-key') || null, status: null, at: Date.now(), answeredAt: null };
      state.log.push(entry);
      const answered = (status) => {
        entry.status = status;
        entry.answeredAt = Date.now();
      };
      const fault = state.faults.shift();
      if (fault === 'drop') {
        answered(null);
        return breakAnswer(ctx);
      }
      if (fault === '502') {
        answered(502);
        ctx.respond = false;
        ctx.res.writeHead(502, { 'content-type': 'text/plain' });
        return ctx.res.end('502 Bad Gateway');
      }
      if (fault === '429') {
        answered(429);
        ctx.respond = false;
        ctx.res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        return ctx.res.end(JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests, try again in 1 s' } }));
      }
      if (fault === 'hold') await new Promise((resolve) => state.held.push(resolve));
      const search = new URLSearchParams(url.search);
      if (fault === 'instant' && search.has('wait')) search.set('wait', '0');
      const response = await answerWith(forward, ctx, new URL(`${rest}?${search}`, url).href);
      if (fault === 'drop-after') {
        await response.arrayBuffer();
        answered(response.status);
        return breakAnswer(ctx);
      }
      await send(ctx, response);
      answered(response.status);
    },
  };
}
