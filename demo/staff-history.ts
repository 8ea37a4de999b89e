// A payment's history and outcome in the staff's words: the adapter's events, Izly's statuses (names or
// numbers), Izly's error codes and the adapter's failure reasons read as French, never as raw codes.
import type { PaymentEvent } from '../server-adapter/index.js';

/** A payment's or order's status in the staff's and student's words. */
export function statusLabel(status: string): string {
  const labels: Record<string, string> = {
    open: 'à payer',
    created: 'créé',
    pending: 'en attente',
    paid: 'payé',
    refunded: 'remboursé',
    failed: 'refusé',
    cancelled: 'annulé',
    expired: 'expiré',
  };
  return labels[status] ?? status;
}

/** "14:05:09", Paris time. */
export function timeOfDay(iso: string): string {
  return new Intl.DateTimeFormat('fr-FR', { timeStyle: 'medium', timeZone: 'Europe/Paris' }).format(new Date(iso));
}

// Izly's OperationStatus as it may come (the document's, S-money's and Xpollens' names, and the numeric
// forms); the adapter decides what a status means, this only says it in words.
const IZLY_STATUS_WORDS: Record<string, string> = {
  pending: 'en attente',
  waitingvalidation: 'en attente de validation',
  waitingremittance: 'en attente d’envoi',
  registered: 'enregistré',
  inprogress: 'en cours',
  completed: 'payé',
  succeeded: 'payé',
  refund: 'remboursé',
  refunded: 'remboursé',
  failed: 'refusé',
  refused: 'refusé',
  canceled: 'annulé',
  cancelled: 'annulé',
  expired: 'expiré',
  '-1': 'inconnu',
  '0': 'en attente',
  '1': 'payé',
  '2': 'remboursé',
  '3': 'refusé',
  '4': 'en attente de validation',
  '5': 'annulé',
  '6': 'en attente d’envoi',
  '7': 'expiré',
};

/** Izly's status in words; a value nobody knows is named as Izly sent it. */
export function izlyStatusWords(raw: unknown): string {
  const text = raw === null || raw === undefined ? '' : String(raw).trim();
  if (text === '') return 'sans statut';
  return IZLY_STATUS_WORDS[text.toLowerCase()] ?? `statut inconnu « ${text} »`;
}

// Izly's refusal codes (the failure callback's Error.Code, or an error answer's Code), izly-partner-api.md.
const IZLY_ERROR_WORDS: Record<number, string> = {
  110: 'solde insuffisant',
  2001: 'impayé à régulariser',
  2002: 'solde insuffisant',
  356: 'opération inconnue chez Izly',
  364: 'opération invalide',
  708: 'état de paiement incohérent chez Izly',
  710: 'référence de commande déjà utilisée',
};

/** Izly's error code in words; 0 is no error (null). */
export function izlyErrorWords(code: unknown): string | null {
  const number = Number(code);
  if (code === null || code === undefined || code === '' || number === 0) return null;
  return IZLY_ERROR_WORDS[number] ?? `refus d’Izly (code ${String(code)})`;
}

// The adapter's failure reasons (`PaymentRecord.failureReason`) and its error codes of Izly calls.
const FAILURE_WORDS: Record<string, string> = {
  insufficient_balance: 'solde insuffisant',
  unpaid_debt: 'impayé à régulariser',
  account_blocked: 'compte Izly bloqué',
  cancelled: 'annulé par l’étudiant',
  expired: 'jamais validé à temps : expiré',
  unknown: 'refusé par Izly (raison inconnue)',
  izly_failed: 'refusé par Izly',
  izly_cancelled: 'annulé par l’étudiant',
  izly_expired: 'expiré chez Izly',
  expired_pending_at_izly: 'jamais validé : expiré',
  initiation_incomplete: 'création chez Izly inachevée',
  izly_unknown_operation: 'opération disparue chez Izly',
  izly_error: 'refusé par Izly',
  izly_unavailable: 'Izly indisponible',
  izly_bad_answer: 'réponse d’Izly illisible',
  izly_timeout: 'Izly n’a pas répondu à temps',
};

