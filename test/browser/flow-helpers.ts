// Helpers for the browser tests that run real payments: the adapter (`/izly`) and the Izly sandbox are
// mounted on the test server's origin (see izly-servers.ts); nothing here answers in their place.
import { waitUntil } from '@open-wc/testing';
import type { IzlyPayPendingDetail } from '../../widget/events.js';
import type { IzlyPayButton } from '../../widget/pay-button/pay-button.js';

export const STUDENT = { identifier: 'etudiant@izly.test', password: 'izly1234' };
/** 1,50 € on the account: any order above that is refused by Izly. */
export const BROKE_STUDENT = { identifier: 'fauche@izly.test', password: 'izly1234' };

/** A fresh order of the test shop; the adapter's `order()` reads the amount from its last number. */
export const newOrder = (cents: number) => `T-${crypto.randomUUID().slice(0, 8)}-${cents}`;

/** A payment on its way to Izly, with the page to approve it: a new one (201), or `izly-pay-pending`'s. */
type SentPayment = IzlyPayPendingDetail;

/** Creates a payment as the widget would: `POST /izly/payments`. */
export async function createPayment(orderId: string, returnUrl = location.href): Promise<SentPayment> {
  const response = await fetch('/izly/payments', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify({ orderId, returnUrl }),
  });
  if (response.status !== 201) throw new Error(`createPayment: ${response.status} ${await response.text()}`);
  return (await response.json()) as SentPayment;
}

/** Submits the sandbox's authorization form as the student's browser would. */
export async function decide(payment: SentPayment, action: 'validate' | 'cancel', account: { identifier: string; password: string } = STUDENT): Promise<void> {
  const response = await fetch(payment.authorizationUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...account, action }),
  });
  if (!response.ok) throw new Error(`decide: ${response.status}`);
}

/** What the fault proxy does to the next request (fault-proxy.mjs says how). */
export type Fault = 'drop' | 'drop-after' | 'hold' | 'instant' | '502' | '429';

/** A request the fault proxy saw: the status answered (null: none), when it arrived and its answer left (ms). */
export interface ProxyLogEntry {
  method: string;
  path: string;
  idempotencyKey: string | null;
  status: number | null;
  at: number;
  answeredAt: number | null;
}

/** The fault proxy in front of the adapter (fault-proxy.mjs): its endpoint, faults, release and log. */
export function faultChannel() {
  const base = `/test-proxy/${crypto.randomUUID().slice(0, 8)}`;
  return {
    endpoint: `${base}/izly`,
    async queue(...faults: Fault[]) {
      await fetch(`${base}/_faults`, { method: 'POST', body: JSON.stringify(faults) });
    },
    async release() {
      await fetch(`${base}/_release`, { method: 'POST' });
    },
    async log(): Promise<ProxyLogEntry[]> {
      return (await fetch(`${base}/_log`)).json();
    },
  };
}

/** Puts `izly_payment=<id>` in this page's address, as Izly's return does; returns a function that removes it. */
export function arriveWithPayment(paymentId: string): () => void {
  const url = new URL(location.href);
  url.searchParams.set('izly_payment', paymentId);
  history.replaceState(history.state, '', url.href);
  return () => {
    const clean = new URL(location.href);
    clean.searchParams.delete('izly_payment');
    history.replaceState(history.state, '', clean.href);
  };
}

export const inner = (el: IzlyPayButton) => el.shadowRoot!.querySelector('button')!;

/** The button's accessible name as axe computes it (the name a screen reader announces); the test imports axe-core. */
export function accessibleName(el: Element): string {
  const { axe } = window as unknown as { axe: typeof import('axe-core') };
  axe.setup(document.body);
  try {
    return axe.commons.text.accessibleText(el.shadowRoot!.querySelector('button')!).replace(/\s+/g, ' ');
  } finally {
    axe.teardown();
  }
}

/**
 * Every window this page opens (`window.open`) from `track()` on, in `opened`, closed by `closeAll()`: a test
 * calls one in its `beforeEach` and the other in its `afterEach`. A window left open (on a payment's page)
 * would be reused, by its name, by the next button that opens its popup.
 */
export function windowsOpened(): { opened: Array<Window | null>; track(): void; closeAll(): void } {
  const open = window.open;
  const opened: Array<Window | null> = [];
  return {
    opened,
    track() {
      opened.length = 0;
      window.open = (...args) => {
        const popup = open.apply(window, args);
        opened.push(popup);
        return popup;
      };
    },
    closeAll() {
      window.open = open;
      for (const popup of opened) popup?.close();
    },
  };
}
export const statusText = (el: IzlyPayButton) => el.shadowRoot!.querySelector('[part="status"]')!.textContent!.replace(/\s+/g, ' ').trim();

/**
 * Izly's page for this payment, for `loaded`. Not any payment page: a popup window reused by name may still
 * show an earlier payment's page while the button is creating this one.
 */
export const paymentPage = (payment: SentPayment): RegExp => new RegExp(`${new URL(payment.authorizationUrl).pathname}$`);

/** Waits for a frame (iframe or popup) to finish loading a page whose URL matches. */
export async function loaded(win: () => Window | null | undefined, url: RegExp, message: string): Promise<Window> {
  await waitUntil(
    () => {
      const w = win();
      try {
        return !!w && url.test(w.location.href) && w.document.readyState === 'complete';
      } catch {
        return false;
      }
    },
    message,
    { timeout: 10000 },
  );
  return win()!;
}
