// Random bytes for ids and nonces, drawn from a pool that one `crypto.getRandomValues` call fills: a call
// per id cost about 15 µs of CPU under load on Node 20 (a crypto job object, OpenSSL's fork check and its
// locks around 16 bytes), as much as the rest of the id's work. Node's own `crypto.randomUUID` pools its
// entropy the same way. The bytes are the runtime's CSPRNG's; each byte is handed out once.

const POOL_BYTES = 4096;
let pool = new Uint8Array(0);
let used = 0;

/** `count` (at most 4096) cryptographically random bytes, the caller's own. */
export function randomBytes(count: number): Uint8Array {
  if (used + count > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    used = 0;
  }
  const bytes = pool.slice(used, used + count);
  // Handed out: no later caller can be given (or read back) the same bytes.
  pool.fill(0, used, used + count);
  used += count;
  return bytes;
}
