// `npm run test:stress`: the heavy load run — 500 payments created and completed concurrently through the
// adapter and the sandbox on loopback, with callbacks on and with callbacks blocked. Every one is paid
// exactly once with no 5xx; the figures are printed and recorded for docs/reliability.md.
import { describe, test } from 'node:test';
import { recordCheck } from '../server/reliability/reliability-log.js';
import { describeLoad, runLoad } from '../server/reliability/load-run.js';

const PAYMENTS = Number(process.env.STRESS_PAYMENTS ?? 500);
const CONCURRENCY = Number(process.env.STRESS_CONCURRENCY ?? PAYMENTS);

describe(`stress: ${PAYMENTS} concurrent payments`, () => {
  for (const callbacks of ['on', 'blocked'] as const) {
    test(`callbacks ${callbacks}: every payment paid exactly once, no 5xx`, { timeout: 300_000 }, async (t) => {
      const report = await runLoad({ payments: PAYMENTS, callbacks, concurrency: CONCURRENCY });
      t.diagnostic(describeLoad(report));
      console.log(`stress: ${describeLoad(report)}`);
      recordCheck({
        id: `stress-${PAYMENTS}-callbacks-${callbacks}`,
        area: 'Load',
        tried: `${PAYMENTS} payments created and completed concurrently (${report.concurrency} at a time, student form posts), callbacks ${callbacks === 'on' ? 'on' : 'blocked (completed by status reads)'} — npm run test:stress`,
        cases: PAYMENTS,
        held: 'every payment paid exactly once (one debit, one onPaid), no 5xx',
        figures: { ...report },
      });
    });
  }
});
