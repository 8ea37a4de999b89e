// The sandbox's built-in point of sale and student (see contracts), and the adapter settings the
// benchmarks share.
export const DEMO_APP_ID = 'izly-pay-demo';
export const DEMO_API_KEY = 'sandbox-api-key';
export const BENCH_SECRET = 'benchmark-callback-secret-at-least-32-characters';
export const STUDENT = { identifier: 'etudiant@izly.test', password: 'izly1234' } as const;

/** The adapter logs warnings (slow Izly, refused callbacks); a benchmark counts instead of printing them. */
export const quietLogger = { warn() {}, error() {} };
