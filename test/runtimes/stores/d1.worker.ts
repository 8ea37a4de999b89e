// Bundled and run in workerd (Miniflare) by stores-on-runtimes.test.ts, with a D1 binding `DB`: the
// conformance cases on `d1Store`, answered as JSON to one request (a failure before them, such as two stores
// migrating the new database at once, is a 500 the test reports). Each case starts from empty tables;
// `reopen` is a second store on the same binding, as another isolate would have.
import { d1Store, type D1DatabaseLike } from '../../../server-adapter/d1.js';
import { runConformance } from './run-cases.js';

const TABLES = ['izly_payments', 'izly_payment_events', 'izly_login_nonces'];

export default {
  async fetch(_request: Request, env: { DB: D1DatabaseLike }): Promise<Response> {
    // The database is new (Miniflare keeps none between runs): two stores, as two isolates would, make its
    // schema at once; the loser of that race must find the schema made and go on.
    await Promise.all([d1Store(env.DB).get('pay_none'), d1Store(env.DB).get('pay_none')]);
    /** How far the stores' clock is ahead of the real one. */
    let ahead = 0;
    const now = () => Date.now() + ahead;
    const report = await runConformance('d1Store', 'workerd (Miniflare)', {
      async open() {
        ahead = 0;
        const store = d1Store(env.DB, { now });
        // The first call makes the schema; then the tables are emptied of the previous case's rows.
        await store.get('pay_none');
        await env.DB.batch(TABLES.map((table) => env.DB.prepare(`DELETE FROM ${table}`)));
        return store;
      },
      reopen: () => d1Store(env.DB, { now }),
      passTime: (ms) => void (ahead += ms),
    });
    return Response.json(report);
  },
};
