// IzlyPay's three partner calls (initiate, get, refund) and the callback's body: Izly's PascalCase in,
// camelCase, integer cents, dates and our status names out. Nothing outside the client sees PascalCase.
import { centsFromCentsDecimal, centsFromEuros, rawAmountText } from './amounts.js';
import { paymentHeaders, type IzlyCallSettings } from './call-settings.js';
import { parseIzlyDate } from './dates.js';
import { IzlyUnexpectedAnswerError, type IzlyCall } from './errors.js';
import { field, integerField, isJsonObject, objectField, redactBody, textField, type JsonObject } from './fields.js';
import { sendIzlyRequest } from './http.js';
import { mapIzlyStatus, type IzlyStatus } from './status.js';

/** What to ask Izly for when initiating a payment. */
export interface InitiatePaymentInput {
  /** Amount including VAT, in cents (a positive integer). */
  amount: number;
  /** The partner's reference for the payment (`ClientOrderId`). */
  clientOrderId: string;
  /** Appended by Izly to the back office's callback URL and echoed in the callback body. */
  callbackParameters?: string;
  /** Where Izly sends the student back after the payment (overrides the back office URL). */
  redirectUrlAfterPayment?: string;
  /** A comment shown with the payment. */
  message?: string;
  /** Id of the partner's software, if Izly gave one. */
  software?: number;
}

/** The operation Izly created, as returned by the initiate call. */
export interface InitiatedPayment {
  /** Where the student must go to authorise the payment. */
  authorizationUrl: string;
  /** Izly's operation id (`OperationSMoney.Id`), the key of get and refund. */
  operationId: string;
  /** `IdTransactionDebitIzly`, when present. */
  transactionId: string | null;
  /** `OperationSMoney.Amount` verbatim (its unit is not documented). */
  amountRaw: string | null;
  /** `OperationSMoney.Date`, read as Paris time. */
  date: Date | null;
  clientOrderId: string | null;
  status: IzlyStatus;
  /** The partner's e-money account on Izly (`Beneficiary.Id`, `Beneficiary.ClientId`). */
  beneficiary: { id: string | null; clientId: string | null };
}

/** A payment as `GET WebPayments/{id}` describes it. */
export interface IzlyPayment {
  operationId: string;
  transactionId: string | null;
  /** The amount in cents, reading Izly's decimal as euros as the document does; null if not exact. */
  amount: number | null;
  /** Izly's `Amount` verbatim, so that a caller can also read it as cents (see `matchAmount`). */
  amountRaw: string | null;
  /** `OrderId`: the `ClientOrderId` given at initiation. */
  orderId: string | null;
  status: IzlyStatus;
  /** `PaymentDate` (creation date), read as Paris time. */
  paymentDate: Date | null;
  message: string | null;
  customerEmail: string | null;
  customerClientCode: string | null;
  customerSmoneyId: string | null;
  beneficiarySmoneyId: string | null;
  beneficiaryClientId: string | null;
  /** Izly's `Error` field when not empty. */
  error: string | null;
}

/** The answer to a refund. */
export interface IzlyRefund {
  operationId: string;
  transactionId: string | null;
  /** Refunded amount in cents (Izly's decimal read as euros); null if not exact. */
  amount: number | null;
  amountRaw: string | null;
  refundDate: Date | null;
  status: IzlyStatus;
  clientOrderId: string | null;
}

/** Izly's callback body. It is a hint, never proof: anyone can POST it. */
export interface IzlyCallback {
  operationId: string | null;
  transactionId: string | null;
  /** `OperationSMoney.Amount` verbatim (a string such as `"200.00"` meaning cents in the field report). */
  amountRaw: string | null;
  /** The amount read as cents, truncated, as the field report does; null when not numeric. */
  amountCents: number | null;
  date: Date | null;
  message: string | null;
  clientOrderId: string | null;
  status: IzlyStatus;
  callbackParameters: string | null;
  /** `ClientParameters` (at the root, as in the GET's answer, or in `OperationSMoney`): one more place Izly may echo `CallbackParameters`. */
  clientParameters: string | null;
  beneficiary: { id: string | null; clientId: string | null };
  user: { id: string | null; email: string | null; clientCode: string | null; assignmentNumber: string | null };
  /** `Error.Code` (0 on success) and `Error.Message`; null when the body has no `Error`. */
  error: { code: number; message: string } | null;
}

