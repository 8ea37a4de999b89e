// <izly-pay-button> when the adapter is slow, out of reach or refusing for a while: through the fault proxy
// (fault-proxy.mjs) in front of the real adapter and sandbox. After the student validated at Izly, nothing
// of that is a failure: the button says it is still checking and keeps at it, and a 429 is waited out
// without a word. And whatever the adapter answers, the button never asks again within a second.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../widget/pay-button/pay-button.js';
import type { IzlyPayButton } from '../../widget/pay-button/pay-button.js';
import {
  BROKE_STUDENT,
  arriveWithPayment,
  createPayment,
  decide,
  faultChannel,
  inner,
  newOrder,
  statusText,
  windowsOpened,
  type ProxyLogEntry,
} from './flow-helpers.js';

const SLOW_FR = 'Paiement en cours de vérification, vous pouvez revenir plus tard.';
const SLOW_EN = 'Your payment is still being checked; you can come back later.';

/** Every text the status line of a rendered button shows from now on (the live region's words, as a screen reader hears them). */
function recordStatus(el: IzlyPayButton): string[] {
  const seen: string[] = [];
  const observer = new MutationObserver(() => {
    const text = statusText(el);
    if (text && text !== seen.at(-1)) seen.push(text);
  });
  observer.observe(el.shadowRoot!.querySelector('[part="status"]')!, { childList: true, characterData: true, subtree: true });
  return seen;
}

/** Adds the button to the page and records its status line from its first render on. */
async function mountRecording(el: IzlyPayButton): Promise<string[]> {
  document.body.append(el);
  // Resolved before the button's own resume, queued after this same first update: nothing is missed.
  await el.updateComplete;
  return recordStatus(el);
}

/** Counts the button's `izly-pay-error` events. */
function countErrors(el: IzlyPayButton): { count: number } {
  const errors = { count: 0 };
  el.addEventListener('izly-pay-error', () => (errors.count += 1));
  return errors;
}

/** The time between each answer and the next request, in ms (the proxy's clock). */
const pauses = (log: ProxyLogEntry[]) => log.slice(1).map((entry, i) => entry.at - log[i]!.answeredAt!);

