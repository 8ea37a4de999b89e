// Reading Izly's JSON. Izly (ASP.NET) binds names case-insensitively and the field report saw camelCase
// on the wire, so names are looked up without regard to case. Missing values are often empty strings.

/** A JSON object as received. */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value of `name` in `object`, whatever the case of its key. */
export function field(object: JsonObject, name: string): unknown {
  if (name in object) return object[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(object)) {
    if (key.toLowerCase() === lower) return object[key];
  }
  return undefined;
}

/** A nested object, or null. */
export function objectField(object: JsonObject, name: string): JsonObject | null {
  const value = field(object, name);
  return isJsonObject(value) ? value : null;
}

/** A string or a number as text; null for null, undefined, '' and anything else. */
export function textField(object: JsonObject, name: string): string | null {
  const value = field(object, name);
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** An integer from a number or numeric string; null otherwise. */
export function integerField(object: JsonObject, name: string): number | null {
  const value = field(object, name);
  const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) ? number : null;
}

const SECRET_KEY = /token|password|secret|apikey|api_key|authorization/i;

/** A copy of an answer's body safe to keep on an error: token-like fields masked, long text cut. */
export function redactBody(body: unknown): unknown {
  if (typeof body === 'string') {
    // A body that did not parse may still hold a token in its text.
    if (/token/i.test(body)) return '[redacted]';
    return body.length > 2000 ? `${body.slice(0, 2000)}…` : body;
  }
  if (Array.isArray(body)) return body.map(redactBody);
  if (isJsonObject(body)) {
    const copy: JsonObject = {};
    for (const [key, value] of Object.entries(body)) copy[key] = SECRET_KEY.test(key) ? '[redacted]' : redactBody(value);
    return copy;
  }
  return body;
}
