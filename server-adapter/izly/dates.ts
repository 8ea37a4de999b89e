// Izly's dates carry no time zone: the GET answer's `PaymentDate` is ISO without offset
// (`2021-12-09T18:53:34`) and the callback's `Date` is `dd/MM/yyyy HH:mm:ss`. Both are Paris local time
// (field report). The Paris offset is taken from the runtime's time-zone data through Intl, so that the
// adapter needs no date library and runs on any Web-standard runtime.

const PARIS = 'Europe/Paris';

let parisFormat: Intl.DateTimeFormat | undefined;

function parisParts(instant: number): Record<string, number> {
  parisFormat ??= new Intl.DateTimeFormat('en-US', {
    timeZone: PARIS,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const parts: Record<string, number> = {};
  for (const part of parisFormat.formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return parts;
}

const QUARTER_HOUR_MS = 900_000;
/** Offsets already asked, by UTC quarter hour: since 1996 Paris changes offset at 01:00 UTC, never inside a quarter hour (Izly's dates are recent). */
const offsetByQuarterHour = new Map<number, number>();

/** Paris' offset from UTC at a given instant, in milliseconds (3600000 in winter, 7200000 in summer). */
export function parisOffsetMs(instant: number): number {
  const quarter = Math.floor(instant / QUARTER_HOUR_MS);
  const known = offsetByQuarterHour.get(quarter);
  if (known !== undefined) return known;
  const start = quarter * QUARTER_HOUR_MS;
  const p = parisParts(start);
  const offset = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - start;
  // Formatting is the costly part of reading a date (several per date); a few hundred entries cover months of answers.
  if (offsetByQuarterHour.size >= 512) offsetByQuarterHour.clear();
  offsetByQuarterHour.set(quarter, offset);
  return offset;
}

/**
 * The instant at which Paris' clocks showed this wall time. In the autumn hour that happens twice the
 * earlier instant is taken; a wall time skipped in spring is read with the offset in force just before.
 */
export function fromParisWallTime(year: number, month: number, day: number, hour: number, minute: number, second: number, ms = 0): Date {
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Paris changes offset at most once in any 24 h: the offsets in force half a day either side are the
  // only candidates. A candidate is right when Paris, at that instant, really has that offset.
  const offsetBefore = parisOffsetMs(wallAsUtc - 43_200_000);
  const offsetAfter = parisOffsetMs(wallAsUtc + 43_200_000);
  const before = wallAsUtc - offsetBefore;
  const after = wallAsUtc - offsetAfter;
  const beforeFits = parisOffsetMs(before) === offsetBefore;
  // The same offset both sides (every day but two a year): one candidate, one check.
  const afterFits = after === before ? beforeFits : parisOffsetMs(after) === offsetAfter;
  if (beforeFits && afterFits) return new Date(Math.min(before, after));
  return new Date(afterFits ? after : before);
}

const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(Z|[+-]\d{2}:?\d{2})?$/;
const FRENCH = /^(\d{2})\/(\d{2})\/(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/;

function validWallTime(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  const check = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
}

/**
 * Reads an Izly date: ISO without zone (`2021-12-09T18:53:34`, Paris time), ISO with an explicit
 * offset (taken as written), or `dd/MM/yyyy HH:mm:ss` (Paris time). Returns null for anything else,
 * including an empty string, which Izly uses for a missing value.
 * @example parseIzlyDate('2021-12-09T18:53:34')?.toISOString() === '2021-12-09T17:53:34.000Z'
 */
export function parseIzlyDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const iso = ISO_LOCAL.exec(text);
  if (iso) {
    const [year, month, day, hour, minute] = iso.slice(1, 6).map(Number) as [number, number, number, number, number];
    const second = Number(iso[6] ?? 0);
    const ms = Math.trunc(Number(`0.${iso[7] ?? '0'}`) * 1000);
    if (!validWallTime(year, month, day, hour, minute, second)) return null;
    const zone = iso[8];
    if (zone) {
      const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
      if (zone === 'Z') return new Date(wallAsUtc);
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      const offsetMs = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
      return new Date(wallAsUtc - offsetMs);
    }
    return fromParisWallTime(year, month, day, hour, minute, second, ms);
  }
  const french = FRENCH.exec(text);
  if (french) {
    const [day, month, year] = french.slice(1, 4).map(Number) as [number, number, number];
    const hour = Number(french[4] ?? 0);
    const minute = Number(french[5] ?? 0);
    const second = Number(french[6] ?? 0);
    if (!validWallTime(year, month, day, hour, minute, second)) return null;
    return fromParisWallTime(year, month, day, hour, minute, second);
  }
  return null;
}
