"""Checks the Izly-Pay-Signature header of a request from `izly-pay serve` (order callout or webhook).

    Izly-Pay-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the signing secret>

signature_problem() returns None when the signature is good, else why not: "missing", "malformed",
"stale" (timestamp more than `tolerance` seconds from this server's clock) or "mismatch". Check the raw
body, as received, before parsing it. Then, for a webhook, refuse an event id you processed already.

    # Flask
    problem = signature_problem(SECRET, request.headers.get("Izly-Pay-Signature"), request.get_data(), time.time())
    if problem:
        abort(401)

Run as a script (the project's tests do): python3 izly_pay_signature.py SECRET HEADER BODY_FILE NOW
prints "ok" or the problem.
"""

import hashlib
import hmac
import sys

TOLERANCE_SECONDS = 300


def signature_problem(secret, header, body, now, tolerance=TOLERANCE_SECONDS):
    """None when `header` signs `body` (bytes) with `secret` (str) near `now` (seconds); else the reason."""
    if not header:
        return "missing"
    timestamps, signatures = [], []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t":
            timestamps.append(value)
        elif name == "v1":
            signatures.append(value)
    if len(timestamps) != 1 or not timestamps[0].isdigit() or len(timestamps[0]) > 12 or not signatures:
        return "malformed"
    timestamp = int(timestamps[0])
    if abs(int(now) - timestamp) > tolerance:
        return "stale"
    expected = hmac.new(secret.encode(), timestamps[0].encode() + b"." + body, hashlib.sha256).hexdigest()
    # compare_digest takes the same time wherever the strings differ.
    if any(hmac.compare_digest(expected, signature) for signature in signatures):
        return None
    return "mismatch"


if __name__ == "__main__":
    secret, header, body_file, now = sys.argv[1:5]
    with open(body_file, "rb") as file:
        print(signature_problem(secret, header, file.read(), int(now)) or "ok")
