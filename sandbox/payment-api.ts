// The three IzlyPay web services (contract 3.1, 3.4, 3.5). Paths are lower-case here: the sandbox matches
// /api/… and /oauth/… paths case-insensitively, as ASP.NET does (see index.ts).
import { Hono } from 'hono';
import { centsAsDecimalText, centsToEuroText, MAX_AMOUNT_CENTS } from './amounts.js';
import { lowerCaseKeys, queryParam } from './case-insensitive-binding.js';
import { isHttpUrl } from './config.js';
import { DecimalNumber, jsonResponse } from './decimal-json.js';
import { partnerAuth, type PartnerEnv } from './partner-auth.js';
import { partnerError, type PartnerErrorName } from './partner-errors.js';
import { parisIsoLocal } from './paris-time.js';
import type { SandboxServices } from './sandbox-services.js';
import type { SandboxState } from './sandbox-state.js';
import { wireStatus } from './status-vocabulary.js';

const MAX_BODY_CHARACTERS = 64 * 1024;
const MAX_CLIENT_ORDER_ID = 50;
/** C0, DEL and C1 control characters (NUL, tab, line breaks, escape...). */
const CONTROL_CHARACTER = /\p{Cc}/u;

/** An optional string property: absent or null → '', a string up to `max` characters, otherwise invalid. */
function optionalString(value: unknown, max: number): string | undefined {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' && value.length <= max ? value : undefined;
}

/** The decimal `Amount` of GET and Refund answers in the unit of the `amountUnit` switch: 1.00 or 100.00 for 100 cents. */
function answerAmount(state: SandboxState, cents: number): DecimalNumber {
  return new DecimalNumber(state.izly.amountUnit === 'cents' ? centsAsDecimalText(cents) : centsToEuroText(cents));
}

