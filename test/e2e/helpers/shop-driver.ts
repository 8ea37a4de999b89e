// How a student and the shop's staff use the demo, in Chromium: the selectors and steps shared by the
// end-to-end tests.
import type { Page } from 'playwright-core';
import { E2E_SANDBOX_CONTROL_TOKEN } from './processes.js';

/** The pay button of a product on the shop page. */
export function payButton(page: Page, sku: string) {
  return page.locator(`li[data-sku="${sku}"] izly-pay-button`);
}

/**
 * Clicks a product's pay button; resolves with the order it pays once the button asks the adapter for
 * the payment. A page view creates no order: the click does (shop.js), so the id is read from the
 * payment request rather than from the page.
 */
export async function clickToPay(page: Page, sku: string): Promise<string> {
  const [request] = await Promise.all([
    page.waitForRequest((sent) => sent.method() === 'POST' && new URL(sent.url()).pathname === '/izly/payments'),
    payButton(page, sku).getByRole('button').click(),
  ]);
  return (request.postDataJSON() as { orderId: string }).orderId;
}

/** The order id on a product's button (once the student clicked it, or came back to it). */
export async function orderOf(page: Page, sku: string): Promise<string> {
  const order = await payButton(page, sku).getAttribute('order');
  if (!order) throw new Error(`no order on the ${sku} button`);
  return order;
}

/** Waits until the product's button reflects `state`. */
export async function waitForState(page: Page, sku: string, state: string, timeout = 20_000): Promise<void> {
  await page.locator(`li[data-sku="${sku}"] izly-pay-button[state="${state}"]`).waitFor({ timeout });
}

/** On Izly's authorization page: types the identifier and password, then presses a button. */
export async function decideOnIzly(page: Page, identifier: string, password: string, action: 'validate' | 'cancel' = 'validate'): Promise<void> {
  await page.getByLabel('Identifiant').fill(identifier);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: action === 'validate' ? 'Valider' : 'Annuler' }).click();
}

/** A sandbox control-API call (JSON), as a test sets up the world around the student. */
export async function sandboxApi<T>(sandboxUrl: string, path: string, init?: { method: string; body?: unknown }): Promise<T> {
  const response = await fetch(`${sandboxUrl}/sandbox/api${path}`, {
    method: init?.method ?? 'GET',
    headers: {
      authorization: `Bearer ${E2E_SANDBOX_CONTROL_TOKEN}`,
      ...(init?.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!response.ok) throw new Error(`sandbox ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function balanceOf(sandboxUrl: string, email: string): Promise<number> {
  return (await sandboxApi<{ balance: number }>(sandboxUrl, `/accounts/${encodeURIComponent(email)}`)).balance;
}
