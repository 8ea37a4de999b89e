// The sandbox's options, its built-in point of sale and accounts, and how options, a JSON config file and
// the defaults combine. Web-standard only: the config file is read through `process.getBuiltinModule`
// (Node, Bun, Deno) so that importing the sandbox never pulls a `node:` module on other runtimes.
import { applyIzlyBehaviour, izlyPreset, type IzlyBehaviour, type IzlyBehaviourInput } from './izly-behaviour.js';

/** A point of sale of type "Izly Partner", as Izly staff register it in the back office (camelCase). */
export interface PointOfSale {
  /** "Identifiant de l'application client": the `AppIdentifier` header and the OAuth `client_id`. */
  appIdentifier: string;
  /** "Clé d'API": follows `Basic` on the payment calls; `AppIdentifier:apiKey` in standard Basic on the token call. */
  apiKey: string;
  /** Shown to the AD on the login and payment pages. */
  siteName: string;
  /** Server-to-server notification of a payment's outcome (`CallbackParameters` are appended). */
  callbackUrl: string;
  /** Where the AD goes after an IzlyConnect login, with `?code=`. */
  urlAfterConnection: string;
  /** Where the AD goes after a payment when the payment carries no `RedirectUrlAfterPayment`. */
  urlAfterPayment: string;
  /** Where the AD goes after cancelling a login or a payment. */
  urlAfterCancellation: string;
  /** "Autoriser le paiement": payments are refused while false. */
  paymentEnabled: boolean;
  /** "Agrément": nothing works on the partner API while false. */
  approved: boolean;
  /** The "IzlyPay" box: without it only IzlyConnect works. */
  izlyPay: boolean;
  /** Xpollens' outbound allow-list: callbacks are not sent (logged as blocked) while false. */
  callbackAllowListed: boolean;
  /** The partner's e-money account id (`Beneficiary.Id`, `BeneficiarySmoneyId`). */
  beneficiaryId: string;
  /** The partner's e-money balance in cents: credited by payments, debited by refunds. */
  balance: number;
}

/** An Izly account holder (ayant droit, AD). */
export interface Account {
  /** E-money account id (`User.Id`, `CustomerSmoneyId`). */
  id: string;
  email: string;
  /** French mobile number; the AD may log in with it instead of the e-mail. */
  phone: string;
  password: string;
  /** Balance in cents. */
  balance: number;
  /** An unpaid debt to settle: the account may not pay. */
  unpaidDebt: boolean;
  firstName: string;
  lastName: string;
  /** CROUS client code. */
  clientCode: string;
  /** CROUS assignment number. */
  numeroAffectation: string;
}

/** How the callback carries `OperationSMoney.Amount` (the `callbackAmountFormat` switch of `izly`). */
export type CallbackAmountFormat = IzlyBehaviour['callbackAmountFormat'];

/** What `createSandbox()` and the JSON config file accept. */
export interface SandboxOptions {
  /**
   * Where browsers and partners reach the sandbox (default http://localhost:8790): the start of
   * `PaymentAuthorizationUrl` and of every link, form and asset of its pages. It may carry a path when the
   * sandbox is mounted under a prefix (`app.route('/izly-sandbox', sandbox)`).
   */
  publicUrl?: string;
  /** How callbacks are delivered (default `globalThis.fetch`). */
  fetch?: (request: Request) => Response | Promise<Response>;
  /** Retries after a failed callback attempt (default 3). */
  callbackRetries?: number;
  /** Delay between callback attempts in ms (default 20000). */
  callbackRetryDelayMs?: number;
  /** Time allowed to each callback attempt in ms (default 5000). */
  callbackTimeoutMs?: number;
  /**
   * Which plausible Izly to be: `'strictest'` (the default), `'lenient'` (the document's easiest reading), or
   * switches (see izly-behaviour.ts and the README), e.g. `{ preset: 'lenient', statusVocabulary: 's-money' }`.
   * Default: every switch at its strictest value.
   */
  izly?: IzlyBehaviourInput;
  /** Points of sale; each entry is merged over the built-in one. When given, the list replaces the built-in list. */
  pointsOfSale?: Array<Partial<PointOfSale>>;
  /** Accounts; when given, they replace the built-in accounts. Missing fields get neutral defaults. */
  accounts?: Array<Partial<Account> & { email: string }>;
  /** A JSON file with the same shape as these options; explicit options win over it. */
  configFile?: string;
  /** The clock in ms since the epoch, so tests can expire codes, tokens and operations. */
  now?: () => number;
  /** How long an operation may stay `Pending` before it is `Expired`, in ms (default 15 minutes). */
  operationTtlMs?: number;
  /** IzlyConnect authorization code lifetime in ms (default 60000). */
  authorizationCodeTtlMs?: number;
  /** IzlyConnect access token lifetime in seconds (default 3600). */
  accessTokenTtlSeconds?: number;
  /** The first operation id handed out (default 52795, like the document's example). */
  firstOperationId?: number;
  /**
   * The token the control API (/sandbox/api/*) wants as `Authorization: Bearer <token>`, at least 16 URL-safe
   * characters; default a random one, printed by `izly-sandbox` and `npm start` (`control.controlToken()`).
   */
  controlToken?: string;
  /**
   * Hosts besides loopback and the host of `publicUrl` that the control API may point a callback URL at
   * (default none), e.g. `['shop.test']`; options and the config file may set any callback URL.
   */
  callbackHosts?: string[];
  /** Operations kept (default 100000, above a full benchmark's creations per server): past it the oldest decided ones are forgotten, and creations refused while none is. */
  maxOperations?: number;
}