export function webPaymentsRoutes({ state, faults }: SandboxServices) {
  const app = new Hono<PartnerEnv>();
  /** An error answer in the codes Izly is being asked to use now. */
  const refuse = (name: PartnerErrorName, detail?: string) => partnerError(state.izly.errorCodes, name, detail);

  app.post('/api/izly/webpayments', faults.middleware('initiate'), partnerAuth(state, { bodyRequired: true }), async (c) => {
    const pos = c.get('pointOfSale');
    const text = await c.req.text();
    if (text.length > MAX_BODY_CHARACTERS) return refuse('invalidBody', 'corps trop long');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return refuse('invalidBody');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return refuse('invalidBody');
    const body = lowerCaseKeys(parsed as Record<string, unknown>);

    const amount = body.get('amount');
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 1 || amount > MAX_AMOUNT_CENTS) {
      return refuse('invalidAmount', amount === undefined ? 'absent' : `reçu ${JSON.stringify(amount)}`);
    }
    const clientOrderId = body.get('clientorderid');
    if (typeof clientOrderId !== 'string' || clientOrderId.trim() === '' || clientOrderId.length > MAX_CLIENT_ORDER_ID) {
      return refuse('invalidClientOrderId', clientOrderId === undefined ? 'absent' : undefined);
    }
    // The order id travels on in callbacks, the refund's query string and the partner's logs: no line breaks
    // or other control characters there.
    if (CONTROL_CHARACTER.test(clientOrderId)) return refuse('invalidClientOrderId', 'caractère de contrôle');
    const callbackParameters = optionalString(body.get('callbackparameters'), 1000);
    if (callbackParameters === undefined) return refuse('invalidField', 'CallbackParameters doit être une chaîne de 1000 caractères au plus');
    const redirectUrlAfterPayment = optionalString(body.get('redirecturlafterpayment'), 2000);
    if (redirectUrlAfterPayment === undefined || (redirectUrlAfterPayment !== '' && !isHttpUrl(redirectUrlAfterPayment))) {
      return refuse('invalidField', 'RedirectUrlAfterPayment doit être une URL http(s) absolue');
    }
    const message = optionalString(body.get('message'), 255);
    if (message === undefined) return refuse('invalidField', 'Message doit être une chaîne de 255 caractères au plus');
    const software = body.get('software') ?? null;
    if (software !== null && !Number.isSafeInteger(software)) return refuse('invalidField', 'Software doit être un entier');
    // Xpollens refuses an order id it has seen (4b); the check comes last, as a valid request's only fault.
    if (state.izly.clientOrderIdReuse === 'refused' && state.operationByClientOrderId(pos.appIdentifier, clientOrderId)) {
      return refuse('clientOrderIdReused');
    }

    if (!state.makeRoomForOperation()) return refuse('tooManyOperations');
    const operation = state.createOperation({
      appIdentifier: pos.appIdentifier,
      amount,
      clientOrderId,
      message,
      callbackParameters,
      redirectUrlAfterPayment,
      software: software as number | null,
    });
    return jsonResponse({
      PaymentAuthorizationUrl: operation.authorizationUrl,
      OperationSMoney: {
        Id: operation.id,
        IdTransactionDebitIzly: operation.idTransactionDebitIzly,
        Amount: operation.amount,
        Date: parisIsoLocal(Date.parse(operation.createdAt)),
        Message: operation.message,
        ClientOrderId: operation.clientOrderId,
        Status: wireStatus(operation, state.izly.statusVocabulary),
      },
      Beneficiary: { Id: pos.beneficiaryId, ClientId: pos.appIdentifier },
    });
  });

  app.get('/api/izly/webpayments/:operationId', faults.middleware('get'), partnerAuth(state, { bodyRequired: false }), (c) => {
    const pos = c.get('pointOfSale');
    const operation = /^\d+$/.test(c.req.param('operationId')) ? state.operation(Number(c.req.param('operationId'))) : undefined;
    if (!operation || operation.appIdentifier !== pos.appIdentifier) return refuse('operationNotFound');
    const customer = operation.customerEmail ? state.accountByEmail(operation.customerEmail) : undefined;
    // Key order and empty strings as in the contract's example.
    return jsonResponse({
      OperationId: operation.id,
      IdTransactionDebitIzly: operation.idTransactionDebitIzly,
      Amount: answerAmount(state, operation.amount),
      BeneficiarySmoneyId: pos.beneficiaryId,
      BeneficiaryClientId: pos.appIdentifier,
      CustomerSmoneyId: customer?.id ?? '',
      CustomerEmail: customer?.email ?? '',
      CustomerClientCode: customer?.clientCode ?? '',
      OperationStatus: wireStatus(operation, state.izly.statusVocabulary),
      Error: operation.errorMessage,
      ClientParameters: null,
      Message: operation.message,
      PaymentDate: parisIsoLocal(Date.parse(operation.createdAt)),
      OrderId: operation.clientOrderId,
    });
  });

  app.post('/api/izly/webpayments/:operationId/refund', faults.middleware('refund'), partnerAuth(state, { bodyRequired: false }), (c) => {
    const pos = c.get('pointOfSale');
    const operation = /^\d+$/.test(c.req.param('operationId')) ? state.operation(Number(c.req.param('operationId'))) : undefined;
    if (!operation || operation.appIdentifier !== pos.appIdentifier) return refuse('operationNotFound');
    const given = queryParam(c.req.url, 'clientOrderId');
    if (given === undefined || given === '') return refuse('clientOrderIdMismatch', 'paramètre absent');
    // The document prints `?clientOrderId=/{ClientOrderId}`: accept that stray slash too.
    const matches = given === operation.clientOrderId || (given.startsWith('/') && given.slice(1) === operation.clientOrderId);
    if (!matches) return refuse('clientOrderIdMismatch');
    if (operation.status === 'Refund') return refuse('alreadyRefunded');
    if (operation.status !== 'Completed') return refuse('notRefundable', `statut ${operation.status}`);

    const customer = operation.customerEmail ? state.accountByEmail(operation.customerEmail) : undefined;
    if (customer) customer.balance += operation.amount;
    pos.balance -= operation.amount;
    operation.status = 'Refund';
    operation.refundedAt = new Date(state.now()).toISOString();
    return jsonResponse({
      OperationId: operation.id,
      IdTransactionDebitIzly: operation.idTransactionDebitIzly,
      RefundDate: parisIsoLocal(Date.parse(operation.refundedAt)),
      Amount: answerAmount(state, operation.amount),
      OperationStatus: wireStatus(operation, state.izly.statusVocabulary),
      ClientOrderId: operation.clientOrderId,
    });
  });

  // Another method on these paths, or a path below them that does not exist, answers in Izly's error shape
  // rather than Hono's plain-text 404 (registered last, so the handlers above match first).
  const wrongMethod = (allow: string) => () => refuse('methodNotAllowed', `utiliser ${allow}`);
  app.all('/api/izly/webpayments', wrongMethod('POST'));
  app.all('/api/izly/webpayments/:operationId', wrongMethod('GET'));
  app.all('/api/izly/webpayments/:operationId/refund', wrongMethod('POST'));
  app.all('/api/izly/webpayments/*', () => refuse('routeNotFound'));

  return app;
}
