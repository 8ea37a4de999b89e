// A harness with payments to aim at: one pending, one paid, with their genuine callback parameters read
// from the sandbox (what Izly would append to the callback URL). Refunds are enabled for requests that
// carry `X-Staff: yes`, so the refund route can be attacked too.
import { payAsStudent, startHarness, STUDENT, type Harness, type HarnessOptions } from '../helpers/harness.js';

export interface Target {
  paymentId: string;
  orderId: string;
  operationId: number;
  /** `p=<paymentId>&s=<signature>`, as the sandbox appends it to the callback URL. */
  callbackParameters: string;
  signature: string;
}

export interface Targets {
  h: Harness;
  pending: Target;
  paid: Target;
  /** Orders that exist (`order()` knows them) and have no payment yet. */
  freshOrders: string[];
}

async function target(h: Harness, orderId: string): Promise<Target> {
  const created = await h.createPayment(orderId);
  if (created.status !== 201) throw new Error(`fixture: payment for ${orderId} answered ${created.status}`);
  const { paymentId } = (await created.json()) as { paymentId: string };
  const operation = h.sandbox.control.operations().find((candidate) => candidate.clientOrderId === orderId)!;
  return {
    paymentId,
    orderId,
    operationId: operation.id,
    callbackParameters: operation.callbackParameters,
    signature: new URLSearchParams(operation.callbackParameters).get('s')!,
  };
}

export async function startTargets(options: HarnessOptions = {}): Promise<Targets> {
  const h = await startHarness({
    ...options,
    adapter: { authorizeRefund: (c) => c.req.header('x-staff') === 'yes', ...options.adapter },
  });
  for (const orderId of ['order-pending', 'order-paid', 'order-fresh-1', 'order-fresh-2', 'order-fresh-3']) h.orders.set(orderId, { amount: 420 });
  const pending = await target(h, 'order-pending');
  const paid = await target(h, 'order-paid');
  const authorizationUrl = h.sandbox.control.operation(paid.operationId)!.authorizationUrl;
  await payAsStudent(authorizationUrl, { ...STUDENT, action: 'validate' });
  const view = (await (await h.getPayment(paid.paymentId, 10)).json()) as { status: string };
  if (view.status !== 'paid') throw new Error(`fixture: the paid target is ${view.status}`);
  await h.sandbox.control.settled();
  return { h, pending, paid, freshOrders: ['order-fresh-1', 'order-fresh-2', 'order-fresh-3'] };
}
