// The payment authorization page (contract 3.2) at PaymentAuthorizationUrl = {publicUrl}/payment/{token}.
// GET shows the form; the form POSTs back with `identifier`, `password` and `action` = validate | cancel.
// Each decision ends on a French confirmation page with `#return-link` and a 3 s redirect the student can stop.
import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { formatEurosFrench } from './amounts.js';
import type { PointOfSale } from './config.js';
import { CredentialFields, credentialsError } from './credential-fields.js';
import { Layout, RedirectNotice, htmlPage } from './page-layout.js';
import { cancelPayment, validatePayment } from './payment-decision.js';
import type { SandboxServices } from './sandbox-services.js';
import type { Operation } from './sandbox-state.js';

function PaymentForm({
  basePath,
  operation,
  pos,
  token,
  error,
  identifier,
}: {
  basePath: string;
  operation: Operation;
  pos: PointOfSale;
  token: string;
  error?: string;
  identifier?: string;
}) {
  const pagePath = `${basePath}/payment/${token}`;
  return (
    <Layout basePath={basePath} title="Autoriser le paiement">
      <div class="card">
        <h1>Autoriser le paiement</h1>
        <dl class="summary">
          <dt>Site</dt>
          <dd id="site-name">{pos.siteName}</dd>
          <dt>Montant</dt>
          <dd id="amount" class="amount">
            {formatEurosFrench(operation.amount)}
          </dd>
          {operation.message ? (
            <>
              <dt>Objet</dt>
              <dd>{operation.message}</dd>
            </>
          ) : null}
        </dl>
        {error ? (
          <p class="alert" role="alert" id="form-error">
            {error}
          </p>
        ) : null}
        <form method="post" action={pagePath}>
          <CredentialFields error={error} identifier={identifier} />
          <a class="forgotten" href={`${pagePath}/mot-de-passe-oublie`}>
            Mot de passe oublié ?
          </a>
          {/* Valider comes first so that Enter in a field validates. */}
          <div class="actions">
            <button type="submit" name="action" value="validate" class="primary">
              Valider
            </button>
            <button type="submit" name="action" value="cancel" class="secondary" formnovalidate>
              Annuler
            </button>
          </div>
        </form>
      </div>
    </Layout>
  );
}

function OutcomePage({
  basePath,
  title,
  message,
  alert,
  returnUrl,
  siteName,
  refresh,
  children,
}: {
  basePath: string;
  title: string;
  message: string;
  alert: boolean;
  returnUrl: string;
  siteName: string;
  refresh: boolean;
  children?: Child;
}) {
  return (
    <Layout basePath={basePath} title={title} refreshUrl={refresh ? returnUrl : undefined}>
      <div class="card">
        <h1>{title}</h1>
        {alert ? (
          <p class="alert" role="alert">
            {message}
          </p>
        ) : (
          <p class="success" role="status">
            {message}
          </p>
        )}
        {children}
        {refresh ? <RedirectNotice url={returnUrl} siteName={siteName} /> : null}
        <a id="return-link" class="button-link primary" href={returnUrl}>
          Retourner sur {siteName}
        </a>
      </div>
    </Layout>
  );
}

function NotFoundPage({ basePath }: { basePath: string }) {
  return (
    <Layout basePath={basePath} title="Paiement introuvable">
      <div class="card">
        <h1>Paiement introuvable</h1>
        <p class="alert" role="alert">
          Ce lien de paiement n’existe pas. Recommencez le paiement depuis le site marchand.
        </p>
      </div>
    </Layout>
  );
}

/** Where the AD goes back after a decision (contract: the POS URLs, or the payment's RedirectUrlAfterPayment). */
function returnUrlFor(operation: Operation, pos: PointOfSale): string {
  const paid = operation.status === 'Completed' || operation.status === 'Refund';
  return paid ? operation.redirectUrlAfterPayment || pos.urlAfterPayment : pos.urlAfterCancellation;
}

const DECIDED_MESSAGES: Record<Operation['status'], string> = {
  Pending: '',
  Completed: 'Ce paiement a déjà été accepté : il ne sera pas débité une seconde fois.',
  Refund: 'Ce paiement a déjà été accepté puis remboursé.',
  Canceled: 'Ce paiement a été annulé. Recommencez le paiement depuis le site marchand si besoin.',
  Failed: 'Ce paiement a déjà été refusé. Recommencez le paiement depuis le site marchand si besoin.',
  Expired: 'Ce paiement a expiré. Recommencez le paiement depuis le site marchand.',
};

