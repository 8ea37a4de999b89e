// The sandbox's built-in point of sale and student (see contracts), and the adapter settings the
// benchmarks share.
import { DEFAULT_POINT_OF_SALE } from '../../sandbox/index.js';

export const DEMO_APP_ID = 'izly-pay-demo';
export const DEMO_API_KEY = DEFAULT_POINT_OF_SALE.apiKey;
/** The one content type the default (strictest) sandbox accepts: the one proven in production. */
export const IZLY_CONTENT_TYPE = 'application/vnd.s-money.v1+json';
export const BENCH_SECRET = 'benchmark-callback-secret-at-least-32-characters';
export const STUDENT = { identifier: 'etudiant@izly.test', password: 'izly1234' } as const;

/** The adapter logs warnings (slow Izly, refused callbacks); a benchmark counts instead of printing them. */
export const quietLogger = { warn() {}, error() {} };
