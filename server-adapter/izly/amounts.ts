// Izly's amounts, read exactly. Our API speaks integer cents; Izly's initiate call takes cents, but its
// GET and refund answers carry a decimal (`1.00`, euros in the document's reading) and the callback a
// numeric string (`"200.00"`, cents in the field report). Decimals are parsed from their text, digit by
// digit, so that no binary floating point ever touches a sum of money.

/** A decimal as Izly wrote it, split into its digits. */
interface ParsedDecimal {
  negative: boolean;
  /** Digits before the separator, without leading zeros ('' for zero). */
  whole: string;
  /** Digits after the separator ('' when none). */
  fraction: string;
}

const DECIMAL = /^([+-]?)(\d+)(?:[.,](\d*))?$/;

function parseDecimal(value: unknown): ParsedDecimal | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    // String(1e21) is '1e+21'; no real amount is that large, refuse it rather than guess.
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return null;
  }
  const match = DECIMAL.exec(text);
  if (!match) return null;
  return { negative: match[1] === '-', whole: match[2]!.replace(/^0+/, ''), fraction: match[3] ?? '' };
}

function toSafeInteger(digits: string, negative: boolean): number | null {
  const result = Number(digits === '' ? '0' : digits);
  if (!Number.isSafeInteger(result)) return null;
  return negative && result !== 0 ? -result : result;
}

/**
 * Integer cents from a decimal amount in euros (`1.00`, `"12.5"`, `"3,20"`, `7`), exactly.
 * Returns null when the value is not a number, or has a non-zero digit beyond the cent.
 * @example centsFromEuros(1.1) === 110; centsFromEuros('0.07') === 7; centsFromEuros('1.005') === null
 */
export function centsFromEuros(value: unknown): number | null {
  const parsed = parseDecimal(value);
  if (!parsed) return null;
  const fraction = parsed.fraction.padEnd(2, '0');
  if (/[1-9]/.test(fraction.slice(2))) return null;
  return toSafeInteger(parsed.whole + fraction.slice(0, 2), parsed.negative);
}

/**
 * Integer cents from a numeric value that already counts cents (`200`, `"200.00"`), truncating any
 * fraction as the field report's integration does. Returns null when the value is not a number.
 * @example centsFromCentsDecimal('200.00') === 200
 */
export function centsFromCentsDecimal(value: unknown): number | null {
  const parsed = parseDecimal(value);
  if (!parsed) return null;
  return toSafeInteger(parsed.whole, parsed.negative);
}

/** How an Izly amount matched the amount we asked for: read as euros, read as cents, or not at all. */
export type AmountMatch = 'euros' | 'cents' | 'mismatch';

/**
 * Compares the amount we asked for (cents) with an amount Izly reports, read both ways, because the
 * unit of Izly's decimal amounts is uncertain (section 4 of the contract).
 * @example matchAmount(100, 1.00) === 'euros'; matchAmount(200, '200.00') === 'cents'
 */
export function matchAmount(expectedCents: number, izlyAmount: unknown): AmountMatch {
  if (centsFromEuros(izlyAmount) === expectedCents) return 'euros';
  if (centsFromCentsDecimal(izlyAmount) === expectedCents) return 'cents';
  return 'mismatch';
}

/** Text of an amount as Izly sent it, kept for diagnosis (`1`, `"1.00"`). */
export function rawAmountText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return value;
  return null;
}

/** True for an amount our API accepts: a positive integer number of cents. */
export function isValidCents(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}
