// The PHP example shop (examples/php) served by PHP's built-in server on a free loopback port, with its
// SQLite file in a temporary folder; and the signature check of examples/php/lib called from the command
// line. Tests that need PHP skip, saying why, when Debian's php-cli (with pdo_sqlite) is not installed
// (.ci/run installs it).
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { freePort, temporaryFolder } from '../../e2e/helpers/processes.js';

const EXAMPLE = 'examples/php';

function phpProblem(): string | false {
  const modules = spawnSync('php', ['-m'], { encoding: 'utf8' });
  if (modules.error || modules.status !== 0) return 'php is not installed (apt-get install php-cli php-sqlite3; .ci/run does it)';
  if (!/^pdo_sqlite$/m.test(modules.stdout)) return 'php has no pdo_sqlite (apt-get install php-sqlite3)';
  return false;
}

/** Why the PHP tests are skipped, or false when php with pdo_sqlite is here. */
export const SKIP_WITHOUT_PHP: string | false = phpProblem();
if (SKIP_WITHOUT_PHP) console.log(`\n!!! PHP tests skipped: ${SKIP_WITHOUT_PHP}\n`);

/** One order row of the shop's SQLite file. */
export interface ShopOrder {
  id: string;
  sku: string;
  amount: number;
  status: string;
  payment_id: string | null;
}

/** One webhook event the shop verified and processed. */
export interface ShopWebhookEvent {
  id: string;
  type: string;
  order_id: string;
  payment_id: string;
}

export interface PhpShop {
  url: string;
  /** Everything php's server printed (its request log, the shop's error_log lines). */
  output(): string;
  /** Resolves once php's output matches `pattern` (the example logs each webhook it processed). */
  printed(pattern: RegExp): Promise<void>;
  /** Creates an order as the product page's form does; resolves with its id. */
  order(sku: string): Promise<string>;
  orders(): ShopOrder[];
  webhookEvents(): ShopWebhookEvent[];
  stop(): Promise<void>;
}

/** Starts `php -S` on examples/php; `endpoint` is the service's adapter URL that the pages load the widget from. */
export async function startPhpShop({ signingSecret, endpoint = '/izly' }: { signingSecret: string; endpoint?: string }): Promise<PhpShop> {
  const port = await freePort();
  const data = temporaryFolder('izly-pay-php-shop-');
  const database = join(data.path, 'shop.sqlite');
  const child = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', EXAMPLE, join(EXAMPLE, 'router.php')], {
    env: { PATH: process.env.PATH ?? '', IZLY_PAY_SIGNING_SECRET: signingSecret, IZLY_PAY_ENDPOINT: endpoint, SHOP_DB: database },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (chunk) => {
    output += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
    for (const listener of listeners) listener();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`php -S did not start:\n${output}`)), 10_000);
    const check = () => {
      if (/Development Server .* started/.test(output)) {
        listeners.delete(check);
        clearTimeout(timer);
        resolve();
      }
    };
    listeners.add(check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`php -S exited with ${code}:\n${output}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const read = <T>(sql: string): T[] => {
    const db = new Database(database, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  };
  return {
    url,
    output: () => output,
    printed: (pattern) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (pattern.test(output)) {
            listeners.delete(check);
            resolve();
          }
        };
        listeners.add(check);
        check();
      }),
    async order(sku) {
      const response = await fetch(`${url}/order.php`, { method: 'POST', body: new URLSearchParams({ sku }), redirect: 'manual' });
      const location = response.headers.get('location');
      await response.body?.cancel();
      const id = location && new URL(location, url).searchParams.get('id');
      if (response.status !== 303 || !id) throw new Error(`the shop did not create an order (${response.status})`);
      return id;
    },
    orders: () => read<ShopOrder>('SELECT id, sku, amount, status, payment_id FROM orders ORDER BY created_at'),
    webhookEvents: () => read<ShopWebhookEvent>('SELECT id, type, order_id, payment_id FROM webhook_events ORDER BY rowid'),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      data.remove();
    },
  };
}

/** examples/php/lib's `izly_pay_signature_problem()` on these arguments: "ok" or its reason. */
export function phpSignatureCheck(secret: string, header: string, body: string, now: number): string {
  const code = `require '${EXAMPLE}/lib/izly-pay-signature.php'; echo izly_pay_signature_problem($argv[1], $argv[2] === '' ? null : $argv[2], $argv[3], (int) $argv[4]) ?? 'ok';`;
  const run = spawnSync('php', ['-r', code, '--', secret, header, body, String(now)], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`php failed: ${run.stderr}`);
  return run.stdout.trim();
}
