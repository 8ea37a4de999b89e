import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteStore } from '../../../server-adapter/sqlite.js';
import { describeStoreConformance } from './store-conformance.js';

let directory = '';
let file = '';

describeStoreConformance('sqliteStore', {
  open() {
    directory = mkdtempSync(join(tmpdir(), 'izly-pay-store-'));
    file = join(directory, 'payments.db');
    return sqliteStore(file);
  },
  reopen: () => sqliteStore(file),
  cleanup: () => rmSync(directory, { recursive: true, force: true }),
});
