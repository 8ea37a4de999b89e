// The staff's pages: every payment with its state and history in words, the search, the totals per day,
// the CSV export link, and a refund that asks first (a dialog, or a page of its own without script).
// Under 600 px the payments table becomes one card per payment (shop.css).
import { html } from 'hono/html';
import { formatEuros } from './catalogue.js';
import { badge, dateTime, layout, type Html } from './pages.js';
import { REFUND_REASON_MAX } from './refund-notes.js';
import { statusLabel, timeOfDay } from './staff-history.js';
import { ALL_STATUSES, type DayTotal, type StaffFilter, type StaffPaymentRow } from './staff-payments.js';

/** A line above the payments: what a refund did, or why it did not. */
export interface StaffNotice {
  kind: 'ok' | 'error';
  text: string;
}

export interface OrdersPageOptions {
  /** The payments that match the search, newest first. */
  rows: StaffPaymentRow[];
  /** How many payments there are in all. */
  total: number;
  filter: StaffFilter;
  totals: DayTotal[];
  notice: StaffNotice | null;
  sandboxUrl: string | null;
}

/** The search as a query string ("?q=…&status=…"), for the export link; empty when nothing is searched. */
export function filterQuery({ q, status }: StaffFilter): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (status) params.set('status', status);
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** "01/12/2026", the Paris day of a `YYYY-MM-DD`. */
function dayLabel(day: string): string {
  const [year, month, date] = day.split('-');
  return `${date}/${month}/${year}`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count > 1 ? many : one}`;
}

function searchForm({ q, status }: StaffFilter): Html {
  return html`<form class="search" role="search" method="get" action="/orders" aria-label="Rechercher un paiement">
    <div class="field">
      <label for="search-q">Commande, e-mail ou état</label>
      <input id="search-q" name="q" type="search" value="${q}" maxlength="100" autocomplete="off" />
    </div>
    <div class="field">
      <label for="search-status">État</label>
      <select id="search-status" name="status">
        <option value="" ${status === '' ? 'selected' : ''}>Tous</option>
        ${ALL_STATUSES.map((value) => html`<option value="${value}" ${value === status ? 'selected' : ''}>${statusLabel(value)}</option>`)}
      </select>
    </div>
    <button class="primary" type="submit">Rechercher</button>
    ${q || status ? html`<a class="clear" href="/orders">Tout afficher</a>` : ''}
  </form>`;
}

function totalsTable(totals: DayTotal[]): Html {
  if (totals.length === 0) return html`<p class="empty">Aucun paiement encaissé parmi ceux affichés.</p>`;
  return html`<div class="table-wrap"><table class="totals">
    <thead><tr><th scope="col">Jour</th><th scope="col">Encaissé</th><th scope="col">Remboursé</th><th scope="col">Net</th></tr></thead>
    <tbody>
      ${totals.map(
        (day) => html`<tr data-day="${day.day}">
          <th scope="row">${dayLabel(day.day)}</th>
          <td>${formatEuros(day.paid)}<small>${plural(day.paidCount, 'paiement', 'paiements')}</small></td>
          <td>${formatEuros(day.refunded)}<small>${plural(day.refundCount, 'remboursement', 'remboursements')}</small></td>
          <td><strong>${formatEuros(day.paid - day.refunded)}</strong></td>
        </tr>`,
      )}
    </tbody>
  </table></div>`;
}

/** The refund button: a form that, without script, opens the confirmation page, and with it, the dialog. */
function refundButton(row: StaffPaymentRow): Html {
  const amount = formatEuros(row.amount);
  return html`<form class="refund-start" method="get" action="/orders/${row.paymentId}/refund"
      data-payment="${row.paymentId}" data-order="${row.orderId}" data-product="${row.product}" data-amount="${amount}" data-email="${row.email ?? '—'}">
    <button class="refund" type="submit" aria-label="Rembourser ${row.orderId}, ${row.product}, ${amount}">Rembourser</button>
  </form>`;
}

function stateCell(row: StaffPaymentRow): Html {
  return html`${badge(row.status)}${row.failure ? html`<small class="failure">${row.failure}</small>` : ''}${row.attention.map(
    (note) => html`<small class="attention">⚠ ${note}</small>`,
  )}`;
}

function paymentRow(row: StaffPaymentRow): Html {
  const count = row.history.length;
  return html`<tr role="row" data-payment="${row.paymentId}" data-order="${row.orderId}" data-status="${row.status}">
    <td role="cell" class="order" data-label="Commande">
      <strong>${row.orderId}</strong> <span class="product-name">${row.product}</span>
      ${row.email ? html`<small class="email">${row.email}</small>` : ''}
      <small class="ids"><code>${row.paymentId}</code>${row.operationId ? html` · opération Izly ${row.operationId}` : ''}</small>
    </td>
    <td role="cell" class="amount" data-label="Montant">${formatEuros(row.amount)}</td>
    <td role="cell" class="state" data-label="État">${stateCell(row)}</td>
    <td role="cell" class="dates" data-label="Dates">
      <small>Créé ${dateTime(row.createdAt)}</small>
      ${row.paidAt ? html`<small>Payé ${dateTime(row.paidAt)}</small>` : ''}
      ${row.refundedAt ? html`<small>Remboursé ${dateTime(row.refundedAt)}</small>` : ''}
    </td>
    <td role="cell" class="history" data-label="Historique">
      <details>
        <summary>${plural(count, 'évènement', 'évènements')}</summary>
        <ol>${row.history.map((entry) => html`<li><time datetime="${entry.at}">${timeOfDay(entry.at)}</time> ${entry.text}</li>`)}</ol>
      </details>
    </td>
    <td role="cell" class="actions">${row.refundable ? refundButton(row) : ''}</td>
  </tr>`;
}

function paymentsTable(rows: StaffPaymentRow[]): Html {
  // The roles repeat the table's own: the cards under 600 px change its display, which drops them otherwise.
  const column = (name: Html | string) => html`<th role="columnheader" scope="col">${name}</th>`;
  return html`<div class="table-wrap"><table class="payments" role="table" aria-labelledby="payments-title">
    <thead role="rowgroup"><tr role="row">
      ${['Commande', 'Montant', 'État', 'Dates', 'Historique'].map(column)}${column(html`<span class="visually-hidden">Actions</span>`)}
    </tr></thead>
    <tbody role="rowgroup">${rows.map(paymentRow)}</tbody>
  </table></div>`;
}

/** What is refunded, shown before the staff confirms: order, product, amount and student. */
function refundSummary(values: { order: string; product: string; amount: string; email: string }): Html {
  return html`<dl class="refund-summary">
    <div><dt>Commande</dt><dd data-field="order">${values.order}</dd></div>
    <div><dt>Produit</dt><dd data-field="product">${values.product}</dd></div>
    <div><dt>Montant</dt><dd data-field="amount">${values.amount}</dd></div>
    <div><dt>Étudiant</dt><dd data-field="email">${values.email}</dd></div>
  </dl>`;
}

function reasonField(): Html {
  return html`<label for="refund-reason">Motif <span class="optional">(facultatif, gardé dans l’historique)</span></label>
    <textarea id="refund-reason" name="reason" rows="2" maxlength="${REFUND_REASON_MAX}"></textarea>`;
}

const REFUND_WARNING = 'Le montant retourne sur le compte Izly de l’étudiant. Un remboursement ne se défait pas.';

/** The confirmation dialog of the orders page, filled by staff.js from the button clicked. */
function refundDialog(): Html {
  return html`<dialog id="refund-dialog" aria-labelledby="refund-dialog-title" aria-describedby="refund-dialog-warning">
    <form method="post" action="/orders" class="refund-confirm">
      <h2 id="refund-dialog-title">Rembourser ce paiement ?</h2>
      ${refundSummary({ order: '', product: '', amount: '', email: '' })}
      <p id="refund-dialog-warning">${REFUND_WARNING}</p>
      ${reasonField()}
      <div class="dialog-actions">
        <button class="danger" type="submit">Confirmer le remboursement</button>
        <button class="secondary" type="button" data-close>Annuler</button>
      </div>
    </form>
  </dialog>`;
}

/** The staff's page: the search, the totals per day, every payment matching it, and refunds. */
export function ordersPage({ rows, total, filter, totals, notice, sandboxUrl }: OrdersPageOptions): Html {
  const searching = filter.q !== '' || filter.status !== '';
  return layout({
    title: 'Commandes — Boutique démo',
    sandboxUrl,
    script: 'staff.js',
    body: html`
      <h1>Commandes et paiements</h1>
      <p class="lead">Chaque paiement Izly de la boutique, son état confirmé par Izly, et son historique.</p>
      ${notice ? html`<p class="notice ${notice.kind}" role="${notice.kind === 'ok' ? 'status' : 'alert'}">${notice.text}</p>` : ''}
      ${searchForm(filter)}
      <div class="results-bar">
        <p class="count">${searching ? `${plural(rows.length, 'paiement trouvé', 'paiements trouvés')} sur ${total}` : plural(total, 'paiement', 'paiements')}</p>
        <a class="export" href="/orders.csv${filterQuery(filter)}" download>Exporter en CSV${searching ? ' (la recherche)' : ''}</a>
      </div>
      <section aria-labelledby="totals-title">
        <h2 id="totals-title">Totaux par jour${searching ? ' (la recherche)' : ''}</h2>
        ${totalsTable(totals)}
      </section>
      <section aria-labelledby="payments-title">
        <h2 id="payments-title">Paiements</h2>
        ${
          rows.length === 0
            ? html`<p class="empty">${searching ? 'Aucun paiement ne correspond à la recherche.' : 'Aucun paiement pour l’instant.'}</p>`
            : paymentsTable(rows)
        }
      </section>
      ${rows.some((row) => row.refundable) ? refundDialog() : ''}
    `,
  });
}

/** The confirmation as a page of its own (the refund button without script, or a link kept). */
export function refundConfirmPage(row: StaffPaymentRow, sandboxUrl: string | null): Html {
  return layout({
    title: `Rembourser ${row.orderId} — Boutique démo`,
    sandboxUrl,
    body: html`<div class="refund-page">
      <h1>Rembourser ce paiement ?</h1>
      <form method="post" action="/orders/${row.paymentId}/refund" class="refund-confirm">
        ${refundSummary({ order: row.orderId, product: row.product, amount: formatEuros(row.amount), email: row.email ?? '—' })}
        <p>${REFUND_WARNING}</p>
        ${reasonField()}
        <div class="dialog-actions">
          <button class="danger" type="submit">Confirmer le remboursement</button>
          <a class="secondary" href="/orders">Annuler</a>
        </div>
      </form>
    </div>`,
  });
}

/** The notice after a refund, naming the order, the product and the amount. */
export function refundedNotice(row: StaffPaymentRow): StaffNotice {
  return { kind: 'ok', text: `Commande ${row.orderId} remboursée : ${row.product}, ${formatEuros(row.amount)} rendus à l’étudiant.` };
}

/** Why a refund did not happen, in French, from the adapter's error code (or the shop's own). */
export function refundErrorNotice(code: string, row: StaffPaymentRow | undefined): StaffNotice {
  const what = row ? `la commande ${row.orderId} (${row.product}, ${formatEuros(row.amount)})` : 'ce paiement';
  const texts: Record<string, string> = {
    already_refunded: `${capitalized(what)} est déjà remboursée : rien de plus n’a été fait.`,
    not_refundable: `${capitalized(what)} ne peut pas être remboursée : seul un paiement payé peut l’être${row ? ` (celui-ci est ${statusLabel(row.status)})` : ''}.`,
    payment_not_found: 'Paiement introuvable : rien n’a été remboursé.',
    refund_in_progress: `Le remboursement de ${what} est en cours, sans réponse d’Izly pour l’instant : rechargez la page dans un moment.`,
    izly_error: `Izly a refusé le remboursement de ${what} : rien n’a été remboursé.`,
    izly_unavailable: `Izly n’a pas pu traiter le remboursement de ${what} pour l’instant : réessayez dans un moment.`,
    izly_timeout: `Izly n’a pas répondu à temps pour ${what} : la page dira s’il a été remboursé ; rechargez-la dans un moment.`,
    izly_bad_answer: `La réponse d’Izly pour ${what} était illisible : la page dira s’il a été remboursé ; rechargez-la dans un moment.`,
    reason_too_long: `Le motif dépasse ${REFUND_REASON_MAX} caractères : rien n’a été remboursé.`,
  };
  return { kind: 'error', text: texts[code] ?? `Remboursement de ${what} impossible : erreur inattendue.` };
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
