// Bundled and run under Deno by stores-on-runtimes.test.ts: the conformance cases on `nodeSqliteStore`.
import { nodeSqliteStore } from '../../../server-adapter/node-sqlite.js';
import { fileStoreFactory } from './file-factory.js';
import { REPORT_MARK, runConformance } from './run-cases.js';

const runtime = 'Deno' in globalThis ? `deno ${process.versions.deno}` : `node ${process.versions.node}`;
const report = await runConformance('nodeSqliteStore', runtime, fileStoreFactory(nodeSqliteStore));
console.log(`${REPORT_MARK}\n${JSON.stringify(report)}`);
