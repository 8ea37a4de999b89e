// The static files of the sandbox's pages: the one stylesheet and the one script (so that the pages need
// nothing inline under their strict Content-Security-Policy) and the icon. A modest Izly look: red (#e2001a) and white.
import { Hono } from 'hono';

export const STYLESHEET_PATH = '/sandbox/assets/sandbox.css';
export const ICON_PATH = '/sandbox/assets/icon.svg';
export const REDIRECT_SCRIPT_PATH = '/sandbox/assets/redirect.js';

/**
 * The outcome pages' redirect (page-layout.tsx, RedirectNotice): after the notice's delay, to its URL,
 * unless "Rester sur cette page" is pressed; the focus then goes to the return link, the button gone.
 */
const REDIRECT_SCRIPT = `(function () {
  var notice = document.getElementById('redirect-notice');
  var stay = document.getElementById('stay-here');
  if (!notice || !stay) return;
  var timer = setTimeout(function () {
    location.assign(notice.dataset.redirectUrl);
  }, Number(notice.dataset.redirectSeconds) * 1000);
  stay.hidden = false;
  stay.addEventListener('click', function () {
    clearTimeout(timer);
    notice.textContent = 'Redirection annulée : vous restez sur cette page.';
    stay.remove();
    var back = document.getElementById('return-link');
    if (back) back.focus();
  });
})();
`;

const ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#e2001a"/><circle cx="16" cy="8.5" r="2.6" fill="#fff"/><rect x="13.6" y="13" width="4.8" height="12.5" rx="2.4" fill="#fff"/></svg>`;

const SANDBOX_CSS = `
:root {
  --izly-red: #e2001a;
  --izly-red-dark: #b30014;
  --ink: #1d1d24;
  --muted: #5b5b66;
  --line: #d9d9e0;
  --paper: #ffffff;
  --page: #f4f4f7;
  --ok: #136f3a;
  color-scheme: light;
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0;
  min-height: 100vh;
  display: flex;
  flex-direction: column;
  background: var(--page);
  color: var(--ink);
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
a { color: var(--izly-red-dark); }
a:focus-visible, button:focus-visible, input:focus-visible, summary:focus-visible {
  outline: 3px solid var(--izly-red);
  outline-offset: 2px;
}
.skip-link { position: absolute; left: -9999px; }
.skip-link:focus { left: 1rem; top: 1rem; background: var(--paper); padding: .5rem 1rem; z-index: 1; }
.topbar {
  background: var(--izly-red);
  color: #fff;
  padding: .75rem 1.25rem;
  display: flex;
  align-items: center;
  gap: .75rem;
}
.brand {
  font-weight: 800;
  font-size: 1.6rem;
  letter-spacing: -.02em;
  line-height: 1;
}
.sandbox-badge {
  border: 1px solid rgba(255,255,255,.8);
  border-radius: 999px;
  padding: .1rem .6rem;
  font-size: .8rem;
  font-weight: 600;
}
main {
  flex: 1;
  width: 100%;
  max-width: 30rem;
  margin: 2rem auto;
  padding: 0 1rem;
}
main.wide { max-width: 75rem; }
.card {
  background: var(--paper);
  border-radius: 12px;
  box-shadow: 0 1px 3px rgba(0,0,0,.08), 0 8px 24px rgba(0,0,0,.06);
  padding: 1.75rem 1.5rem;
}
.card + .card { margin-top: 1.5rem; }
h1 { font-size: 1.45rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.15rem; margin: 0 0 .75rem; }
p { margin: 0 0 1rem; }
.summary {
  display: grid;
  grid-template-columns: auto 1fr;
  gap: .25rem 1rem;
  margin: 0 0 1.5rem;
  padding: 1rem;
  border-radius: 8px;
  background: #fbeef0;
}
.summary { align-items: baseline; }
.summary dt { color: var(--muted); }
.summary dd { margin: 0; font-weight: 600; text-align: right; overflow-wrap: anywhere; }
.summary .amount { font-size: 1.35rem; color: var(--izly-red-dark); }
.field { margin-bottom: 1.1rem; }
.field label { display: block; font-weight: 600; margin-bottom: .3rem; }
.hint { display: block; color: var(--muted); font-size: .875rem; margin-bottom: .35rem; }
input[type="text"], input[type="password"], input[type="email"] {
  width: 100%;
  font: inherit;
  padding: .65rem .75rem;
  border: 2px solid var(--line);
  border-radius: 8px;
  background: #fff;
  color: var(--ink);
}
input:focus-visible { border-color: var(--izly-red); outline-offset: 1px; }
.forgotten { display: inline-block; margin: -.25rem 0 1.25rem; font-size: .95rem; }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; }
.actions button, .button-link { flex: 1 1 10rem; }
button, .button-link {
  display: inline-block;
  font: inherit;
  font-weight: 700;
  text-align: center;
  text-decoration: none;
  padding: .7rem 1.25rem;
  border-radius: 999px;
  border: 2px solid var(--izly-red);
  cursor: pointer;
}
.primary { background: var(--izly-red); color: #fff; }
.primary:hover { background: var(--izly-red-dark); border-color: var(--izly-red-dark); }
.secondary { background: #fff; color: var(--izly-red-dark); }
.secondary:hover { background: #fbeef0; }
.alert {
  border-left: 4px solid var(--izly-red);
  background: #fdecee;
  color: #8a0010;
  padding: .75rem 1rem;
  border-radius: 6px;
  margin-bottom: 1.25rem;
}
.success {
  border-left: 4px solid var(--ok);
  background: #e9f6ee;
  color: var(--ok);
  padding: .75rem 1rem;
  border-radius: 6px;
  margin-bottom: 1.25rem;
  font-weight: 600;
}
.muted { color: var(--muted); font-size: .9rem; }
.redirect-notice { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; margin-bottom: 1rem; }
.redirect-notice p { margin: 0; flex: 1 1 12rem; }
.redirect-notice button { padding: .4rem 1rem; font-size: .9rem; }
footer { text-align: center; color: var(--muted); font-size: .85rem; padding: 1rem; }
.table-scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #fafafc; white-space: nowrap; }
td.number { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
code { font-size: .85em; overflow-wrap: anywhere; }
td code { overflow-wrap: normal; white-space: nowrap; }
h2 .muted { font-weight: 400; }
.status { font-weight: 600; white-space: nowrap; }
.status-Completed, .status-delivered { color: var(--ok); }
.status-Failed, .status-rejected, .status-error, .status-blocked, .status-dropped { color: #8a0010; }
dl.credentials { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; }
dl.credentials dt { color: var(--muted); }
dl.credentials dd { margin: 0; overflow-wrap: anywhere; }
@media (max-width: 480px) {
  main { margin: 1rem auto; }
  .card { padding: 1.25rem 1rem; }
  .actions { flex-direction: column; }
  .actions button, .button-link { flex: none; width: 100%; }
  dl.credentials { grid-template-columns: 1fr; gap: 0; }
  dl.credentials dd { margin-bottom: .5rem; }
}
`;

export function pageAssetsRoutes() {
  const app = new Hono();
  const headers = { 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };
  app.get(STYLESHEET_PATH, () => new Response(SANDBOX_CSS, { headers: { 'content-type': 'text/css; charset=utf-8', ...headers } }));
  app.get(REDIRECT_SCRIPT_PATH, () => new Response(REDIRECT_SCRIPT, { headers: { 'content-type': 'text/javascript; charset=utf-8', ...headers } }));
  app.get(ICON_PATH, () => new Response(ICON_SVG, { headers: { 'content-type': 'image/svg+xml', ...headers } }));
  return app;
}
