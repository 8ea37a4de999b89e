<?php
// The product page: each product's "Commander" creates an order on this server, whose page carries the
// Izly button.

declare(strict_types=1);

require_once __DIR__ . '/lib/shop.php';
?>
<!doctype html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Boutique PHP</title>
</head>
<body>
  <h1>Boutique PHP</h1>
  <ul>
<?php foreach (PRODUCTS as $sku => $product): ?>
    <li data-sku="<?= html($sku) ?>">
      <?= html($product['name']) ?> — <?= html(euros($product['amount'])) ?>
      <form method="post" action="/order.php">
        <input type="hidden" name="sku" value="<?= html($sku) ?>">
        <button type="submit">Commander</button>
      </form>
    </li>
<?php endforeach; ?>
  </ul>
</body>
</html>
