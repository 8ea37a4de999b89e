// Bundled and run under Bun by stores-on-runtimes.test.ts: the conformance cases on `bunSqliteStore`.
import { bunSqliteStore } from '../../../server-adapter/bun-sqlite.js';
import { fileStoreFactory } from './file-factory.js';
import { REPORT_MARK, runConformance } from './run-cases.js';

const report = await runConformance('bunSqliteStore', `bun ${process.versions.bun}`, fileStoreFactory(bunSqliteStore));
console.log(`${REPORT_MARK}\n${JSON.stringify(report)}`);
