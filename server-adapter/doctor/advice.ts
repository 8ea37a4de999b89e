// What a failed check means and what to do about it, in plain words: what the partner can fix (a flag, a
// URL) and what only Xpollens can (a point of sale's flags, its credentials, the allow-list). Izly's own
// answer is quoted, since its message often says more than any guess made here.
import type { CheckVerdict, ConnectCheck, PaymentsCheck } from './doctor.js';
import { CONTENT_TYPES, IMPOSSIBLE_OPERATION_ID, type Attempt, type IzlyTarget } from './izly-probes.js';

/** The answer of the first attempt that failed in the check's way, quoted. */
function quoted(attempts: Attempt[], verdict: CheckVerdict): string {
  return attempts.find((attempt) => attempt.outcome === verdict)?.answer ?? 'no answer';
}

function credentialsAdvice(target: IzlyTarget): string {
  return (
    `Check that --app-id is the point of sale's "Identifiant de l'application client" and --api-key its "Clé d'API", both read on its edit page in the ` +
    `Izly back office (preproduction and production each have their own). If they are, ask Xpollens whether AppIdentifier ${target.appIdentifier} is ` +
    `known on ${new URL(target.baseUrl).host} with this key, and whether the point of sale is approved.`
  );
}

/** Why the payment probes found no settings; empty when they did. */
export function paymentProblems(target: IzlyTarget, payments: PaymentsCheck, connect: ConnectCheck | null): string[] {
  const answer = quoted(payments.attempts, payments.verdict);
  switch (payments.verdict) {
    case 'ok':
      return [];
    case 'unreachable':
      return [
        `Izly did not answer at ${target.baseUrl}: ${answer}. Check --base-url (https://rest-pp.izly.fr for preproduction) and that this machine can reach it (a proxy, a firewall); nothing else was asked of Izly.`,
      ];
    case 'not-izly':
      return [
        `${target.baseUrl} answered ${answer}: that is not Izly's partner API. --base-url must be Izly's origin, with no path: https://rest-pp.izly.fr (preproduction) or https://rest.izly.fr (production).`,
      ];
    case 'point-of-sale-refused':
      return [
        `Izly took the credentials but refuses payments on this point of sale (${answer}). Ask Xpollens for what it names: the approval (agrément), "enable payment" and the IzlyPay box on the point of sale.`,
      ];
    case 'content-type-refused':
      return [
        `Izly took the credentials but refused every content type (${CONTENT_TYPES.join(', ')}; ${answer}). Ask Xpollens which Content-Type the WebPayments calls take, then set it as contentType.`,
      ];
    case 'credentials-refused':
      if (connect?.verdict === 'ok') {
        return [
          `The payment calls refused these credentials in both Authorization forms (${answer}), while IzlyConnect takes them: the AppIdentifier and the key are right. Ask Xpollens to enable payments on this point of sale ("enable payment", the IzlyPay box).`,
        ];
      }
      return [`Izly refused the AppIdentifier and API key in both Authorization forms (${answer}). ${credentialsAdvice(target)}`];
    case 'unexpected':
      return [
        `Izly answered ${answer}, where an unknown operation should get code 356. Send that answer to Xpollens with the request: GET /api/Izly/WebPayments/${IMPOSSIBLE_OPERATION_ID} with the headers Authorization, AppIdentifier and Content-Type.`,
      ];
  }
}

/** Why the token probes failed; empty when they worked or did not run. */
export function connectProblems(payments: PaymentsCheck, connect: ConnectCheck | null): string[] {
  if (!connect || connect.verdict === 'ok') return [];
  const answer = quoted(connect.attempts, connect.verdict);
  const skip = 'If you do not use "Log in with Izly", run the doctor with --skip-connect.';
  switch (connect.verdict) {
    case 'credentials-refused':
      // With the payment calls also refusing them, the payments' advice already says what to check.
      return payments.verdict === 'ok'
        ? [
            `IzlyConnect's token call refused the client in both Authorization forms (${answer}), while the payment calls take the same credentials. Ask Xpollens to enable IzlyConnect on this point of sale (its "URL after connection"). ${skip}`,
          ]
        : [`IzlyConnect's token call refused the client too (${answer}).`];
    case 'unreachable':
    case 'not-izly':
    case 'point-of-sale-refused':
    case 'content-type-refused':
    case 'unexpected':
      return [
        `IzlyConnect's token call (POST /oauth/Home/Token): ${answer}, where a code never issued should get invalid_grant. Send that answer to Xpollens with the request (grant_type=authorization_code and code in the query string, Authorization: Basic). ${skip}`,
      ];
  }
}
