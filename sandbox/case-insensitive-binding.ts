// Izly runs on ASP.NET, which binds JSON property names and query parameters without regard to case
// (esup-papercut sends `amount`, `clientOrderId`). The sandbox binds them the same way.

/** The object's own properties keyed by their lower-cased names (the last spelling wins). */
export function lowerCaseKeys(value: Record<string, unknown>): Map<string, unknown> {
  const byName = new Map<string, unknown>();
  for (const [name, item] of Object.entries(value)) byName.set(name.toLowerCase(), item);
  return byName;
}

/** The query parameter `name`, whatever its case in the URL; undefined when absent. */
export function queryParam(url: string, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of new URL(url).searchParams) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}
