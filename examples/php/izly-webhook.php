<?php
// The webhook receiver: `izly-pay serve` posts each payment's outcome here, signed. Refused: a bad or
// missing signature or a stale timestamp (401), and an event id already processed (409: a replay, or a
// retry of an event this shop has; the service takes 409 as delivered). Processed once: the event id
// is stored in the same transaction as the order's change. Any other failure answers 500, and the
// service sends the same event again later.

declare(strict_types=1);

require_once __DIR__ . '/lib/shop.php';

if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    answer_json(405, ['error' => ['code' => 'method_not_allowed', 'message' => 'POST only']]);
}
$event = json_decode(signed_body(), true);
$payment = is_array($event) && is_array($event['payment'] ?? null) ? $event['payment'] : null;
if ($payment === null || !is_string($event['id'] ?? null) || !is_string($event['type'] ?? null)
    || !is_string($payment['id'] ?? null) || !is_string($payment['orderId'] ?? null)) {
    answer_json(400, ['error' => ['code' => 'invalid_event', 'message' => 'Not an izly-pay event']]);
}

$db = shop_database();
$db->beginTransaction();
try {
    $seen = $db->prepare('INSERT OR IGNORE INTO webhook_events (id, type, order_id, payment_id, received_at) VALUES (?, ?, ?, ?, ?)');
    $seen->execute([$event['id'], $event['type'], $payment['orderId'], $payment['id'], gmdate('c')]);
    if ($seen->rowCount() === 0) {
        $db->rollBack();
        answer_json(409, ['error' => ['code' => 'already_processed', 'message' => 'This event was processed before']]);
    }
    switch ($event['type']) {
        case 'payment.paid':
            // Only an open order, and only for its own amount: the order ships once.
            $paid = $db->prepare("UPDATE orders SET status = 'paid', payment_id = ? WHERE id = ? AND status = 'open' AND amount = ?");
            $paid->execute([$payment['id'], $payment['orderId'], (int) ($payment['amount'] ?? 0)]);
            break;
        case 'payment.refunded':
            $refunded = $db->prepare("UPDATE orders SET status = 'refunded' WHERE id = ? AND payment_id = ?");
            $refunded->execute([$payment['orderId'], $payment['id']]);
            break;
        case 'payment.amount_mismatch':
        case 'payment.duplicate':
            error_log("izly-pay: {$event['type']} on payment {$payment['id']} (order {$payment['orderId']}): check it by hand");
            break;
        // payment.failed: the order stays open, the student may pay again.
    }
    $db->commit();
    error_log("izly-pay webhook {$event['id']} ({$event['type']}) processed");
} catch (Throwable $error) {
    if ($db->inTransaction()) {
        $db->rollBack();
    }
    error_log('izly-pay webhook failed: ' . $error->getMessage());
    answer_json(500, ['error' => ['code' => 'internal_error', 'message' => 'Try again later']]);
}
answer_json(200, ['received' => true]);
