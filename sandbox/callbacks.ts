// The callback (contract 3.3): a JSON POST to the POS callback URL with the payment's CallbackParameters
// placed as the `callbackParameters` switch says, success = HTTP 200, otherwise retried (3 times, 20 s apart by default, like Xpollens' webhook
// platform), 5 s allowed per attempt, not sent while the POS is not allow-listed, every attempt logged.
// Deliveries run on timers, after the AD's page has been answered; `settled()` lets tests wait for them.
import type { Account, PointOfSale } from './config.js';
import { centsAsDecimalText, centsToEuroText } from './amounts.js';
import { DecimalNumber, toJsonText, type JsonValue } from './decimal-json.js';
import type { FaultInjector } from './faults.js';
import type { IzlyBehaviour } from './izly-behaviour.js';
import { parisFrenchDateTime } from './paris-time.js';
import type { Operation, SandboxState } from './sandbox-state.js';
import { wireStatus } from './status-vocabulary.js';

/** The callback body, exactly as sent (PascalCase, as the contract shows). */
export interface CallbackBody {
  OperationSMoney: {
    Id: number;
    IdTransactionDebitIzly: number;
    /** `"350.00"` meaning 350 cents by default; 3.5 (written `3.50`) with `callbackAmountFormat: 'decimal-euros'`. */
    Amount: string | number;
    /** dd/MM/yyyy HH:mm:ss, Paris time. */
    Date: string;
    Message: string;
    ClientOrderId: string;
    /** In the `statusVocabulary` switch's names: `"Completed"`, `"Succeeded"`, `1`... */
    Status: string | number;
    CallbackParameters: string;
  };
  Beneficiary: { Id: string; ClientId: string };
  User: { Id: string; Email: string; ClientCode: string; NumeroAffectation: string };
  Error: { Code: number; Message: string };
}

/** One line of the callback log. */
export interface CallbackAttempt {
  operationId: number;
  /** The URL called: the POS callback URL with the CallbackParameters placed by the `callbackParameters` switch. */
  url: string;
  /** 1 for the first attempt, 2 for the first retry... */
  attempt: number;
  /** `delivered` (200), `rejected` (another status), `error` (network, timeout), `blocked` (not allow-listed), `dropped` (fault). */
  outcome: 'delivered' | 'rejected' | 'error' | 'blocked' | 'dropped';
  /** The partner's HTTP status, when it answered. */
  status?: number;
  /** Why no status: network error, timeout, blocked or dropped. */
  error?: string;
  /** ISO 8601 time of the attempt. */
  at: string;
  /** True for the second copy sent by the `duplicateCallbacks` fault. */
  duplicate: boolean;
  body: CallbackBody;
}

/**
 * Where CallbackParameters land, for each reading of "paramètres … que Xpollens va concaténer à l'url de
 * callback" (3.1, 4b): `joined` as a query string (`?` or `&`, a leading one of theirs dropped),
 * `concatenated` character for character, `encoded` as the one query parameter `CallbackParameters`
 * (the name is the sandbox's guess), `body-only` nowhere in the URL (the body always carries them).
 */
function callbackUrlFor(callbackUrl: string, callbackParameters: string, placement: IzlyBehaviour['callbackParameters']): string {
  if (callbackParameters === '' || placement === 'body-only') return callbackUrl;
  if (placement === 'concatenated') return callbackUrl + callbackParameters;
  const separator = callbackUrl.includes('?') ? '&' : '?';
  if (placement === 'encoded') return `${callbackUrl}${separator}CallbackParameters=${encodeURIComponent(callbackParameters)}`;
  const parameters = callbackParameters.replace(/^[?&]/, '');
  return parameters === '' ? callbackUrl : callbackUrl + separator + parameters;
}

function callbackBodyValue(operation: Operation, pos: PointOfSale, account: Account, izly: IzlyBehaviour): JsonValue {
  const amount = izly.callbackAmountFormat === 'decimal-euros' ? new DecimalNumber(centsToEuroText(operation.amount)) : centsAsDecimalText(operation.amount);
  return {
    OperationSMoney: {
      Id: operation.id,
      IdTransactionDebitIzly: operation.idTransactionDebitIzly,
      Amount: amount,
      Date: parisFrenchDateTime(Date.parse(operation.createdAt)),
      Message: operation.message,
      ClientOrderId: operation.clientOrderId,
      Status: wireStatus(operation, izly.statusVocabulary),
      CallbackParameters: operation.callbackParameters,
    },
    Beneficiary: { Id: pos.beneficiaryId, ClientId: pos.appIdentifier },
    User: { Id: account.id, Email: account.email, ClientCode: account.clientCode, NumeroAffectation: account.numeroAffectation },
    Error: { Code: operation.errorCode, Message: operation.errorMessage },
  };
}

