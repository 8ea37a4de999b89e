<?php
// Checks the Izly-Pay-Signature header that `izly-pay serve` puts on its order callouts and webhooks:
//   Izly-Pay-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the signing secret>
// Returns null when the signature is good, else why it is not: 'missing', 'malformed', 'stale' (the
// timestamp is more than $tolerance seconds from this server's clock) or 'mismatch'. Check the raw body,
// byte for byte, before decoding it: a re-encoded JSON would not match.

declare(strict_types=1);

const IZLY_PAY_SIGNATURE_TOLERANCE = 300;

function izly_pay_signature_problem(string $secret, ?string $header, string $body, int $now, int $tolerance = IZLY_PAY_SIGNATURE_TOLERANCE): ?string
{
    if ($header === null || $header === '') {
        return 'missing';
    }
    $timestamp = null;
    $signatures = [];
    foreach (explode(',', $header) as $part) {
        $pair = explode('=', trim($part), 2);
        if (count($pair) !== 2) {
            continue;
        }
        if ($pair[0] === 't') {
            if ($timestamp !== null) {
                return 'malformed';
            }
            $timestamp = $pair[1];
        } elseif ($pair[0] === 'v1') {
            $signatures[] = $pair[1];
        }
    }
    if ($timestamp === null || !preg_match('/^\d{1,12}$/', $timestamp) || $signatures === []) {
        return 'malformed';
    }
    if (abs($now - (int) $timestamp) > $tolerance) {
        return 'stale';
    }
    $expected = hash_hmac('sha256', $timestamp . '.' . $body, $secret);
    foreach ($signatures as $signature) {
        // hash_equals takes the same time wherever the strings differ.
        if (hash_equals($expected, $signature)) {
            return null;
        }
    }
    return 'mismatch';
}
