<?php
// The order callout: `izly-pay serve` asks, signed, for the amount of the order a student is paying
// (`POST {"orderId": "..."}`). Answer {"amount": <cents>, "message": "..."} for an order that can be
// paid, or 404: the service then tells the student the order cannot be paid and creates nothing.

declare(strict_types=1);

require_once __DIR__ . '/lib/shop.php';

if ($_SERVER['REQUEST_METHOD'] !== 'POST') {
    answer_json(405, ['error' => ['code' => 'method_not_allowed', 'message' => 'POST only']]);
}
$request = json_decode(signed_body(), true);
$orderId = is_array($request) ? ($request['orderId'] ?? null) : null;
if (!is_string($orderId)) {
    answer_json(400, ['error' => ['code' => 'invalid_request', 'message' => 'orderId is missing']]);
}
$order = find_order($orderId);
if ($order === null || $order['status'] !== 'open') {
    answer_json(404, ['error' => ['code' => 'unknown_order', 'message' => 'No open order with this id']]);
}
answer_json(200, ['amount' => (int) $order['amount'], 'message' => PRODUCTS[$order['sku']]['name']]);
