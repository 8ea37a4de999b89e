// A store in memory, for tests and for trying things out: everything is lost when the process ends.
// JavaScript runs one task at a time, so each method's check-then-write, done before its first
// `await`, is atomic. Records are indexed by idempotency key and order, and events by payment, so that
// no lookup scans every payment (a busy test server holds thousands).
import {
  PaymentConflictError,
  applyPatch,
  isOpenStatus,
  type NewPaymentEvent,
  type PaymentEvent,
  type PaymentPatch,
  type PaymentRecord,
  type PaymentStatus,
  type PaymentStore,
  type TransitionCondition,
} from './payment-store.js';
import { SpentLoginNonces } from './spent-login-nonces.js';

/** Options of `memoryStore()`. */
export interface MemoryStoreOptions {
  /** The time in ms since the epoch, by which spent login nonces expire; default `Date.now` (tests pass the adapter's clock). */
  now?: () => number;
}

/**
 * A `PaymentStore` kept in memory. Use `sqliteStore(path)` (from `izly-pay/server/sqlite`) when
 * payments must survive a restart.
 * @example izlyPay({ ..., store: memoryStore() })
 */
export function memoryStore(options: MemoryStoreOptions = {}): PaymentStore {
  return new MemoryStore(options.now ?? Date.now);
}

const copy = (record: PaymentRecord): PaymentRecord => ({ ...record });

// The store's methods are own properties (arrow functions), not prototype methods, so that a partner can
// still wrap a store by spreading it (`{ ...store, transition }`), as with the plain objects of before.
class MemoryStore implements PaymentStore {
  readonly #records = new Map<string, PaymentRecord>();
  /** Idempotency key → payment id. */
  readonly #byKey = new Map<string, string>();
  /** Izly reference (`clientOrderId`) → payment id. */
  readonly #byReference = new Map<string, string>();
  /** Order id → ids of its payments, in creation order. */
  readonly #byOrder = new Map<string, string[]>();
  readonly #eventsByPayment = new Map<string, PaymentEvent[]>();
  readonly #loginNonces: SpentLoginNonces;
  #nextEventId = 1;
  #closed = false;

  constructor(now: () => number) {
    this.#loginNonces = new SpentLoginNonces(now);
  }

