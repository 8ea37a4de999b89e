import { after, before } from 'node:test';
import { postgresStore } from '../../../server-adapter/postgres.js';
import { createTestDatabase, SKIP_WITHOUT_POSTGRES, type TestDatabase } from './postgres/test-database.js';
import { describeStoreConformance } from './store-conformance.js';

let database: TestDatabase | undefined;

before(async () => {
  if (!SKIP_WITHOUT_POSTGRES) database = await createTestDatabase();
});
after(async () => {
  await database?.drop();
});

describeStoreConformance('postgresStore', {
  skip: SKIP_WITHOUT_POSTGRES,
  async open() {
    await database!.empty();
    return postgresStore(database!.url);
  },
  reopen: () => postgresStore(database!.url),
});
