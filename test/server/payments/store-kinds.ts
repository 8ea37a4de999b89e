// The three stores the payment flows' tests run on: each kind opens stores on one set of data, so that
// two of them stand for two adapter instances sharing a database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryStore, type PaymentStore } from '../../../server-adapter/index.js';
import { sqliteStore } from '../../../server-adapter/sqlite.js';
import { postgresStore } from '../../../server-adapter/postgres.js';
import { createTestDatabase, SKIP_WITHOUT_POSTGRES, type TestDatabase } from '../stores/postgres/test-database.js';

/** A store kind: `open()` gives another store on the same data (another instance), `cleanup()` removes it. */
export interface StoreKind {
  name: string;
  skip: string | false;
  setUp(): Promise<{ open(): PaymentStore; cleanup(): Promise<void> }>;
}

export const STORE_KINDS: StoreKind[] = [
  {
    name: 'memoryStore',
    skip: false,
    async setUp() {
      // One memory store shared by two adapters stands for one database shared by two instances.
      const shared = memoryStore();
      return { open: () => ({ ...shared, close: async () => {} }), cleanup: () => shared.close() };
    },
  },
  {
    name: 'sqliteStore',
    skip: false,
    async setUp() {
      const folder = mkdtempSync(join(tmpdir(), 'izly-pay-hook-retries-'));
      return { open: () => sqliteStore(join(folder, 'payments.db')), cleanup: async () => rmSync(folder, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgresStore',
    skip: SKIP_WITHOUT_POSTGRES,
    async setUp() {
      const database: TestDatabase = await createTestDatabase();
      return { open: () => postgresStore(database.url), cleanup: () => database.drop() };
    },
  },
];

/** The last store kind that runs here: a test records its reliability row once all kinds have passed. */
export const LAST_STORE_KIND = STORE_KINDS.filter((kind) => !kind.skip).at(-1);
