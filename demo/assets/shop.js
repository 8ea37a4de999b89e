// Refreshes "Mes achats" when a payment succeeds or is refunded, without reloading the page (which
// would clear the button's outcome).
async function refreshPurchases() {
  const section = document.getElementById('purchases');
  if (!section) return;
  const response = await fetch('/purchases', { headers: { accept: 'text/html' } });
  if (response.ok) section.innerHTML = await response.text();
}

document.addEventListener('izly-pay-success', () => {
  refreshPurchases().catch(() => {});
});

// A page view creates no order: a button without one gets it from the shop when the student clicks.
// `izly-pay-start` is fired inside the click, before anything is sent, and is cancelable: this cancels
// it, asks the shop for the order (POST /shop/orders), gives the button its `order` and clicks again,
// which this time goes on to the payment. The second click is still within the student's gesture (a
// browser allows a popup for a few seconds after it), so popup mode opens its window as before.
const creating = new WeakSet();

async function orderFor(sku) {
  const response = await fetch('/shop/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sku }),
  });
  if (!response.ok) throw new Error(`the shop answered ${response.status}`);
  return response.json();
}

document.addEventListener('izly-pay-start', (event) => {
  const button = event.target;
  if (!(button instanceof HTMLElement) || button.getAttribute('order') || !button.dataset.sku) return;
  event.preventDefault();
  if (creating.has(button)) return;
  creating.add(button);
  const reference = button.closest('li')?.querySelector('.order-ref');
  orderFor(button.dataset.sku)
    .then(async ({ orderId }) => {
      button.setAttribute('order', orderId);
      if (reference) reference.textContent = `Commande ${orderId}`;
      await button.updateComplete;
      button.shadowRoot?.querySelector('[part="button"]')?.click();
    })
    .catch(() => {
      if (reference) reference.textContent = 'La commande n’a pas pu être créée : réessayez.';
    })
    .finally(() => creating.delete(button));
});
