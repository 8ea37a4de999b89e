// A StoreFactory for the SQLite file stores on Bun and Deno: a fresh file in a temporary folder per case,
// reopened as a second connection to the same file, and a clock that the nonce cases move ahead.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PaymentStore } from '../../../server-adapter/stores/payment-store.js';
import type { StoreFactory } from '../../server/stores/conformance/cases.js';

export function fileStoreFactory(open: (path: string, options: { now: () => number }) => PaymentStore): StoreFactory {
  let directory = '';
  let file = '';
  /** How far the stores' clock is ahead of the real one. */
  let ahead = 0;
  const now = () => Date.now() + ahead;
  return {
    open() {
      directory = mkdtempSync(join(tmpdir(), 'izly-pay-store-'));
      file = join(directory, 'payments.db');
      ahead = 0;
      return open(file, { now });
    },
    reopen: () => open(file, { now }),
    cleanup: () => rmSync(directory, { recursive: true, force: true }),
    passTime: (ms) => void (ahead += ms),
  };
}
