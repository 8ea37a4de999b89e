// `izly-pay doctor`'s command line: strict arguments (an unknown flag is refused with its name), then the
// report as text or JSON, and the exit code. Runtime-neutral like the rest of server-adapter/ (no `node:`
// module, no runtime global): bin/izly-pay.mjs hands it the arguments, the environment and where to
// write, and exits with the code it returns; tests call it directly.
import { IZLY_PREPRODUCTION } from '../izly/client.js';
import { DOCTOR_EXIT_CODES, runDoctor, type DoctorOptions } from './doctor.js';
import { formatReport } from './report-text.js';

/** What a command of `izly-pay` is given by the bin. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
}

export const DOCTOR_HELP = `Usage: izly-pay doctor --app-id ID --api-key KEY [--base-url URL] [--callback-url URL]
                       [--timeout SECONDS] [--skip-connect] [--json]

Checks a point of sale against Izly without moving money, and prints the izlyPay({...}) options to use,
or what is wrong and what to ask Xpollens:
  - payments: GET /api/Izly/WebPayments/<an operation that cannot exist>, in each Authorization form
    (Basic <apiKey>, Basic base64(AppIdentifier:apiKey)) and content type; Izly's "unknown operation"
    (code 356) means it took them;
  - IzlyConnect: the token endpoint with a code never issued, in each Authorization form; invalid_grant
    means it took the client;
  - the callback URL, when given: an unsigned POST, which the izly-pay adapter refuses with a 403.

Options:
  --base-url URL        Izly's origin (default ${IZLY_PREPRODUCTION}, or IZLY_BASE_URL)
  --app-id ID           the "Identifiant de l'application client" (or IZLY_APP_IDENTIFIER)
  --api-key KEY         the "Clé d'API" (or IZLY_API_KEY, better: a flag stays in the shell's history);
                        never printed
  --callback-url URL    the callback URL given to Izly, e.g. https://your-shop.example/izly/callback
  --timeout SECONDS     time allowed to each probe (default 5); nothing is retried
  --skip-connect        leave IzlyConnect out (a point of sale that only takes payments)
  --json                print the report as JSON
  -h, --help            print this help

Exit codes:
  0  Izly answered and the settings were found (and the callback URL answers as the adapter does)
  1  Izly answered, but refused every setting tried or answered something unknown
  2  bad arguments
  3  Izly unreachable: no answer, or not Izly's API, at the base URL
  4  Izly's settings were found, but the callback URL does not answer as the adapter does
`;

class ArgumentError extends Error {}

const VALUE_FLAGS = ['--base-url', '--app-id', '--api-key', '--callback-url', '--timeout'] as const;
const SWITCH_FLAGS = ['--json', '--skip-connect', '--help', '-h'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];
type SwitchFlag = (typeof SWITCH_FLAGS)[number];

function isOneOf<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

/** Flags and their values as given, each at most once; `--flag value` and `--flag=value` both read. */
function readFlags(args: readonly string[]): { values: Map<ValueFlag, string>; switches: Set<SwitchFlag> } {
  const values = new Map<ValueFlag, string>();
  const switches = new Set<SwitchFlag>();
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = equals > 0 ? arg.slice(0, equals) : arg;
    if (isOneOf(SWITCH_FLAGS, name)) {
      if (equals > 0) throw new ArgumentError(`${name} takes no value`);
      switches.add(name);
    } else if (isOneOf(VALUE_FLAGS, name)) {
      if (values.has(name)) throw new ArgumentError(`${name} is given twice`);
      const value = equals > 0 ? arg.slice(equals + 1) : args[++index];
      if (value === undefined || value === '' || (equals < 0 && value.startsWith('--'))) throw new ArgumentError(`${name} needs a value`);
      values.set(name, value);
    } else {
      throw new ArgumentError(arg.startsWith('-') ? `unknown option ${name}` : `unexpected argument "${arg}"`);
    }
  }
  return { values, switches };
}

function httpUrl(flag: string, value: string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) throw new ArgumentError(`${flag} must be an absolute http(s) URL, not "${value}"`);
  return value;
}

function timeoutMs(value: string | undefined): number {
  if (value === undefined) return 5_000;
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || seconds < 0.1 || seconds > 60)
    throw new ArgumentError(`--timeout must be a number of seconds between 0.1 and 60, not "${value}"`);
  return Math.round(seconds * 1000);
}

/** The doctor's options from the arguments and the environment (flags win); null when help was asked for. */
export function parseDoctorArguments(args: readonly string[], env: CommandIo['env']): { options: DoctorOptions; json: boolean } | null {
  const { values, switches } = readFlags(args);
  if (switches.has('--help') || switches.has('-h')) return null;
  const appIdentifier = values.get('--app-id') ?? env.IZLY_APP_IDENTIFIER;
  const apiKey = values.get('--api-key') ?? env.IZLY_API_KEY;
  if (!appIdentifier) throw new ArgumentError('--app-id is required (or IZLY_APP_IDENTIFIER)');
  if (!apiKey) throw new ArgumentError('--api-key is required (or IZLY_API_KEY)');
  const callbackUrl = values.get('--callback-url');
  const options: DoctorOptions = {
    baseUrl: httpUrl('--base-url', values.get('--base-url') ?? env.IZLY_BASE_URL ?? IZLY_PREPRODUCTION),
    appIdentifier,
    apiKey,
    timeoutMs: timeoutMs(values.get('--timeout')),
    skipConnect: switches.has('--skip-connect'),
  };
  if (callbackUrl !== undefined) options.callbackUrl = httpUrl('--callback-url', callbackUrl);
  return { options, json: switches.has('--json') };
}

/**
 * Runs `izly-pay doctor` with its arguments (those after `doctor`); resolves to the exit code.
 * @example
 * process.exitCode = await doctorCommand(process.argv.slice(3), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env });
 */
export async function doctorCommand(args: readonly string[], io: CommandIo): Promise<number> {
  let parsed: ReturnType<typeof parseDoctorArguments>;
  try {
    parsed = parseDoctorArguments(args, io.env);
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    io.err(`izly-pay doctor: ${error.message}. Run izly-pay doctor --help for the options.\n`);
    return DOCTOR_EXIT_CODES.badArguments;
  }
  if (parsed === null) {
    io.out(DOCTOR_HELP);
    return DOCTOR_EXIT_CODES.ok;
  }
  const report = await runDoctor(parsed.options);
  io.out(parsed.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.exitCode;
}
