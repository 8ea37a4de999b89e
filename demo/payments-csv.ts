// The payments export for the accountant, in the CSV that French spreadsheets (Excel, LibreOffice) open
// as columns without an import dialog: UTF-8 with a byte order mark (else Excel reads Windows-1252 and
// garbles "é"), `;` between fields (the comma is the French decimal mark), amounts in euros with a comma
// ("3,30"), dates in Paris time as "01/12/2026 14:05", CRLF line ends, a header row, and a field quoted
// only when it holds a `;`, a quote or a line break.
import { statusLabel } from './staff-history.js';
import type { StaffPaymentRow } from './staff-payments.js';

const BOM = '\uFEFF';

/** Cents as euros with a decimal comma and no thousands separator, which a spreadsheet reads as a number: 123456 → "1234,56". */
export function csvEuros(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const whole = Math.abs(cents);
  return `${sign}${Math.floor(whole / 100)},${String(whole % 100).padStart(2, '0')}`;
}

const PARIS_MINUTE = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "01/12/2026 14:05", Paris time (summer or winter); empty for no date. */
export function csvDate(iso: string | null): string {
  if (!iso) return '';
  const parts = Object.fromEntries(PARIS_MINUTE.formatToParts(new Date(iso)).map((part) => [part.type, part.value]));
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}

/**
 * One field: quoted (inner quotes doubled) when it holds `;`, `"` or a line break. Text typed by people (a
 * refund reason, an e-mail) that starts like a formula (`=`, `+`, `-`, `@`) gets a leading `'`, so a
 * spreadsheet shows it rather than running it.
 */
export function csvField(value: string, { typed = false } = {}): string {
  const safe = typed && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const HEADER = [
  'Date',
  'Commande',
  'Produit',
  'Montant (€)',
  'État',
  'E-mail de l’étudiant',
  'Payé le',
  'Remboursé le',
  'Motif du remboursement',
  'Raison de l’échec',
  'Référence Izly',
  'Opération Izly',
  'Paiement',
];

function line(row: StaffPaymentRow): string {
  return [
    csvField(csvDate(row.createdAt)),
    csvField(row.orderId),
    csvField(row.product),
    csvEuros(row.amount),
    csvField(statusLabel(row.status)),
    csvField(row.email ?? '', { typed: true }),
    csvField(csvDate(row.paidAt)),
    csvField(csvDate(row.refundedAt)),
    csvField(row.refundReasons.join(' / '), { typed: true }),
    csvField(row.failure ?? ''),
    csvField(row.clientOrderId),
    csvField(row.operationId ?? ''),
    csvField(row.paymentId),
  ].join(';');
}

/** The whole file: the byte order mark, the header, one line per payment, each ended by CRLF. */
export function paymentsCsv(rows: StaffPaymentRow[]): string {
  return `${BOM}${[HEADER.map((name) => csvField(name)).join(';'), ...rows.map(line)].map((text) => `${text}\r\n`).join('')}`;
}
