// The sandbox's home page: the points of sale with their credentials, the accounts and balances, the
// operations and the callback log, so that a developer sees what happened.
import { Hono } from 'hono';
import { formatEurosFrench } from './amounts.js';
import type { CallbackAttempt } from './callbacks.js';
import type { SandboxConfig } from './config.js';
import { isAllowedHost } from './control-access.js';
import type { SandboxControl } from './control.js';
import { Layout, htmlPage } from './page-layout.js';
import { parisFrenchDateTime } from './paris-time.js';
import type { Operation } from './sandbox-state.js';

const yesNo = (value: boolean) => (value ? 'oui' : 'non');
const parisTime = (iso: string | null) => (iso ? parisFrenchDateTime(Date.parse(iso)) : '');

function OperationsTable({ operations }: { operations: Operation[] }) {
  if (operations.length === 0) {
    return (
      <>
        <h2>Opérations</h2>
        <p>Aucune opération pour l’instant.</p>
      </>
    );
  }
  return (
    <>
      <h2 id="operations-heading">
        Opérations <span class="muted">(les plus récentes d’abord)</span>
      </h2>
      <div class="table-scroll">
        <table aria-labelledby="operations-heading">
          <thead>
            <tr>
              <th scope="col">OperationId</th>
              <th scope="col">Créée</th>
              <th scope="col">Point de vente</th>
              <th scope="col">ClientOrderId</th>
              <th scope="col">Montant</th>
              <th scope="col">Statut</th>
              <th scope="col">Payeur</th>
              <th scope="col">Erreur</th>
            </tr>
          </thead>
          <tbody>
            {operations.map((operation) => (
              <tr>
                <td class="number">{operation.id}</td>
                <td>{parisTime(operation.createdAt)}</td>
                <td>{operation.appIdentifier}</td>
                <td>
                  <code>{operation.clientOrderId}</code>
                </td>
                <td class="number">{formatEurosFrench(operation.amount)}</td>
                <td>
                  <span class={`status status-${operation.status}`}>{operation.status}</span>
                </td>
                <td>{operation.customerEmail ?? ''}</td>
                <td>{operation.errorCode ? `${operation.errorCode} ${operation.errorMessage}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function CallbackLogTable({ log }: { log: CallbackAttempt[] }) {
  if (log.length === 0) {
    return (
      <>
        <h2>Journal des rappels (callbacks)</h2>
        <p>Aucun rappel envoyé pour l’instant.</p>
      </>
    );
  }
  return (
    <>
      <h2 id="callbacks-heading">Journal des rappels (callbacks)</h2>
      <div class="table-scroll">
        <table aria-labelledby="callbacks-heading">
          <thead>
            <tr>
              <th scope="col">Heure</th>
              <th scope="col">OperationId</th>
              <th scope="col">Essai</th>
              <th scope="col">URL</th>
              <th scope="col">Résultat</th>
              <th scope="col">Détail</th>
            </tr>
          </thead>
          <tbody>
            {[...log].reverse().map((entry) => (
              <tr>
                <td>{parisTime(entry.at)}</td>
                <td class="number">{entry.operationId}</td>
                <td class="number">
                  {entry.attempt}
                  {entry.duplicate ? ' (doublon)' : ''}
                </td>
                <td>
                  <code>{entry.url}</code>
                </td>
                <td>
                  <span class={`status status-${entry.outcome}`}>{entry.outcome}</span>
                </td>
                <td>{entry.status !== undefined ? `HTTP ${entry.status}` : (entry.error ?? '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function homePageRoutes(control: SandboxControl, config: SandboxConfig) {
  const { publicUrl, basePath } = config;
  const app = new Hono();

  // The page shows the API keys, the passwords and the control token: only to a request addressed to the
  // sandbox by its own name, never to a site that had its name resolve to 127.0.0.1 (DNS rebinding), which
  // could otherwise read it as same-origin. Other sites cannot read it at all (no CORS).
  app.get('/', (c) => {
    if (!isAllowedHost(c.req.raw, config)) {
      return c.text('Hôte refusé : ouvrez la sandbox par localhost, 127.0.0.1, [::1] ou l’hôte de publicUrl.', 403);
    }
    const pointsOfSale = control.pointsOfSale();
    const accounts = control.accounts();
    return htmlPage(
      <Layout basePath={basePath} title="Bac à sable Izly" wide>
        <div class="card">
          <h1>Bac à sable Izly</h1>
          <p>
            Un Izly local qui parle le contrat partenaire : <code>POST {publicUrl}/api/Izly/WebPayments</code>, la page d’autorisation de paiement, les rappels
            et IzlyConnect. Les données vivent en mémoire.
          </p>
          <p class="muted">
            Contrôle en JSON (<code>{`${basePath}/sandbox/api/state`}</code>…), avec le jeton de contrôle :{' '}
            <code>{`curl -H "Authorization: Bearer ${control.controlToken()}" ${publicUrl}/sandbox/api/state`}</code>
          </p>
        </div>

        {pointsOfSale.map((pos) => (
          <section class="card" aria-labelledby={`pos-${pos.appIdentifier}`}>
            <h2 id={`pos-${pos.appIdentifier}`}>Point de vente « {pos.siteName} »</h2>
            <dl class="credentials">
              <dt>AppIdentifier</dt>
              <dd>
                <code>{pos.appIdentifier}</code>
              </dd>
              <dt>Clé d’API</dt>
              <dd>
                <code>{pos.apiKey}</code>
              </dd>
              <dt>URL de callback</dt>
              <dd>
                <code>{pos.callbackUrl}</code>
              </dd>
              <dt>URL après connexion</dt>
              <dd>
                <code>{pos.urlAfterConnection}</code>
              </dd>
              <dt>URL après paiement</dt>
              <dd>
                <code>{pos.urlAfterPayment}</code>
              </dd>
              <dt>URL après annulation</dt>
              <dd>
                <code>{pos.urlAfterCancellation}</code>
              </dd>
              <dt>Agréé, paiement, IzlyPay</dt>
              <dd>
                {yesNo(pos.approved)}, {yesNo(pos.paymentEnabled)}, {yesNo(pos.izlyPay)}
              </dd>
              <dt>Callback autorisé</dt>
              <dd>{yesNo(pos.callbackAllowListed)}</dd>
              <dt>Solde encaissé</dt>
              <dd>{formatEurosFrench(pos.balance)}</dd>
              <dt>IzlyConnect</dt>
              <dd>
                <a href={`${basePath}/oauth/Home/Authorize?response_type=code&client_id=${encodeURIComponent(pos.appIdentifier)}&scope=1`}>
                  Essayer la connexion avec Izly
                </a>
              </dd>
            </dl>
          </section>
        ))}

        <section class="card" aria-labelledby="accounts-heading">
          <h2 id="accounts-heading">Comptes (ayants droit)</h2>
          <div class="table-scroll">
            <table aria-labelledby="accounts-heading">
              <thead>
                <tr>
                  <th scope="col">E-mail</th>
                  <th scope="col">Téléphone</th>
                  <th scope="col">Mot de passe</th>
                  <th scope="col">Solde</th>
                  <th scope="col">Impayé</th>
                  <th scope="col">Nom</th>
                  <th scope="col">ClientCode</th>
                  <th scope="col">NumeroAffectation</th>
                </tr>
              </thead>
              <tbody>
                {accounts.map((account) => (
                  <tr>
                    <td>{account.email}</td>
                    <td>{account.phone}</td>
                    <td>
                      <code>{account.password}</code>
                    </td>
                    <td class="number">{formatEurosFrench(account.balance)}</td>
                    <td>{yesNo(account.unpaidDebt)}</td>
                    <td>{`${account.firstName} ${account.lastName}`.trim()}</td>
                    <td>{account.clientCode}</td>
                    <td>{account.numeroAffectation}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>

        <section class="card">
          <OperationsTable operations={control.operations()} />
        </section>

        <section class="card">
          <CallbackLogTable log={control.callbackLog()} />
        </section>
      </Layout>,
    );
  });

  return app;
}
