// JSON.stringify writes 1.00 as 1. Izly's answers carry decimal amounts such as `"Amount": 1.00`, so the
// sandbox writes those numbers itself: a `DecimalNumber` holds the exact digits and is emitted unquoted.

/** A JSON number written with exactly these digits (e.g. "1.00"). */
export class DecimalNumber {
  readonly text: string;
  constructor(text: string) {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`not a decimal number: ${text}`);
    this.text = text;
  }
}

/** A value that `toJsonText` can write. */
export type JsonValue = string | number | boolean | null | DecimalNumber | JsonValue[] | { [key: string]: JsonValue };

/** JSON.stringify, except that a `DecimalNumber` is written as its own digits. */
export function toJsonText(value: JsonValue): string {
  if (value instanceof DecimalNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${toJsonText(item)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A JSON response whose body is written by `toJsonText`. */
export function jsonResponse(value: JsonValue, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(toJsonText(value), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}
