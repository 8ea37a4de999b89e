// The demo shop's HTML pages. Every value is escaped by hono/html; no inline script or style, so the
// pages run under the strict Content-Security-Policy the shop sends.
import { html } from 'hono/html';
import type { Product } from './catalogue.js';
import { formatEuros } from './catalogue.js';
import type { ShopOrder } from './shop-orders.js';
import type { ShopStudent } from './shop-sessions.js';
import { statusLabel } from './staff-history.js';

export type Html = ReturnType<typeof html>;

interface LayoutOptions {
  title: string;
  sandboxUrl: string | null;
  body: Html;
  /** The account area of the header: the logged-in student, or the "Log in with Izly" button. */
  account?: Html;
  /** The page's own script under /assets/, after the shop's (the staff's page: its refund dialog). */
  script?: string;
}

/** The logged-in student (name, CROUS client code) with a logout button, or the IzlyConnect button. */
function accountArea(student: ShopStudent | null): Html {
  if (!student) return html`<izly-connect-button size="small"></izly-connect-button>`;
  return html`<div class="student" data-student="${student.clientCode}">
    <span><strong>${student.firstName} ${student.lastName}</strong><br />CROUS ${student.clientCode} · n° ${student.assignmentNumber}</span>
    <form method="post" action="/logout"><button class="link" type="submit">Se déconnecter</button></form>
  </div>`;
}

export function layout({ title, sandboxUrl, body, account, script }: LayoutOptions): Html {
  return html`<!doctype html>
<html lang="fr">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title}</title>
    <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
    <link rel="stylesheet" href="/assets/shop.css" />
    <script type="module" src="/assets/izly-pay.js"></script>
    <script type="module" src="/assets/shop.js"></script>
    ${script ? html`<script type="module" src="/assets/${script}"></script>` : ''}
  </head>
  <body>
    <header class="topbar">
      <a class="brand" href="/">Boutique démo<small>Cafétéria &amp; services du campus</small></a>
      <nav aria-label="Navigation principale">
        <a href="/">Boutique</a>
        <a href="/orders">Commandes (équipe)</a>
        ${sandboxUrl ? html`<a href="${sandboxUrl}/">Sandbox Izly</a>` : ''}
      </nav>
      ${account ?? ''}
    </header>
    <main>${body}</main>
  </body>
</html>`;
}

export function badge(status: string): Html {
  return html`<span class="badge ${status}">${statusLabel(status)}</span>`;
}

export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Europe/Paris' }).format(new Date(iso));
}

/** One product on the shop page, with the visitor's open order for it, if any (else made on click). */
export interface ShopItem {
  product: Product;
  order: ShopOrder | undefined;
}

export interface ShopPageOptions {
  items: ShopItem[];
  student: ShopStudent | null;
  purchases: Html;
  sandboxUrl: string | null;
}

/** The catalogue, each product with its `<izly-pay-button>`. */
export function shopPage({ items, purchases, sandboxUrl, student }: ShopPageOptions): Html {
  return layout({
    title: 'Boutique démo — payer avec Izly',
    sandboxUrl,
    account: accountArea(student),
    body: html`
      <h1>Payez vos services du campus avec Izly</h1>
      <p class="lead">
        Une boutique de démonstration d’<strong>izly-pay</strong> : chaque bouton ci-dessous est un
        <code>&lt;izly-pay-button&gt;</code> chargé par une simple balise script. Le prix est décidé par le serveur
        de la boutique ; Izly confirme chaque paiement.
      </p>
      ${
        sandboxUrl
          ? html`<p class="hint">
            Sandbox Izly : connectez-vous avec <code>etudiant@izly.test</code> / <code>izly1234</code> (100 €),
            <code>fauche@izly.test</code> (1,50 €) ou <code>impaye@izly.test</code> (impayé en cours).
          </p>`
          : ''
      }
      <ul class="products">
        ${items.map(
          ({ product, order }) => html`<li class="product" data-sku="${product.sku}">
            <h2>${product.name}</h2>
            <p>${product.description}</p>
            <div class="price">${formatEuros(product.price)}</div>
            ${
              order
                ? html`<izly-pay-button order="${order.orderId}" amount="${order.amount}" mode="${product.mode}" data-sku="${product.sku}" full-width></izly-pay-button>`
                : html`<izly-pay-button amount="${product.price}" mode="${product.mode}" data-sku="${product.sku}" full-width></izly-pay-button>`
            }
            <div class="meta"><span class="order-ref">${order ? `Commande ${order.orderId}` : 'Commande créée au paiement'}</span>${product.mode === 'popup' ? ' · Izly s’ouvre dans une fenêtre' : ''}</div>
          </li>`,
        )}
      </ul>
      <section id="purchases" aria-labelledby="purchases-title">${purchases}</section>
    `,
  });
}

/** "Mes achats": the visitor's paid and refunded orders; also served alone so the page can refresh it. */
export function purchasesFragment(purchases: ShopOrder[], productName: (sku: string) => string): Html {
  return html`<h2 id="purchases-title">Mes achats</h2>
    ${
      purchases.length === 0
        ? html`<p class="empty">Aucun achat pour l’instant.</p>`
        : html`<div class="table-wrap"><table>
          <thead><tr><th>Commande</th><th>Produit</th><th>Montant</th><th>État</th><th>Payé le</th></tr></thead>
          <tbody>
            ${purchases.map(
              (order) => html`<tr data-order="${order.orderId}">
                <td>${order.orderId}</td><td>${productName(order.sku)}</td><td>${formatEuros(order.amount)}</td>
                <td>${badge(order.status)}</td><td>${dateTime(order.paidAt)}</td>
              </tr>`,
            )}
          </tbody>
        </table></div>`
    }`;
}