class CallbackTimeoutError extends Error {
  override readonly name = 'CallbackTimeoutError';
}

/** A readable reason for the log; fetch hides the useful part (ECONNREFUSED...) in `cause`. */
function describeFailure(error: unknown): string {
  if (error instanceof CallbackTimeoutError) return error.message;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message;
  return `Erreur réseau : ${(error as Error).message}${detail ? ` (${detail})` : ''}`;
}

/** Callback attempts kept in the log: past it the oldest are forgotten. */
export const MAX_CALLBACK_LOG = 1000;

export class CallbackDispatcher {
  readonly log: CallbackAttempt[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Map<ReturnType<typeof setTimeout>, () => void>();
  private closed = false;

  constructor(
    private readonly state: SandboxState,
    private readonly faults: FaultInjector,
  ) {}

  /** Schedules the callback of a decided operation; returns at once. */
  schedule(operation: Operation, account: Account): void {
    const pos = this.state.pointOfSale(operation.appIdentifier);
    if (!pos || this.closed) return;
    const text = toJsonText(callbackBodyValue(operation, pos, account, this.state.izly));
    const url = callbackUrlFor(pos.callbackUrl, operation.callbackParameters, this.state.izly.callbackParameters);
    const delivery = { operationId: operation.id, appIdentifier: pos.appIdentifier, url, text };
    if (this.faults.dropCallbacks) {
      this.record(delivery, 1, false, { outcome: 'dropped', error: 'Rappel abandonné (panne simulée dropCallbacks)' });
      return;
    }
    this.track(this.deliver(delivery, false));
    if (this.faults.duplicateCallbacks) this.track(this.deliver(delivery, true));
  }

  /** Resolves once every scheduled delivery and retry is done (or the sandbox is closed). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Stops pending retries and clears their timers. */
  close(): void {
    this.closed = true;
    for (const [timer, wake] of this.timers) {
      clearTimeout(timer);
      wake();
    }
    this.timers.clear();
  }

  private track(promise: Promise<void>): void {
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }

  /** Waits `ms`; resolves false instead when the sandbox is closed meanwhile. */
  private wait(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve(!this.closed);
      }, ms);
      this.timers.set(timer, () => resolve(false));
    });
  }

  private async deliver(delivery: { operationId: number; appIdentifier: string; url: string; text: string }, duplicate: boolean): Promise<void> {
    const { callbackRetries, callbackRetryDelayMs, callbackTimeoutMs } = this.state.config;
    for (let attempt = 1; attempt <= 1 + callbackRetries; attempt += 1) {
      // The first attempt also waits (0 ms) so that the AD's page is answered first.
      if (!(await this.wait(attempt === 1 ? 0 : callbackRetryDelayMs))) return;
      const pos = this.state.pointOfSale(delivery.appIdentifier);
      if (!pos?.callbackAllowListed) {
        this.record(delivery, attempt, duplicate, {
          outcome: 'blocked',
          error: "URL de rappel non autorisée par l'hébergeur (liste d'autorisation)",
        });
        return;
      }
      try {
        const status = await this.post(delivery.url, delivery.text, callbackTimeoutMs);
        if (status === 200) {
          this.record(delivery, attempt, duplicate, { outcome: 'delivered', status });
          return;
        }
        this.record(delivery, attempt, duplicate, { outcome: 'rejected', status });
      } catch (error) {
        this.record(delivery, attempt, duplicate, { outcome: 'error', error: describeFailure(error) });
      }
    }
  }

  /** One POST; resolves with the status once the body has been read, rejects on network error or timeout. */
  private async post(url: string, text: string, timeoutMs: number): Promise<number> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new CallbackTimeoutError(`Pas de réponse en ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      const request = new Request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: text,
        signal: controller.signal,
      });
      // The race also covers a `fetch` option that ignores the abort signal.
      return await Promise.race([
        (async () => {
          const response = await this.state.config.fetch(request);
          await response.arrayBuffer();
          return response.status;
        })(),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private record(
    delivery: { operationId: number; url: string; text: string },
    attempt: number,
    duplicate: boolean,
    result: Pick<CallbackAttempt, 'outcome' | 'status' | 'error'>,
  ): void {
    this.log.push({
      operationId: delivery.operationId,
      url: delivery.url,
      attempt,
      ...result,
      at: new Date(this.state.now()).toISOString(),
      duplicate,
      body: JSON.parse(delivery.text) as CallbackBody,
    });
    if (this.log.length > MAX_CALLBACK_LOG) this.log.splice(0, this.log.length - MAX_CALLBACK_LOG);
  }
}
