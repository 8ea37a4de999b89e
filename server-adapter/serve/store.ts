// The store `izly-pay serve` keeps payments in: a SQLite file by default, PostgreSQL for a `postgres://`
// URL (several services behind a load balancer). The drivers are optional peer dependencies, loaded only
// for the store chosen, so that a missing one is a clear line rather than a stack trace.
import type { PaymentStore } from '../index.js';
import { ServeConfigError } from './config.js';

/** True for a PostgreSQL connection URL. */
export function isPostgresUrl(database: string): boolean {
  return /^postgres(ql)?:\/\//.test(database);
}

function missingDriver(error: unknown, driver: string): boolean {
  const code = (error as { code?: string }).code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String((error as Error).message).includes(driver);
}

/** Opens the store named by `database` (`IZLY_PAY_DATABASE`). */
export async function openStore(database: string): Promise<PaymentStore> {
  const driver = isPostgresUrl(database) ? 'pg' : 'better-sqlite3';
  try {
    if (driver === 'pg') return (await import('../postgres.js')).postgresStore(database);
    return (await import('../sqlite.js')).sqliteStore(database);
  } catch (error) {
    if (missingDriver(error, driver)) throw new ServeConfigError('IZLY_PAY_DATABASE', `needs the ${driver} package: npm install ${driver}`);
    throw error;
  }
}