/** The page for an operation that is no longer pending (second tab, back button, expired link). */
function alreadyDecidedPage(basePath: string, operation: Operation, pos: PointOfSale): Response {
  return htmlPage(
    <OutcomePage
      basePath={basePath}
      title={operation.status === 'Expired' ? 'Paiement expiré' : 'Paiement déjà traité'}
      message={DECIDED_MESSAGES[operation.status]}
      alert={operation.status !== 'Completed' && operation.status !== 'Refund'}
      returnUrl={returnUrlFor(operation, pos)}
      siteName={pos.siteName}
      refresh={false}
    />,
  );
}

export function paymentPageRoutes({ state, callbacks }: SandboxServices) {
  const app = new Hono();
  const { basePath } = state.config;

  /** The operation and its POS for a page token, or undefined. */
  const lookUp = (token: string) => {
    const operation = state.operationByToken(token);
    const pos = operation && state.pointOfSale(operation.appIdentifier);
    return operation && pos ? { operation, pos } : undefined;
  };

  app.get('/payment/:token', (c) => {
    const found = lookUp(c.req.param('token'));
    if (!found) return htmlPage(<NotFoundPage basePath={basePath} />, { status: 404 });
    if (found.operation.status !== 'Pending') return alreadyDecidedPage(basePath, found.operation, found.pos);
    found.operation.pageOpenedAt ??= new Date(state.now()).toISOString();
    return htmlPage(<PaymentForm basePath={basePath} operation={found.operation} pos={found.pos} token={c.req.param('token')} />);
  });

  app.post('/payment/:token', async (c) => {
    const token = c.req.param('token');
    const form = await c.req.parseBody();
    // Nothing is awaited from here on: checking and deciding happen in one turn, so two posts cannot both pay.
    const found = lookUp(token);
    if (!found) return htmlPage(<NotFoundPage basePath={basePath} />, { status: 404 });
    const { operation, pos } = found;
    const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');

    if (field('action') === 'cancel') {
      if (!cancelPayment(state, operation)) return alreadyDecidedPage(basePath, operation, pos);
      return htmlPage(
        <OutcomePage
          basePath={basePath}
          title="Paiement annulé"
          message={`Le paiement de ${formatEurosFrench(operation.amount)} à ${pos.siteName} a été annulé. Vous n’avez pas été débité.`}
          alert={false}
          returnUrl={pos.urlAfterCancellation}
          siteName={pos.siteName}
          refresh
        />,
      );
    }

    const identifier = field('identifier').trim();
    const outcome = validatePayment(state, callbacks, operation, identifier, field('password'));
    switch (outcome.kind) {
      case 'already-decided':
        return alreadyDecidedPage(basePath, operation, pos);
      case 'bad-credentials':
        return htmlPage(
          <PaymentForm
            basePath={basePath}
            operation={operation}
            pos={pos}
            token={token}
            identifier={identifier}
            error={credentialsError(identifier, field('password'))}
          />,
        );
      case 'refused':
        return htmlPage(
          <OutcomePage
            basePath={basePath}
            title="Paiement refusé"
            message={
              outcome.reason === 'insufficient-balance'
                ? `Solde insuffisant : votre compte Izly ne permet pas de payer ${formatEurosFrench(operation.amount)}. Rechargez-le puis recommencez le paiement sur ${pos.siteName}.`
                : 'Votre compte Izly présente un impayé à régulariser : il ne peut pas payer pour le moment. Contactez votre CROUS.'
            }
            alert
            returnUrl={pos.urlAfterCancellation}
            siteName={pos.siteName}
            refresh
          />,
        );
      case 'accepted':
        return htmlPage(
          <OutcomePage
            basePath={basePath}
            title="Paiement accepté"
            message={`Vous avez payé ${formatEurosFrench(operation.amount)} à ${pos.siteName}.`}
            alert={false}
            returnUrl={returnUrlFor(operation, pos)}
            siteName={pos.siteName}
            refresh
          />,
        );
    }
  });

  // "Mot de passe oublié ?": the recovery happens elsewhere; this operation is over (contract 3.2).
  app.get('/payment/:token/mot-de-passe-oublie', (c) => {
    const found = lookUp(c.req.param('token'));
    if (!found) return htmlPage(<NotFoundPage basePath={basePath} />, { status: 404 });
    const { operation, pos } = found;
    if (!cancelPayment(state, operation)) return alreadyDecidedPage(basePath, operation, pos);
    return htmlPage(
      <OutcomePage
        basePath={basePath}
        title="Mot de passe oublié"
        alert={false}
        returnUrl={pos.urlAfterCancellation}
        siteName={pos.siteName}
        refresh={false}
        message={`Ce paiement a été interrompu : vous n’avez pas été débité.`}
      >
        <p>
          Réinitialisez votre mot de passe depuis l’application ou le site Izly. Ensuite, retournez sur {pos.siteName} et recommencez le paiement : celui-ci ne
          pourra pas être repris.
        </p>
      </OutcomePage>,
    );
  });

  return app;
}