/** Every option resolved: what the rest of the sandbox reads. */
export interface SandboxConfig {
  publicUrl: string;
  /** The path of `publicUrl` ('' at the root): the pages' links start with it. */
  basePath: string;
  fetch: (request: Request) => Response | Promise<Response>;
  callbackRetries: number;
  callbackRetryDelayMs: number;
  callbackTimeoutMs: number;
  /** The switches at start; `state.izly` holds them as the control API changes them. */
  izly: IzlyBehaviour;
  pointsOfSale: PointOfSale[];
  accounts: Account[];
  now: () => number;
  operationTtlMs: number;
  authorizationCodeTtlMs: number;
  accessTokenTtlSeconds: number;
  firstOperationId: number;
  controlToken: string;
  /** Lower case. */
  callbackHosts: string[];
  maxOperations: number;
}

/** At most this many points of sale and accounts: the sandbox keeps them in memory and lists them on its home page. */
export const MAX_POINTS_OF_SALE = 100;
export const MAX_ACCOUNTS = 1000;

/** The default password of every built-in account. */
export const DEFAULT_PASSWORD = 'izly1234';

export const DEFAULT_POINT_OF_SALE: Readonly<PointOfSale> = {
  appIdentifier: 'izly-pay-demo',
  // Already a base64 string, btoa('izly-pay-demo:sandbox-demo-secret'), as the document's example key is: the
  // default `tokenAuthorization: 'raw-key'` takes the back office's key as the text that follows `Basic`.
  apiKey: 'aXpseS1wYXktZGVtbzpzYW5kYm94LWRlbW8tc2VjcmV0',
  siteName: 'Boutique démo',
  callbackUrl: 'http://localhost:8787/izly/callback',
  urlAfterConnection: 'http://localhost:8787/izly/connect/callback',
  urlAfterPayment: 'http://localhost:8787/',
  urlAfterCancellation: 'http://localhost:8787/',
  paymentEnabled: true,
  approved: true,
  izlyPay: true,
  callbackAllowListed: true,
  beneficiaryId: '49915',
  balance: 0,
};

export const DEFAULT_ACCOUNTS: ReadonlyArray<Readonly<Account>> = [
  {
    id: '6000050617',
    email: 'etudiant@izly.test',
    phone: '0612345678',
    password: DEFAULT_PASSWORD,
    balance: 10000,
    unpaidDebt: false,
    firstName: 'Camille',
    lastName: 'Martin',
    clientCode: 'cmartin01',
    numeroAffectation: '75012345',
  },
  {
    id: '6000050618',
    email: 'fauche@izly.test',
    phone: '0698765432',
    password: DEFAULT_PASSWORD,
    balance: 150,
    unpaidDebt: false,
    firstName: 'Lucas',
    lastName: 'Petit',
    clientCode: 'lpetit02',
    numeroAffectation: '75023456',
  },
  {
    id: '6000050619',
    email: 'impaye@izly.test',
    phone: '0611223344',
    password: DEFAULT_PASSWORD,
    balance: 5000,
    unpaidDebt: true,
    firstName: 'Inès',
    lastName: 'Moreau',
    clientCode: 'imoreau03',
    numeroAffectation: '75034567',
  },
];

const POINT_OF_SALE_FIELDS: Record<keyof PointOfSale, 'string' | 'boolean' | 'number'> = {
  appIdentifier: 'string',
  apiKey: 'string',
  siteName: 'string',
  callbackUrl: 'string',
  urlAfterConnection: 'string',
  urlAfterPayment: 'string',
  urlAfterCancellation: 'string',
  paymentEnabled: 'boolean',
  approved: 'boolean',
  izlyPay: 'boolean',
  callbackAllowListed: 'boolean',
  beneficiaryId: 'string',
  balance: 'number',
};

