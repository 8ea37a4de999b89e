// The few HTML pages of IzlyConnect: an error page, and the page that ends a popup login. In French or
// English, plain, no inline script or style, so they work under the strict CSP sent with them; their script and
// stylesheet are served by the routes beside them (relative URLs: every page lives under `/connect/`).
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import {
  CONNECT_POPUP_MESSAGE_TYPE,
  CONNECT_RETURN_PARAM,
  PAY_POPUP_NAME,
  PAY_RETURN_MESSAGE_TYPE,
  type ConnectOutcome,
  type IzlyConnectErrorCode,
} from '../../contract/browser-contract.js';

export const PAGE_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  // The callback's URL holds Izly's code and state: never hand it on as a Referer.
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
} as const;

/** `url` with `izly_connect=<outcome>` added. */
export function returnUrlWith(url: string, outcome: ConnectOutcome): string {
  const target = new URL(url);
  target.searchParams.set(CONNECT_RETURN_PARAM, outcome);
  return target.href;
}

/** The language of a page: the button's when the login carries it, else the browser's (`Accept-Language`). */
export type PageLang = 'fr' | 'en';

/**
 * French or English, whichever `Accept-Language` ranks first (by `q`, then order); French when it names
 * neither, since Izly is French.
 */
export function pageLangFrom(acceptLanguage: string | undefined): PageLang {
  let best: { lang: PageLang; q: number } | undefined;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [tag = '', ...parameters] = part.trim().toLowerCase().split(';');
    const lang = /^fr\b/.test(tag) ? 'fr' : /^en\b/.test(tag) ? 'en' : undefined;
    const qParameter = parameters.map((parameter) => parameter.trim()).find((parameter) => parameter.startsWith('q='));
    const q = qParameter ? Number(qParameter.slice(2)) : 1;
    if (lang && q > 0 && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? 'fr';
}

/** The pages' words. */
const WORDS = {
  fr: {
    failed: 'Connexion Izly impossible',
    cancelled: 'Connexion annulée',
    code: 'Code de l’erreur :',
    back: 'Retour au site',
    succeeded: 'Connexion réussie',
    loggedIn: 'Vous êtes connecté avec Izly. Cette fenêtre va se fermer.',
    continue: 'Continuer sur le site',
    paymentCancelled: 'Paiement annulé',
    noDebit: 'Vous n’avez pas été débité. Retour au site…',
  },
  en: {
    failed: 'Izly login failed',
    cancelled: 'Login cancelled',
    code: 'Error code:',
    back: 'Back to the site',
    succeeded: 'Logged in',
    loggedIn: 'You are logged in with Izly. This window will close.',
    continue: 'Continue on the site',
    paymentCancelled: 'Payment cancelled',
    noDebit: 'You were not charged. Back to the site…',
  },
} as const;

/** What a failed login's pages need of its error. */
export interface PageError {
  code: IzlyConnectErrorCode;
  message: string;
  frenchMessage: string;
  englishMessage: string;
}

function page(
  lang: PageLang,
  title: string,
  body: HtmlEscapedString | Promise<HtmlEscapedString>,
  extra: { head?: HtmlEscapedString | Promise<HtmlEscapedString>; bodyAttributes?: HtmlEscapedString | Promise<HtmlEscapedString> } = {},
) {
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="page.css">
${extra.head ?? ''}
</head>
<body ${extra.bodyAttributes ?? ''}>
<main>
${body}
</main>
</body>
</html>`;
}

/** The body of a failed login's page: what happened in the page's language, the machine code, the way back. */
function failureBody(error: PageError, lang: PageLang, returnLink: string) {
  const words = WORDS[lang];
  return html`<h1>${error.code === 'login_cancelled' ? words.cancelled : words.failed}</h1>
<p role="alert" id="error-message">${lang === 'fr' ? error.frenchMessage : error.englishMessage}</p>
<p class="code">${words.code} <code id="error-code">${error.code}</code></p>
<p><a id="return-link" href="${returnLink}" class="back">${words.back}</a></p>`;
}

/** A failed login: what happened in the shop's language, the machine code, and a way back to the site. */
export function errorPage(error: PageError, lang: PageLang, returnLink: string) {
  return page(lang, error.code === 'login_cancelled' ? WORDS[lang].cancelled : WORDS[lang].failed, failureBody(error, lang, returnLink));
}

/** The last page of a popup login: `popup.js` posts the outcome to the opener and closes the window. */
export function popupPage(outcome: { ok: true } | { ok: false; error: PageError }, lang: PageLang, targetOrigin: string, returnLink: string) {
  const words = WORDS[lang];
  const data = outcome.ok
    ? html`id="izly-connect-result" data-ok="true" data-target-origin="${targetOrigin}"`
    : html`id="izly-connect-result" data-ok="false" data-target-origin="${targetOrigin}" data-code="${outcome.error.code}" data-message="${outcome.error.message}"`;
  const body = outcome.ok
    ? html`<h1>${words.succeeded}</h1>
<p role="status">${words.loggedIn}</p>
<p><a id="return-link" href="${returnLink}" class="back">${words.continue}</a></p>`
    : failureBody(outcome.error, lang, returnLink);
  const title = outcome.ok ? words.succeeded : outcome.error.code === 'login_cancelled' ? words.cancelled : words.failed;
  return page(lang, title, body, { head: html`<script src="popup.js" defer></script>`, bodyAttributes: data });
}

/**
 * Where a payment cancelled on Izly lands (Izly's one "URL after cancellation", also that of a refusal):
 * `cancel.js` tells the pay button that opened the popup, which reads its payment at once, and closes the
 * popup; in a tab (redirect mode), it goes on to `paymentCancelUrl` at once, where the button recognises
 * its payment from session storage. Without script, a refresh does the same, and the link remains.
 */
export function paymentCancelPage(lang: PageLang, paymentCancelUrl: string, targetOrigins: readonly string[]) {
  const words = WORDS[lang];
  const body = html`<h1>${words.paymentCancelled}</h1>
<p role="status">${words.noDebit}</p>
<p><a id="return-link" href="${paymentCancelUrl}" class="back">${words.back}</a></p>`;
  return page(lang, words.paymentCancelled, body, {
    head: html`<script src="cancel.js" defer></script>
<noscript><meta http-equiv="refresh" content="0;url=${paymentCancelUrl}"></noscript>`,
    bodyAttributes: html`id="izly-pay-cancel" data-return-url="${paymentCancelUrl}" data-target-origins="${targetOrigins.join(' ')}"`,
  });
}

/**
 * Served as `/connect/cancel.js`. Only the popup the pay button opened (its name, and an opener) is closed:
 * a shop's tab that some page opened keeps going to the shop. The message says no more than "back from
 * Izly" (the button reads the payment itself), posted to each allowed origin: it reaches the opener only if
 * the opener is one of them.
 */
export const PAYMENT_CANCEL_SCRIPT = `// izly-pay: a payment cancelled on Izly: tell the pay button's popup opener and close, or go back to the shop.
(function () {
  var page = document.getElementById('izly-pay-cancel');
  if (!page) return;
  var data = page.dataset;
  var opener = window.opener;
  var back = function () { location.replace(data.returnUrl); };
  if (opener && opener !== window && window.name === '${PAY_POPUP_NAME}') {
    data.targetOrigins.split(' ').forEach(function (origin) {
      opener.postMessage({ type: '${PAY_RETURN_MESSAGE_TYPE}' }, origin);
    });
    window.close();
    // A window the browser would not close goes back to the shop like a tab.
    setTimeout(back, 1000);
    return;
  }
  back();
})();
`;

/**
 * Served as `/connect/popup.js`: posts the contract's `ConnectPopupMessage`. Without an opener (a browser that cut
 * the link), the page's link remains.
 */
export const POPUP_SCRIPT = `// izly-pay: hands a popup login's outcome to the page that opened it, then closes the popup.
(function () {
  var result = document.getElementById('izly-connect-result');
  var opener = window.opener;
  if (!result || !opener || opener === window) return;
  var data = result.dataset;
  var message = data.ok === 'true'
    ? { type: '${CONNECT_POPUP_MESSAGE_TYPE}', ok: true }
    : { type: '${CONNECT_POPUP_MESSAGE_TYPE}', ok: false, error: { code: data.code, message: data.message } };
  opener.postMessage(message, data.targetOrigin);
  window.close();
})();
`;

/**
 * Served as `/connect/page.css`: one card on a quiet page, readable on a phone, light and dark (the
 * system's choice), with contrasts of at least 4.5:1 and a visible keyboard focus.
 */
export const PAGE_STYLES = `:root {
  color-scheme: light dark;
  --page: #f4f4f7; --card: #ffffff; --ink: #1d1d24; --muted: #5b5b66; --line: #d9d9e0;
  --alert: #b3001b; --ok: #136f3a; --link: #b30014; --link-ink: #ffffff;
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
@media (prefers-color-scheme: dark) {
  :root {
    --page: #16161b; --card: #23232b; --ink: #ececf1; --muted: #b4b4c0; --line: #3a3a46;
    --alert: #ff8a95; --ok: #7fd6a0; --link: #ff8a95; --link-ink: #16161b;
  }
}
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; padding: 2rem 1rem; background: var(--page); color: var(--ink); }
main {
  max-width: 32rem; margin: 0 auto; padding: 1.5rem 1.5rem 1.75rem;
  background: var(--card); border: 1px solid var(--line); border-radius: 12px;
}
h1 { font-size: 1.4rem; line-height: 1.25; margin: 0 0 1rem; }
p { margin: 0 0 1rem; }
[role="alert"] { border-left: 4px solid var(--alert); padding: 0.5rem 0.75rem; }
[role="status"] { border-left: 4px solid var(--ok); padding: 0.5rem 0.75rem; }
.code { color: var(--muted); font-size: 0.9rem; }
code { overflow-wrap: anywhere; }
a { color: var(--link); font-weight: 600; }
a.back {
  display: inline-block; padding: 0.6rem 1.25rem; border-radius: 999px;
  background: var(--link); color: var(--link-ink); text-decoration: none;
}
a:focus-visible { outline: 3px solid var(--ink); outline-offset: 3px; }
p:last-child { margin-bottom: 0; }
`;
