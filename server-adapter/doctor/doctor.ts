// `izly-pay doctor`'s core, runtime-neutral (only `fetch`): probes Izly and the callback URL without moving
// money, finds which request shapes this Izly takes, and says in plain words what to set and what to ask
// Xpollens. It is independent of the adapter's flows: it speaks HTTP to Izly as the client does and reports
// the values of the client's own options.
import type { IzlyClientOptions } from '../izly/client.js';
import { probeCallback, type CallbackCheck } from './callback-probe.js';
import { CONTENT_TYPES, probePayments, probeToken, type Attempt, type AttemptOutcome, type AuthorizationForm, type IzlyTarget } from './izly-probes.js';
import { connectProblems, paymentProblems } from './advice.js';

/** What to check. */
export interface DoctorOptions {
  /** Izly's origin, e.g. `IZLY_PREPRODUCTION`. */
  baseUrl: string;
  /** The point of sale's *Identifiant de l'application client*. */
  appIdentifier: string;
  /** The point of sale's *Clé d'API*; never printed, never sent anywhere but Izly. */
  apiKey: string;
  /** The callback URL registered in the back office, checked from the outside when given. */
  callbackUrl?: string;
  /** Time allowed to each probe, in ms; default 5000. */
  timeoutMs?: number;
  /** Leaves IzlyConnect's token endpoint out, for a point of sale that takes payments only. */
  skipConnect?: boolean;
}

/** The exit codes of `izly-pay doctor`. */
export const DOCTOR_EXIT_CODES = {
  /** Izly answered and the settings were found (and the callback URL, when given, answers as the adapter does). */
  ok: 0,
  /** Izly answered but refused every shape tried, or answered something unknown: see the problems. */
  settingsNotFound: 1,
  /** The command line is wrong (an unknown flag, a missing value). */
  badArguments: 2,
  /** Nothing that speaks Izly's partner API answered at the base URL (network, DNS, TLS, timeout, another server). */
  izlyUnreachable: 3,
  /** Izly's settings were found, but the callback URL does not answer as the adapter does. */
  callbackNotReady: 4,
} as const;

export type DoctorExitCode = (typeof DOCTOR_EXIT_CODES)[keyof typeof DOCTOR_EXIT_CODES];

/** A check's result: `ok`, or the most telling way its probes failed. */
export type CheckVerdict = 'ok' | Exclude<AttemptOutcome, 'accepted'>;

export interface PaymentsCheck {
  verdict: CheckVerdict;
  attempts: Attempt[];
  /** The form to use, when one was taken. */
  authorization: AuthorizationForm | null;
  /** The content types Izly took with that form. */
  acceptedContentTypes: string[];
  /** The content type to use: the first of `acceptedContentTypes`. */
  contentType: string | null;
}

export interface ConnectCheck {
  verdict: CheckVerdict;
  attempts: Attempt[];
  /** The form the token call takes, when one was taken. */
  authorization: AuthorizationForm | null;
}

/**
 * The `izlyPay({...})` values found, named as the client's options so that a rename fails to compile here;
 * `tokenAuthorization` only when IzlyConnect was probed and took one form.
 */
export type FoundOptions = Required<Pick<IzlyClientOptions, 'baseUrl' | 'appIdentifier' | 'authorization' | 'contentType'>> &
  Pick<IzlyClientOptions, 'tokenAuthorization'>;

export interface DoctorReport {
  exitCode: DoctorExitCode;
  baseUrl: string;
  appIdentifier: string;
  /** The API key masked: its length and, for a long one, its last four characters. */
  apiKey: string;
  payments: PaymentsCheck;
  /** Null when skipped, or when Izly did not answer the payment probes. */
  connect: ConnectCheck | null;
  /** Null when no callback URL was given. */
  callback: CallbackCheck | null;
  /** Null unless the payment settings were found. */
  options: FoundOptions | null;
  /** What is wrong and what to do or ask Xpollens, in plain words; empty when all is well. */
  problems: string[];
  /** Worth knowing even when everything works. */
  notes: string[];
}

/** A key as it may be printed: its length, and its last four characters when that leaves at least twelve unseen. */
export function maskApiKey(apiKey: string): string {
  return apiKey.length >= 16 ? `…${apiKey.slice(-4)} (${apiKey.length} characters)` : `(${apiKey.length} characters)`;
}

// Most telling first: no Izly at all, then a refusal that comes after the credentials were taken.
const FAILURE_ORDER: readonly CheckVerdict[] = ['unreachable', 'not-izly', 'point-of-sale-refused', 'content-type-refused', 'credentials-refused'];