const ACCOUNT_FIELDS: Record<keyof Account, 'string' | 'boolean' | 'number'> = {
  id: 'string',
  email: 'string',
  phone: 'string',
  password: 'string',
  balance: 'number',
  unpaidDebt: 'boolean',
  firstName: 'string',
  lastName: 'string',
  clientCode: 'string',
  numeroAffectation: 'string',
};

/**
 * Checks a partial point of sale (from options, a config file or a PATCH of the control API) and returns
 * its known fields; throws an `Error` naming the first bad field.
 */
export function checkPointOfSaleFields(input: unknown, where: string): Partial<PointOfSale> {
  return checkFields(input, POINT_OF_SALE_FIELDS, where) as Partial<PointOfSale>;
}

/** Same as `checkPointOfSaleFields`, for an account. */
export function checkAccountFields(input: unknown, where: string): Partial<Account> {
  return checkFields(input, ACCOUNT_FIELDS, where) as Partial<Account>;
}

function checkFields(input: unknown, fields: Record<string, 'string' | 'boolean' | 'number'>, where: string) {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new Error(`${where}: expected an object`);
  }
  const checked: Record<string, string | boolean | number> = {};
  for (const [name, value] of Object.entries(input)) {
    const type = fields[name];
    if (type === undefined) throw new Error(`${where}: unknown field "${name}"`);
    if (typeof value !== type) throw new Error(`${where}: "${name}" must be a ${type}`);
    if (type === 'number' && !Number.isSafeInteger(value)) throw new Error(`${where}: "${name}" must be an integer (cents)`);
    checked[name] = value as string | boolean | number;
  }
  for (const name of ['callbackUrl', 'urlAfterConnection', 'urlAfterPayment', 'urlAfterCancellation']) {
    const value = checked[name];
    if (typeof value === 'string' && !isHttpUrl(value)) throw new Error(`${where}: "${name}" must be an http(s) URL`);
  }
  return checked;
}

/** True for an absolute http: or https: URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Reads a JSON config file through the runtime's own `fs` (Node, Bun and Deno provide `node:fs`). */
function readConfigFile(path: string): SandboxOptions {
  const fs = globalThis.process?.getBuiltinModule?.('node:fs');
  if (!fs) throw new Error(`configFile "${path}": this runtime cannot read files; pass the options instead`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`configFile "${path}": ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`configFile "${path}": expected a JSON object`);
  }
  const options = parsed as Record<string, unknown>;
  for (const name of ['fetch', 'now', 'configFile']) {
    if (name in options) throw new Error(`configFile "${path}": "${name}" cannot be set from a file`);
  }
  assertKnownOptions(options, `configFile "${path}"`);
  return options as SandboxOptions;
}

/** Every option, so that the compiler says when one is added here but not to `SandboxOptions` or back. */
const OPTION_NAMES: Record<keyof SandboxOptions, true> = {
  publicUrl: true,
  fetch: true,
  callbackRetries: true,
  callbackRetryDelayMs: true,
  callbackTimeoutMs: true,
  izly: true,
  pointsOfSale: true,
  accounts: true,
  configFile: true,
  now: true,
  operationTtlMs: true,
  authorizationCodeTtlMs: true,
  accessTokenTtlSeconds: true,
  firstOperationId: true,
  controlToken: true,
  callbackHosts: true,
  maxOperations: true,
};

/** A misspelt option would otherwise be ignored and the sandbox silently be another Izly than intended. */
function assertKnownOptions(options: object, where: string): void {
  for (const name of Object.keys(options)) {
    if (!Object.hasOwn(OPTION_NAMES, name)) throw new Error(`${where}: unknown option "${name}"`);
  }
}

function positiveInteger(value: number | undefined, fallback: number, name: string, allowZero = false): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0 || (value === 0 && !allowZero)) {
    throw new Error(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer`);
  }
  return value;
}

