// The client's pure readers of Izly's values: amounts, dates and statuses.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { centsFromCentsDecimal, centsFromEuros, matchAmount } from '../../../server-adapter/izly/amounts.js';
import { parseIzlyDate, parisOffsetMs } from '../../../server-adapter/izly/dates.js';
import { mapIzlyStatus } from '../../../server-adapter/izly/status.js';

describe('amounts', () => {
  test('decimal euros become exact integer cents', () => {
    assert.equal(centsFromEuros(1.0), 100);
    assert.equal(centsFromEuros(1.1), 110);
    assert.equal(centsFromEuros(0.07), 7);
    assert.equal(centsFromEuros(19.99), 1999);
    assert.equal(centsFromEuros('12.50'), 1250);
    assert.equal(centsFromEuros('3,20'), 320);
    assert.equal(centsFromEuros('7'), 700);
    assert.equal(centsFromEuros('1.000'), 100);
    // 0.1 + 0.2 is 0.30000000000000004: not an amount of money, refused rather than rounded.
    assert.equal(centsFromEuros(0.1 + 0.2), null);
  });

  test('values that are not exact cents or not numbers read as null', () => {
    for (const value of ['1.005', '', 'abc', null, undefined, {}, Number.NaN, '1e3', 1e21]) {
      assert.equal(centsFromEuros(value), null, String(value));
    }
  });

  test('numeric strings that count cents are truncated as the field report does', () => {
    assert.equal(centsFromCentsDecimal('200.00'), 200);
    assert.equal(centsFromCentsDecimal(150), 150);
    assert.equal(centsFromCentsDecimal('99.99'), 99);
    assert.equal(centsFromCentsDecimal('x'), null);
  });

  test('an Izly amount matches ours as euros, as cents, or not at all', () => {
    assert.equal(matchAmount(100, 1.0), 'euros');
    assert.equal(matchAmount(100, '1.00'), 'euros');
    assert.equal(matchAmount(200, '200.00'), 'cents');
    assert.equal(matchAmount(250, 3), 'mismatch');
    assert.equal(matchAmount(250, null), 'mismatch');
  });
});

describe('dates (Paris local time)', () => {
  test('ISO without zone and dd/MM/yyyy HH:mm:ss are read as Paris time, winter and summer', () => {
    assert.equal(parseIzlyDate('2021-12-09T18:53:34')?.toISOString(), '2021-12-09T17:53:34.000Z');
    assert.equal(parseIzlyDate('09/12/2021 18:53:34')?.toISOString(), '2021-12-09T17:53:34.000Z');
    assert.equal(parseIzlyDate('2024-07-01T12:00:00')?.toISOString(), '2024-07-01T10:00:00.000Z');
    assert.equal(parseIzlyDate('01/07/2024 12:00:00')?.toISOString(), '2024-07-01T10:00:00.000Z');
    assert.equal(parseIzlyDate('2021-12-09T18:53:34.25')?.toISOString(), '2021-12-09T17:53:34.250Z');
  });

  test('around the clock changes: the repeated autumn hour reads as its first occurrence', () => {
    assert.equal(parseIzlyDate('2024-10-27T02:30:00')?.toISOString(), '2024-10-27T00:30:00.000Z');
    assert.equal(parseIzlyDate('2024-10-27T03:30:00')?.toISOString(), '2024-10-27T02:30:00.000Z');
    assert.equal(parseIzlyDate('2024-03-31T01:59:59')?.toISOString(), '2024-03-31T00:59:59.000Z');
    assert.equal(parseIzlyDate('2024-03-31T03:00:00')?.toISOString(), '2024-03-31T01:00:00.000Z');
    assert.equal(parisOffsetMs(Date.UTC(2024, 0, 15)), 3_600_000);
    assert.equal(parisOffsetMs(Date.UTC(2024, 6, 15)), 7_200_000);
  });

  test('an explicit offset is honoured; empty and impossible dates read as null', () => {
    assert.equal(parseIzlyDate('2021-12-09T18:53:34Z')?.toISOString(), '2021-12-09T18:53:34.000Z');
    assert.equal(parseIzlyDate('2021-12-09T18:53:34+02:00')?.toISOString(), '2021-12-09T16:53:34.000Z');
    for (const value of ['', '2021-02-30T00:00:00', '31/02/2021 10:00:00', 'yesterday', null, 42]) {
      assert.equal(parseIzlyDate(value), null, String(value));
    }
  });
});

describe('statuses (contract, section 5)', () => {
  test('known names map case-insensitively, the raw value is kept', () => {
    const cases: Array<[unknown, string]> = [
      ['Completed', 'paid'],
      ['SUCCEEDED', 'paid'],
      ['Refund', 'refunded'],
      ['refunded', 'refunded'],
      ['Canceled', 'cancelled'],
      ['Cancelled', 'cancelled'],
      ['Failed', 'failed'],
      ['Refused', 'failed'],
      ['Expired', 'expired'],
      ['Pending', 'pending'],
      ['WaitingValidation', 'pending'],
      ['InProgress', 'pending'],
    ];
    for (const [value, state] of cases) {
      const status = mapIzlyStatus(value);
      assert.equal(status.state, state, String(value));
      assert.equal(status.raw, value);
      assert.equal(status.known, true);
    }
  });

  test('numeric forms 0..7, as numbers or strings', () => {
    const expected = ['pending', 'paid', 'refunded', 'failed', 'pending', 'cancelled', 'pending', 'expired'];
    expected.forEach((state, code) => {
      assert.equal(mapIzlyStatus(code).state, state);
      assert.equal(mapIzlyStatus(String(code)).state, state);
    });
  });

  test('anything else is not final yet, kept verbatim, never throws', () => {
    for (const value of ['Authorized', 8, '', null, undefined, { odd: true }]) {
      const status = mapIzlyStatus(value);
      assert.equal(status.state, 'pending');
      assert.equal(status.known, false);
    }
    assert.equal(mapIzlyStatus('Authorized').raw, 'Authorized');
  });
});