  create = async (record: PaymentRecord): Promise<PaymentRecord> => {
    this.#check();
    const sameKey = this.#records.get(this.#byKey.get(record.idempotencyKey) ?? '');
    if (sameKey) throw new PaymentConflictError('idempotency_key', copy(sameKey));
    if (this.#records.has(record.id)) throw new Error(`memoryStore: payment ${record.id} already exists`);
    const open = isOpenStatus(record.status) ? this.#openPaymentOf(record.orderId) : undefined;
    if (open) throw new PaymentConflictError('open_payment', copy(open));
    this.#checkReferenceFree(record.clientOrderId, record.id);
    const saved = { ...record, version: 1 };
    this.#records.set(saved.id, saved);
    this.#byKey.set(saved.idempotencyKey, saved.id);
    this.#byReference.set(saved.clientOrderId, saved.id);
    const ofOrder = this.#byOrder.get(saved.orderId);
    if (ofOrder) ofOrder.push(saved.id);
    else this.#byOrder.set(saved.orderId, [saved.id]);
    this.#log({
      paymentId: saved.id,
      at: saved.createdAt,
      type: 'created',
      detail: { status: saved.status, amount: saved.amount, orderId: saved.orderId, clientOrderId: saved.clientOrderId },
    });
    return copy(saved);
  };

  get = async (id: string): Promise<PaymentRecord | null> => {
    this.#check();
    const record = this.#records.get(id);
    return record ? copy(record) : null;
  };

  findByIdempotencyKey = async (key: string): Promise<PaymentRecord | null> => {
    this.#check();
    const record = this.#records.get(this.#byKey.get(key) ?? '');
    return record ? copy(record) : null;
  };

  findByOrderId = async (orderId: string): Promise<PaymentRecord[]> => {
    this.#check();
    // Newest first; of two created in the same millisecond, the later insertion first (as the SQL stores).
    return this.#paymentsOf(orderId)
      .map((record, index) => ({ record, index }))
      .sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt) || b.index - a.index)
      .map(({ record }) => copy(record));
  };

  transition = async (
    id: string,
    from: readonly PaymentStatus[],
    patch: PaymentPatch,
    condition: TransitionCondition = {},
    events: readonly NewPaymentEvent[] = [],
  ): Promise<PaymentRecord | null> => {
    this.#check();
    const record = this.#records.get(id);
    if (!record || !from.includes(record.status)) return null;
    if (condition.version !== undefined && record.version !== condition.version) return null;
    if (patch.status !== undefined && isOpenStatus(patch.status) && !isOpenStatus(record.status)) {
      const open = this.#openPaymentOf(record.orderId, id);
      if (open) throw new PaymentConflictError('open_payment', copy(open));
    }
    if (patch.clientOrderId !== undefined) this.#checkReferenceFree(patch.clientOrderId, id);
    const updated = applyPatch(record, patch);
    this.#records.set(id, updated);
    if (updated.clientOrderId !== record.clientOrderId) {
      this.#byReference.delete(record.clientOrderId);
      this.#byReference.set(updated.clientOrderId, id);
    }
    for (const event of events) this.#log(event);
    if (updated.status !== record.status) {
      this.#log({ paymentId: id, at: patch.updatedAt, type: 'transition', detail: { from: record.status, to: updated.status } });
    }
    return copy(updated);
  };

  listByStatus = async (statuses: readonly PaymentStatus[], olderThan?: Date): Promise<PaymentRecord[]> => {
    this.#check();
    const limit = olderThan?.toISOString();
    return [...this.#records.values()]
      .filter((record) => statuses.includes(record.status) && (limit === undefined || record.createdAt < limit))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map(copy);
  };

  listPendingHooks = async (markedBefore: Date, dueBy?: Date): Promise<PaymentRecord[]> => {
    this.#check();
    const limit = markedBefore.toISOString();
    const due = dueBy?.toISOString();
    const sortKey = (record: PaymentRecord) => record.pendingHookSince ?? record.hookRetryAt ?? '';
    return [...this.#records.values()]
      .filter(
        (record) =>
          record.pendingHook !== null &&
          (record.pendingHookSince === null || record.pendingHookSince < limit) &&
          (due === undefined || record.hookRetryAt === null || record.hookRetryAt <= due),
      )
      .sort((a, b) => sortKey(a).localeCompare(sortKey(b)))
      .map(copy);
  };

  listRefundsInFlight = async (): Promise<PaymentRecord[]> => {
    this.#check();
    return [...this.#records.values()]
      .filter((record) => record.status === 'paid' && record.refundRequestedAt !== null)
      .sort((a, b) => (a.refundRequestedAt ?? '').localeCompare(b.refundRequestedAt ?? ''))
      .map(copy);
  };

  appendEvent = async (event: NewPaymentEvent): Promise<void> => {
    this.#check();
    this.#log(event);
  };

  events = async (paymentId: string): Promise<PaymentEvent[]> => {
    this.#check();
    return (this.#eventsByPayment.get(paymentId) ?? []).map((event) => ({ ...event, detail: { ...event.detail } }));
  };

  spendLoginNonce = async (nonce: string, expiresAt: Date): Promise<boolean> => {
    this.#check();
    return this.#loginNonces.spendLoginNonce(nonce, expiresAt);
  };

  close = async (): Promise<void> => {
    this.#closed = true;
  };

  #check(): void {
    if (this.#closed) throw new Error('memoryStore: the store is closed');
  }

  #log(event: NewPaymentEvent): void {
    // Written out rather than spread: a spread object given one more property got a hidden class of its
    // own in V8, about 200 bytes more for each event kept (three per payment).
    const saved: PaymentEvent = { id: this.#nextEventId++, paymentId: event.paymentId, at: event.at, type: event.type, detail: { ...event.detail } };
    const list = this.#eventsByPayment.get(event.paymentId);
    if (list) list.push(saved);
    else this.#eventsByPayment.set(event.paymentId, [saved]);
  }

  /** Throws the conflict when another record than `owner` holds the Izly reference. */
  #checkReferenceFree(clientOrderId: string, owner: string): void {
    const holder = this.#records.get(this.#byReference.get(clientOrderId) ?? '');
    if (holder && holder.id !== owner) throw new PaymentConflictError('client_order_id', copy(holder));
  }

  #paymentsOf(orderId: string): PaymentRecord[] {
    return (this.#byOrder.get(orderId) ?? []).map((id) => this.#records.get(id)!);
  }

  #openPaymentOf(orderId: string, except?: string): PaymentRecord | undefined {
    return this.#paymentsOf(orderId).find((record) => isOpenStatus(record.status) && record.id !== except);
  }
}
