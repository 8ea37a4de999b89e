// The few HTML pages of IzlyConnect: an error page, and the page that ends a popup login. French, plain,
// no inline script or style, so they work under the strict CSP sent with them; their script and
// stylesheet are served by the routes beside them (relative URLs: every page lives under `/connect/`).
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { CONNECT_POPUP_MESSAGE_TYPE, CONNECT_RETURN_PARAM, type ConnectOutcome, type IzlyConnectErrorCode } from '../../contract/browser-contract.js';

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

function page(
  title: string,
  body: HtmlEscapedString | Promise<HtmlEscapedString>,
  extra: { head?: HtmlEscapedString | Promise<HtmlEscapedString>; bodyAttributes?: HtmlEscapedString | Promise<HtmlEscapedString> } = {},
) {
  return html`<!doctype html>
<html lang="fr">
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

/** A failed login: what happened in French, the machine code, and a way back to the site. */
export function errorPage(error: { code: IzlyConnectErrorCode; frenchMessage: string }, returnLink: string) {
  return page(
    'Connexion Izly impossible',
    html`<h1>Connexion Izly impossible</h1>
<p role="alert" id="error-message">${error.frenchMessage}</p>
<p>Code de l’erreur : <code id="error-code">${error.code}</code></p>
<p><a id="return-link" href="${returnLink}">Retour au site</a></p>`,
  );
}

/** The last page of a popup login: `popup.js` posts the outcome to the opener and closes the window. */
export function popupPage(
  outcome: { ok: true } | { ok: false; error: { code: IzlyConnectErrorCode; message: string; frenchMessage: string } },
  targetOrigin: string,
  returnLink: string,
) {
  const data = outcome.ok
    ? html`id="izly-connect-result" data-ok="true" data-target-origin="${targetOrigin}"`
    : html`id="izly-connect-result" data-ok="false" data-target-origin="${targetOrigin}" data-code="${outcome.error.code}" data-message="${outcome.error.message}"`;
  const body = outcome.ok
    ? html`<h1>Connexion réussie</h1>
<p role="status">Vous êtes connecté avec Izly. Cette fenêtre va se fermer.</p>
<p><a id="return-link" href="${returnLink}">Continuer sur le site</a></p>`
    : html`<h1>Connexion Izly impossible</h1>
<p role="alert" id="error-message">${outcome.error.frenchMessage}</p>
<p>Code de l’erreur : <code id="error-code">${outcome.error.code}</code></p>
<p><a id="return-link" href="${returnLink}">Retour au site</a></p>`;
  return page(outcome.ok ? 'Connexion réussie' : 'Connexion Izly impossible', body, {
    head: html`<script src="popup.js" defer></script>`,
    bodyAttributes: data,
  });
}

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

/** Served as `/connect/page.css`: readable on a phone, light and dark. */
export const PAGE_STYLES = `:root { color-scheme: light dark; font-family: system-ui, sans-serif; line-height: 1.5; }
body { margin: 0; padding: 2rem 1rem; }
main { max-width: 32rem; margin: 0 auto; }
h1 { font-size: 1.4rem; }
[role="alert"] { border-left: 4px solid #c62828; padding: 0.5rem 0.75rem; }
[role="status"] { border-left: 4px solid #2e7d32; padding: 0.5rem 0.75rem; }
a { font-weight: 600; }
`;
