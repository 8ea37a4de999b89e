// The payments as the staff's page and the accountant's export see them: each payment with its order,
// product, student and history in words; the search (order, e-mail, status) and the totals per day.
import type { PaymentRecord, PaymentStatus, PaymentStore } from '../server-adapter/index.js';
import { formatEuros, productBySku } from './catalogue.js';
import type { RefundNote } from './refund-notes.js';
import type { ShopOrders } from './shop-orders.js';
import { describeEvent, failureWords, hookWords, statusLabel } from './staff-history.js';

export const ALL_STATUSES: readonly PaymentStatus[] = ['created', 'pending', 'paid', 'refunded', 'failed', 'cancelled', 'expired'];

/** One payment as the staff sees it. */
export interface StaffPaymentRow {
  paymentId: string;
  orderId: string;
  /** The reference the payment has at Izly (the order id, then `-2`, `-3`… for the next attempts). */
  clientOrderId: string;
  product: string;
  status: PaymentStatus;
  amount: number;
  /** Izly's e-mail for the payer once paid, else the logged-in student's who owns the order; null if unknown. */
  email: string | null;
  operationId: string | null;
  createdAt: string;
  updatedAt: string;
  paidAt: string | null;
  refundedAt: string | null;
  /** Why it failed, in words ("solde insuffisant"); null unless it failed, was cancelled or expired. */
  failure: string | null;
  /** The reasons staff gave when asking for a refund, newest last. */
  refundReasons: string[];
  history: { at: string; text: string }[];
  refundable: boolean;
  /** What staff must look at (a hook given up, a duplicate, an amount mismatch), in French. */
  attention: string[];
}

/** What the staff searches for; an empty field matches everything. */
export interface StaffFilter {
  /** Words to find in the order, the payment's ids, the student's e-mail, the product or the status. */
  q: string;
  status: PaymentStatus | '';
}

/** What staff must look at on a payment: a hook given up, a duplicate, an amount Izly reported otherwise. */
function attentionOf(payment: PaymentRecord): string[] {
  const notes: string[] = [];
  if (payment.hookGivenUp) notes.push(`${hookWords(payment.hookGivenUp)} abandonnée : à traiter à la main`);
  if (payment.duplicateOf) notes.push(`doublon de ${payment.duplicateOf} (commande déjà payée)`);
  if (payment.amountMismatch) {
    const izly = payment.amountMismatch === 'missing' ? 'aucun montant' : payment.amountMismatch;
    notes.push(`montant Izly ${izly} ≠ ${formatEuros(payment.amount)} : commande non livrée`);
  }
  return notes;
}

const FAILED_STATUSES: readonly PaymentStatus[] = ['failed', 'cancelled', 'expired'];

/** Every payment of the store, newest first, with its history and the reasons given for its refunds. */
export async function staffRows(store: PaymentStore, orders: ShopOrders, notes: Map<string, RefundNote[]>): Promise<StaffPaymentRow[]> {
  const payments = await store.listByStatus(ALL_STATUSES);
  payments.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return Promise.all(
    payments.map(async (payment) => {
      const order = orders.get(payment.orderId);
      const reasons = notes.get(payment.id) ?? [];
      const events = (await store.events(payment.id)).map((event) => ({ at: event.at, text: describeEvent(event) }));
      const noted = reasons.map((note) => ({ at: note.at, text: `remboursement demandé par l’équipe, motif : « ${note.reason} »` }));
      return {
        paymentId: payment.id,
        orderId: payment.orderId,
        clientOrderId: payment.clientOrderId,
        product: (order && productBySku(order.sku)?.name) ?? order?.sku ?? '—',
        status: payment.status,
        amount: payment.amount,
        email: payment.customerEmail ?? order?.studentEmail ?? null,
        operationId: payment.operationId,
        createdAt: payment.createdAt,
        updatedAt: payment.updatedAt,
        paidAt: payment.paidAt,
        refundedAt: payment.refundedAt,
        failure: FAILED_STATUSES.includes(payment.status) ? (failureWords(payment.failureReason) ?? statusLabel(payment.status)) : null,
        refundReasons: reasons.map((note) => note.reason),
        // A note is written just before the refund it explains: at the same instant, it comes first.
        history: [...noted, ...events].sort((a, b) => a.at.localeCompare(b.at)),
        refundable: payment.status === 'paid',
        attention: attentionOf(payment),
      };
    }),
  );
}

/** Lower case without accents, so that "rembourse" finds "remboursé" and "CAFE" finds "Café". */
function folded(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

/** The rows that match the staff's search: every word of `q` somewhere in the row, and the status chosen. */
export function filterRows(rows: StaffPaymentRow[], { q, status }: StaffFilter): StaffPaymentRow[] {
  const words = folded(q).split(/\s+/).filter(Boolean);
  return rows.filter((row) => {
    if (status && row.status !== status) return false;
    const text = folded(
      [row.orderId, row.clientOrderId, row.paymentId, row.operationId ?? '', row.email ?? '', row.product, statusLabel(row.status)].join(' '),
    );
    return words.every((word) => text.includes(word));
  });
}

/** One day's money, Paris time. */
export interface DayTotal {
  /** The day, `YYYY-MM-DD` in Paris. */
  day: string;
  /** Payments paid that day (refunded since, or not). */
  paidCount: number;
  /** Cents paid that day. */
  paid: number;
  refundCount: number;
  /** Cents refunded that day. */
  refunded: number;
}

/** `YYYY-MM-DD` of an instant in Paris. */
export function parisDay(iso: string): string {
  // Sweden writes dates as ISO does.
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

/**
 * The money of `rows` per Paris day, newest day first: a payment counts as paid on the day it was paid,
 * and, once refunded, as refunded on the day of its refund (so a day's net is paid − refunded).
 */
export function totalsPerDay(rows: StaffPaymentRow[]): DayTotal[] {
  const days = new Map<string, DayTotal>();
  const dayOf = (iso: string) => {
    const day = parisDay(iso);
    const total = days.get(day) ?? { day, paidCount: 0, paid: 0, refundCount: 0, refunded: 0 };
    days.set(day, total);
    return total;
  };
  for (const row of rows) {
    if (row.status !== 'paid' && row.status !== 'refunded') continue;
    // A payment Izly reported refunded before the adapter saw it paid has no payment time of its own.
    const paid = dayOf(row.paidAt ?? row.refundedAt ?? row.updatedAt);
    paid.paidCount += 1;
    paid.paid += row.amount;
    if (row.status === 'refunded') {
      const refunded = dayOf(row.refundedAt ?? row.updatedAt);
      refunded.refundCount += 1;
      refunded.refunded += row.amount;
    }
  }
  return [...days.values()].sort((a, b) => b.day.localeCompare(a.day));
}
