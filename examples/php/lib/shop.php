<?php
// The example shop's data: its products, its orders and the webhook events it has processed, in one
// SQLite file (PDO). Plain PHP, no framework.

declare(strict_types=1);

require_once __DIR__ . '/izly-pay-signature.php';

/** What the shop sells: the amount is in cents, and only this server decides it. */
const PRODUCTS = [
    'ticket-ru' => ['name' => 'Ticket de restaurant universitaire', 'amount' => 330],
    'impression' => ['name' => "Carte d'impression (50 pages)", 'amount' => 500],
];

function shop_setting(string $name, ?string $default = null): string
{
    $value = getenv($name);
    if ($value === false || $value === '') {
        if ($default === null) {
            http_response_code(500);
            exit("The shop is missing its setting $name\n");
        }
        return $default;
    }
    return $value;
}

/** The secret shared with `izly-pay serve` (its IZLY_PAY_SIGNING_SECRET). */
function signing_secret(): string
{
    return shop_setting('IZLY_PAY_SIGNING_SECRET');
}

/** Where the pages find the service: its adapter's URL (the widget's endpoint), e.g. /izly behind a proxy. */
function izly_endpoint(): string
{
    return rtrim(shop_setting('IZLY_PAY_ENDPOINT', '/izly'), '/');
}

function shop_database(): PDO
{
    static $db = null;
    if ($db === null) {
        $path = shop_setting('SHOP_DB', __DIR__ . '/../data/shop.sqlite');
        if (!is_dir(dirname($path))) {
            mkdir(dirname($path), 0700, true);
        }
        $db = new PDO('sqlite:' . $path, null, null, [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
        $db->exec('PRAGMA busy_timeout = 5000');
        $db->exec('CREATE TABLE IF NOT EXISTS orders (
            id TEXT PRIMARY KEY, sku TEXT NOT NULL, amount INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT \'open\', payment_id TEXT, created_at TEXT NOT NULL)');
        // One row per webhook event processed: its id is the key, so a replay cannot be processed twice.
        $db->exec('CREATE TABLE IF NOT EXISTS webhook_events (
            id TEXT PRIMARY KEY, type TEXT NOT NULL, order_id TEXT NOT NULL, payment_id TEXT NOT NULL, received_at TEXT NOT NULL)');
    }
    return $db;
}

/** @return array{id: string, sku: string, amount: int, status: string, payment_id: ?string}|null */
function find_order(string $id): ?array
{
    $query = shop_database()->prepare('SELECT id, sku, amount, status, payment_id FROM orders WHERE id = ?');
    $query->execute([$id]);
    $order = $query->fetch(PDO::FETCH_ASSOC);
    return $order === false ? null : $order;
}

function html(string $text): string
{
    return htmlspecialchars($text, ENT_QUOTES | ENT_HTML5, 'UTF-8');
}

function euros(int $cents): string
{
    return number_format($cents / 100, 2, ',', ' ') . ' €';
}

/** Ends the request with a JSON answer. */
function answer_json(int $status, array $body): never
{
    http_response_code($status);
    header('Content-Type: application/json');
    echo json_encode($body), "\n";
    exit;
}

/**
 * The raw body of a request from `izly-pay serve`, once its signature is checked; otherwise the request
 * is answered 401 and ends here.
 */
function signed_body(): string
{
    $body = (string) file_get_contents('php://input');
    $problem = izly_pay_signature_problem(signing_secret(), $_SERVER['HTTP_IZLY_PAY_SIGNATURE'] ?? null, $body, time());
    if ($problem !== null) {
        error_log("izly-pay request refused: signature $problem");
        answer_json(401, ['error' => ['code' => 'bad_signature', 'message' => "Signature refused ($problem)"]]);
    }
    return $body;
}
