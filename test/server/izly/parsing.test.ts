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
    // Skipped in spring (02:00 → 03:00): read with the offset in force just before.
    assert.equal(parseIzlyDate('2024-03-31T02:30:00')?.toISOString(), '2024-03-31T01:30:00.000Z');
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

describe('statuses (contract, sections 4, 4b and 5): an exact mapping', () => {
  // Every name of the document, of S-money and of Xpollens' swagger, and every numeric form.
  const NAMES: Array<[string, string]> = [
    ['Completed', 'paid'],
    ['Succeeded', 'paid'],
    ['Refund', 'refunded'],
    ['Refunded', 'refunded'],
    ['Failed', 'failed'],
    ['Refused', 'failed'],
    ['Canceled', 'cancelled'],
    ['Cancelled', 'cancelled'],
    ['Expired', 'expired'],
    ['Pending', 'pending'],
    ['WaitingValidation', 'pending'],
    ['WaitingRemittance', 'pending'],
    ['Registered', 'pending'],
    ['InProgress', 'pending'],
  ];
  const NUMBERS: Array<[number, string]> = [
    [-1, 'pending'],
    [0, 'pending'],
    [1, 'paid'],
    [2, 'refunded'],
    [3, 'failed'],
    [4, 'pending'],
    [5, 'cancelled'],
    [6, 'pending'],
    [7, 'expired'],
  ];

  test('every documented name maps, as written, in any case and trimmed; the raw value is kept verbatim', () => {
    for (const [name, state] of NAMES) {
      for (const value of [name, name.toUpperCase(), name.toLowerCase(), ` ${name}\t`, `${name}\n`]) {
        assert.deepEqual(mapIzlyStatus(value), { state, raw: value, known: true }, JSON.stringify(value));
      }
    }
  });

  test('every numeric form maps, as a JSON number or its plain decimal text', () => {
    for (const [code, state] of NUMBERS) {
      assert.deepEqual(mapIzlyStatus(code), { state, raw: String(code), known: true }, String(code));
      assert.deepEqual(mapIzlyStatus(String(code)), { state, raw: String(code), known: true }, JSON.stringify(String(code)));
    }
  });

  test('near misses are unknown, never paid: pending, known false, raw kept', () => {
    const nearMisses = [
      // Spelled otherwise than any vocabulary: inner separators, other words, other tenses.
      'com-ple_ted',
      'Com pleted',
      'Success',
      'Successful',
      'Paid',
      'OK',
      'Complete',
      'Completed.',
      'Completed1',
      'Refund ed',
      // Numbers padded, signed or written as decimals: no serializer writes a status so.
      '01',
      ' 1 ',
      '1 ',
      '+1',
      '1.0',
      '0x1',
      '1e0',
      '-0',
      '-01',
      // Outside the forms, or not a status at all.
      8,
      -2,
      '8',
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      true,
      '',
      '   ',
      null,
      undefined,
      ['Completed'],
      { Status: 'Completed' },
    ];
    for (const value of nearMisses) {
      const status = mapIzlyStatus(value);
      assert.equal(status.state, 'pending', JSON.stringify(value) ?? String(value));
      assert.equal(status.known, false, JSON.stringify(value) ?? String(value));
    }
    assert.equal(mapIzlyStatus('com-ple_ted').raw, 'com-ple_ted');
    assert.equal(mapIzlyStatus(' 1 ').raw, ' 1 ');
    assert.equal(mapIzlyStatus(8).raw, '8');
    assert.equal(mapIzlyStatus({ Status: 'Completed' }).raw, '{"Status":"Completed"}');
    assert.equal(mapIzlyStatus(null).raw, '');
  });
});