describe('<izly-pay-button> with a slow or refusing adapter', () => {
  let leave: (() => void) | null = null;
  afterEach(() => {
    leave?.();
    leave = null;
  });

  /** A payment the student has just validated at Izly, and this page as Izly's return to it. */
  async function paidAndBack(orderId: string) {
    const payment = await createPayment(orderId);
    await decide(payment, 'validate');
    sessionStorage.setItem(`izly-pay:${orderId}`, payment.paymentId);
    leave = arriveWithPayment(payment.paymentId);
    return payment;
  }

  describe('back from Izly, the adapter out of reach', () => {
    it('says it is still checking (never "Connexion impossible."), keeps checking past verify-timeout, then shows paid', async () => {
      const orderId = newOrder(330);
      const payment = await paidAndBack(orderId);
      const proxy = faultChannel();
      await proxy.queue('drop', '502');
      const el = document.createElement('izly-pay-button');
      el.order = orderId;
      el.endpoint = proxy.endpoint;
      // Well before the adapter answers again: the deadline is for an adapter that answers "not yet".
      el.verifyTimeout = 1000;
      const errors = countErrors(el);
      const succeeded = oneEvent(el, 'izly-pay-success');
      const seen = await mountRecording(el);
      try {
        await waitUntil(() => statusText(el) === SLOW_FR, 'the slow words', { timeout: 10000 });
        expect(el.state).to.equal('verifying');
        expect(inner(el).getAttribute('aria-busy')).to.equal('true');
        await expect(el).to.be.accessible();

        const { detail } = await succeeded;
        expect(detail).to.include({ paymentId: payment.paymentId, status: 'paid' });
        expect(errors.count).to.equal(0);
        await el.updateComplete;
        expect(seen).to.deep.equal(['Vérification en cours…', SLOW_FR, 'Paiement de 3,30 € effectué.']);
        const log = await proxy.log();
        expect(log.map((entry) => entry.status)).to.deep.equal([null, 502, 200]);
        // Backoff: 2 s after the first failure, 4 s after the second.
        const [first, second] = pauses(log);
        expect(first).to.be.at.least(2000);
        expect(second).to.be.at.least(4000);
      } finally {
        el.remove();
      }
    });

    it('says so in English too', async () => {
      const orderId = newOrder(330);
      await paidAndBack(orderId);
      const proxy = faultChannel();
      await proxy.queue('502');
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order=${orderId} endpoint=${proxy.endpoint} lang="en"></izly-pay-button>`);
      await waitUntil(() => statusText(el) === SLOW_EN, 'the slow words', { timeout: 10000 });
      await expect(el).to.be.accessible();
      await oneEvent(el, 'izly-pay-success');
    });

    it('a payment that really failed still says so once the adapter answers', async () => {
      const orderId = newOrder(330);
      const payment = await createPayment(orderId);
      await decide(payment, 'validate', BROKE_STUDENT);
      sessionStorage.setItem(`izly-pay:${orderId}`, payment.paymentId);
      leave = arriveWithPayment(payment.paymentId);
      const proxy = faultChannel();
      await proxy.queue('drop');
      const el = document.createElement('izly-pay-button');
      el.order = orderId;
      el.endpoint = proxy.endpoint;
      const errors = countErrors(el);
      const failed = oneEvent(el, 'izly-pay-failure');
      const seen = await mountRecording(el);
      try {
        expect((await failed).detail.status).to.equal('failed');
        await el.updateComplete;
        // Izly's reason, in the button's words (a balance too low here).
        expect(seen.map((text) => text.replace(/\s+/g, ' '))).to.deep.equal([
          'Vérification en cours…',
          SLOW_FR,
          'Solde Izly insuffisant : rechargez votre compte.',
        ]);
        expect(errors.count).to.equal(0);
      } finally {
        el.remove();
      }
    });
  });

  describe('429: refused by the limits for a while', () => {
    it('creation: waits Retry-After out and sends the same attempt again, with no error', async () => {
      const proxy = faultChannel();
      await proxy.queue('429', '429');
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order=${newOrder(330)} mode="popup" endpoint=${proxy.endpoint}></izly-pay-button>`);
      const errors = countErrors(el);
      const windows = windowsOpened();
      windows.track();
      try {
        const seen = recordStatus(el);
        const pending = oneEvent(el, 'izly-pay-pending');
        inner(el).click();
        const { detail } = await pending;
        expect(detail.status).to.equal('pending');
        expect(errors.count).to.equal(0);
        await el.updateComplete;
        expect(seen).to.deep.equal(['Préparation du paiement…', 'Validez dans la fenêtre Izly.']);
        const posts = (await proxy.log()).filter((entry) => entry.method === 'POST');
        expect(posts.map((entry) => entry.status)).to.deep.equal([429, 429, 201]);
        expect(new Set(posts.map((entry) => entry.idempotencyKey)).size).to.equal(1);
        for (const pause of pauses(posts)) expect(pause).to.be.at.least(1000);
      } finally {
        windows.closeAll();
        el.remove();
      }
    });

    it('reads: waits Retry-After out while checking, with no error, then shows paid', async () => {
      const orderId = newOrder(330);
      await paidAndBack(orderId);
      const proxy = faultChannel();
      await proxy.queue('429', '429');
      const el = document.createElement('izly-pay-button');
      el.order = orderId;
      el.endpoint = proxy.endpoint;
      const errors = countErrors(el);
      const succeeded = oneEvent(el, 'izly-pay-success');
      const seen = await mountRecording(el);
      try {
        await succeeded;
        expect(errors.count).to.equal(0);
        // Neither an error nor "slow": a refusal by the limits is part of the rhythm.
        await el.updateComplete;
        expect(seen).to.deep.equal(['Vérification en cours…', 'Paiement de 3,30 € effectué.']);
        const log = await proxy.log();
        expect(log.map((entry) => entry.status)).to.deep.equal([429, 429, 200]);
        for (const pause of pauses(log)) expect(pause).to.be.at.least(1000);
      } finally {
        el.remove();
      }
    });
  });

  describe('a long poll answered at once', () => {
    it('does not become a loop: a second at least between an answer and the next read', async () => {
      const orderId = newOrder(330);
      const payment = await createPayment(orderId);
      sessionStorage.setItem(`izly-pay:${orderId}`, payment.paymentId);
      leave = arriveWithPayment(payment.paymentId);
      const proxy = faultChannel();
      await proxy.queue('instant', 'instant', 'instant', 'instant');
      const el = await fixture<IzlyPayButton>(html`<izly-pay-button order=${orderId} endpoint=${proxy.endpoint}></izly-pay-button>`);
      await waitUntil(async () => (await proxy.log()).length >= 5, 'four instant answers and the next read', { timeout: 10000 });
      const log = (await proxy.log()).slice(0, 5);
      expect(log.slice(0, 4).map((entry) => entry.status)).to.deep.equal([200, 200, 200, 200]);
      // Each instant answer came back at once: without the pause, the reads would follow each other within ms.
      for (const entry of log.slice(0, 4)) expect(entry.answeredAt! - entry.at).to.be.below(1000);
      for (const pause of pauses(log)) expect(pause).to.be.at.least(1000);
      expect(el.state).to.equal('verifying');

      const succeeded = oneEvent(el, 'izly-pay-success');
      await decide(payment, 'validate');
      await succeeded;
    });
  });
});
