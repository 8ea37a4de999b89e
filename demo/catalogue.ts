// What the demo shop sells. Prices live here, on the server: the browser only ever names an order.

/** One thing a student can buy. */
export interface Product {
  /** Stable reference, part of every order of this product. */
  sku: string;
  name: string;
  description: string;
  /** Price in cents, the only amount ever charged. */
  price: number;
  /** How the pay button sends the student to Izly for this product. */
  mode: 'redirect' | 'popup';
}

export const catalogue: readonly Product[] = [
  {
    sku: 'ticket-ru',
    name: 'Ticket de restaurant universitaire',
    description: 'Un repas complet au restaurant universitaire : entrée, plat, dessert.',
    price: 330,
    mode: 'redirect',
  },
  {
    sku: 'laverie',
    name: 'Laverie — machine 7 kg',
    description: 'Un cycle de lavage dans la laverie de la résidence.',
    price: 350,
    mode: 'redirect',
  },
  {
    sku: 'impression',
    name: 'Crédit d’impression — 100 pages',
    description: 'Cent pages noir et blanc sur les imprimantes de la bibliothèque.',
    price: 500,
    mode: 'popup',
  },
  {
    sku: 'cafe',
    name: 'Café à la cafétéria',
    description: 'Un café ou un thé, à emporter.',
    price: 90,
    mode: 'redirect',
  },
];

/** The product of a SKU, or undefined. */
export function productBySku(sku: string): Product | undefined {
  return catalogue.find((product) => product.sku === sku);
}

/** "3,30 €" — how French students read a price. */
export function formatEuros(cents: number): string {
  return new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100);
}
