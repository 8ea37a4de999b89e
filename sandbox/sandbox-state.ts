// Everything the sandbox remembers: points of sale, accounts, operations and IzlyConnect codes and tokens.
// One instance per `createSandbox()`, never module-level state, so tests can run sandboxes side by side.
import type { Account, PointOfSale, SandboxConfig } from './config.js';
import type { IzlyBehaviour } from './izly-behaviour.js';

/** `OperationStatus` values the sandbox reports (see the README). */
export type OperationStatus = 'Pending' | 'Completed' | 'Canceled' | 'Failed' | 'Expired' | 'Refund';

/** A payment operation (camelCase, cents), as `control.operations()` returns it. */
export interface Operation {
  /** `OperationSMoney.Id` / `OperationId`: the transfer id. */
  id: number;
  /** `IdTransactionDebitIzly`. */
  idTransactionDebitIzly: number;
  appIdentifier: string;
  /** Amount in cents, as the partner sent it. */
  amount: number;
  clientOrderId: string;
  message: string;
  callbackParameters: string;
  /** Empty when the partner sent none (the POS's URL after payment is used). */
  redirectUrlAfterPayment: string;
  software: number | null;
  status: OperationStatus;
  /** `PaymentAuthorizationUrl`. */
  authorizationUrl: string;
  /** ISO 8601 (UTC) times. */
  createdAt: string;
  decidedAt: string | null;
  /** When the AD first opened the payment page (S-money's vocabulary then says `WaitingValidation`). */
  pageOpenedAt: string | null;
  refundedAt: string | null;
  /** E-mail of the AD who validated (or was refused); null until then. */
  customerEmail: string | null;
  /** 0, or the code sent in the failure callback's `Error.Code`. */
  errorCode: number;
  errorMessage: string;
}

interface AuthorizationCode {
  appIdentifier: string;
  email: string;
  expiresAt: number;
}

interface IssuedToken {
  appIdentifier: string;
  email: string;
  /** ms since the epoch; null for refresh tokens, which do not expire but are single-use. */
  expiresAt: number | null;
}

/** IzlyConnect codes, access tokens and refresh tokens kept, each kind: past it the oldest are forgotten. */
export const MAX_ISSUED_CREDENTIALS = 10_000;

/** Random URL-safe text with `bytes` bytes of entropy. */
export function randomToken(bytes = 24): string {
  const data = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...data))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** "0612345678", "06 12 34 56 78", "+33 6 12 34 56 78" → "0612345678". */
function normalizePhone(value: string): string {
  const digits = value.replace(/[\s.\-()]/g, '');
  return digits.startsWith('+33') ? `0${digits.slice(3)}` : digits;
}

export class SandboxState {
  readonly config: SandboxConfig;
  /** Which plausible Izly the sandbox is now: the config's switches, then the control API's changes. */
  izly: IzlyBehaviour;
  readonly pointsOfSale: PointOfSale[];
  readonly accounts: Account[];
  /** Newest last; `control.operations()` reverses. */
  readonly operations: Operation[] = [];
  readonly authorizationCodes = new Map<string, AuthorizationCode>();
  readonly accessTokens = new Map<string, IssuedToken>();
  readonly refreshTokens = new Map<string, IssuedToken>();
  private nextOperationId: number;
  private nextTransactionId: number;
  private readonly operationsByToken = new Map<string, Operation>();
  // Lookups a busy sandbox makes on every call (a benchmark keeps tens of thousands of operations): by id,
  // and by point of sale and ClientOrderId for the reuse check.
  private readonly operationsById = new Map<number, Operation>();
  private readonly operationsByReference = new Map<string, Operation>();

  constructor(config: SandboxConfig) {
    this.config = config;
    this.izly = { ...config.izly };
    this.pointsOfSale = config.pointsOfSale.map((pos) => ({ ...pos }));
    this.accounts = config.accounts.map((account) => ({ ...account }));
    this.nextOperationId = config.firstOperationId;
    this.nextTransactionId = config.firstOperationId + 10740;
  }

  now(): number {
    return this.config.now();
  }

  pointOfSale(appIdentifier: string): PointOfSale | undefined {
    return this.pointsOfSale.find((pos) => pos.appIdentifier === appIdentifier);
  }

  pointOfSaleByApiKey(apiKey: string): PointOfSale | undefined {
    return this.pointsOfSale.find((pos) => pos.apiKey === apiKey);
  }