/** Resolves options (over the config file, over the defaults) and checks them; throws `Error` when wrong. */
export function resolveConfig(options: SandboxOptions): SandboxConfig {
  assertKnownOptions(options, 'options');
  const fromFile = options.configFile ? readConfigFile(options.configFile) : {};
  const merged: SandboxOptions = { ...fromFile, ...options };

  const publicUrl = (merged.publicUrl ?? 'http://localhost:8790').replace(/\/+$/, '');
  if (!isHttpUrl(publicUrl)) throw new Error('publicUrl must be an http(s) URL');

  const pointsOfSale = (merged.pointsOfSale ?? [{}]).map((entry, index) => ({
    ...DEFAULT_POINT_OF_SALE,
    ...(index > 0 ? { beneficiaryId: String(Number(DEFAULT_POINT_OF_SALE.beneficiaryId) + index) } : {}),
    ...checkPointOfSaleFields(entry, `pointsOfSale[${index}]`),
  }));
  if (pointsOfSale.length === 0) throw new Error('pointsOfSale must not be empty');
  if (pointsOfSale.length > MAX_POINTS_OF_SALE) throw new Error(`pointsOfSale: at most ${MAX_POINTS_OF_SALE}`);
  assertUnique(
    pointsOfSale.map((pos) => pos.appIdentifier),
    'pointsOfSale: appIdentifier',
  );
  assertUnique(
    pointsOfSale.map((pos) => pos.apiKey),
    'pointsOfSale: apiKey',
  );

  const accounts = merged.accounts
    ? merged.accounts.map((entry, index) => {
        const fields = checkAccountFields(entry, `accounts[${index}]`);
        if (!fields.email) throw new Error(`accounts[${index}]: "email" is required`);
        return {
          id: String(7000000000 + index),
          phone: '',
          password: DEFAULT_PASSWORD,
          balance: 0,
          unpaidDebt: false,
          firstName: '',
          lastName: '',
          clientCode: '',
          numeroAffectation: '',
          email: fields.email,
          ...fields,
        };
      })
    : DEFAULT_ACCOUNTS.map((account) => ({ ...account }));
  if (accounts.length > MAX_ACCOUNTS) throw new Error(`accounts: at most ${MAX_ACCOUNTS}`);
  assertUnique(
    accounts.map((account) => account.email.toLowerCase()),
    'accounts: email',
  );

  // Switches layer: the defaults (the strictest values), then the file's, then the options' (the CLI's flags) over those.
  let izly = izlyPreset('default');
  if (fromFile.izly !== undefined) izly = applyIzlyBehaviour(izly, fromFile.izly, `configFile "${options.configFile}": izly`);
  if (options.izly !== undefined) izly = applyIzlyBehaviour(izly, options.izly, 'izly');
  const fetchFunction = merged.fetch ?? ((request: Request) => globalThis.fetch(request));

  return {
    publicUrl,
    basePath: new URL(publicUrl).pathname.replace(/\/+$/, ''),
    fetch: fetchFunction,
    callbackRetries: positiveInteger(merged.callbackRetries, 3, 'callbackRetries', true),
    callbackRetryDelayMs: positiveInteger(merged.callbackRetryDelayMs, 20_000, 'callbackRetryDelayMs', true),
    callbackTimeoutMs: positiveInteger(merged.callbackTimeoutMs, 5_000, 'callbackTimeoutMs'),
    izly,
    pointsOfSale,
    accounts,
    now: merged.now ?? (() => Date.now()),
    operationTtlMs: positiveInteger(merged.operationTtlMs, 15 * 60_000, 'operationTtlMs'),
    authorizationCodeTtlMs: positiveInteger(merged.authorizationCodeTtlMs, 60_000, 'authorizationCodeTtlMs'),
    accessTokenTtlSeconds: positiveInteger(merged.accessTokenTtlSeconds, 3600, 'accessTokenTtlSeconds'),
    firstOperationId: positiveInteger(merged.firstOperationId, 52795, 'firstOperationId'),
    controlToken: checkControlToken(merged.controlToken),
    callbackHosts: checkCallbackHosts(merged.callbackHosts),
    maxOperations: positiveInteger(merged.maxOperations, 100_000, 'maxOperations'),
  };
}

/** A token given by a script, or a random one: 32 URL-safe characters. */
function checkControlToken(token: unknown): string {
  if (token === undefined) return randomControlToken();
  if (typeof token !== 'string' || !/^[A-Za-z0-9._~+/=-]{16,200}$/.test(token)) {
    throw new Error('controlToken must be 16 to 200 URL-safe characters (letters, digits, - . _ ~ + / =)');
  }
  return token;
}

function randomControlToken(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

function checkCallbackHosts(hosts: unknown): string[] {
  if (hosts === undefined) return [];
  if (!Array.isArray(hosts) || hosts.some((host) => typeof host !== 'string' || !/^[A-Za-z0-9.:[\]-]+$/.test(host))) {
    throw new Error('callbackHosts must be a list of host names, e.g. ["shop.test"]');
  }
  return hosts.map((host: string) => host.toLowerCase());
}

function assertUnique(values: string[], what: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) throw new Error(`${what} "${value}" appears twice`);
    seen.add(value);
  }
}
