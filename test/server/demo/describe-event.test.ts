// The orders page's history lines and outcomes in words: each event the adapter logs, Izly's statuses
// (names and numbers), its refusal codes and the adapter's failure reasons read as French, never as raw
// codes; a type the page does not know yet (the adapter gained one) is shown as it is.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PaymentEvent } from '../../../server-adapter/index.js';
import { describeEvent, failureWords, izlyErrorWords, izlyStatusWords } from '../../../demo/staff-history.js';
import { ordersPage } from '../../../demo/staff-pages.js';
import type { StaffPaymentRow } from '../../../demo/staff-payments.js';

const event = (type: string, detail: PaymentEvent['detail'] = {}): PaymentEvent =>
  ({ id: 1, paymentId: 'pay_1', at: '2025-01-01T12:00:00.000Z', type, detail }) as PaymentEvent;

describe("the orders page's history", () => {
  it('says in French what happened', () => {
    assert.equal(describeEvent(event('transition', { from: 'pending', to: 'paid' })), 'état\u00a0: en attente → payé');
    assert.equal(describeEvent(event('izly_initiated', { operationId: '52795' })), 'opération Izly 52795 créée');
  });

  it("says Izly's word in words: a refusal for too little balance or an unpaid debt, whatever vocabulary Izly speaks", () => {
    assert.equal(describeEvent(event('callback', { izlyStatus: '3', errorCode: 2002 })), 'rappel d’Izly reçu\u00a0: refusé, solde insuffisant');
    assert.equal(describeEvent(event('callback', { izlyStatus: 'Failed', errorCode: 110 })), 'rappel d’Izly reçu\u00a0: refusé, solde insuffisant');
    assert.equal(describeEvent(event('callback', { izlyStatus: 'Failed', errorCode: 2001 })), 'rappel d’Izly reçu\u00a0: refusé, impayé à régulariser');
    assert.equal(describeEvent(event('callback', { izlyStatus: 'Completed', errorCode: 0 })), 'rappel d’Izly reçu\u00a0: payé');
    assert.equal(describeEvent(event('izly_read', { izlyStatus: '1', source: 'callback' })), 'statut lu chez Izly\u00a0: payé (après un rappel)');
    assert.equal(
      describeEvent(event('izly_read', { izlyStatus: 'WaitingValidation', source: 'poll' })),
      'statut lu chez Izly\u00a0: en attente de validation (page de l’étudiant)',
    );
    assert.equal(describeEvent(event('refund_failed', { error: 'IzlyTimeoutError' })), 'remboursement en échec (pas de réponse à temps)');
    assert.equal(izlyStatusWords('Refund'), 'remboursé');
    assert.equal(izlyStatusWords('Success'), 'statut inconnu «\u00a0Success\u00a0»');
    assert.equal(izlyErrorWords(0), null);
    assert.equal(izlyErrorWords(9999), 'refus d’Izly (code 9999)');
  });

  it("names why a payment failed from the adapter's failure reason", () => {
    assert.equal(failureWords('izly_error_2002: Solde insuffisant'), 'solde insuffisant');
    assert.equal(failureWords('izly_error_2001: Compte non éligible'), 'impayé à régulariser');
    assert.equal(failureWords('insufficient_balance'), 'solde insuffisant');
    assert.equal(failureWords('izly_cancelled'), 'annulé par l’étudiant');
    assert.equal(failureWords('expired_pending_at_izly'), 'jamais validé\u00a0: expiré');
    assert.equal(failureWords('something_new'), 'raison inconnue');
    assert.equal(failureWords(null), null);
  });

  it('says what staff must act on: a hook given up, a duplicate payment, a refund never seen at Izly', () => {
    assert.equal(
      describeEvent(event('hook_given_up', { hook: 'onPaid', attempts: 17 })),
      'livraison de la commande (onPaid) abandonnée après 17 essais\u00a0: à traiter à la main',
    );
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
  const row: StaffPaymentRow = {
    paymentId: 'pay_2',
    orderId: 'A-1',
    clientOrderId: 'A-1',
    product: 'Café',
    status: 'paid',
    amount: 120,
    email: null,
    operationId: '52796',
    createdAt: '2025-01-01T12:00:00.000Z',
    updatedAt: '2025-01-01T12:00:00.000Z',
    paidAt: '2025-01-01T12:00:00.000Z',
    refundedAt: null,
    failure: null,
    refundReasons: [],
    history: [],
    refundable: true,
    attention: ['doublon de pay_1 (commande déjà payée)'],
  };
  const page = async (rows: StaffPaymentRow[]) =>
    String(await ordersPage({ rows, total: rows.length, filter: { q: '', status: '' }, totals: [], notice: null, sandboxUrl: null }));

  it('puts what staff must act on beside the payment’s state', async () => {
    assert.match(await page([row]), /class="attention">⚠ doublon de pay_1 \(commande déjà payée\)/);
    assert.doesNotMatch(await page([{ ...row, attention: [] }]), /class="attention"/);
  });

  it('puts why a payment failed beside its state', async () => {
    const html = await page([{ ...row, status: 'failed', refundable: false, attention: [], failure: 'solde insuffisant' }]);
    assert.match(html, /<span class="badge failed">refusé<\/span><small class="failure">solde insuffisant<\/small>/);
    assert.doesNotMatch(html, /refund-dialog/, 'no dialog without a payment to refund');
  });
});
