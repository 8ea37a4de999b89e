<?php
// For PHP's built-in server only (`php -S 127.0.0.1:8080 router.php`): serves the four pages and
// nothing else (not lib/ nor data/). Behind Apache or nginx, point those URLs at the same files.

declare(strict_types=1);

$routes = [
    '/' => 'index.php',
    '/order.php' => 'order.php',
    '/izly-order.php' => 'izly-order.php',
    '/izly-webhook.php' => 'izly-webhook.php',
];
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if (!isset($routes[$path])) {
    http_response_code(404);
    echo "Not found\n";
    return true;
}
require __DIR__ . '/' . $routes[$path];
