// Izly writes its dates in Paris local time without a zone: ISO-like in the GET and refund answers
// ("2021-12-09T18:53:34"), dd/MM/yyyy HH:mm:ss in the callback. Intl does the time-zone work.

const parisParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function partsOf(ms: number): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string> {
  const parts: Record<string, string> = {};
  for (const part of parisParts.formatToParts(new Date(ms))) parts[part.type] = part.value;
  return parts as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', string>;
}

/** "2021-12-09T18:53:34" (Paris local time, no zone). */
export function parisIsoLocal(ms: number): string {
  const p = partsOf(ms);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

/** "09/12/2021 18:53:34" (Paris local time). */
export function parisFrenchDateTime(ms: number): string {
  const p = partsOf(ms);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}:${p.second}`;
}
