// Fault injection on the partner API (WebPayments, token, users) and on callbacks, for tests that need an
// Izly that is slow, failing, garbled or chatty.
import type { MiddlewareHandler } from 'hono';
import { partnerError } from './partner-errors.js';

/** The partner API calls that faults can target. */
export type FaultRoute = 'initiate' | 'get' | 'refund' | 'token' | 'users';

export const FAULT_ROUTES: readonly FaultRoute[] = ['initiate', 'get', 'refund', 'token', 'users'];

/** What `control.setFaults()` accepts. */
export interface Faults {
  /** Delay before each answer, in ms. */
  latencyMs?: number;
  /** The next N requests answer 503 with an Error body (the call has no effect). */
  serverErrors?: number;
  /** The next N requests are processed, then answer 200 with a truncated JSON body. */
  malformedJson?: number;
  /** Limit the three faults above to these calls (default all). */
  routes?: FaultRoute[];
  /** Callbacks are not sent (logged as dropped). */
  dropCallbacks?: boolean;
  /** Each callback is sent twice. */
  duplicateCallbacks?: boolean;
  /**
   * The next N refunds that Izly carries out lose their answer: the money is back on the AD's account, and
   * the connection breaks before the partner reads a body (whatever `routes` says).
   */
  refundAnswersLost?: number;
}

/** Checks a faults object (from `setFaults` or `PUT /sandbox/api/faults`); throws `Error` when wrong. */
export function checkFaults(input: unknown): Faults {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('faults: expected an object');
  const faults: Faults = {};
  for (const [name, value] of Object.entries(input)) {
    switch (name) {
      case 'latencyMs':
      case 'serverErrors':
      case 'malformedJson':
      case 'refundAnswersLost':
        if (!Number.isSafeInteger(value) || (value as number) < 0) throw new Error(`faults: "${name}" must be a non-negative integer`);
        faults[name] = value as number;
        break;
      case 'dropCallbacks':
      case 'duplicateCallbacks':
        if (typeof value !== 'boolean') throw new Error(`faults: "${name}" must be a boolean`);
        faults[name] = value;
        break;
      case 'routes':
        if (!Array.isArray(value) || !value.every((route) => FAULT_ROUTES.includes(route as FaultRoute))) {
          throw new Error(`faults: "routes" must list some of ${FAULT_ROUTES.join(', ')}`);
        }
        faults.routes = [...(value as FaultRoute[])];
        break;
      default:
        throw new Error(`faults: unknown field "${name}"`);
    }
  }
  return faults;
}

/** Long enough for the Node server to have sent the status line (it waits one timer turn for a first chunk). */
const LOST_ANSWER_DELAY_MS = 20;

/** An answer whose body never arrives: the connection breaks after the status line, as a cut network would. */
function lostAnswer(): Response {
  // It fails a little after the first read, not at once: a body that fails at once makes the Node server
  // answer a 500 of its own instead of breaking the connection.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, LOST_ANSWER_DELAY_MS));
      controller.error(new Error('Connexion coupée avant la réponse (panne simulée refundAnswersLost)'));
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } });
}

export class FaultInjector {
  private faults: Faults = {};

  set(faults: Faults): void {
    this.faults = checkFaults(faults);
  }

  clear(): void {
    this.faults = {};
  }

  /** The faults in force, with counters as they stand now. */
  current(): Faults {
    return { ...this.faults, ...(this.faults.routes ? { routes: [...this.faults.routes] } : {}) };
  }

  get dropCallbacks(): boolean {
    return this.faults.dropCallbacks === true;
  }

  get duplicateCallbacks(): boolean {
    return this.faults.duplicateCallbacks === true;
  }

  /** Middleware placed before the handler of one partner API call. */
  middleware(route: FaultRoute): MiddlewareHandler {
    return async (c, next) => {
      const faults = this.faults;
      // Only a refund that happened loses its answer: a refused one (409, 356...) answers as usual.
      const call =
        route === 'refund' && faults.refundAnswersLost
          ? async () => {
              await next();
              if (c.res.status === 200 && faults.refundAnswersLost) {
                faults.refundAnswersLost -= 1;
                c.res = lostAnswer();
              }
            }
          : next;
      const targeted = !faults.routes || faults.routes.includes(route);
      if (!targeted) return call();
      if (faults.latencyMs) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
      if (faults.serverErrors) {
        faults.serverErrors -= 1;
        // No Izly code exists for an outage, so the sandbox's own 1090 in either `errorCodes`.
        return partnerError('sandbox', 'injectedServerError');
      }
      if (faults.malformedJson) {
        faults.malformedJson -= 1;
        // A garbled answer wins over a lost one: the refund is made and answers half a body.
        await next();
        const text = await c.res.text();
        // A body cut in the middle, as a dropped connection or a broken proxy would leave it.
        c.res = new Response(text.slice(0, Math.max(1, Math.floor(text.length / 2))), {
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8' },
        });
        return;
      }
      return call();
    };
  }
}
