// The orders page's history lines: each event the adapter logs reads as French, and a type the page does
// not know yet (the adapter gained one) is shown as it is.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PaymentEvent } from '../../../server-adapter/index.js';
import { describeEvent } from '../../../demo/shop.js';
import { ordersPage } from '../../../demo/pages.js';

const event = (type: string, detail: PaymentEvent['detail'] = {}): PaymentEvent =>
  ({ id: 1, paymentId: 'pay_1', at: '2025-01-01T12:00:00.000Z', type, detail }) as PaymentEvent;

describe("the orders page's history", () => {
  it('says in French what happened', () => {
    assert.equal(describeEvent(event('transition', { from: 'pending', to: 'paid' })), 'état\u00a0: en attente → payé');
    assert.equal(describeEvent(event('izly_initiated', { operationId: '52795' })), 'opération Izly 52795 créée');
  });

  it('says what staff must act on: a hook given up, a duplicate payment, a refund never seen at Izly', () => {
    assert.equal(describeEvent(event('hook_given_up', { hook: 'onPaid', attempts: 17 })), 'hook onPaid abandonné après 17 essais\u00a0: à traiter à la main');
    assert.equal(
      describeEvent(event('duplicate_payment', { paidBefore: 'pay_0', refund: true })),
      'commande déjà payée par pay_0\u00a0: remboursé automatiquement',
    );
    assert.equal(describeEvent(event('duplicate_payment', { paidBefore: 'pay_0', refund: false })), 'commande déjà payée par pay_0\u00a0: à rembourser');
    assert.equal(describeEvent(event('duplicate_payment', { duplicate: 'pay_2', refund: true })), 'payée une seconde fois par pay_2');
    assert.equal(describeEvent(event('refund_abandoned')), 'remboursement jamais vu chez Izly\u00a0: abandonné');
  });

  it('shows an event type it does not know by its name', () => {
    assert.equal(describeEvent(event('izly_status_drifted')), 'izly_status_drifted');
  });
});

describe('the orders page', () => {
  it('puts what staff must act on beside the payment’s state', async () => {
    const row = {
      paymentId: 'pay_2',
      orderId: 'A-1',
      product: 'Café',
      status: 'paid',
      amount: 120,
      operationId: '52796',
      createdAt: '2025-01-01T12:00:00.000Z',
      updatedAt: '2025-01-01T12:00:00.000Z',
      paidAt: '2025-01-01T12:00:00.000Z',
      history: [],
      refundable: true,
      attention: ['doublon de pay_1 (commande déjà payée)'],
    };
    const page = String(await ordersPage({ rows: [row], notice: null, sandboxUrl: null }));
    assert.match(page, /class="attention">⚠ doublon de pay_1 \(commande déjà payée\)/);
    const quiet = String(await ordersPage({ rows: [{ ...row, attention: [] }], notice: null, sandboxUrl: null }));
    assert.doesNotMatch(quiet, /class="attention"/);
  });
});
