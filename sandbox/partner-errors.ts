// The errors of the partner API, in Izly's shape `{Code, ErrorMessage, Title, Priority}`. The `errorCodes`
// switch picks the sandbox's own codes or, where Xpollens has one (izly-partner-api.md 4b), Xpollens' code
// and HTTP status; 356 (the document) and 710 (a reused ClientOrderId) are Xpollens' in both.
import { jsonResponse } from './decimal-json.js';
import type { IzlyBehaviour } from './izly-behaviour.js';

export type ErrorCodes = IzlyBehaviour['errorCodes'];

interface PartnerErrorDefinition {
  code: number;
  status: number;
  message: string;
  title: string;
  /** Xpollens' code and HTTP status for this case, used with `errorCodes: 'xpollens'`. */
  xpollens?: { code: number; status: number };
}

const CANNOT_PROCEED = "L'opération ne peut pas aboutir";
const ACCESS_DENIED = 'Accès refusé';
const INVALID_REQUEST = 'Requête invalide';

// Xpollens answers its errors "whatever the HTTP status, mostly 400", 362 with 401 (4b).
const UNKNOWN_OPERATION = { code: 356, status: 400 };
const UNAUTHORIZED = { code: 362, status: 401 };
const INVALID_OPERATION = { code: 364, status: 400 };
const INCOHERENT_STATUS = { code: 708, status: 400 };

/** Every error the partner API answers, by name. */
export const PARTNER_ERRORS = {
  operationNotFound: { code: 356, status: 404, message: 'Opération introuvable', title: CANNOT_PROCEED, xpollens: UNKNOWN_OPERATION },
  missingAuthorization: {
    code: 1001,
    status: 401,
    message: "En-tête Authorization absent ou qui n'est pas de type Basic",
    title: ACCESS_DENIED,
    xpollens: UNAUTHORIZED,
  },
  unknownApiKey: { code: 1002, status: 401, message: "Clé d'API inconnue", title: ACCESS_DENIED, xpollens: UNAUTHORIZED },
  appIdentifierMismatch: {
    code: 1003,
    status: 401,
    message: "En-tête AppIdentifier absent ou qui ne correspond pas à la clé d'API",
    title: ACCESS_DENIED,
    xpollens: UNAUTHORIZED,
  },
  routeNotFound: { code: 1005, status: 404, message: 'Ressource introuvable', title: INVALID_REQUEST },
  methodNotAllowed: { code: 1006, status: 405, message: 'Méthode HTTP non autorisée sur cette ressource', title: INVALID_REQUEST },
  payloadTooLarge: { code: 1007, status: 413, message: 'Corps de la requête trop long (64 Kio au plus)', title: INVALID_REQUEST },
  unsupportedContentType: { code: 1004, status: 415, message: 'Content-Type non pris en charge', title: INVALID_REQUEST },
  pointOfSaleNotApproved: { code: 1010, status: 403, message: "Le point d'encaissement n'est pas agréé", title: ACCESS_DENIED },
  paymentDisabled: { code: 1011, status: 403, message: "Le paiement n'est pas autorisé sur ce point d'encaissement", title: ACCESS_DENIED },
  izlyPayNotEnabled: { code: 1012, status: 403, message: "IzlyPay n'est pas activé sur ce point d'encaissement", title: ACCESS_DENIED },
  invalidBody: { code: 1020, status: 400, message: "Le corps de la requête n'est pas un objet JSON", title: INVALID_REQUEST, xpollens: INVALID_OPERATION },
  invalidAmount: {
    code: 1021,
    status: 400,
    message: 'Amount doit être un entier de centimes entre 1 et 100000',
    title: INVALID_REQUEST,
    xpollens: INVALID_OPERATION,
  },
  invalidClientOrderId: {
    code: 1022,
    status: 400,
    message: 'ClientOrderId doit être une chaîne non vide de 50 caractères au plus, sans caractère de contrôle',
    title: INVALID_REQUEST,
    xpollens: INVALID_OPERATION,
  },
  invalidField: { code: 1023, status: 400, message: 'Propriété invalide', title: INVALID_REQUEST, xpollens: INVALID_OPERATION },
  clientOrderIdReused: { code: 710, status: 400, message: 'OrderId déjà existant.', title: CANNOT_PROCEED },
  alreadyRefunded: { code: 1030, status: 409, message: "L'opération a déjà été remboursée", title: CANNOT_PROCEED, xpollens: INCOHERENT_STATUS },
  notRefundable: {
    code: 1031,
    status: 409,
    message: 'Seule une opération payée (Completed) peut être remboursée',
    title: CANNOT_PROCEED,
    xpollens: INCOHERENT_STATUS,
  },
  clientOrderIdMismatch: {
    code: 1032,
    status: 400,
    message: "clientOrderId ne correspond pas à l'opération",
    title: CANNOT_PROCEED,
    xpollens: INVALID_OPERATION,
  },
  tooManyOperations: {
    code: 1040,
    status: 503,
    message: "Trop d'opérations en attente dans la sandbox (maxOperations) : réessayez quand certaines auront abouti ou expiré",
    title: CANNOT_PROCEED,
  },
  injectedServerError: { code: 1090, status: 503, message: 'Service momentanément indisponible (panne simulée)', title: CANNOT_PROCEED },
} as const satisfies Record<string, PartnerErrorDefinition>;

export type PartnerErrorName = keyof typeof PARTNER_ERRORS;

/** The error answer: `{Code, ErrorMessage, Title, Priority: 2}` with its HTTP status, in the chosen codes. */
export function partnerError(codes: ErrorCodes, name: PartnerErrorName, detail?: string): Response {
  const error: PartnerErrorDefinition = PARTNER_ERRORS[name];
  const { code, status } = codes === 'xpollens' && error.xpollens ? error.xpollens : error;
  return jsonResponse({ Code: code, ErrorMessage: detail ? `${error.message} : ${detail}` : error.message, Title: error.title, Priority: 2 }, status);
}

/** Codes of the failure callback's `Error.Code` (and of a `Failed` operation); `xpollensCode` where Xpollens has one. */
export const REFUSAL_ERRORS = {
  unpaidDebt: { code: 2001, message: 'Compte non éligible : un impayé est à régulariser' },
  insufficientBalance: { code: 2002, xpollensCode: 110, message: 'Solde insuffisant' },
} as const;

/** The refusal's code in the chosen codes. */
export function refusalCode(codes: ErrorCodes, refusal: { code: number; xpollensCode?: number }): number {
  return codes === 'xpollens' && refusal.xpollensCode !== undefined ? refusal.xpollensCode : refusal.code;
}
