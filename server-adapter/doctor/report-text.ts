// The doctor's report for a person: each probe and what came back, then either the `izlyPay({...})` values
// to use or what is wrong, then notes. The API key appears only masked.
import type { CallbackCheck } from './callback-probe.js';
import { DOCTOR_EXIT_CODES, type DoctorReport, type FoundOptions } from './doctor.js';
import { describeForm, IMPOSSIBLE_OPERATION_ID, type Attempt } from './izly-probes.js';

const MARKS: Record<Attempt['outcome'], string> = {
  accepted: 'ok',
  'credentials-refused': 'no',
  'content-type-refused': 'no',
  'point-of-sale-refused': 'no',
  unexpected: '??',
  'not-izly': '??',
  unreachable: '??',
};

const EXIT_MEANINGS: Record<DoctorReport['exitCode'], string> = {
  [DOCTOR_EXIT_CODES.ok]: 'Izly answered and the settings were found',
  [DOCTOR_EXIT_CODES.settingsNotFound]: 'Izly answered, the settings were not found',
  [DOCTOR_EXIT_CODES.badArguments]: 'bad arguments',
  [DOCTOR_EXIT_CODES.izlyUnreachable]: 'Izly unreachable',
  [DOCTOR_EXIT_CODES.callbackNotReady]: 'the callback URL does not answer as the adapter does',
};

function attemptLines(attempts: Attempt[]): string[] {
  const width = Math.max(...attempts.map((attempt) => describeForm(attempt.authorization).length));
  const typeWidth = Math.max(0, ...attempts.map((attempt) => attempt.contentType?.length ?? 0));
  return attempts.map((attempt) => {
    const type = attempt.contentType === null ? '' : `  ${attempt.contentType.padEnd(typeWidth)}`;
    return `  ${MARKS[attempt.outcome]}  ${describeForm(attempt.authorization).padEnd(width)}${type}  ${attempt.answer}`;
  });
}

function callbackLines(callback: CallbackCheck): string[] {
  return [`Callback URL: POST ${callback.url}, unsigned`, `  ${callback.ok ? 'ok' : 'no'}  ${callback.answer}`];
}

/** The options as a partner writes them; the key stays a name, for the partner to read from their secrets. */
function optionLines(options: FoundOptions): string[] {
  const lines = [
    '  izlyPay({',
    `    baseUrl: '${options.baseUrl}',`,
    `    appIdentifier: '${options.appIdentifier}',`,
    "    apiKey: IZLY_API_KEY, // the Clé d'API, from the environment or a secret store",
    `    authorization: '${options.authorization}', // ${describeForm(options.authorization)} on the payment calls`,
    `    contentType: '${options.contentType}',`,
  ];
  if (options.tokenAuthorization) {
    lines.push(`    tokenAuthorization: '${options.tokenAuthorization}', // ${describeForm(options.tokenAuthorization)} on IzlyConnect's token call`);
  }
  lines.push('    // secret, store, order, allowedOrigins, ...: see the README', '  });');
  return lines;
}

/** The report as plain text, ending with a line break. */
export function formatReport(report: DoctorReport): string {
  const lines = [
    `izly-pay doctor: ${report.baseUrl}, AppIdentifier ${report.appIdentifier}, API key ${report.apiKey}`,
    'No money moves: the probes read an operation that cannot exist and present a login code never issued.',
    '',
    `Payments: GET /api/Izly/WebPayments/${IMPOSSIBLE_OPERATION_ID}`,
    ...attemptLines(report.payments.attempts),
  ];
  if (report.connect) {
    lines.push('', 'IzlyConnect: POST /oauth/Home/Token?grant_type=authorization_code&code=<never issued>', ...attemptLines(report.connect.attempts));
  }
  if (report.callback) lines.push('', ...callbackLines(report.callback));
  lines.push('');
  if (report.options) {
    lines.push(report.problems.length === 0 ? 'Everything answered as it should. Use:' : 'Izly takes these settings:', '', ...optionLines(report.options), '');
  }
  if (report.problems.length > 0) lines.push('What is wrong, and what to do:', ...report.problems.map((problem) => `  - ${problem}`), '');
  if (report.notes.length > 0) lines.push('Notes:', ...report.notes.map((note) => `  - ${note}`), '');
  lines.push(`Exit code ${report.exitCode}: ${EXIT_MEANINGS[report.exitCode]}.`);
  return `${lines.join('\n')}\n`;
}
