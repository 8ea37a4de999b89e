// Who a request comes from, for the per-client limits: by default the address of the connection, as the
// runtime gives it to Hono (`c.env`), never a header a client could write (`X-Forwarded-For` is only
// trustworthy behind a proxy the partner knows: that is what the `clientKey` option is for). Found on
// @hono/node-server (`c.env.incoming.socket`), Bun (`c.env.requestIP`) and Deno (`c.env.remoteAddr`);
// elsewhere (Workers, `app.request()` in tests) the address is unknown and such requests share one key.
import type { Context } from 'hono';

/** The key of the requests whose address the runtime does not tell. */
export const UNKNOWN_CLIENT = 'unknown-address';

interface RuntimeEnv {
  incoming?: { socket?: { remoteAddress?: unknown } };
  requestIP?: (request: Request) => { address?: unknown } | null;
  remoteAddr?: { hostname?: unknown };
}

/** The connection's address as the runtime tells it, or null. */
export function connectionAddress(c: Context): string | null {
  const env = c.env as RuntimeEnv | undefined;
  if (typeof env !== 'object' || env === null) return null;
  const node = env.incoming?.socket?.remoteAddress;
  if (typeof node === 'string') return node;
  if (typeof env.requestIP === 'function') {
    try {
      const bun = env.requestIP(c.req.raw)?.address;
      if (typeof bun === 'string') return bun;
    } catch {
      // Not Bun's server after all.
    }
  }
  const deno = env.remoteAddr?.hostname;
  return typeof deno === 'string' ? deno : null;
}

/**
 * One key per client address: an IPv4-mapped IPv6 address as its IPv4 one, and an IPv6 address by its /64
 * (what one household or phone gets, which it can roam at will).
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('%')[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = address.includes('::') && tail !== '' ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
