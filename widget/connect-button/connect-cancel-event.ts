import type { ConnectMode } from '../../contract/browser-contract.js';

/** What `izly-connect-cancel` carries. */
export interface IzlyConnectCancelDetail {
  /** How the login ran: in the popup, or through a redirect this page came back from. */
  mode: ConnectMode;
}

/**
 * The student pressed Annuler on Izly's login page: not an error, the button is ready again. Its own file
 * beside the button, since only the connect button fires it.
 */
export class IzlyConnectCancelEvent extends Event {
  readonly detail: IzlyConnectCancelDetail;

  constructor(detail: IzlyConnectCancelDetail) {
    super('izly-connect-cancel', { bubbles: true, composed: true });
    this.detail = detail;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'izly-connect-cancel': IzlyConnectCancelEvent;
  }
}
