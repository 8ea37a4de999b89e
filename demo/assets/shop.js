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
