// `npm start`: the built-in Izly sandbox (unless IZLY_BASE_URL points at a real Izly) and the demo shop,
// in one process, on two origins, with the payments kept in SQLite under the data folder, or in PostgreSQL
// when DATABASE_URL is set (then several shops can share them, e.g. behind a load balancer).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerType } from '@hono/node-server';
import { postgresStore } from '../server-adapter/postgres.js';
import { sqliteStore } from '../server-adapter/sqlite.js';
import { createSandbox } from '../sandbox/index.js';
import { DemoConfigError, loadDemoConfig, type DemoConfig } from './config.js';
import { listen } from './node-server.js';
import { RefundNotes } from './refund-notes.js';
import { createShop } from './shop.js';
import { openShopDatabase, ShopOrders } from './shop-orders.js';
import { ShopSessions } from './shop-sessions.js';

const WIDGET_BUNDLE = 'dist/izly-pay.js';
/** The built-in sandbox listens on this machine only, whatever HOST says: its control API can mark payments paid. */
const SANDBOX_HOST = '127.0.0.1';
const RECONCILE_EVERY_MS = 60_000;

function newestSourceTime(dir: string): number {
  return readdirSync(dir, { recursive: true })
    .map((file) => join(dir, String(file)))
    .filter((file) => file.endsWith('.ts'))
    .reduce((newest, file) => Math.max(newest, statSync(file).mtimeMs), 0);
}

/** The widget bundle the shop serves; built first when missing or older than the widget's sources. */
function widgetBundle(): string {
  const stale = !existsSync(WIDGET_BUNDLE) || statSync(WIDGET_BUNDLE).mtimeMs < newestSourceTime('widget');
  if (stale) {
    console.log('Building the widget bundle (dist/izly-pay.js)…');
    const build = spawnSync(process.execPath, ['node_modules/rollup/dist/bin/rollup', '-c', 'rollup.config.mjs', '--silent'], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('the widget build failed (npm run build)');
  }
  return readFileSync(WIDGET_BUNDLE, 'utf8');
}

function startSandbox(config: DemoConfig) {
  const sandboxUrl = `http://localhost:${config.sandboxPort}`;
  const sandbox = createSandbox({
    publicUrl: sandboxUrl,
    // Tests shorten Izly's 20 s between callback attempts; a developer keeps the real rhythm.
    ...(config.sandboxCallbackRetryDelayMs === null ? {} : { callbackRetryDelayMs: config.sandboxCallbackRetryDelayMs }),
    ...(config.sandboxControlToken === null ? {} : { controlToken: config.sandboxControlToken }),
    pointsOfSale: [
      {
        appIdentifier: config.appIdentifier,
        apiKey: config.apiKey,
        siteName: 'Boutique démo',
        callbackUrl: `${config.publicUrl}/izly/callback`,
        urlAfterConnection: `${config.publicUrl}/izly/connect/callback`,
        urlAfterPayment: `${config.publicUrl}/`,
        // One cancellation URL for logins and payments: the adapter tells them apart.
        urlAfterCancellation: `${config.publicUrl}/izly/connect/cancel`,
      },
    ],
  });
  return { sandbox, sandboxUrl };
}

/** Stops the start with one line naming the variable to change, no stack trace. */
function cannotStart(error: DemoConfigError): never {
  console.error(`The demo cannot start: ${error.message}`);
  process.exit(1);
}

/**
 * Listens, or says in a `DemoConfigError` which variable to change when the machine refuses the port or
 * the address (a port another program holds, a privileged port, a HOST that is not this machine's).
 */
async function listenOrExplain(
  fetch: Parameters<typeof listen>[0],
  port: number,
  host: string,
  setting: { port: string; host: string | null },
): Promise<ServerType> {
  try {
    return await listen(fetch, port, host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new DemoConfigError(setting.port, `port ${port} is in use: choose another with ${setting.port}`);
    if (code === 'EACCES') throw new DemoConfigError(setting.port, `port ${port} needs privileges: choose one above 1023 with ${setting.port}`);
    if (setting.host && (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')) {
      throw new DemoConfigError(setting.host, `"${host}" is not an address of this machine: choose another with ${setting.host}`);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  let config: DemoConfig;
  try {
    config = loadDemoConfig(process.env);
  } catch (error) {
    if (error instanceof DemoConfigError) cannotStart(error);
    throw error;
  }

  const bundle = widgetBundle();
  mkdirSync(config.dataDir, { recursive: true });
  const shopDatabase = openShopDatabase(join(config.dataDir, 'shop.sqlite'));
  const orders = new ShopOrders(shopDatabase);
  const sessions = new ShopSessions(shopDatabase);
  const refundNotes = new RefundNotes(shopDatabase);
  const store = config.databaseUrl ? postgresStore(config.databaseUrl) : sqliteStore(join(config.dataDir, 'izly-pay.sqlite'));

  const servers: ServerType[] = [];
  let sandboxUrl: string | null = null;
  let sandboxControl: ReturnType<typeof startSandbox>['sandbox']['control'] | null = null;
  if (config.izlyBaseUrl === null) {
    const started = startSandbox(config);
    sandboxUrl = started.sandboxUrl;
    sandboxControl = started.sandbox.control;
    servers.push(await listenOrExplain(started.sandbox.fetch, config.sandboxPort, SANDBOX_HOST, { port: 'SANDBOX_PORT', host: null }));
  }

  const { app, izly } = createShop({ config, orders, sessions, refundNotes, store, sandboxUrl, widgetBundle: bundle });
  servers.push(await listenOrExplain(app.fetch, config.port, config.host, { port: 'PORT', host: 'HOST' }));

  // Payments nobody watches (a student who closed the tab, a callback that never came) still end right, and
  // a hook cut short by a crash runs again: once at start, then on a schedule.
  const reconcile = () => {
    izly.reconcile().catch((error: unknown) => console.error(`reconcile failed: ${error instanceof Error ? error.message : error}`));
  };
  reconcile();
  const reconcileTimer = setInterval(reconcile, RECONCILE_EVERY_MS);
  reconcileTimer.unref();

  const lines = [
    '',
    `  Boutique démo          ${config.publicUrl}/`,
    `  Commandes (équipe)     ${config.publicUrl}/orders   (utilisateur "equipe", mot de passe DEMO_ADMIN_PASSWORD${process.env.DEMO_ADMIN_PASSWORD ? '' : ' = "demo"'})`,
    sandboxUrl ? `  Sandbox Izly           ${sandboxUrl}/   (cette machine seulement)` : `  Izly                   ${config.izlyBaseUrl}`,
    ...(sandboxControl ? [`  Jeton de contrôle      ${sandboxControl.controlToken()}   (Authorization: Bearer …, pour ${sandboxUrl}/sandbox/api/)`] : []),
    `  Données                ${config.dataDir}/${config.databaseUrl ? ' (paiements : PostgreSQL, DATABASE_URL)' : ''}`,
  ];
  if (sandboxUrl) {
    lines.push(
      '',
      '  Comptes Izly de test (mot de passe izly1234) :',
      '    etudiant@izly.test   100,00 €',
      '    fauche@izly.test       1,50 €   (solde insuffisant)',
      '    impaye@izly.test      50,00 €   (impayé en cours : paiement refusé)',
    );
  }
  console.log(lines.join('\n'));
  console.log(`\nReady: ${config.publicUrl}/\n`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    clearInterval(reconcileTimer);
    sandboxControl?.close();
    for (const server of servers) server.close();
    void store.close().finally(() => {
      shopDatabase.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main().catch((error: unknown) => {
  if (error instanceof DemoConfigError) cannotStart(error);
  throw error;
});
