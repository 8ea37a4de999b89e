// The short load run of `npm test` (the heavy one is `npm run test:stress`): 40 payments at once, with
// callbacks on and with callbacks blocked; every one paid exactly once, no 5xx, figures printed.
import { describe, test } from 'node:test';
import { recordCheck } from './reliability-log.js';
import { describeLoad, runLoad } from './load-run.js';

const PAYMENTS = 40;

describe(`load: ${PAYMENTS} concurrent payments`, () => {
  for (const callbacks of ['on', 'blocked'] as const) {
    test(`callbacks ${callbacks}: every payment paid exactly once, no 5xx`, async (t) => {
      const report = await runLoad({ payments: PAYMENTS, callbacks });
      t.diagnostic(describeLoad(report));
      console.log(`load: ${describeLoad(report)}`);
      recordCheck({
        id: `load-${PAYMENTS}-callbacks-${callbacks}`,
        area: 'Load',
        tried: `${PAYMENTS} payments created and completed at once (student form posts), callbacks ${callbacks === 'on' ? 'on' : 'blocked (completed by status reads)'} — short run in npm test`,
        cases: PAYMENTS,
        held: 'every payment paid exactly once (one debit, one onPaid), no 5xx',
        figures: { ...report },
      });
    });
  }
});
