// A PostgreSQL database made for one benchmark and dropped after it, on the server named by
// IZLY_PAY_BENCH_DATABASE_URL (or IZLY_PAY_TEST_DATABASE_URL, which `.ci/run` sets when it starts one): a URL
// whose user may CREATE DATABASE. Without either, the benchmarks that need PostgreSQL are skipped with a note.
import pg from 'pg';

/** The server to make benchmark databases on, or null. */
export const BENCH_DATABASE_SERVER = process.env.IZLY_PAY_BENCH_DATABASE_URL || process.env.IZLY_PAY_TEST_DATABASE_URL || null;

async function onServer(server: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates an empty database; `drop()` removes it, closing the connections still open to it. */
export async function createBenchDatabase(server: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `izly_pay_bench_${crypto.randomUUID().replaceAll('-', '')}`;
  await onServer(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => onServer(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
