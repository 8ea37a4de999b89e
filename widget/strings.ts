/**
 * The widget's words, French first (Izly is French) and English. Each element reads its own record
 * (`payStrings`, `connectStrings`): a single-file bundle of one element then carries only that element's words.
 */

export type WidgetLang = 'fr' | 'en';

/**
 * What `<izly-pay-button>`'s status line says: the words of the payment's status or of the error's code when
 * there are some (`expired`, `network_error`...), else those of the button's state (`creating`... `error`).
 */
export type PayStatusStrings = {
  creating: string;
  redirecting: string;
  awaiting: string;
  verifying: string;
  /** Back from Izly, the server slow or out of reach: still checking, and the student may leave. */
  slow: string;
  /** Receives the formatted price, or `null`. */
  paid: (amount: string | null) => string;
  failed: string;
  expired: string;
  cancelled: string;
  /** Back without a decision (the popup closed, the back button): the payment is still open. */
  pending: string;
  /** No answer from the partner's server. */
  network_error: string;
  /** Back from Izly, but the server has not confirmed in time. */
  verification_timeout: string;
  /** Any other error: the server refused to create the payment (the adapter's error code). */
  error: string;
  /**
   * Refused by Izly, by the payment's `failureReason`; `insufficient_balance` is a link to top up the account.
   * The debt and the blocked account end alike (": contactez votre CROUS."): the second costs few bytes.
   */
  insufficient_balance: string;
  unpaid_debt: string;
  account_blocked: string;
};

/** What `<izly-pay-button>` says. */
export interface PayButtonStrings {
  /** The words before the Izly wordmark ("Payer 3,50 € avec" + "Izly"); receives the formatted price, or `null`. */
  payWith: (amount: string | null) => string;
  retry: string;
  /** "Check again": reads the same payment after `verification_timeout`. */
  recheck: string;
  /** The label once paid. */
  paid: string;
  /**
   * Labels picked by the message, before the state's: `order_already_paid` (a click found the order paid
   * already, in a stale tab: the paid state, never an error), and '' (the idle label, no "Réessayer") after a
   * refusal that trying again cannot mend (a debt, a blocked account).
   */
  labelFor: Partial<Record<string, string>>;
  status: PayStatusStrings;
}

/** What `<izly-connect-button>`'s status line says: the words of its state, or more precise ones picked with it. */
export interface ConnectStatusStrings {
  redirecting: string;
  awaiting: string;
  success: string;
  /** Annuler on Izly's login page (`login_cancelled`). */
  cancelled: string;
  /** The popup closed before the login ended (`popup_closed`). */
  unfinished: string;
  /** Any other error (the adapter's code is in the event). */
  error: string;
}

/** What `<izly-connect-button>` says. */
export interface ConnectButtonStrings {
  /** The words before the Izly wordmark: "Se connecter avec" + "Izly". */
  logInWith: string;
  retry: string;
  /** The label once logged in. */
  loggedIn: string;
  status: ConnectStatusStrings;
}

export const payStrings: Record<WidgetLang, PayButtonStrings> = {
  fr: {
    payWith: (amount) => (amount ? `Payer ${amount} avec` : 'Payer avec'),
    retry: 'Réessayer',
    recheck: 'Vérifier à nouveau',
    paid: 'Payé',
    labelFor: { order_already_paid: 'Déjà payé', unpaid_debt: '', account_blocked: '' },
    status: {
      creating: 'Préparation du paiement…',
      redirecting: 'Redirection vers Izly…',
      awaiting: 'Validez dans la fenêtre Izly.',
      verifying: 'Vérification en cours…',
      slow: 'Paiement en cours de vérification, vous pouvez revenir plus tard.',
      paid: (amount) => (amount ? `Paiement de ${amount} effectué.` : 'Paiement effectué.'),
      failed: 'Paiement refusé par Izly.',
      expired: 'Paiement expiré.',
      cancelled: 'Paiement annulé.',
      pending: 'Paiement non finalisé.',
      network_error: 'Connexion impossible.',
      verification_timeout: 'Paiement encore en vérification.',
      error: 'Le paiement n’a pas pu démarrer.',
      insufficient_balance: 'Solde Izly insuffisant\u00a0: rechargez votre compte.',
      unpaid_debt: 'Un impayé bloque votre compte Izly\u00a0: contactez votre CROUS.',
      account_blocked: 'Compte Izly bloqué\u00a0: contactez votre CROUS.',
    },
  },
  en: {
    payWith: (amount) => (amount ? `Pay ${amount} with` : 'Pay with'),
    retry: 'Try again',
    recheck: 'Check again',
    paid: 'Paid',
    labelFor: { order_already_paid: 'Already paid', unpaid_debt: '', account_blocked: '' },
    status: {
      creating: 'Preparing your payment…',
      redirecting: 'Taking you to Izly…',
      awaiting: 'Approve it in the Izly window.',
      verifying: 'Checking your payment…',
      slow: 'Your payment is still being checked; you can come back later.',
      paid: (amount) => (amount ? `Payment of ${amount} complete.` : 'Payment complete.'),
      failed: 'Izly declined the payment.',
      expired: 'Payment expired.',
      cancelled: 'Payment cancelled.',
      pending: 'Payment not completed.',
      network_error: 'Could not connect.',
      verification_timeout: 'Payment still being checked.',
      error: 'The payment could not start.',
      insufficient_balance: 'Izly balance too low: top up your Izly.',
      unpaid_debt: 'Unpaid debt on your Izly account: contact your CROUS.',
      account_blocked: 'Izly account blocked: contact your CROUS.',
    },
  },
};

export const connectStrings: Record<WidgetLang, ConnectButtonStrings> = {
  fr: {
    logInWith: 'Se connecter avec',
    retry: 'Réessayer',
    loggedIn: 'Connecté',
    status: {
      redirecting: 'Redirection vers Izly…',
      awaiting: 'Connectez-vous dans la fenêtre Izly.',
      success: 'Vous êtes connecté avec Izly.',
      cancelled: 'Connexion annulée.',
      unfinished: 'Connexion non finalisée.',
      error: 'La connexion avec Izly a échoué.',
    },
  },
  en: {
    logInWith: 'Log in with',
    retry: 'Try again',
    loggedIn: 'Logged in',
    status: {
      redirecting: 'Taking you to Izly…',
      awaiting: 'Log in to Izly in the new window.',
      success: 'You are logged in with Izly.',
      cancelled: 'Login cancelled.',
      unfinished: 'Login not completed.',
      error: 'Logging in with Izly failed.',
    },
  },
};

function supported(tag: string | null | undefined): WidgetLang | null {
  const primary = (tag ?? '').toLowerCase().split('-')[0];
  return primary === 'fr' || primary === 'en' ? primary : null;
}

/**
 * The element's language: its own `lang`, else the nearest one (an ancestor's in its tree), if the widget
 * speaks it, else the page's, and French when none is French or English.
 */
export function resolveLang(element: HTMLElement): WidgetLang {
  // Its own property first: set from script, it is reflected to the attribute only after this render.
  return supported(element.lang) ?? supported(element.closest<HTMLElement>('[lang]')?.lang) ?? supported(document.documentElement.lang) ?? 'fr';
}

/** Integer cents as a price in the language's format: `3,50 €` or `€3.50`. */
export const formatEuros = (cents: number, lang: WidgetLang): string => (cents / 100).toLocaleString(lang, { style: 'currency', currency: 'EUR' });
