// A store in memory, for tests and for trying things out: everything is lost when the process ends.
// JavaScript runs one task at a time, so each method's check-then-write, done before its first
// `await`, is atomic. Records are indexed by idempotency key, order and operation id, and events by
// payment, so that no lookup scans every payment (a busy test server holds thousands).
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

/**
 * A `PaymentStore` kept in memory. Use `sqliteStore(path)` (from `izly-pay/server/sqlite`) when
 * payments must survive a restart.
 * @example izlyPay({ ..., store: memoryStore() })
 */
export function memoryStore(): PaymentStore {
  const records = new Map<string, PaymentRecord>();
  /** Idempotency key → payment id. */
  const byKey = new Map<string, string>();
  /** Order id → ids of its payments, in creation order. */
  const byOrder = new Map<string, string[]>();
  /** Operation id → id of the newest payment with it. */
  const byOperation = new Map<string, string>();
  const eventsByPayment = new Map<string, PaymentEvent[]>();
  let nextEventId = 1;
  let closed = false;

  const copy = (record: PaymentRecord): PaymentRecord => ({ ...record });
  const check = () => {
    if (closed) throw new Error('memoryStore: the store is closed');
  };
  const log = (event: NewPaymentEvent) => {
    const saved: PaymentEvent = { ...event, detail: { ...event.detail }, id: nextEventId++ };
    const list = eventsByPayment.get(event.paymentId);
    if (list) list.push(saved);
    else eventsByPayment.set(event.paymentId, [saved]);
  };
  const paymentsOf = (orderId: string): PaymentRecord[] => (byOrder.get(orderId) ?? []).map((id) => records.get(id)!);
  const openPaymentOf = (orderId: string, except?: string) => paymentsOf(orderId).find((record) => isOpenStatus(record.status) && record.id !== except);
  const indexOperation = (record: PaymentRecord) => {
    if (record.operationId === null) return;
    const holder = records.get(byOperation.get(record.operationId) ?? '');
    if (!holder || holder.id === record.id || holder.createdAt <= record.createdAt) byOperation.set(record.operationId, record.id);
  };

  return {
    async create(record) {
      check();
      const sameKey = records.get(byKey.get(record.idempotencyKey) ?? '');
      if (sameKey) throw new PaymentConflictError('idempotency_key', copy(sameKey));
      if (records.has(record.id)) throw new Error(`memoryStore: payment ${record.id} already exists`);
      const open = isOpenStatus(record.status) ? openPaymentOf(record.orderId) : undefined;
      if (open) throw new PaymentConflictError('open_payment', copy(open));
      const saved = { ...record, version: 1 };
      records.set(saved.id, saved);
      byKey.set(saved.idempotencyKey, saved.id);
      const ofOrder = byOrder.get(saved.orderId);
      if (ofOrder) ofOrder.push(saved.id);
      else byOrder.set(saved.orderId, [saved.id]);
      indexOperation(saved);
      log({ paymentId: saved.id, at: saved.createdAt, type: 'created', detail: { status: saved.status, amount: saved.amount, orderId: saved.orderId } });
      return copy(saved);
    },

    async get(id) {
      check();
      const record = records.get(id);
      return record ? copy(record) : null;
    },

    async findByIdempotencyKey(key) {
      check();
      const record = records.get(byKey.get(key) ?? '');
      return record ? copy(record) : null;
    },

    async findByOperationId(operationId) {
      check();
      const record = records.get(byOperation.get(operationId) ?? '');
      return record ? copy(record) : null;
    },

    async findByOrderId(orderId) {
      check();
      // Newest first; of two created in the same millisecond, the later insertion first (as the SQL stores).
      return paymentsOf(orderId)
        .map((record, index) => ({ record, index }))
        .sort((a, b) => b.record.createdAt.localeCompare(a.record.createdAt) || b.index - a.index)
        .map(({ record }) => copy(record));
    },

    async findOpenByOrderId(orderId) {
      check();
      const record = openPaymentOf(orderId);
      return record ? copy(record) : null;
    },

    async transition(id, from: readonly PaymentStatus[], patch: PaymentPatch, condition: TransitionCondition = {}) {
      check();
      const record = records.get(id);
      if (!record || !from.includes(record.status)) return null;
      if (condition.version !== undefined && record.version !== condition.version) return null;
      if (patch.status !== undefined && isOpenStatus(patch.status) && !isOpenStatus(record.status)) {
        const open = openPaymentOf(record.orderId, id);
        if (open) throw new PaymentConflictError('open_payment', copy(open));
      }
      const updated = applyPatch(record, patch);
      records.set(id, updated);
      if (updated.operationId !== record.operationId) indexOperation(updated);
      if (updated.status !== record.status) {
        log({ paymentId: id, at: patch.updatedAt, type: 'transition', detail: { from: record.status, to: updated.status } });
      }
      return copy(updated);
    },

    async listByStatus(statuses, olderThan) {
      check();
      const limit = olderThan?.toISOString();
      return [...records.values()]
        .filter((record) => statuses.includes(record.status) && (limit === undefined || record.createdAt < limit))
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
        .map(copy);
    },

    async listPendingHooks(markedBefore) {
      check();
      const limit = markedBefore.toISOString();
      return [...records.values()]
        .filter((record) => record.pendingHook !== null && record.pendingHookSince !== null && record.pendingHookSince < limit)
        .sort((a, b) => (a.pendingHookSince ?? '').localeCompare(b.pendingHookSince ?? ''))
        .map(copy);
    },

    async appendEvent(event) {
      check();
      log(event);
    },

    async events(paymentId) {
      check();
      return (eventsByPayment.get(paymentId) ?? []).map((event) => ({ ...event, detail: { ...event.detail } }));
    },

    async close() {
      closed = true;
    },
  };
}
