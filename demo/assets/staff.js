// The staff's page: a refund asks first. The "Rembourser" button of a payment is a form that opens the
// confirmation page; with this script it opens the page's dialog instead, filled with that payment's
// order, product, amount and student, whose form posts the refund (with the optional reason).
const dialog = document.getElementById('refund-dialog');

if (dialog instanceof HTMLDialogElement) {
  const confirmForm = dialog.querySelector('form');
  const reason = dialog.querySelector('textarea');
  const submit = confirmForm.querySelector('button[type="submit"]');

  document.addEventListener('submit', (event) => {
    const start = event.target;
    if (!(start instanceof HTMLFormElement) || !start.classList.contains('refund-start')) return;
    event.preventDefault();
    for (const field of dialog.querySelectorAll('[data-field]')) field.textContent = start.dataset[field.dataset.field] ?? '';
    confirmForm.action = `/orders/${encodeURIComponent(start.dataset.payment)}/refund`;
    reason.value = '';
    submit.disabled = false;
    dialog.showModal();
  });

  // One click sends one refund, even on a slow answer.
  confirmForm.addEventListener('submit', () => {
    submit.disabled = true;
  });

  dialog.querySelector('[data-close]').addEventListener('click', () => dialog.close());
}
