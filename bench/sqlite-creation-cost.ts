// What one payment creation costs the SQLite store (better-sqlite3, on a file), in figures that do not swing
// with the load of the machine: CPU µs (user, system), SQL statements, commits and WAL bytes per creation.
// The store's calls are those of `POST /payments` (server-adapter/payments/create.ts): the key and order
// lookups, the insert of the `created` record, then the move to `pending` with Izly's answer and its event.
// Checkpoints are off during the run, so that the WAL's growth is every byte the creations wrote; with
// `checkpoints`, the store's own automatic checkpoints run as in production (the CPU figures then include
// them, the WAL figure does not mean much).
// With a concurrency above 1, that many creations run at once (as under a rush of clicks), and the driver's
// group commits put the batches of one turn of the event loop in one commit: commits per creation then fall
// below two, and the WAL bytes with them.
// Run: node --import tsx bench/sqlite-creation-cost.ts [creations, default 3000] [checkpoints|-] [concurrency, default 1]
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newPaymentRecord } from '../server-adapter/stores/payment-store.js';
import { sqlitePaymentStore } from '../server-adapter/stores/sqlite/sqlite-payment-store.js';
import { SyncSqliteDriver, type SyncConnection } from '../server-adapter/stores/sqlite/sqlite-file.js';
import type { SqlStatement, SqlValue } from '../server-adapter/stores/sqlite/sql-driver.js';

const CREATIONS = Number(process.argv[2] ?? 3000);
const WITH_CHECKPOINTS = process.argv[3] === 'checkpoints';
const CONCURRENCY = Number(process.argv[4] ?? 1);
const WARM_UP = 200;
/** A WAL frame: a 24-byte header and a page of 4096 bytes. */
const FRAME_BYTES = 4096 + 24;

/** The driver, counting the statements the store asks it to run (its own BEGIN, COMMIT and savepoints aside). */
class CountingDriver extends SyncSqliteDriver {
  statements = 0;

  override all(sql: string, params: readonly SqlValue[]) {
    this.statements++;
    return super.all(sql, params);
  }

  override batch(statements: readonly SqlStatement[]) {
    this.statements += statements.length;
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

/** The commits in a WAL file: a commit's last frame holds the database's size after it (0 in the others). */
function commitsInWal(walPath: string): number {
  const wal = readFileSync(walPath);
  let commits = 0;
  for (let offset = 32; offset + FRAME_BYTES <= wal.length; offset += FRAME_BYTES) if (wal.readUInt32BE(offset + 4) !== 0) commits++;
  return commits;
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
    const statements = driver.statements;
    const cpu = process.cpuUsage();
    const started = performance.now();
    let next = WARM_UP;
    const worker = async () => {
      while (next < WARM_UP + CREATIONS) await createOne(store, next++);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
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
        concurrency: CONCURRENCY,
        wallMicros: per(wallMicros),
        userMicros: per(used.user),
        systemMicros: per(used.system),
        statements: per(driver.statements - statements),
        commits: WITH_CHECKPOINTS ? null : per(commitsInWal(`${path}-wal`)),
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