/** Why a payment failed, in words ("solde insuffisant"); null when it did not. */
export function failureWords(reason: string | null): string | null {
  if (!reason) return null;
  const fromCode = /^izly_error_(-?\d+)/.exec(reason);
  if (fromCode) return izlyErrorWords(fromCode[1]) ?? 'refusé par Izly';
  // A status read carries Izly's own words after the code ("izly_failed: Solde insuffisant").
  const words = reason.toLowerCase();
  if (words.includes('solde insuffisant')) return 'solde insuffisant';
  if (words.includes('impayé')) return 'impayé à régulariser';
  const code = reason.split(/[:\s]/)[0]!;
  return FAILURE_WORDS[code] ?? 'raison inconnue';
}

// The Izly client's error classes, as `izly_*_failed` and `refund_failed` events name them.
const CALL_ERROR_WORDS: Record<string, string> = {
  IzlyApiError: 'refus d’Izly',
  IzlyTimeoutError: 'pas de réponse à temps',
  IzlyNetworkError: 'Izly injoignable',
  IzlyUnexpectedAnswerError: 'réponse illisible',
};

function callErrorWords(name: unknown): string {
  return CALL_ERROR_WORDS[String(name)] ?? 'erreur inattendue';
}

const READ_SOURCE_WORDS: Record<string, string> = {
  poll: 'page de l’étudiant',
  callback: 'après un rappel',
  reconcile: 'vérification régulière',
  refund: 'remboursement',
  create: 'nouveau clic',
};

const HOOK_WORDS: Record<string, string> = {
  onPaid: 'livraison de la commande (onPaid)',
  onFailed: 'échec de la commande (onFailed)',
  onRefunded: 'remboursement de la commande (onRefunded)',
};

/** A partner hook by what it does for the shop ("livraison de la commande (onPaid)"). */
export function hookWords(hook: unknown): string {
  return HOOK_WORDS[String(hook)] ?? String(hook);
}

function callbackWords(d: PaymentEvent['detail']): string {
  const error = izlyErrorWords(d.errorCode);
  return `rappel d’Izly reçu : ${izlyStatusWords(d.izlyStatus)}${error ? `, ${error}` : ''}`;
}

/** One line of a payment's history on the orders page, in French. */
export function describeEvent(event: PaymentEvent): string {
  const d = event.detail;
  switch (event.type) {
    case 'created':
      return 'paiement créé';
    case 'izly_initiated':
      return `opération Izly ${d.operationId} créée`;
    case 'izly_initiate_failed':
      return `échec de la création chez Izly (${callErrorWords(d.error)})`;
    case 'callback':
      return callbackWords(d);
    case 'callback_refused':
      return 'rappel ignoré : il ne correspond pas à ce paiement';
    case 'izly_read':
      return `statut lu chez Izly : ${izlyStatusWords(d.izlyStatus)} (${READ_SOURCE_WORDS[String(d.source)] ?? String(d.source)})`;
    case 'izly_read_failed':
      return `lecture du statut chez Izly en échec (${callErrorWords(d.error)})`;
    case 'transition':
      return `état : ${statusLabel(String(d.from ?? '?'))} → ${statusLabel(String(d.to ?? '?'))}`;
    case 'amount_mismatch':
      return `montant différent chez Izly (${d.izly})`;
    case 'refund_requested':
      return 'remboursement demandé à Izly';
    case 'refund_failed':
      return `remboursement en échec (${callErrorWords(d.error)})`;
    case 'hook_failed':
      return `erreur dans la ${hookWords(d.hook)} (essai ${d.attempt ?? 1}${d.nextAttemptAt ? `, nouvel essai à ${timeOfDay(String(d.nextAttemptAt))}` : ''})`;
    case 'hook_given_up':
      return `${hookWords(d.hook)} abandonnée après ${d.attempts} essais : à traiter à la main`;
    case 'duplicate_payment':
      return d.paidBefore
        ? `commande déjà payée par ${d.paidBefore} : ${d.refund ? 'remboursé automatiquement' : 'à rembourser'}`
        : `payée une seconde fois par ${d.duplicate}`;
    case 'refund_abandoned':
      return 'remboursement jamais vu chez Izly : abandonné';
    case 'webhook_delivered':
      return 'webhook remis au site';
    case 'beneficiary_mismatch':
      return `Izly nomme un autre bénéficiaire (${d.izly})`;
    default:
      // A type added to the adapter after this page was written: shown as it is rather than hidden.
      return event.type;
  }
}
