// The accountant's CSV and the totals per day, on payments made up for the purpose: euros with a comma,
// Paris time in winter and in summer, a day counted in Paris across midnight UTC, fields quoted only where
// a spreadsheet needs it, and typed text that looks like a formula defused.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { csvDate, csvEuros, csvField, paymentsCsv } from '../../../demo/payments-csv.js';
import { totalsPerDay, type StaffPaymentRow } from '../../../demo/staff-payments.js';

const base: StaffPaymentRow = {
  paymentId: 'pay_1',
  orderId: 'A-0000000001',
  clientOrderId: 'A-0000000001',
  product: 'Ticket de restaurant universitaire',
  status: 'paid',
  amount: 330,
  email: 'etudiant@izly.test',
  operationId: '52795',
  createdAt: '2026-12-01T13:04:30.000Z',
  updatedAt: '2026-12-01T13:05:10.000Z',
  paidAt: '2026-12-01T13:05:10.000Z',
  refundedAt: null,
  failure: null,
  refundReasons: [],
  history: [],
  refundable: true,
  attention: [],
};

describe("the accountant's CSV", () => {
  test('amounts in euros with a decimal comma and no thousands separator', () => {
    assert.deepEqual([330, 90, 5, 0, 100_000, 123_456].map(csvEuros), ['3,30', '0,90', '0,05', '0,00', '1000,00', '1234,56']);
  });

  test('dates in Paris time, winter (UTC+1) and summer (UTC+2), to the minute', () => {
    assert.equal(csvDate('2026-12-01T13:05:59.999Z'), '01/12/2026 14:05');
    assert.equal(csvDate('2026-07-14T08:00:00.000Z'), '14/07/2026 10:00');
    assert.equal(csvDate('2026-03-28T23:30:00.000Z'), '29/03/2026 00:30');
    assert.equal(csvDate('2026-10-25T00:59:00.000Z'), '25/10/2026 02:59', 'the last minute of summer time');
    assert.equal(csvDate('2026-10-25T01:00:00.000Z'), '25/10/2026 02:00', 'the same hour again, in winter time');
    assert.equal(csvDate(null), '');
  });

  test('a field is quoted, its quotes doubled, only when it holds ";", a quote or a line break', () => {
    assert.equal(csvField('Café'), 'Café');
    assert.equal(csvField('a;b'), '"a;b"');
    assert.equal(csvField('dit "non"'), '"dit ""non"""');
    assert.equal(csvField('deux\nlignes'), '"deux\nlignes"');
    assert.equal(csvField('a, b'), 'a, b', 'the comma is no separator here');
  });

  test('typed text that a spreadsheet would run as a formula is shown as text', () => {
    assert.equal(csvField('=HYPERLINK("http://evil.example")', { typed: true }), `"'=HYPERLINK(""http://evil.example"")"`);
    assert.equal(csvField('+33 6', { typed: true }), "'+33 6");
    assert.equal(csvField('-1', { typed: true }), "'-1");
    assert.equal(csvField('@cmd', { typed: true }), "'@cmd");
    assert.equal(csvField('remboursé', { typed: true }), 'remboursé');
  });

  test('the whole file, byte for byte: BOM, header, one CRLF-ended line per payment', () => {
    const refunded: StaffPaymentRow = {
      ...base,
      paymentId: 'pay_2',
      orderId: 'A-0000000002',
      clientOrderId: 'A-0000000002-2',
      product: 'Café à la cafétéria',
      status: 'refunded',
      amount: 90,
      createdAt: '2026-07-14T08:00:00.000Z',
      paidAt: '2026-07-14T08:01:00.000Z',
      refundedAt: '2026-07-14T09:30:00.000Z',
      refundReasons: ['=1+1', 'servi ; deux fois'],
    };
    const failed: StaffPaymentRow = {
      ...base,
      paymentId: 'pay_3',
      status: 'failed',
      email: null,
      paidAt: null,
      operationId: null,
      failure: 'solde insuffisant',
    };
    const bytes = Buffer.from(paymentsCsv([base, refunded, failed]), 'utf8');
    const expected = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(
        'Date;Commande;Produit;Montant (€);État;E-mail de l’étudiant;Payé le;Remboursé le;Motif du remboursement;Raison de l’échec;Référence Izly;Opération Izly;Paiement\r\n' +
          '01/12/2026 14:04;A-0000000001;Ticket de restaurant universitaire;3,30;payé;etudiant@izly.test;01/12/2026 14:05;;;;A-0000000001;52795;pay_1\r\n' +
          `14/07/2026 10:00;A-0000000002;Café à la cafétéria;0,90;remboursé;etudiant@izly.test;14/07/2026 10:01;14/07/2026 11:30;"'=1+1 / servi ; deux fois";;A-0000000002-2;52795;pay_2\r\n` +
          '01/12/2026 14:04;A-0000000001;Ticket de restaurant universitaire;3,30;refusé;;;;;solde insuffisant;A-0000000001;;pay_3\r\n',
        'utf8',
      ),
    ]);
    assert.deepEqual(bytes, expected);
    assert.equal(bytes.toString('hex', 0, 3), 'efbbbf');
  });
});

describe('the totals per day', () => {
  test('a payment counts on its Paris day; a refund on the day of the refund; net is paid − refunded', () => {
    const rows: StaffPaymentRow[] = [
      // 23:30 UTC on 28 March is 00:30 on the 29th in Paris.
      { ...base, paymentId: 'p1', paidAt: '2026-03-28T23:30:00.000Z', amount: 330 },
      { ...base, paymentId: 'p2', paidAt: '2026-03-28T22:59:00.000Z', amount: 350 },
      { ...base, paymentId: 'p3', status: 'refunded', paidAt: '2026-03-28T12:00:00.000Z', refundedAt: '2026-03-29T08:00:00.000Z', amount: 90 },
      { ...base, paymentId: 'p4', status: 'failed', paidAt: null, amount: 500 },
      { ...base, paymentId: 'p5', status: 'pending', paidAt: null, amount: 500 },
    ];
    assert.deepEqual(totalsPerDay(rows), [
      { day: '2026-03-29', paidCount: 1, paid: 330, refundCount: 1, refunded: 90 },
      { day: '2026-03-28', paidCount: 2, paid: 440, refundCount: 0, refunded: 0 },
    ]);
  });
});
