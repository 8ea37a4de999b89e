// Amounts are integer cents everywhere in the sandbox; these turn them into the texts Izly and the pages show,
// with integer arithmetic only (no floating-point drift).

/** Largest amount the sandbox accepts for one payment, in cents (1 000,00 €). */
export const MAX_AMOUNT_CENTS = 100_000;

/** 350 → "3.50" (the decimal euros of the GET and refund answers). */
export function centsToEuroText(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  return `${sign}${Math.trunc(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

/** 350 → "350.00" (the callback's amount as the field report shows it: cents written as a decimal). */
export function centsAsDecimalText(cents: number): string {
  return `${cents}.00`;
}

/** 350 → "3,50 €", 123456 → "1 234,56 €" (French style, narrow no-break spaces as French typography wants). */
export function formatEurosFrench(cents: number): string {
  const [units = '0', decimals = '00'] = centsToEuroText(cents).split('.');
  const grouped = units.replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
  return `${grouped},${decimals}\u00a0€`;
}
