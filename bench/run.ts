// `npm run bench [-- --quick] [--out file.json] [--only weight,memory]`: runs the benchmarks of issue 7 one
// after the other, prints each figure beside its baseline measured in the same run and the ratio, and writes
// the same figures as JSON (bench/results.json by default; a --quick run writes to a temporary file unless
// --out is given, so that it never replaces the figures of a full run). Prints; never fails on a figure.
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { adapterOverhead } from './adapter-overhead.js';
import { placementNote, pinSelfToLoadCore } from './child-process.js';
import { costToIzly } from './cost-to-izly.js';
import { memoryPerLongPoll } from './memory.js';
import { paymentCreation } from './payment-creation.js';
import { formatTable, writeResults, type BenchResult } from './report.js';
import { startUp } from './start-up.js';
import { timeToPaid, timeToPaidAcrossInstances } from './time-to-paid.js';
import { weight } from './weight.js';

const { values: args } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, out: { type: 'string' }, only: { type: 'string' } },
});
const quick = args.quick;

/** Sizes of each benchmark: the full run stays under ~10 minutes on 2 cores, --quick under a minute. */
const settings = quick
  ? {
      load: { connections: 10, warmupSeconds: 0.3, seconds: 1 },
      throughputRounds: 1,
      waiting: [1, 10],
      warmUpPayments: 10,
      pollWindowSeconds: 2.5,
      tabs: [1, 10, 100],
      thinkSeconds: 1,
      longPolls: 200,
      memoryRepetitions: 1,
      memorySettleMs: 1_000,
      startUps: 1,
      startUpWarmUp: false,
    }
  : {
      load: { connections: 10, warmupSeconds: 3, seconds: 10 },
      /** Benchmarks 2 and 3: each line measured this many times, alternated with the others, and the median kept. */
      throughputRounds: 3,
      waiting: [1, 100, 1000],
      warmUpPayments: 30,
      pollWindowSeconds: 30,
      tabs: [1, 10, 100],
      thinkSeconds: 10,
      longPolls: 1000,
      memoryRepetitions: 3,
      memorySettleMs: 2_500,
      startUps: 5,
      startUpWarmUp: true,
    };

const benchmarks: Array<{ key: string; name: string; run: () => Promise<BenchResult> }> = [
  { key: 'weight', name: '1. Weight (min+gzip)', run: () => weight({ alwaysBuild: !quick }) },
  { key: 'adapter', name: '2. Adapter overhead (GET a paid payment)', run: () => adapterOverhead(settings.load, settings.throughputRounds) },
  { key: 'create', name: '3. Payment creation (POST, sandbox in the same process)', run: () => paymentCreation(settings.load, settings.throughputRounds) },
  {
    key: 'paid',
    name: '4. Time to "paid" (callback arrival → answer at the client)',
    run: () => timeToPaid({ waiting: settings.waiting, warmUpPayments: settings.warmUpPayments }),
  },
  {
    key: 'paid-2',
    name: '4b. Time to "paid", two instances on PostgreSQL (callback on A, long poll on B)',
    run: () => timeToPaidAcrossInstances({ waiting: settings.waiting, warmUpPayments: settings.warmUpPayments }),
  },
  {
    key: 'cost',
    name: '5. Cost to Izly (upstream calls per payment)',
    run: () => costToIzly({ tabs: settings.tabs, windowSeconds: settings.pollWindowSeconds, thinkSeconds: settings.thinkSeconds }),
  },
  {
    key: 'memory',
    name: '6. Memory (RSS per 1,000 waiting long polls)',
    run: () => memoryPerLongPoll({ longPolls: settings.longPolls, repetitions: settings.memoryRepetitions, settleMs: settings.memorySettleMs }),
  },
  { key: 'startup', name: '7. Start-up (spawn → first page served)', run: () => startUp({ runs: settings.startUps, warmUp: settings.startUpWarmUp }) },
];

const only = args.only?.split(',').map((key) => key.trim());
const selected = only ? benchmarks.filter((b) => only.includes(b.key)) : benchmarks;
if (selected.length === 0) throw new Error(`--only: none of ${only?.join(', ')}; known: ${benchmarks.map((b) => b.key).join(', ')}`);

pinSelfToLoadCore();
const startedAt = new Date();
console.log(`izly-pay benchmarks${quick ? ' (--quick: short runs, small counts; figures are not comparable with a full run)' : ''}`);
console.log(`Placement: ${placementNote()}.`);
const loadAtStart = loadavg()[0]!;
console.log(
  `Load average (1 min) before the run: ${loadAtStart.toFixed(2)}${loadAtStart > 0.5 ? ' — other processes are running: figures will be skewed' : ''}.`,
);

const results: Array<{ name: string; result: BenchResult }> = [];
for (const benchmark of selected) {
  const began = performance.now();
  process.stdout.write(`\n… ${benchmark.name}`);
  const result = await benchmark.run();
  process.stdout.write(` (${((performance.now() - began) / 1000).toFixed(1)} s)\n`);
  results.push({ name: benchmark.name, result });
}

console.log(formatTable(results));
console.log(`\nLoad average (1 min): ${loadAtStart.toFixed(2)} before the run, ${loadavg()[0]!.toFixed(2)} after (this run's own processes included).`);

const out = args.out ?? (quick ? join(mkdtempSync(join(tmpdir(), 'izly-bench-')), 'results.json') : 'bench/results.json');
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
writeResults(
  out,
  {
    command,
    quick,
    loadAverageAtStart: Number(loadAtStart.toFixed(2)),
    startedAt: startedAt.toISOString(),
    durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
    placement: placementNote(),
  },
  results,
);
console.log(`\nFigures written to ${out}`);
