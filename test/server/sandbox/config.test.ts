import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, DEFAULT_POINT_OF_SALE } from '../../../sandbox/index.js';
import { initiate, partnerHeaders } from './sandbox-test-helpers.js';

describe('configuration', () => {
  test('the built-in point of sale and accounts are those of the contracts', () => {
    const sandbox = createSandbox();
    assert.deepEqual(sandbox.control.pointsOfSale(), [{ ...DEFAULT_POINT_OF_SALE }]);
    assert.equal(DEFAULT_POINT_OF_SALE.appIdentifier, 'izly-pay-demo');
    // Already base64, as the strictest Izly's token call (`Basic <apiKey>`) presumes of a back-office key.
    assert.equal(DEFAULT_POINT_OF_SALE.apiKey, 'aXpseS1wYXktZGVtbzpzYW5kYm94LWRlbW8tc2VjcmV0');
    assert.equal(atob(DEFAULT_POINT_OF_SALE.apiKey), 'izly-pay-demo:sandbox-demo-secret');
    assert.equal(DEFAULT_POINT_OF_SALE.siteName, 'Boutique démo');
    const accounts = sandbox.control.accounts().map(({ email, phone, balance, unpaidDebt, password }) => ({ email, phone, balance, unpaidDebt, password }));
    assert.deepEqual(accounts, [
      { email: 'etudiant@izly.test', phone: '0612345678', balance: 10000, unpaidDebt: false, password: 'izly1234' },
      { email: 'fauche@izly.test', phone: '0698765432', balance: 150, unpaidDebt: false, password: 'izly1234' },
      { email: 'impaye@izly.test', phone: '0611223344', balance: 5000, unpaidDebt: true, password: 'izly1234' },
    ]);
  });

  test('options: a partial POS is merged over the built-in one; accounts replace the built-in ones', () => {
    const sandbox = createSandbox({
      pointsOfSale: [{ siteName: 'Reprographie', callbackUrl: 'https://print.test/cb' }],
      accounts: [{ email: 'solo@izly.test', balance: 42 }],
    });
    const pos = sandbox.control.pointOfSale('izly-pay-demo');
    assert.equal(pos?.siteName, 'Reprographie');
    assert.equal(pos?.callbackUrl, 'https://print.test/cb');
    assert.equal(pos?.apiKey, DEFAULT_POINT_OF_SALE.apiKey);
    assert.deepEqual(
      sandbox.control.accounts().map((account) => [account.email, account.balance, account.password]),
      [['solo@izly.test', 42, 'izly1234']],
    );
  });

  test('a JSON config file sets points of sale and accounts; explicit options win over it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'izly-sandbox-'));
    try {
      const file = join(dir, 'sandbox.json');
      writeFileSync(
        file,
        JSON.stringify({
          publicUrl: 'http://sandbox.test:9000',
          pointsOfSale: [{ appIdentifier: 'file-shop', apiKey: 'file-key', siteName: 'Depuis le fichier' }],
          accounts: [{ email: 'file@izly.test', password: 'pw', balance: 700 }],
          callbackRetries: 1,
        }),
      );
      const sandbox = createSandbox({ configFile: file, publicUrl: 'http://127.0.0.1:9999' });
      assert.equal(sandbox.control.pointOfSale('file-shop')?.siteName, 'Depuis le fichier');
      assert.equal(sandbox.control.pointOfSale('izly-pay-demo'), undefined);
      assert.equal(sandbox.control.account('file@izly.test')?.balance, 700);
      const answer = await initiate(
        sandbox,
        { Amount: 100, ClientOrderId: 'A' },
        partnerHeaders({ authorization: 'Basic file-key', appidentifier: 'file-shop' }),
      );
      assert.match(answer.PaymentAuthorizationUrl, /^http:\/\/127\.0\.0\.1:9999\/payment\//);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bad options and bad files throw an Error that names the problem', () => {
    assert.throws(() => createSandbox({ pointsOfSale: [{ approved: 'yes' as unknown as boolean }] }), /approved/);
    assert.throws(() => createSandbox({ pointsOfSale: [{}, {}] }), /appears twice/);
    assert.throws(() => createSandbox({ pointsOfSale: [{ callbackUrl: 'not a url' }] }), /callbackUrl/);
    assert.throws(() => createSandbox({ accounts: [{ email: 'a@b.c', balance: 1.5 }] }), /balance/);
    assert.throws(() => createSandbox({ callbackRetryDelayMs: -1 }), /callbackRetryDelayMs/);
    assert.throws(() => createSandbox({ configFile: join(tmpdir(), 'does-not-exist-izly.json') }), /configFile/);
  });
});
