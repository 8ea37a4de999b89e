// Which plausible Izly the sandbox is. The document leaves many behaviours open and the field evidence
// (izly-partner-api.md, sections 4 and 4b) points several ways; each switch here is one of those open
// points, with today's behaviour as its default and the value that is hardest on a client as `strictest`.
// One table drives the config file, the CLI flags, the control API and the README's list.

/** Every switch: its values, today's default and the strictest plausible value. */
export const IZLY_SWITCHES = {
  /** A `ClientOrderId` already used by the POS: accepted, or refused with Xpollens' 710 (HTTP 400). */
  clientOrderIdReuse: { values: ['allowed', 'refused'], default: 'allowed', strictest: 'refused' },
  /**
   * Where `CallbackParameters` go: joined to the callback URL with `?` or `&`, concatenated literally,
   * URL-encoded as the one query parameter `CallbackParameters`, or only in the body.
   */
  callbackParameters: { values: ['joined', 'concatenated', 'encoded', 'body-only'], default: 'joined', strictest: 'concatenated' },
  /** Content types the partner API accepts: both vendor types, one of them, or both plus `application/json`. */
  contentTypes: { values: ['vendor', 'xpollens', 's-money', 'vendor-and-json'], default: 'vendor', strictest: 's-money' },
  /** Unit of the decimal `Amount` of GET and Refund answers: `1.00` for 100 cents (euros) or `100.00` (cents). */
  amountUnit: { values: ['euros', 'cents'], default: 'euros', strictest: 'cents' },
  /** `OperationSMoney.Amount` of callbacks: `"350.00"` meaning cents (the field report) or `3.50` euros. */
  callbackAmountFormat: { values: ['cents-string', 'decimal-euros'], default: 'cents-string', strictest: 'cents-string' },
  /** Names of `OperationStatus` / `Status`: the document's, S-money's, or S-money's numeric codes. */
  statusVocabulary: { values: ['document', 's-money', 'numeric'], default: 'document', strictest: 'numeric' },
  /** Error codes and HTTP statuses: the sandbox's own, or Xpollens' where Xpollens has one. */
  errorCodes: { values: ['sandbox', 'xpollens'], default: 'sandbox', strictest: 'xpollens' },
  /** IzlyConnect's `state` on the redirect back: echoed or dropped. */
  connectState: { values: ['echoed', 'dropped'], default: 'echoed', strictest: 'dropped' },
  /** The token call's `Authorization`: `Basic base64(AppIdentifier:apiKey)` or `Basic <apiKey>` as is. */
  tokenAuthorization: { values: ['standard-basic', 'raw-key'], default: 'standard-basic', strictest: 'raw-key' },
  /** GET /api/izly/users: flat fields, the person nested under `Profile`, or `Id` and `Email` only. */
  usersAnswer: { values: ['flat', 'profile', 'minimal'], default: 'flat', strictest: 'profile' },
} as const;

export type IzlySwitchName = keyof typeof IZLY_SWITCHES;

/** The value of every switch: which Izly the sandbox is being. */
export type IzlyBehaviour = { -readonly [Name in IzlySwitchName]: (typeof IZLY_SWITCHES)[Name]['values'][number] };

/** Named sets of values: today's defaults, or every switch at its strictest. */
export type IzlyPreset = 'default' | 'strictest';

export const IZLY_PRESETS: readonly IzlyPreset[] = ['default', 'strictest'];

/**
 * What the config file's `izly`, `createSandbox({ izly })` and the control API accept: a preset name, or
 * switches (over `preset` when given, otherwise over what is in force).
 */
export type IzlyBehaviourInput = IzlyPreset | (Partial<IzlyBehaviour> & { preset?: IzlyPreset });

export const IZLY_SWITCH_NAMES = Object.keys(IZLY_SWITCHES) as IzlySwitchName[];

/** Every switch at its default (`'default'`) or at its strictest value. */
export function izlyPreset(preset: IzlyPreset): IzlyBehaviour {
  const behaviour: Record<string, string> = {};
  for (const name of IZLY_SWITCH_NAMES) behaviour[name] = IZLY_SWITCHES[name][preset];
  return behaviour as IzlyBehaviour;
}

function isPreset(value: unknown): value is IzlyPreset {
  return IZLY_PRESETS.includes(value as IzlyPreset);
}

/** True when `value` is one of the values of switch `name`. */
export function isSwitchValue<Name extends IzlySwitchName>(name: Name, value: unknown): value is IzlyBehaviour[Name] {
  return (IZLY_SWITCHES[name].values as readonly unknown[]).includes(value);
}

/**
 * Applies an input (a preset name, or switches with an optional `preset`) over `current`; throws an `Error`
 * naming the unknown key or the bad value, in which case nothing is applied.
 */
export function applyIzlyBehaviour(current: IzlyBehaviour, input: unknown, where: string): IzlyBehaviour {
  if (typeof input === 'string') {
    if (!isPreset(input)) throw new Error(`${where}: unknown preset "${input}" (expected ${IZLY_PRESETS.join(' or ')})`);
    return izlyPreset(input);
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new Error(`${where}: expected a preset name (${IZLY_PRESETS.join(', ')}) or an object of switches`);
  }
  const entries = Object.entries(input);
  const preset = (input as { preset?: unknown }).preset;
  if (preset !== undefined && !isPreset(preset)) {
    throw new Error(`${where}: "preset" must be one of ${IZLY_PRESETS.join(', ')}`);
  }
  const next: Record<string, string> = { ...(preset === undefined ? current : izlyPreset(preset)) };
  for (const [name, value] of entries) {
    if (name === 'preset') continue;
    if (!(name in IZLY_SWITCHES)) throw new Error(`${where}: unknown switch "${name}"`);
    const switchName = name as IzlySwitchName;
    if (!isSwitchValue(switchName, value)) {
      throw new Error(`${where}: "${name}" must be one of ${IZLY_SWITCHES[switchName].values.join(', ')}`);
    }
    next[name] = value;
  }
  return next as IzlyBehaviour;
}
