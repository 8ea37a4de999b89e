// Checks shared by the reliability tests: the error shapes every refusal must have, the snapshot that
// proves a refusal changed nothing, and the scan for secrets in answers and log lines.
import assert from 'node:assert/strict';
import type { Harness } from '../helpers/harness.js';
import { API_KEY, SECRET } from '../helpers/harness.js';
import type { PaymentStatus } from '../../../server-adapter/index.js';

const ALL_STATUSES: PaymentStatus[] = ['created', 'pending', 'paid', 'refunded', 'failed', 'cancelled', 'expired'];

/** Traces that betray a stack trace or an internal path in an answer. */
const LEAK_PATTERNS = [/\bat .+\(.+:\d+:\d+\)/, /node:internal/, /\/node_modules\//, /\.ts:\d+/, /TypeError|ReferenceError|SyntaxError/];

/** The body text of a refusal, checked to be 4xx JSON without a stack trace. */
async function refusalBody(response: Response, label: string): Promise<unknown> {
  const text = await response.text();
  assert.ok(response.status >= 400 && response.status < 500, `${label}: expected a 4xx, got ${response.status} ${text.slice(0, 200)}`);
  assert.match(
    response.headers.get('content-type') ?? '',
    /^application\/json/,
    `${label}: not JSON (${response.headers.get('content-type')}): ${text.slice(0, 200)}`,
  );
  for (const pattern of LEAK_PATTERNS) assert.doesNotMatch(text, pattern, `${label}: the answer leaks internals: ${text.slice(0, 300)}`);
  try {
    return JSON.parse(text);
  } catch {
    assert.fail(`${label}: body is not JSON: ${text.slice(0, 200)}`);
  }
}

/** The adapter's shape: `{ error: { code, message } }`. Returns the code. */
export async function expectAdapterRefusal(response: Response, label: string): Promise<string> {
  const body = (await refusalBody(response, label)) as { error?: { code?: unknown; message?: unknown } };
  assert.equal(typeof body.error?.code, 'string', `${label}: no error.code in ${JSON.stringify(body)}`);
  assert.equal(typeof body.error?.message, 'string', `${label}: no error.message in ${JSON.stringify(body)}`);
  assert.deepEqual(Object.keys(body), ['error'], label);
  return body.error!.code as string;
}

/** The callback route's shape, the contract's error object: `{ Code, ErrorMessage }` with Code ≠ 0. */
export async function expectCallbackRefusal(response: Response, label: string): Promise<number> {
  const body = (await refusalBody(response, label)) as { Code?: unknown; ErrorMessage?: unknown };
  assert.ok(Number.isInteger(body.Code) && body.Code !== 0, `${label}: Code must be a non-zero integer: ${JSON.stringify(body)}`);
  assert.equal(typeof body.ErrorMessage, 'string', label);
  return body.Code as number;
}

/** The sandbox's (Izly's) shape: `{ Code, ErrorMessage, Title, Priority }`. */
export async function expectIzlyRefusal(response: Response, label: string): Promise<number> {
  const body = (await refusalBody(response, label)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(body).sort(), ['Code', 'ErrorMessage', 'Priority', 'Title'], `${label}: ${JSON.stringify(body)}`);
  assert.ok(Number.isInteger(body.Code), label);
  return body.Code as number;
}

/** Every payment record of the adapter and every operation and balance of the sandbox, as JSON. */
export async function snapshot(h: Harness): Promise<string> {
  const records = await h.izly.store.listByStatus(ALL_STATUSES);
  records.sort((a, b) => a.id.localeCompare(b.id));
  return JSON.stringify({
    records,
    operations: h.sandbox.control.operations(),
    balances: h.sandbox.control.accounts().map((account) => [account.email, account.balance]),
  });
}

/** Secrets that must never appear in an answer or a log line: the API key, the callback secret, and
 *  the HMAC signatures (`s=`) of the given payments. */
export function secretsOf(h: Harness, signatures: string[] = []): string[] {
  return [API_KEY, SECRET, btoa(`${h.sandbox.control.pointsOfSale()[0]!.appIdentifier}:${API_KEY}`), ...signatures];
}

export function assertNoSecret(text: string, secrets: string[], label: string): void {
  for (const secret of secrets) assert.ok(!text.includes(secret), `${label}: a secret appears: ${text.slice(0, 300)}`);
}
