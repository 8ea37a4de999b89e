// The frame shared by the sandbox's HTML pages, and the response that carries one: a strict
// Content-Security-Policy (scripts and styles from our own files only, nothing inline), no caching, no
// referrer (the payment URL holds the operation's secret token).
import type { Child } from 'hono/jsx';
import { ICON_PATH, REDIRECT_SCRIPT_PATH, STYLESHEET_PATH } from './page-assets.js';

interface LayoutProps {
  /** The path of the sandbox's `publicUrl`, before every link of the page ('' at the root). */
  basePath: string;
  title: string;
  /**
   * Sends the browser on after 3 s, unless the student stops it (the page's {@link RedirectNotice}): a
   * script's timer, since a meta refresh cannot be stopped; the meta refresh only without script.
   */
  refreshUrl?: string;
  /** Wider main column (the home page's tables). */
  wide?: boolean;
  children?: Child;
}

export function Layout({ basePath, title, refreshUrl, wide, children }: LayoutProps) {
  return (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {refreshUrl ? (
          <>
            <noscript>
              <meta http-equiv="refresh" content={`${REDIRECT_SECONDS};url=${refreshUrl}`} />
            </noscript>
            <script src={basePath + REDIRECT_SCRIPT_PATH} defer />
          </>
        ) : null}
        <title>{`${title} · Izly (bac à sable)`}</title>
        <link rel="stylesheet" href={basePath + STYLESHEET_PATH} />
        <link rel="icon" href={basePath + ICON_PATH} type="image/svg+xml" />
      </head>
      <body>
        <a class="skip-link" href="#contenu">
          Aller au contenu
        </a>
        <header class="topbar">
          <span class="brand">izly</span>
          <span class="sandbox-badge">Bac à sable</span>
        </header>
        <main id="contenu" class={wide ? 'wide' : undefined}>
          {children}
        </main>
        <footer>Izly, bac à sable local d’izly-pay : aucun argent réel n’est en jeu.</footer>
      </body>
    </html>
  );
}

/** How long an outcome page waits before sending the student back to the site. */
export const REDIRECT_SECONDS = 3;

/**
 * Says that the page will send the student to `siteName` in 3 s (WCAG 2.2.1: a time limit the student can
 * stop), with "Rester sur cette page", which the redirect script shows and which stops it.
 */
export function RedirectNotice({ url, siteName }: { url: string; siteName: string }) {
  return (
    <div class="redirect-notice">
      <p class="muted" id="redirect-notice" role="status" data-redirect-url={url} data-redirect-seconds={String(REDIRECT_SECONDS)}>
        Vous allez être redirigé vers {siteName} dans {REDIRECT_SECONDS} secondes.
      </p>
      {/* Hidden without script: the noscript meta refresh cannot be stopped, so nothing would be offered. */}
      <button type="button" id="stay-here" class="secondary" hidden>
        Rester sur cette page
      </button>
    </div>
  );
}

/** The origin of an http(s) URL, for the CSP `form-action` list; undefined when not a URL. */
function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * An HTML response with the sandbox's security headers. `redirectTargets` are the URLs a form on the page
 * may be redirected to after posting (CSP `form-action` applies to redirects too).
 */
export function htmlPage(page: Child, options: { status?: number; redirectTargets?: string[] } = {}): Response {
  const formAction = ["'self'", ...new Set((options.redirectTargets ?? []).map(originOf).filter((origin) => origin !== undefined))];
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `form-action ${formAction.join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  return new Response(`<!DOCTYPE html>${String(page)}`, {
    status: options.status ?? 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    },
  });
}
