/**
 * The widget's words, French first (Izly is French) and English. Each element reads its own section
 * (`pay`, and later `connect`), so that adding an element or a language stays a change to this file only.
 */

export type WidgetLang = 'fr' | 'en';

/** What `<izly-pay-button>` says. `{amount}`-taking entries receive an already formatted price, or `null`. */
export interface PayButtonStrings {
  /** The words before the Izly wordmark: "Payer 3,50 € avec" + "Izly". */
  payWith: (amount: string | null) => string;
  retry: string;
  checkAgain: string;
  paidLabel: string;
  creating: string;
  redirecting: string;
  awaiting: string;
  verifying: string;
  paid: (amount: string | null) => string;
  failed: string;
  expired: string;
  cancelled: string;
  notCompleted: string;
  networkError: string;
  verificationTimeout: string;
  startFailed: string;
}

export interface WidgetStrings {
  pay: PayButtonStrings;
}

const fr: WidgetStrings = {
  pay: {
    payWith: (amount) => (amount ? `Payer ${amount} avec` : 'Payer avec'),
    retry: 'Réessayer',
    checkAgain: 'Vérifier à nouveau',
    paidLabel: 'Payé',
    creating: 'Préparation du paiement…',
    redirecting: 'Redirection vers Izly…',
    awaiting: 'Validez le paiement dans la fenêtre Izly.',
    verifying: 'Vérification du paiement…',
    paid: (amount) => (amount ? `Paiement de ${amount} effectué.` : 'Paiement effectué.'),
    failed: 'Paiement refusé par Izly.',
    expired: 'Le paiement a expiré.',
    cancelled: 'Paiement annulé.',
    notCompleted: 'Paiement non finalisé.',
    networkError: 'Connexion impossible. Réessayez.',
    verificationTimeout: 'Paiement encore en vérification.',
    startFailed: 'Le paiement n’a pas pu démarrer.',
  },
};

const en: WidgetStrings = {
  pay: {
    payWith: (amount) => (amount ? `Pay ${amount} with` : 'Pay with'),
    retry: 'Try again',
    checkAgain: 'Check again',
    paidLabel: 'Paid',
    creating: 'Preparing your payment…',
    redirecting: 'Taking you to Izly…',
    awaiting: 'Approve the payment in the Izly window.',
    verifying: 'Checking your payment…',
    paid: (amount) => (amount ? `Payment of ${amount} complete.` : 'Payment complete.'),
    failed: 'Izly declined the payment.',
    expired: 'The payment expired.',
    cancelled: 'Payment cancelled.',
    notCompleted: 'Payment not completed.',
    networkError: 'Could not connect. Try again.',
    verificationTimeout: 'Payment still being checked.',
    startFailed: 'The payment could not start.',
  },
};

export const strings: Record<WidgetLang, WidgetStrings> = { fr, en };

function supported(tag: string | null | undefined): WidgetLang | null {
  const primary = (tag ?? '').toLowerCase().split('-')[0];
  return primary === 'fr' || primary === 'en' ? primary : null;
}

/**
 * The element's language: its own `lang`, else the nearest ancestor's, else the page's; the first one the
 * widget speaks wins, and French when none does.
 */
export function resolveLang(element: HTMLElement): WidgetLang {
  return (
    supported(element.lang) ??
    supported(element.parentElement?.closest('[lang]')?.getAttribute('lang')) ??
    supported(element.ownerDocument.documentElement.lang) ??
    'fr'
  );
}

/** Integer cents as a price in the language's format: `3,50 €` or `€3.50`. */
export function formatEuros(cents: number, lang: WidgetLang): string {
  return new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-IE', { style: 'currency', currency: 'EUR' }).format(cents / 100);
}
