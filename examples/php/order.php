<?php
// POST: a new order for a product (the amount set here, from the catalogue), then its page.
// GET ?id=: the order's page: its state, and while it is open the Izly button, which asks
// `izly-pay serve` for the payment; the service asks this shop for the amount (izly-order.php) and tells
// it the outcome (izly-webhook.php). The button's amount is for display only.

declare(strict_types=1);

require_once __DIR__ . '/lib/shop.php';

if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $sku = $_POST['sku'] ?? '';
    if (!is_string($sku) || !isset(PRODUCTS[$sku])) {
        http_response_code(400);
        exit("Unknown product\n");
    }
    $id = 'cmd-' . bin2hex(random_bytes(8));
    $insert = shop_database()->prepare('INSERT INTO orders (id, sku, amount, created_at) VALUES (?, ?, ?, ?)');
    $insert->execute([$id, $sku, PRODUCTS[$sku]['amount'], gmdate('c')]);
    header('Location: /order.php?id=' . rawurlencode($id), true, 303);
    exit;
}

$order = find_order((string) ($_GET['id'] ?? ''));
if ($order === null) {
    http_response_code(404);
    exit("No such order\n");
}
$product = PRODUCTS[$order['sku']];
$states = ['open' => 'à payer', 'paid' => 'payée', 'refunded' => 'remboursée'];
?>
<!doctype html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Commande <?= html($order['id']) ?></title>
  <script type="module" src="<?= html(izly_endpoint()) ?>/izly-pay.js"></script>
</head>
<body>
  <h1>Commande <?= html($order['id']) ?></h1>
  <p><?= html($product['name']) ?> — <?= html(euros($order['amount'])) ?></p>
  <p>État : <strong id="order-status"><?= html($states[$order['status']] ?? $order['status']) ?></strong></p>
<?php // Back from Izly (?izly_payment=…), the button shows the payment's outcome, even once the webhook has marked the order paid. ?>
<?php if ($order['status'] === 'open' || isset($_GET['izly_payment'])): ?>
  <izly-pay-button endpoint="<?= html(izly_endpoint()) ?>" order="<?= html($order['id']) ?>"
    amount="<?= (int) $order['amount'] ?>" product="<?= html($product['name']) ?>"></izly-pay-button>
<?php endif; ?>
  <p><a href="/">Retour à la boutique</a></p>
</body>
</html>
