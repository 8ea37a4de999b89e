// The common headers of the three WebPayments calls (contract section 3): Authorization, Content-type,
// AppIdentifier, then the POS flags that must be set before payments work.
import type { MiddlewareHandler } from 'hono';
import type { PointOfSale } from './config.js';
import type { IzlyBehaviour } from './izly-behaviour.js';
import { partnerError } from './partner-errors.js';
import type { SandboxState } from './sandbox-state.js';

export type PartnerEnv = { Variables: { pointOfSale: PointOfSale } };

const XPOLLENS = 'application/vnd.Xpollens.v1+json';
const S_MONEY = 'application/vnd.s-money.v1+json';

/**
 * The media types each `contentTypes` value accepts: the document's (Xpollens), the field's (S-money,
 * esup-papercut), both, or both plus the `application/json` of Xpollens' newer platform (4b).
 */
const ACCEPTED_CONTENT_TYPES: Record<IzlyBehaviour['contentTypes'], readonly string[]> = {
  vendor: [XPOLLENS, S_MONEY],
  xpollens: [XPOLLENS],
  's-money': [S_MONEY],
  'vendor-and-json': [XPOLLENS, S_MONEY, 'application/json'],
};

/** Decodes base64 as UTF-8; undefined when it is not base64. */
function decodeBase64(text: string): string | undefined {
  try {
    const binary = atob(text);
    return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/** The two ways of writing credentials after `Basic`. */
export interface BasicForms {
  /** The API key itself (the document's payment calls, esup-papercut). */
  rawKey: boolean;
  /** Standard Basic: base64(`AppIdentifier:apiKey`) (the document's token example). */
  standard: boolean;
}

/**
 * The POS whose credentials follow `Basic`, in one of the accepted forms. Returns 'missing' when there is
 * no Basic header at all.
 */
export function pointOfSaleFromBasic(state: SandboxState, authorization: string | undefined, forms: BasicForms): PointOfSale | 'missing' | undefined {
  const match = /^Basic\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return 'missing';
  const credentials = match[1];
  if (forms.rawKey) {
    const byRawKey = state.pointOfSaleByApiKey(credentials);
    if (byRawKey) return byRawKey;
  }
  if (!forms.standard) return undefined;
  const decoded = decodeBase64(credentials);
  const colon = decoded?.indexOf(':') ?? -1;
  if (decoded === undefined || colon < 0) return undefined;
  const pos = state.pointOfSale(decoded.slice(0, colon));
  return pos && pos.apiKey === decoded.slice(colon + 1) ? pos : undefined;
}

/**
 * Checks, in order: Authorization, AppIdentifier, the POS flags (approved, payment enabled, IzlyPay), then
 * the Content-Type — required when the call carries a body, checked whenever it is sent.
 */
export function partnerAuth(state: SandboxState, options: { bodyRequired: boolean }): MiddlewareHandler<PartnerEnv> {
  return async (c, next) => {
    const codes = state.izly.errorCodes;
    const pos = pointOfSaleFromBasic(state, c.req.header('authorization'), { rawKey: true, standard: true });
    if (pos === 'missing') return partnerError(codes, 'missingAuthorization');
    if (!pos) return partnerError(codes, 'unknownApiKey');
    if (c.req.header('appidentifier') !== pos.appIdentifier) return partnerError(codes, 'appIdentifierMismatch');
    if (!pos.approved) return partnerError(codes, 'pointOfSaleNotApproved');
    if (!pos.paymentEnabled) return partnerError(codes, 'paymentDisabled');
    if (!pos.izlyPay) return partnerError(codes, 'izlyPayNotEnabled');
    const contentType = c.req.header('content-type');
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
    const accepted = ACCEPTED_CONTENT_TYPES[state.izly.contentTypes];
    if ((options.bodyRequired || contentType !== undefined) && !accepted.some((type) => type.toLowerCase() === mediaType)) {
      return partnerError(codes, 'unsupportedContentType', `attendu ${accepted.join(' ou ')}, reçu ${contentType || 'aucun'}`);
    }
    c.set('pointOfSale', pos);
    return next();
  };
}
