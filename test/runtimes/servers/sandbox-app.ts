// The sandbox as the runtime matrix runs it on each runtime: one point of sale whose callbacks and return
// pages go to the partner's server started beside it. Settings come from the environment (or a Worker's
// bindings), so the same module serves every runtime.
import { createSandbox, type Sandbox } from '../../../sandbox/index.js';

/** The settings a matrix run hands its sandbox. */
export interface SandboxSettings {
  SANDBOX_URL?: string;
  PARTNER_URL?: string;
  CONTROL_TOKEN?: string;
}

export function matrixSandbox(settings: SandboxSettings): Sandbox {
  const { SANDBOX_URL, PARTNER_URL, CONTROL_TOKEN } = settings;
  if (!SANDBOX_URL || !PARTNER_URL || !CONTROL_TOKEN) throw new Error('Set SANDBOX_URL, PARTNER_URL and CONTROL_TOKEN');
  return createSandbox({
    publicUrl: SANDBOX_URL,
    controlToken: CONTROL_TOKEN,
    callbackRetryDelayMs: 50,
    pointsOfSale: [
      {
        callbackUrl: `${PARTNER_URL}/izly/callback`,
        urlAfterConnection: `${PARTNER_URL}/izly/connect/callback`,
        urlAfterPayment: `${PARTNER_URL}/`,
        urlAfterCancellation: `${PARTNER_URL}/`,
      },
    ],
  });
}
