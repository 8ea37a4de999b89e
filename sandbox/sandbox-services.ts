// The pieces every route of one sandbox shares, handed to each feature's route factory.
import type { CallbackDispatcher } from './callbacks.js';
import type { FaultInjector } from './faults.js';
import type { SandboxState } from './sandbox-state.js';

export interface SandboxServices {
  state: SandboxState;
  callbacks: CallbackDispatcher;
  faults: FaultInjector;
}