function unexpected(call: IzlyCall, reason: string, body: unknown): IzlyUnexpectedAnswerError {
  return new IzlyUnexpectedAnswerError(call, 200, reason, redactBody(body));
}

/** Builds the initiate call's body: PascalCase, optional fields left out when not given. */
export function initiatePaymentBody(input: InitiatePaymentInput): JsonObject {
  const body: JsonObject = { Amount: input.amount, ClientOrderId: input.clientOrderId };
  if (input.callbackParameters !== undefined) body.CallbackParameters = input.callbackParameters;
  if (input.redirectUrlAfterPayment !== undefined) body.RedirectUrlAfterPayment = input.redirectUrlAfterPayment;
  if (input.message !== undefined) body.Message = input.message;
  if (input.software !== undefined) body.Software = input.software;
  return body;
}

export function parseInitiatedPayment(body: unknown): InitiatedPayment {
  if (!isJsonObject(body)) throw unexpected('initiate', 'the answer is not a JSON object', body);
  const authorizationUrl = textField(body, 'PaymentAuthorizationUrl');
  const operation = objectField(body, 'OperationSMoney');
  const operationId = operation ? textField(operation, 'Id') : null;
  if (!authorizationUrl || !URL.canParse(authorizationUrl)) throw unexpected('initiate', 'PaymentAuthorizationUrl is missing or not a URL', body);
  if (!operation || !operationId) throw unexpected('initiate', 'OperationSMoney.Id is missing', body);
  const beneficiary = objectField(body, 'Beneficiary') ?? {};
  return {
    authorizationUrl,
    operationId,
    transactionId: textField(operation, 'IdTransactionDebitIzly'),
    amountRaw: rawAmountText(field(operation, 'Amount')),
    date: parseIzlyDate(field(operation, 'Date')),
    clientOrderId: textField(operation, 'ClientOrderId'),
    status: mapIzlyStatus(field(operation, 'Status')),
    beneficiary: { id: textField(beneficiary, 'Id'), clientId: textField(beneficiary, 'ClientId') },
  };
}

export function parseIzlyPayment(body: unknown): IzlyPayment {
  if (!isJsonObject(body)) throw unexpected('get', 'the answer is not a JSON object', body);
  const operationId = textField(body, 'OperationId');
  if (!operationId) throw unexpected('get', 'OperationId is missing', body);
  if (field(body, 'OperationStatus') === undefined) throw unexpected('get', 'OperationStatus is missing', body);
  const amount = field(body, 'Amount');
  return {
    operationId,
    transactionId: textField(body, 'IdTransactionDebitIzly'),
    amount: centsFromEuros(amount),
    amountRaw: rawAmountText(amount),
    orderId: textField(body, 'OrderId'),
    status: mapIzlyStatus(field(body, 'OperationStatus')),
    paymentDate: parseIzlyDate(field(body, 'PaymentDate')),
    message: textField(body, 'Message'),
    customerEmail: textField(body, 'CustomerEmail'),
    customerClientCode: textField(body, 'CustomerClientCode'),
    customerSmoneyId: textField(body, 'CustomerSmoneyId'),
    beneficiarySmoneyId: textField(body, 'BeneficiarySmoneyId'),
    beneficiaryClientId: textField(body, 'BeneficiaryClientId'),
    error: textField(body, 'Error'),
  };
}

