// Which plausible Izly the sandbox is. The document leaves many behaviours open and the field evidence
// (izly-partner-api.md, sections 4 and 4b) points several ways; each switch here is one of those open
// points. Every switch defaults to its `strictest` value, the plausible behaviour hardest on a client, so
// that whatever is tested against the sandbox is tested against the worst Izly it may meet (issue 12);
// `lenient` is the document's easiest reading, the sandbox's behaviour before that. One table drives the
// config file, the CLI flags, the control API and the README's list.

/** Every switch: its values, the strictest plausible one (the default) and the lenient one. */
export const IZLY_SWITCHES = {
  /** A `ClientOrderId` already used by the POS: accepted, or refused with Xpollens' 710 (HTTP 400). */
  clientOrderIdReuse: { values: ['allowed', 'refused'], strictest: 'refused', lenient: 'allowed' },
  /**
   * Where `CallbackParameters` go: joined to the callback URL with `?` or `&`, concatenated literally,
   * URL-encoded as the one query parameter `CallbackParameters`, or only in the body.
   */
  callbackParameters: { values: ['joined', 'concatenated', 'encoded', 'body-only'], strictest: 'concatenated', lenient: 'joined' },
  /** Content types the partner API accepts: both vendor types, one of them, or both plus `application/json`. */
  contentTypes: { values: ['vendor', 'xpollens', 's-money', 'vendor-and-json'], strictest: 's-money', lenient: 'vendor' },
  /** Unit of the decimal `Amount` of GET and Refund answers: `1.00` for 100 cents (euros) or `100.00` (cents). */
  amountUnit: { values: ['euros', 'cents'], strictest: 'cents', lenient: 'euros' },
  /** `OperationSMoney.Amount` of callbacks: `"350.00"` meaning cents (the field report) or `3.50` euros. */
  callbackAmountFormat: { values: ['cents-string', 'decimal-euros'], strictest: 'cents-string', lenient: 'cents-string' },
  /** Names of `OperationStatus` / `Status`: the document's, S-money's, or S-money's numeric codes. */
  statusVocabulary: { values: ['document', 's-money', 'numeric'], strictest: 'numeric', lenient: 'document' },
  /** Error codes and HTTP statuses: the sandbox's own, or Xpollens' where Xpollens has one. */
  errorCodes: { values: ['sandbox', 'xpollens'], strictest: 'xpollens', lenient: 'sandbox' },
  /** IzlyConnect's `state` on the redirect back: echoed or dropped. */
  connectState: { values: ['echoed', 'dropped'], strictest: 'dropped', lenient: 'echoed' },
  /** The token call's `Authorization`: `Basic base64(AppIdentifier:apiKey)` or `Basic <apiKey>` as is. */
  tokenAuthorization: { values: ['standard-basic', 'raw-key'], strictest: 'raw-key', lenient: 'standard-basic' },
  /** GET /api/izly/users: flat fields, the person nested under `Profile`, or `Id` and `Email` only. */
  usersAnswer: { values: ['flat', 'profile', 'minimal'], strictest: 'profile', lenient: 'flat' },
} as const;

export type IzlySwitchName = keyof typeof IZLY_SWITCHES;

/** The value of every switch: which Izly the sandbox is being. */
export type IzlyBehaviour = { -readonly [Name in IzlySwitchName]: (typeof IZLY_SWITCHES)[Name]['values'][number] };

/**
 * Named sets of values: `'default'` and `'strictest'` are the same set (every switch at its strictest, the
 * defaults), `'lenient'` every switch at the document's easiest reading.
 */
export type IzlyPreset = 'default' | 'strictest' | 'lenient';

export const IZLY_PRESETS: readonly IzlyPreset[] = ['default', 'strictest', 'lenient'];

/**
 * What the config file's `izly`, `createSandbox({ izly })` and the control API accept: a preset name, or
 * switches (over `preset` when given, otherwise over what is in force).
 */
export type IzlyBehaviourInput = IzlyPreset | (Partial<IzlyBehaviour> & { preset?: IzlyPreset });

export const IZLY_SWITCH_NAMES = Object.keys(IZLY_SWITCHES) as IzlySwitchName[];

/** Every switch at its strictest value (`'default'`, `'strictest'`) or at its lenient one. */
export function izlyPreset(preset: IzlyPreset): IzlyBehaviour {
  const behaviour: Record<string, string> = {};
  const column = preset === 'lenient' ? 'lenient' : 'strictest';
  for (const name of IZLY_SWITCH_NAMES) behaviour[name] = IZLY_SWITCHES[name][column];
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
    if (!isPreset(input)) throw new Error(`${where}: unknown preset "${input}" (expected ${IZLY_PRESETS.join(', ')})`);
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