  /** The account whose e-mail (any case) or phone number (any usual spelling) is `identifier`. */
  findAccount(identifier: string): Account | undefined {
    const wanted = identifier.trim();
    if (wanted === '') return undefined;
    const email = wanted.toLowerCase();
    const phone = normalizePhone(wanted);
    return this.accounts.find((account) => account.email.toLowerCase() === email || (account.phone !== '' && normalizePhone(account.phone) === phone));
  }

  accountByEmail(email: string): Account | undefined {
    return this.accounts.find((account) => account.email.toLowerCase() === email.toLowerCase());
  }

  /** The POS's operation with this `ClientOrderId`, if it used that reference before. */
  operationByClientOrderId(appIdentifier: string, clientOrderId: string): Operation | undefined {
    return this.operationsByReference.get(referenceKey(appIdentifier, clientOrderId));
  }

  /** Keeps an IzlyConnect code or token, forgetting the oldest of its kind past `MAX_ISSUED_CREDENTIALS` (a Map keeps insertion order). */
  remember<T>(issued: Map<string, T>, key: string, value: T): void {
    issued.set(key, value);
    for (const oldest of issued.keys()) {
      if (issued.size <= MAX_ISSUED_CREDENTIALS) break;
      issued.delete(oldest);
    }
  }

  /**
   * Makes room for one more operation under `maxOperations` by forgetting the oldest decided ones (a
   * `Pending` one is kept: a student may still be on its page). False when every kept operation is pending.
   */
  makeRoomForOperation(): boolean {
    while (this.operations.length >= this.config.maxOperations) {
      const index = this.operations.findIndex((operation) => this.expireIfDue(operation).status !== 'Pending');
      if (index === -1) return false;
      const [forgotten] = this.operations.splice(index, 1);
      this.operationsByToken.delete(forgotten!.authorizationUrl.slice(forgotten!.authorizationUrl.lastIndexOf('/') + 1));
      this.operationsById.delete(forgotten!.id);
      const reference = referenceKey(forgotten!.appIdentifier, forgotten!.clientOrderId);
      if (this.operationsByReference.get(reference) === forgotten) this.operationsByReference.delete(reference);
    }
    return true;
  }

  /** Creates a `Pending` operation with the next ids and an unguessable page token. */
  createOperation(
    fields: Pick<Operation, 'appIdentifier' | 'amount' | 'clientOrderId' | 'message' | 'callbackParameters' | 'redirectUrlAfterPayment' | 'software'>,
  ): Operation {
    const token = randomToken(32);
    const operation: Operation = {
      ...fields,
      id: this.nextOperationId++,
      idTransactionDebitIzly: this.nextTransactionId++,
      status: 'Pending',
      authorizationUrl: `${this.config.publicUrl}/payment/${token}`,
      createdAt: new Date(this.now()).toISOString(),
      decidedAt: null,
      pageOpenedAt: null,
      refundedAt: null,
      customerEmail: null,
      errorCode: 0,
      errorMessage: '',
    };
    this.operations.push(operation);
    this.operationsByToken.set(token, operation);
    this.operationsById.set(operation.id, operation);
    // The first operation with a reference is the one a reuse check finds (a lenient Izly allows more).
    const reference = referenceKey(operation.appIdentifier, operation.clientOrderId);
    if (!this.operationsByReference.has(reference)) this.operationsByReference.set(reference, operation);
    return operation;
  }

  /** The operation, `Expired` first if it stayed `Pending` too long. */
  operation(id: number): Operation | undefined {
    const operation = this.operationsById.get(id);
    return operation && this.expireIfDue(operation);
  }

  operationByToken(token: string): Operation | undefined {
    const operation = this.operationsByToken.get(token);
    return operation && this.expireIfDue(operation);
  }

  /** Every operation, newest first, each brought up to date. */
  allOperations(): Operation[] {
    return this.operations.map((operation) => this.expireIfDue(operation)).reverse();
  }

  private expireIfDue(operation: Operation): Operation {
    if (operation.status === 'Pending' && this.now() - Date.parse(operation.createdAt) >= this.config.operationTtlMs) {
      operation.status = 'Expired';
      operation.decidedAt = new Date(this.now()).toISOString();
    }
    return operation;
  }
}

/** The key of a point of sale's ClientOrderId in the reuse index. */
function referenceKey(appIdentifier: string, clientOrderId: string): string {
  return `${appIdentifier}\u0000${clientOrderId}`;
}
