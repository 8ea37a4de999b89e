// The staff's page of the real demo shop against the real sandbox, over HTTP: a refund asks first and
// keeps its reason in the history, every notice is French (a stale tab's second refund too), the history
// and failures read as words, the search, the totals per Paris day and the CSV export for the accountant;
// and an anonymous student's purchases follow them when they log in with Izly.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { logInAtIzly } from '../connect/connect-harness.js';
import { startShopWorld, type ShopBrowser, type ShopWorld } from './shop-world.js';

// 23:30 UTC on Saturday 28 March 2026 is already Sunday 29 March in Paris (00:30, UTC+1; summer time
// starts at 02:00): the day a payment counts for is Paris's, not the server's.
const START = Date.parse('2026-03-28T23:30:00Z');
const PARIS_DAY = '2026-03-29';

/** The text of an HTML page without its tags, entities decoded, spaces folded. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/[\s\u00a0]+/g, ' ');
}

/** The HTML of the payment's row on the orders page. */
function rowOf(html: string, paymentId: string): string {
  const start = html.indexOf(`data-payment="${paymentId}"`);
  assert.ok(start >= 0, `no row for ${paymentId}`);
  return html.slice(start, html.indexOf('</tr>', start));
}

describe("the demo's staff page, against the sandbox", () => {
  let world: ShopWorld;
  let staff: ShopBrowser;
  let paid: { orderId: string; paymentId: string };
  let refused: { orderId: string; paymentId: string };
  let toRefund: { orderId: string; paymentId: string };
  let balanceAfterPaying: number;

  before(async () => {
    const offset = START - Date.now();
    world = await startShopWorld(() => Date.now() + offset);
    staff = world.staff();
    const student = world.browser();
    paid = await student.pay('ticket-ru', 'etudiant@izly.test');
    toRefund = await student.pay('cafe', 'etudiant@izly.test');
    refused = await world.browser().pay('laverie', 'fauche@izly.test');
    balanceAfterPaying = world.sandbox.control.account('etudiant@izly.test')!.balance;
  });

  after(() => world?.close());

  const ordersPage = async (query = '') => {
    const answer = await staff.request(`/orders${query}`);
    assert.equal(answer.status, 200);
    return answer.body;
  };

  test('the payments are paid and refused at Izly as the students did', async () => {
    assert.equal((await world.store.get(paid.paymentId))?.status, 'paid');
    assert.equal((await world.store.get(toRefund.paymentId))?.status, 'paid');
    assert.equal((await world.store.get(refused.paymentId))?.status, 'failed');
  });

  test('the history and the failure read as words: "solde insuffisant", "payé", never a raw code', async () => {
    const page = await ordersPage();
    const refusedRow = textOf(rowOf(page, refused.paymentId));
    assert.match(refusedRow, /refusé solde insuffisant/);
    assert.match(refusedRow, /rappel d’Izly reçu : refusé, solde insuffisant/);
    assert.match(textOf(rowOf(page, paid.paymentId)), /rappel d’Izly reçu : payé/);
    assert.doesNotMatch(textOf(page), /erreur 2002|izly_error|statut 3\b|IzlyApiError|callback/);
  });

  test('a refund asks first: its confirmation names the order, the product, the amount and the student', async () => {
    const page = await ordersPage();
    const form = /<form class="refund-start"[^>]*>/.exec(rowOf(page, toRefund.paymentId))?.[0] ?? '';
    assert.match(form, new RegExp(`action="/orders/${toRefund.paymentId}/refund"`));
    assert.match(form, new RegExp(`data-order="${toRefund.orderId}"`));
    assert.match(form, /data-product="Café à la cafétéria"/);
    assert.match(form, /data-amount="0,90\u00a0€"/);
    assert.match(form, /data-email="etudiant@izly.test"/);
    assert.match(page, /<dialog id="refund-dialog"/);
    // Without script, the button opens the confirmation page, which refunds nothing by itself.
    const confirm = await staff.request(`/orders/${toRefund.paymentId}/refund`);
    assert.equal(confirm.status, 200);
    assert.match(
      textOf(confirm.body),
      new RegExp(`Rembourser ce paiement \\? Commande ${toRefund.orderId} Produit Café à la cafétéria Montant 0,90 € Étudiant etudiant@izly.test`),
    );
    assert.match(confirm.body, /<textarea id="refund-reason" name="reason" rows="2" maxlength="200">/);
    assert.equal((await world.store.get(toRefund.paymentId))?.status, 'paid');
  });

  test('a refund from another site, or with a reason over 200 characters, refunds nothing', async () => {
    const foreign = await staff.postForm(`/orders/${toRefund.paymentId}/refund`, { reason: 'x' }, 'https://evil.example');
    assert.equal(foreign.status, 403);
    const tooLong = await staff.postForm(`/orders/${toRefund.paymentId}/refund`, { reason: 'é'.repeat(201) });
    assert.equal(tooLong.status, 303);
    assert.equal(tooLong.location, `/orders?error=reason_too_long&payment=${toRefund.paymentId}`);
    assert.match(textOf(await ordersPage(tooLong.location!.slice('/orders'.length))), /Le motif dépasse 200 caractères : rien n’a été remboursé\./);
    assert.equal((await world.store.get(toRefund.paymentId))?.status, 'paid');
    assert.equal(world.sandbox.control.account('etudiant@izly.test')!.balance, balanceAfterPaying);
  });

  test('the confirmed refund gives the money back, says so with order, product and amount, and keeps its reason in the history', async () => {
    const answer = await staff.postForm(`/orders/${toRefund.paymentId}/refund`, { reason: '  Café renversé ;\n servi à nouveau  ' });
    assert.equal(answer.status, 303);
    assert.equal(answer.location, `/orders?refunded=${toRefund.paymentId}`);
    assert.equal((await world.store.get(toRefund.paymentId))?.status, 'refunded');
    assert.equal(world.sandbox.control.account('etudiant@izly.test')!.balance, balanceAfterPaying + 90);
    const page = await ordersPage(`?refunded=${toRefund.paymentId}`);
    assert.match(page, /role="status">Commande A-[0-9A-Z]{10} remboursée/);
    assert.match(textOf(page), new RegExp(`Commande ${toRefund.orderId} remboursée : Café à la cafétéria, 0,90 € rendus à l’étudiant\\.`));
    const history = textOf(rowOf(page, toRefund.paymentId));
    assert.match(
      history,
      /remboursement demandé par l’équipe, motif : « Café renversé ; servi à nouveau » \S+ remboursement demandé à Izly \S+ état : payé → remboursé/,
    );
  });

  test('a second refund from a stale tab answers in French, keeps no second reason, and refunds nothing more', async () => {
    const again = await staff.postForm(`/orders/${toRefund.paymentId}/refund`, { reason: 'encore' });
    assert.equal(again.location, `/orders?error=already_refunded&payment=${toRefund.paymentId}`);
    const page = await ordersPage(again.location!.slice('/orders'.length));
    assert.match(page, /role="alert">/);
    assert.match(
      textOf(page),
      new RegExp(`La commande ${toRefund.orderId} \\(Café à la cafétéria, 0,90 €\\) est déjà remboursée : rien de plus n’a été fait\\.`),
    );
    assert.doesNotMatch(page, /already|This payment/);
    assert.doesNotMatch(textOf(rowOf(page, toRefund.paymentId)), /encore/);
    assert.equal(world.sandbox.control.account('etudiant@izly.test')!.balance, balanceAfterPaying + 90);
    // The confirmation page of a refunded payment sends back to the list with the same words.
    const confirm = await staff.request(`/orders/${toRefund.paymentId}/refund`);
    assert.equal(confirm.location, `/orders?error=already_refunded&payment=${toRefund.paymentId}`);
  });

  test("a notice's words come from the shop, never from the address: an unknown code is a plain French sentence", async () => {
    const page = textOf(await ordersPage('?error=%3Cb%3EPirate%3C%2Fb%3E'));
    assert.match(page, /Remboursement de ce paiement impossible : erreur inattendue\./);
    assert.doesNotMatch(page, /Pirate/);
  });

  test('the search finds by order, by student e-mail and by status, accents and case aside', async () => {
    const ids = (html: string) => [...html.matchAll(/<tr role="row" data-payment="([^"]+)"/g)].map((match) => match[1]).sort();
    assert.deepEqual(ids(await ordersPage(`?q=${paid.orderId.toLowerCase()}`)), [paid.paymentId]);
    assert.deepEqual(ids(await ordersPage('?q=fauche%40izly')), [], 'a refused payment has no e-mail from Izly, and this visitor never logged in');
    assert.deepEqual(ids(await ordersPage('?q=ETUDIANT%40izly.test')), [paid.paymentId, toRefund.paymentId].sort());
    assert.deepEqual(ids(await ordersPage('?status=failed')), [refused.paymentId]);
    assert.deepEqual(ids(await ordersPage('?q=rembourse')), [toRefund.paymentId]);
    assert.deepEqual(ids(await ordersPage('?q=etudiant&status=paid')), [paid.paymentId]);
    const none = await ordersPage('?q=zzz');
    assert.match(textOf(none), /0 paiement trouvé sur 3/);
    assert.match(textOf(none), /Aucun paiement ne correspond à la recherche\./);
    const unknown = await ordersPage('?status=vol%C3%A9');
    assert.match(textOf(unknown), /État « volé » inconnu : tous les états sont affichés\./);
    assert.equal(ids(unknown).length, 3);
  });

  test('the totals per Paris day: paid, refunded and net, for the search too', async () => {
    const totals = (html: string) => textOf(/<table class="totals">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '');
    assert.match(totals(await ordersPage()), /29\/03\/2026 4,20 € 2 paiements 0,90 € 1 remboursement 3,30 €/);
    assert.match(totals(await ordersPage('?status=paid')), /29\/03\/2026 3,30 € 1 paiement 0,00 € 0 remboursement 3,30 €/);
    assert.match(textOf(await ordersPage('?status=failed')), /Aucun paiement encaissé parmi ceux affichés\./);
  });

  test('the CSV export is, byte for byte, what a French spreadsheet opens: BOM, ";", "3,30", Paris times, CRLF', async () => {
    const answer = await staff.request('/orders.csv?status=refunded');
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(answer.headers.get('content-disposition'), `attachment; filename="paiements-boutique-demo-${PARIS_DAY}.csv"`);
    const record = (await world.store.get(toRefund.paymentId))!;
    const paris = (iso: string) => {
      // Summer time started at 02:00 on the 29th: these instants, minutes after 23:30 UTC on the 28th, are UTC+1.
      const local = new Date(Date.parse(iso) + 60 * 60_000).toISOString();
      return `${local.slice(8, 10)}/${local.slice(5, 7)}/${local.slice(0, 4)} ${local.slice(11, 16)}`;
    };
    const expected =
      'Date;Commande;Produit;Montant (€);État;E-mail de l’étudiant;Payé le;Remboursé le;Motif du remboursement;Raison de l’échec;Référence Izly;Opération Izly;Paiement\r\n' +
      `${paris(record.createdAt)};${toRefund.orderId};Café à la cafétéria;0,90;remboursé;etudiant@izly.test;${paris(record.paidAt!)};${paris(record.refundedAt!)};` +
      `"Café renversé ; servi à nouveau";;${record.clientOrderId};${record.operationId};${record.id}\r\n`;
    assert.deepEqual([...answer.bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark');
    assert.deepEqual(Buffer.from(answer.bytes), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(expected, 'utf8')]));
    const everything = await staff.request('/orders.csv');
    assert.equal(everything.body.split('\r\n').length, 1 + 3 + 1, 'the header, three payments, and the last CRLF');
  });

  test('the export and the pages are the staff’s only: no password, no page', async () => {
    for (const path of ['/orders', '/orders.csv', `/orders/${paid.paymentId}/refund`]) {
      const answer = await world.browser().request(path);
      assert.equal(answer.status, 401, path);
      assert.equal(answer.body, 'Identifiant ou mot de passe de l’équipe requis (utilisateur « equipe »).', 'in French');
    }
    assert.equal((await world.browser().postForm(`/orders/${paid.paymentId}/refund`, {})).status, 401);
    assert.equal((await world.store.get(paid.paymentId))?.status, 'paid');
  });
});

