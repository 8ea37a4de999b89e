// The pooled random bytes behind payment ids, payer ids and login nonces: each call gets bytes no other
// call gets, across refills of the pool, and the caller may keep or change them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from '../../../server-adapter/random-bytes.js';
import { newPaymentId } from '../../../server-adapter/payments/callback-signature.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('randomBytes (one getRandomValues per 4 KiB)', () => {
  test('gives the length asked, and never the same bytes twice across several refills of the pool', () => {
    const seen = new Set<string>();
    // 16 and 32 bytes, as ids and nonces take them: about 13 pools' worth, so every boundary is crossed.
    for (let i = 0; i < 2_000; i++) {
      const bytes = randomBytes(i % 3 === 0 ? 32 : 16);
      assert.equal(bytes.length, i % 3 === 0 ? 32 : 16);
      seen.add(hex(bytes));
    }
    assert.equal(seen.size, 2_000);
  });

  test('the bytes are the caller’s: changing them changes nothing given to anyone else', () => {
    const first = randomBytes(16);
    const copy = hex(first);
    const second = randomBytes(16);
    first.fill(0);
    assert.notEqual(hex(second), '0'.repeat(32));
    assert.notEqual(hex(second), copy);
  });

  test('the bytes look uniform: every bit is set about half the time', () => {
    const counts = new Array<number>(8).fill(0);
    const samples = 8_192;
    for (let i = 0; i < samples / 16; i++) for (const byte of randomBytes(16)) for (let bit = 0; bit < 8; bit++) counts[bit]! += (byte >> bit) & 1;
    // 8,192 fair draws per bit: 5 standard deviations is ±226 around 4,096.
    for (const count of counts) assert.ok(Math.abs(count - samples / 2) < 226, `a bit set ${count} times in ${samples}`);
  });

  test('payment ids made from it are all different', () => {
    const ids = new Set(Array.from({ length: 5_000 }, () => newPaymentId()));
    assert.equal(ids.size, 5_000);
  });
});
