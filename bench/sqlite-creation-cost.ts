// What one payment creation costs the SQLite store (better-sqlite3, on a file), in figures that do not swing
// with the load of the machine: CPU µs (user, system), SQL statements, commits and WAL bytes per creation.
// The store's calls are those of `POST /payments` (server-adapter/payments/create.ts): the key and order
// lookups, the insert of the `created` record, then the move to `pending` with Izly's answer and its event.
// Checkpoints are off during the run, so that the WAL's growth is every byte the creations wrote; with
// `checkpoints`, the store's own automatic checkpoints run as in production (the CPU figures then include
// them, the WAL figure does not mean much).
// Run: node --import tsx bench/sqlite-creation-cost.ts [creations, default 3000] [checkpoints]
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newPaymentRecord } from '../server-adapter/stores/payment-store.js';
import { sqlitePaymentStore } from '../server-adapter/stores/sqlite/sqlite-payment-store.js';
import { SyncSqliteDriver, type SyncConnection } from '../server-adapter/stores/sqlite/sqlite-file.js';
import type { SqlStatement, SqlValue } from '../server-adapter/stores/sqlite/sql-driver.js';

const CREATIONS = Number(process.argv[2] ?? 3000);
const WITH_CHECKPOINTS = process.argv[3] === 'checkpoints';
const WARM_UP = 200;
/** A WAL frame: a 24-byte header and a page of 4096 bytes. */
const FRAME_BYTES = 4096 + 24;

/** The driver, counting the statements it runs and its batches (each one commit). */
class CountingDriver extends SyncSqliteDriver {
  statements = 0;
  commits = 0;

  override all(sql: string, params: readonly SqlValue[]) {
    this.statements++;
    return super.all(sql, params);
  }

  override batch(statements: readonly SqlStatement[]) {
    this.statements += statements.length + 2; // BEGIN and COMMIT
    this.commits++;
    return super.batch(statements);
  }

  override dataVersion() {
    this.statements++;
    return super.dataVersion();
  }
}

/** WAL bytes written by the insert of the `created` record and by the move to pending, over the measured creations. */
const walOf = { insert: 0, move: 0 };
let walSize = () => 0;

async function createOne(store: ReturnType<typeof sqlitePaymentStore>, n: number): Promise<void> {
  const orderId = `order-${n}`;
  const idempotencyKey = `key-${n}-${'k'.repeat(20)}`;
  if (await store.findByIdempotencyKey(idempotencyKey)) throw new Error('key taken');
  if ((await store.findByOrderId(orderId)).length > 0) throw new Error('order taken');
  const at = new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();
  const draft = newPaymentRecord({
    id: `pay_${n.toString(36).padStart(20, '0')}`,
    idempotencyKey,
    orderId,
    clientOrderId: `${orderId}-1`,
    amount: 1250,
    returnUrl: 'https://shop.example/checkout/return',
    message: null,
    at,
  });
  const beforeInsert = walSize();
  const record = await store.create(draft);
  const beforeMove = walSize();
  walOf.insert += beforeMove - beforeInsert;
  const operationId = `op-${n}-00000000-0000-0000-0000-000000000000`;
  const moved = await store.transition(
    record.id,
    ['created'],
    {
      status: 'pending',
      operationId,
      authorizationUrl: `https://izly.example/pay/${operationId}`,
      izlyStatus: 'Initialized',
      updatedAt: at,
      pendingHook: null,
      pendingHookSince: null,
      hookAttempts: 0,
      hookRetryAt: null,
    },
    {},
    [{ paymentId: record.id, at, type: 'izly_initiated', detail: { operationId, izlyStatus: 'Initialized', clientOrderId: record.clientOrderId } }],
  );
  walOf.move += walSize() - beforeMove;
  if (moved?.status !== 'pending') throw new Error('not pending');
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'izly-pay-sqlite-cost-'));
  const path = join(folder, 'payments.sqlite');
  const database = new Database(path);
  const driver = new CountingDriver(database as unknown as SyncConnection);
  if (!WITH_CHECKPOINTS) database.pragma('wal_autocheckpoint = 0');
  const store = sqlitePaymentStore(driver, 'sqliteStore');
  try {
    for (let n = 0; n < WARM_UP; n++) await createOne(store, n);
    database.pragma('wal_checkpoint(TRUNCATE)');
    const walBefore = statSync(`${path}-wal`).size;
    if (!WITH_CHECKPOINTS) walSize = () => statSync(`${path}-wal`).size;
    [walOf.insert, walOf.move] = [0, 0];
    const [statements, commits] = [driver.statements, driver.commits];
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let n = WARM_UP; n < WARM_UP + CREATIONS; n++) await createOne(store, n);
    const used = process.cpuUsage(cpu);
    const wallMicros = (performance.now() - started) * 1000;
    // What the automatic checkpoints would have cost these creations: one checkpoint of their whole WAL.
    const checkpointStarted = performance.now();
    const checkpointCpu = process.cpuUsage();
    if (!WITH_CHECKPOINTS) database.pragma('wal_checkpoint(PASSIVE)');
    const checkpointUsed = process.cpuUsage(checkpointCpu);
    const checkpointWallMicros = (performance.now() - checkpointStarted) * 1000;
    const walBytes = statSync(`${path}-wal`).size - walBefore;
    const per = (value: number) => Math.round((value / CREATIONS) * 10) / 10;
    console.log(
      JSON.stringify({
        creations: CREATIONS,
        checkpoints: WITH_CHECKPOINTS,
        wallMicros: per(wallMicros),
        userMicros: per(used.user),
        systemMicros: per(used.system),
        statements: per(driver.statements - statements),
        commits: per(driver.commits - commits),
        walBytes: per(walBytes),
        walFrames: per(walBytes / FRAME_BYTES),
        checkpointWallMicros: per(checkpointWallMicros),
        checkpointCpuMicros: per(checkpointUsed.user + checkpointUsed.system),
        insertFrames: per(walOf.insert / FRAME_BYTES),
        moveFrames: per(walOf.move / FRAME_BYTES),
      }),
    );
  } finally {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();