describe("a student's purchases across Log in with Izly", () => {
  let world: ShopWorld;

  before(async () => {
    world = await startShopWorld(Date.now);
  });

  after(() => world?.close());

  /** Logs the browser in with Izly, as the connect button does (redirect), until the shop's session cookie. */
  async function logIn(browser: ShopBrowser): Promise<void> {
    const start = await browser.request(`/izly/connect/login?returnUrl=${encodeURIComponent(`${browser.shopUrl}/`)}`, { headers: { accept: 'text/html' } });
    assert.equal(start.status, 302, start.body);
    const atIzly = await logInAtIzly(start.location!, { identifier: 'etudiant@izly.test', password: 'izly1234' });
    assert.equal(atIzly.status, 303);
    const back = await browser.request(atIzly.location!, { headers: { accept: 'text/html' } });
    assert.ok(back.status === 302 || back.status === 303, `the callback answered ${back.status}`);
    assert.ok(browser.cookies.has('shop_session'), 'logged in');
  }

  test('what an anonymous visitor paid, and the order they were about to pay, stay theirs once logged in', async () => {
    const browser = world.browser();
    const bought = await browser.pay('cafe', 'etudiant@izly.test');
    assert.equal(bought.status, 'paid');
    const open = await browser.startPayment('ticket-ru');
    assert.match((await browser.request('/purchases')).body, new RegExp(`data-order="${bought.orderId}"`));

    await logIn(browser);
    assert.match((await browser.request('/purchases')).body, new RegExp(`data-order="${bought.orderId}"`), '"Mes achats" keeps the purchase');
    assert.match((await browser.request('/')).body, new RegExp(`order="${open.orderId}"`), 'the open order is still on its button');
    // The order is the logged-in student's now: paying it goes on, as the same payment.
    await browser.request(open.authorizationUrl);

    // On another browser, logged in as the same student, they are there too; an anonymous visitor sees nothing.
    const elsewhere = world.browser();
    await logIn(elsewhere);
    assert.match((await elsewhere.request('/purchases')).body, new RegExp(`data-order="${bought.orderId}"`));
    assert.doesNotMatch((await world.browser().request('/purchases')).body, new RegExp(bought.orderId));
    // The staff can find the open order by the student's e-mail, known from the login.
    const found = await world.staff().request('/orders?q=etudiant%40izly.test&status=pending');
    assert.match(found.body, new RegExp(`data-order="${open.orderId}"`));
  });
});
