// `sandbox.control`: what tests, the demo and the control API use to look inside the sandbox and change it.
// Every getter returns copies, so callers cannot change the sandbox behind its back.
import type { CallbackAttempt } from './callbacks.js';
import { checkAccountFields, checkPointOfSaleFields, type Account, type PointOfSale } from './config.js';
import { checkFaults, type Faults } from './faults.js';
import { applyIzlyBehaviour, type IzlyBehaviour, type IzlyBehaviourInput } from './izly-behaviour.js';
import { validatePayment, type ValidationOutcome } from './payment-decision.js';
import type { SandboxServices } from './sandbox-services.js';
import type { Operation } from './sandbox-state.js';

export interface SandboxControl {
  /** Every point of sale. */
  pointsOfSale(): PointOfSale[];
  /** The point of sale with this AppIdentifier. */
  pointOfSale(appIdentifier: string): PointOfSale | undefined;
  /** Changes fields of a point of sale (not its appIdentifier); throws `Error` on an unknown POS or a bad field. */
  updatePointOfSale(appIdentifier: string, changes: Partial<PointOfSale>): PointOfSale;
  /** Every account. */
  accounts(): Account[];
  /** The account with this e-mail or phone number. */
  account(identifier: string): Account | undefined;
  /** Changes fields of an account (not its e-mail); throws `Error` on an unknown account or a bad field. */
  updateAccount(email: string, changes: Partial<Account>): Account;
  /** Every operation, newest first. */
  operations(): Operation[];
  operation(operationId: number): Operation | undefined;
  /** Every callback delivery attempt, oldest first. */
  callbackLog(): CallbackAttempt[];
  /** Replaces the faults in force; throws `Error` on a bad field. */
  setFaults(faults: Faults): void;
  clearFaults(): void;
  /** The faults in force (counters as they stand). */
  faults(): Faults;
  /** Which plausible Izly the sandbox is now (a copy). */
  izly(): IzlyBehaviour;
  /**
   * Changes switches: a preset name (`'lenient'`, `'strictest'`, or `'default'`, the same as `'strictest'`) or switches, over `preset` when given,
   * otherwise over those in force; throws `Error` naming an unknown switch or a bad value, changing nothing.
   */
  updateIzly(changes: IzlyBehaviourInput): IzlyBehaviour;
  /** Resolves once every scheduled callback delivery and retry is done. */
  settled(): Promise<void>;
  /** Decides a pending operation as the payment page's Valider would — for benchmarks, not for flow tests. */
  authorize(operationId: number, credentials: { identifier: string; password: string }): ValidationOutcome;
  /** The token the HTTP control API wants (`Authorization: Bearer <token>`); this in-process object needs none. */
  controlToken(): string;
  /** Clears pending timers (callback retries). */
  close(): void;
}

export function createControl({ state, callbacks, faults }: SandboxServices): SandboxControl {
  const requirePointOfSale = (appIdentifier: string) => {
    const pos = state.pointOfSale(appIdentifier);
    if (!pos) throw new Error(`unknown point of sale "${appIdentifier}"`);
    return pos;
  };
  const requireAccount = (email: string) => {
    const account = state.accountByEmail(email);
    if (!account) throw new Error(`unknown account "${email}"`);
    return account;
  };

  return {
    pointsOfSale: () => state.pointsOfSale.map((pos) => ({ ...pos })),
    pointOfSale: (appIdentifier) => {
      const pos = state.pointOfSale(appIdentifier);
      return pos && { ...pos };
    },
    updatePointOfSale(appIdentifier, changes) {
      const pos = requirePointOfSale(appIdentifier);
      const checked = checkPointOfSaleFields(changes, `point of sale "${appIdentifier}"`);
      if (checked.appIdentifier !== undefined && checked.appIdentifier !== appIdentifier) {
        throw new Error('appIdentifier cannot be changed');
      }
      if (checked.apiKey !== undefined && state.pointsOfSale.some((other) => other !== pos && other.apiKey === checked.apiKey)) {
        throw new Error('apiKey is already used by another point of sale');
      }
      Object.assign(pos, checked);
      return { ...pos };
    },
    accounts: () => state.accounts.map((account) => ({ ...account })),
    account: (identifier) => {
      const account = state.findAccount(identifier);
      return account && { ...account };
    },
    updateAccount(email, changes) {
      const account = requireAccount(email);
      const checked = checkAccountFields(changes, `account "${email}"`);
      if (checked.email !== undefined && checked.email.toLowerCase() !== account.email.toLowerCase()) {
        throw new Error('email cannot be changed');
      }
      Object.assign(account, checked);
      return { ...account };
    },
    operations: () => state.allOperations().map((operation) => ({ ...operation })),
    operation: (operationId) => {
      const operation = state.operation(operationId);
      return operation && { ...operation };
    },
    callbackLog: () => callbacks.log.map((attempt) => structuredClone(attempt)),
    setFaults: (next) => faults.set(checkFaults(next)),
    clearFaults: () => faults.clear(),
    faults: () => faults.current(),
    izly: () => ({ ...state.izly }),
    updateIzly(changes) {
      state.izly = applyIzlyBehaviour(state.izly, changes, 'izly');
      return { ...state.izly };
    },
    settled: () => callbacks.settled(),
    authorize(operationId, { identifier, password }) {
      const operation = state.operation(operationId);
      if (!operation) throw new Error(`unknown operation ${operationId}`);
      return validatePayment(state, callbacks, operation, identifier, password);
    },
    controlToken: () => state.config.controlToken,
    close: () => callbacks.close(),
  };
}
