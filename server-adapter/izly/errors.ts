// The client's error tree: one base class, a literal `name` on each, the facts a caller needs as fields.
// No message ever carries a secret: the API key, the Authorization header, OAuth codes and tokens stay
// out of messages (URLs are named by their path template, never by the full URL with its query).

/** Which call of the Izly contract failed. */
export type IzlyCall = 'initiate' | 'get' | 'refund' | 'token' | 'users';

const CALL_LABEL: Record<IzlyCall, string> = {
  initiate: 'POST /api/Izly/WebPayments',
  get: 'GET /api/Izly/WebPayments/{id}',
  refund: 'POST /api/Izly/WebPayments/{id}/Refund',
  token: 'POST /oauth/Home/Token',
  users: 'GET /api/izly/users',
};

/** Base of every error the Izly client throws. */
export class IzlyError extends Error {
  override name: 'IzlyError' | 'IzlyApiError' | 'IzlyTimeoutError' | 'IzlyNetworkError' | 'IzlyUnexpectedAnswerError' = 'IzlyError';
  /** The call that failed. */
  readonly call: IzlyCall;

  constructor(call: IzlyCall, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.call = call;
  }
}

/** Izly answered with an error: an HTTP error status, or an Izly `Error` object. */
export class IzlyApiError extends IzlyError {
  override name = 'IzlyApiError' as const;
  /** HTTP status of the answer (Izly may also send its error object with 200). */
  readonly httpStatus: number;
  /** Izly's `Code` (356: unknown operation), or the OAuth `error` string on the token call; null when absent. */
  readonly code: number | string | null;
  /** Izly's `ErrorMessage` (or the OAuth `error_description`), '' when absent. */
  readonly errorMessage: string;
  /** Izly's `Title`, '' when absent. */
  readonly title: string;
  /** Izly's `Priority`, null when absent. */
  readonly priority: number | null;
  /** The answer's body as received (parsed JSON when it was JSON, else text), tokens redacted. */
  readonly body: unknown;

  constructor(
    call: IzlyCall,
    details: { httpStatus: number; code: number | string | null; errorMessage: string; title: string; priority: number | null; body: unknown },
  ) {
    const what = details.errorMessage || details.title || 'error';
    const code = details.code === null ? '' : ` (code ${details.code})`;
    super(call, `Izly answered ${details.httpStatus} to ${CALL_LABEL[call]}: ${what}${code}`);
    this.httpStatus = details.httpStatus;
    this.code = details.code;
    this.errorMessage = details.errorMessage;
    this.title = details.title;
    this.priority = details.priority;
    this.body = details.body;
  }

  /** True when Izly says the operation does not exist (code 356). */
  get isUnknownOperation(): boolean {
    return this.code === 356;
  }
}

/** Izly did not answer within the client's timeout. */
export class IzlyTimeoutError extends IzlyError {
  override name = 'IzlyTimeoutError' as const;
  readonly timeoutMs: number;

  constructor(call: IzlyCall, timeoutMs: number) {
    super(call, `Izly did not answer ${CALL_LABEL[call]} within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** Izly could not be reached (DNS, refused connection, reset...). */
export class IzlyNetworkError extends IzlyError {
  override name = 'IzlyNetworkError' as const;

  constructor(call: IzlyCall, cause: unknown) {
    const reason = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : 'unknown reason';
    super(call, `Izly could not be reached for ${CALL_LABEL[call]}: ${reason}`, { cause });
  }
}

/** Izly answered, but not with what the contract describes (malformed JSON, a missing field...). */
export class IzlyUnexpectedAnswerError extends IzlyError {
  override name = 'IzlyUnexpectedAnswerError' as const;
  readonly httpStatus: number;
  /** The answer's body as received (at most 2000 characters, tokens redacted). */
  readonly body: unknown;

  constructor(call: IzlyCall, httpStatus: number, reason: string, body: unknown) {
    super(call, `Izly's answer to ${CALL_LABEL[call]} was unexpected (${httpStatus}): ${reason}`);
    this.httpStatus = httpStatus;
    this.body = body;
  }
}