function verdictOf(attempts: Attempt[]): CheckVerdict {
  if (attempts.some((attempt) => attempt.outcome === 'accepted')) return 'ok';
  return FAILURE_ORDER.find((outcome) => attempts.some((attempt) => attempt.outcome === outcome)) ?? 'unexpected';
}

function paymentsCheck(attempts: Attempt[]): PaymentsCheck {
  const authorization = attempts.find((attempt) => attempt.outcome === 'accepted')?.authorization ?? null;
  const acceptedContentTypes = CONTENT_TYPES.filter((type) =>
    attempts.some((attempt) => attempt.authorization === authorization && attempt.contentType === type && attempt.outcome === 'accepted'),
  );
  return { verdict: verdictOf(attempts), attempts, authorization, acceptedContentTypes, contentType: acceptedContentTypes[0] ?? null };
}

function connectCheck(attempts: Attempt[]): ConnectCheck {
  return { verdict: verdictOf(attempts), attempts, authorization: attempts.find((attempt) => attempt.outcome === 'accepted')?.authorization ?? null };
}

function foundOptions(target: IzlyTarget, payments: PaymentsCheck, connect: ConnectCheck | null): FoundOptions | null {
  if (!payments.authorization || !payments.contentType) return null;
  const found: FoundOptions = {
    baseUrl: target.baseUrl,
    appIdentifier: target.appIdentifier,
    authorization: payments.authorization,
    contentType: payments.contentType,
  };
  if (connect?.authorization) found.tokenAuthorization = connect.authorization;
  return found;
}

/** What is wrong (with what to do) and what is worth knowing, in plain words. */
function findings(
  target: IzlyTarget,
  payments: PaymentsCheck,
  connect: ConnectCheck | null,
  callback: CallbackCheck | null,
): { problems: string[]; notes: string[] } {
  const problems = [...paymentProblems(target, payments, connect), ...connectProblems(payments, connect)];
  const notes: string[] = [];
  if (payments.acceptedContentTypes.length === CONTENT_TYPES.length) {
    notes.push(
      'Izly took every content type on this GET, which has no body: it may check the type only on the calls that have one. The one advised is the type proven in production.',
    );
  }
  if (callback === null) notes.push('No --callback-url given: the callback URL was not checked.');
  else if (callback.ok) notes.push(`The callback URL ${callback.url}: ${callback.explanation}`);
  else problems.push(`The callback URL ${callback.url}: ${callback.explanation}`);
  notes.push(...(callback?.notes ?? []));
  return { problems, notes };
}

function exitCodeOf(payments: PaymentsCheck, connect: ConnectCheck | null, callback: CallbackCheck | null): DoctorExitCode {
  if (payments.verdict === 'unreachable' || payments.verdict === 'not-izly') return DOCTOR_EXIT_CODES.izlyUnreachable;
  if (payments.verdict !== 'ok' || (connect && connect.verdict !== 'ok')) return DOCTOR_EXIT_CODES.settingsNotFound;
  if (callback && !callback.ok) return DOCTOR_EXIT_CODES.callbackNotReady;
  return DOCTOR_EXIT_CODES.ok;
}

/**
 * Probes Izly (payments, then IzlyConnect) and the callback URL, one request at a time, each sent once
 * within `timeoutMs`; never moves money.
 * @example
 * const report = await runDoctor({ baseUrl: IZLY_PREPRODUCTION, appIdentifier: 'my-shop', apiKey, callbackUrl: 'https://my-shop.example/izly/callback' });
 * if (report.exitCode !== 0) console.log(report.problems.join('\n'));
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const target: IzlyTarget = {
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    appIdentifier: options.appIdentifier,
    apiKey: options.apiKey,
    timeoutMs: options.timeoutMs ?? 5_000,
  };
  const payments = paymentsCheck(await probePayments(target));
  const izlyAnswered = payments.verdict !== 'unreachable' && payments.verdict !== 'not-izly';
  const connect = izlyAnswered && !options.skipConnect ? connectCheck(await probeToken(target)) : null;
  const callback = options.callbackUrl ? await probeCallback(options.callbackUrl, target.timeoutMs) : null;

  const { problems, notes } = findings(target, payments, connect, callback);
  return {
    exitCode: exitCodeOf(payments, connect, callback),
    baseUrl: target.baseUrl,
    appIdentifier: target.appIdentifier,
    apiKey: maskApiKey(target.apiKey),
    payments,
    connect,
    callback,
    options: foundOptions(target, payments, connect),
    problems,
    notes,
  };
}
