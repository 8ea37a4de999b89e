// The orders page's history lines: each event the adapter logs reads as French, and a type the page does
// not know yet (the adapter gained one) is shown as it is.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PaymentEvent } from '../../../server-adapter/index.js';
import { describeEvent } from '../../../demo/shop.js';

const event = (type: string, detail: PaymentEvent['detail'] = {}): PaymentEvent =>
  ({ id: 1, paymentId: 'pay_1', at: '2025-01-01T12:00:00.000Z', type, detail }) as PaymentEvent;

describe("the orders page's history", () => {
  it('says in French what happened', () => {
    assert.equal(describeEvent(event('transition', { from: 'pending', to: 'paid' })), 'état\u00a0: en attente → payé');
    assert.equal(describeEvent(event('izly_initiated', { operationId: '52795' })), 'opération Izly 52795 créée');
  });

  it('shows an event type it does not know by its name', () => {
    assert.equal(describeEvent(event('izly_status_drifted')), 'izly_status_drifted');
  });
});
