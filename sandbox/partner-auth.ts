// The common headers of the three WebPayments calls (contract section 3): Authorization, Content-type,
// AppIdentifier, then the POS flags that must be set before payments work.
import type { MiddlewareHandler } from 'hono';
import type { PointOfSale } from './config.js';
import { partnerError } from './partner-errors.js';
import type { SandboxState } from './sandbox-state.js';

export type PartnerEnv = { Variables: { pointOfSale: PointOfSale } };

/** The vendor media types Izly documents (Xpollens) and that the field uses (S-money). */
const ACCEPTED_CONTENT_TYPES = ['application/vnd.xpollens.v1+json', 'application/vnd.s-money.v1+json'];

/** Decodes base64 as UTF-8; undefined when it is not base64. */
function decodeBase64(text: string): string | undefined {
  try {
    const binary = atob(text);
    return new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/**
 * The POS whose credentials follow `Basic`: the raw API key (the document and the field), or standard Basic
 * base64(`AppIdentifier:apiKey`). Returns 'missing' when there is no Basic header at all.
 */
export function pointOfSaleFromBasic(state: SandboxState, authorization: string | undefined, acceptRawKey: boolean): PointOfSale | 'missing' | undefined {
  const match = /^Basic\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return 'missing';
  const credentials = match[1];
  if (acceptRawKey) {
    const byRawKey = state.pointOfSaleByApiKey(credentials);
    if (byRawKey) return byRawKey;
  }
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
    const pos = pointOfSaleFromBasic(state, c.req.header('authorization'), true);
    if (pos === 'missing') return partnerError('missingAuthorization');
    if (!pos) return partnerError('unknownApiKey');
    if (c.req.header('appidentifier') !== pos.appIdentifier) return partnerError('appIdentifierMismatch');
    if (!pos.approved) return partnerError('pointOfSaleNotApproved');
    if (!pos.paymentEnabled) return partnerError('paymentDisabled');
    if (!pos.izlyPay) return partnerError('izlyPayNotEnabled');
    const contentType = c.req.header('content-type');
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
    if ((options.bodyRequired || contentType !== undefined) && !ACCEPTED_CONTENT_TYPES.includes(mediaType ?? '')) {
      return partnerError('unsupportedContentType', contentType ? `reçu ${contentType}` : 'absent');
    }
    c.set('pointOfSale', pos);
    return next();
  };
}
