// A throwaway PostgreSQL database per test file, on the server named by IZLY_PAY_TEST_DATABASE_URL (`.ci/run`
// starts one). Without that variable the tests that need PostgreSQL are skipped with `SKIP_WITHOUT_POSTGRES`
// as their reason, so `npm test` still runs on a machine without PostgreSQL.
import pg from 'pg';

/** The server to create test databases on, as a URL with a user allowed to CREATE DATABASE. */
export const TEST_DATABASE_URL = process.env.IZLY_PAY_TEST_DATABASE_URL || null;

/** The skip reason of PostgreSQL tests, or false when a server is available. */
export const SKIP_WITHOUT_POSTGRES: string | false = TEST_DATABASE_URL
  ? false
  : 'IZLY_PAY_TEST_DATABASE_URL is not set: no PostgreSQL server to test against (.ci/run starts one)';

export interface TestDatabase {
  /** Connection URL of the new, empty database. */
  url: string;
  /** Empties the adapter's tables (kept with their schema), for a test that needs no records. */
  empty(): Promise<void>;
  /** As if `ms` passed on the database's clock for the spent login nonces: moves their expiries back by `ms`. */
  passTime(ms: number): Promise<void>;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  if (!TEST_DATABASE_URL) throw new Error('IZLY_PAY_TEST_DATABASE_URL is not set');
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database with a unique name. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `izly_pay_test_${crypto.randomUUID().replaceAll('-', '')}`;
  await onServer((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  /** Runs `work` on a connection to the new database. */
  async function inDatabase(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
    const client = new pg.Client({ connectionString: url.href });
    await client.connect();
    try {
      await work(client);
    } finally {
      await client.end();
    }
  }
  return {
    url: url.href,
    empty: () =>
      inDatabase(async (client) => {
        const { rows } = await client.query("SELECT to_regclass('izly_payments') IS NOT NULL AS present");
        if (rows[0].present) await client.query('TRUNCATE izly_payments, izly_payment_events, izly_login_nonces RESTART IDENTITY');
      }),
    passTime: (ms) =>
      inDatabase((client) => client.query('UPDATE izly_login_nonces SET expires_at = expires_at - make_interval(secs => $1::double precision / 1000)', [ms])),
    drop: () => onServer((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}