export function parseIzlyRefund(body: unknown): IzlyRefund {
  if (!isJsonObject(body)) throw unexpected('refund', 'the answer is not a JSON object', body);
  const operationId = textField(body, 'OperationId');
  if (!operationId) throw unexpected('refund', 'OperationId is missing', body);
  const amount = field(body, 'Amount');
  return {
    operationId,
    transactionId: textField(body, 'IdTransactionDebitIzly'),
    amount: centsFromEuros(amount),
    amountRaw: rawAmountText(amount),
    refundDate: parseIzlyDate(field(body, 'RefundDate')),
    status: mapIzlyStatus(field(body, 'OperationStatus')),
    clientOrderId: textField(body, 'ClientOrderId'),
  };
}

/** `POST /api/Izly/WebPayments`: creates an operation for the student to authorise. Never retried. */
export async function initiatePayment(settings: IzlyCallSettings, input: InitiatePaymentInput): Promise<InitiatedPayment> {
  const body = await sendIzlyRequest(settings.transport, {
    call: 'initiate',
    method: 'POST',
    path: '/api/Izly/WebPayments',
    headers: paymentHeaders(settings),
    body: initiatePaymentBody(input),
  });
  return parseInitiatedPayment(body);
}

/** `GET /api/Izly/WebPayments/{operationId}`: Izly's authoritative view of a payment. */
export async function getPayment(settings: IzlyCallSettings, operationId: string): Promise<IzlyPayment> {
  const body = await sendIzlyRequest(settings.transport, {
    call: 'get',
    method: 'GET',
    path: `/api/Izly/WebPayments/${encodeURIComponent(operationId)}`,
    headers: paymentHeaders(settings),
  });
  return parseIzlyPayment(body);
}

/** `POST /api/Izly/WebPayments/{operationId}/Refund?clientOrderId=...`: refunds the whole payment. Never retried. */
export async function refundPayment(settings: IzlyCallSettings, operationId: string, clientOrderId: string): Promise<IzlyRefund> {
  const body = await sendIzlyRequest(settings.transport, {
    call: 'refund',
    method: 'POST',
    path: `/api/Izly/WebPayments/${encodeURIComponent(operationId)}/Refund`,
    query: { clientOrderId },
    headers: paymentHeaders(settings),
  });
  return parseIzlyRefund(body);
}

/**
 * Reads a callback body leniently (a missing part reads as null): it only tells which payment to
 * re-read; the decision is taken on `GET WebPayments/{id}`.
 */
export function parseIzlyCallback(body: unknown): IzlyCallback {
  const root = isJsonObject(body) ? body : {};
  const operation = objectField(root, 'OperationSMoney') ?? {};
  const beneficiary = objectField(root, 'Beneficiary') ?? {};
  const user = objectField(root, 'User') ?? {};
  const error = objectField(root, 'Error');
  const amount = field(operation, 'Amount');
  return {
    operationId: textField(operation, 'Id'),
    transactionId: textField(operation, 'IdTransactionDebitIzly'),
    amountRaw: rawAmountText(amount),
    amountCents: centsFromCentsDecimal(amount),
    date: parseIzlyDate(field(operation, 'Date')),
    message: textField(operation, 'Message'),
    clientOrderId: textField(operation, 'ClientOrderId'),
    status: mapIzlyStatus(field(operation, 'Status')),
    callbackParameters: textField(operation, 'CallbackParameters'),
    clientParameters: textField(root, 'ClientParameters') ?? textField(operation, 'ClientParameters'),
    beneficiary: { id: textField(beneficiary, 'Id'), clientId: textField(beneficiary, 'ClientId') },
    user: {
      id: textField(user, 'Id'),
      email: textField(user, 'Email'),
      clientCode: textField(user, 'ClientCode'),
      assignmentNumber: textField(user, 'NumeroAffectation'),
    },
    error: error ? { code: integerField(error, 'Code') ?? -1, message: textField(error, 'Message') ?? textField(error, 'ErrorMessage') ?? '' } : null,
  };
}
