// The figures every benchmark returns, the table `npm run bench` prints and the JSON it writes.
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

/** One measured figure, beside the baseline measured in the same run. */
export interface Figure {
  /** Stable key, e.g. `adapter.memory.rps` (the quick test checks them). */
  id: string;
  /** The benchmark it belongs to, e.g. `2. Adapter overhead`. */
  group: string;
  /** What was measured. */
  label: string;
  value: number;
  unit: Unit;
  /** The baseline run the same way, or null when the figure has none (a count compared with a goal). */
  baseline: { label: string; value: number } | null;
  /** `value / baseline.value` (null without a baseline or with a zero baseline). */
  ratio: number | null;
  /** The goal for this figure and whether this run met it (printed, never asserted). */
  goal?: { text: string; met: boolean };
}

export type Unit = 'B' | 'req/s' | 'ms' | 'calls' | 'MB';

/** What one benchmark hands back: its figures and what the reader must know to read them. */
export interface BenchResult {
  figures: Figure[];
  notes: string[];
}

export function figure(fields: Omit<Figure, 'ratio'>): Figure {
  const ratio = fields.baseline && fields.baseline.value !== 0 ? fields.value / fields.baseline.value : null;
  return { ...fields, ratio };
}

function formatValue(value: number, unit: Unit): string {
  switch (unit) {
    case 'B':
      return `${(value / 1024).toFixed(2)} KB`;
    case 'req/s':
      return `${Math.round(value)} req/s`;
    case 'ms':
      // autocannon counts latency in whole milliseconds: 0 means under one.
      if (value === 0) return '< 1 ms';
      return `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`;
    case 'calls':
      return `${Number.isInteger(value) ? value : value.toFixed(2)} calls`;
    case 'MB':
      return `${value.toFixed(1)} MB`;
  }
}

/** The results as a plain-text table, one section per benchmark. */
export function formatTable(results: Array<{ name: string; result: BenchResult }>): string {
  const header = ['figure', 'value', 'baseline', 'ratio', 'goal'];
  const lines: string[] = [];
  for (const { name, result } of results) {
    const rows = result.figures.map((f) => [
      f.label,
      formatValue(f.value, f.unit),
      f.baseline ? `${formatValue(f.baseline.value, f.unit)} (${f.baseline.label})` : '—',
      f.ratio === null ? '—' : `${f.ratio.toFixed(2)}×`,
      f.goal ? `${f.goal.text} ${f.goal.met ? 'met' : 'MISSED'}` : '',
    ]);
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
    const line = (cells: string[]) =>
      cells
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
        .join('  ')
        .trimEnd();
    lines.push('', `━━ ${name}`, line(header), ...rows.map(line));
    for (const note of result.notes) lines.push(`   · ${note}`);
  }
  return lines.join('\n');
}

/** The machine, as much as the figures depend on it (no path, no host name). */
export function machine() {
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGB: Math.round(totalmem() / 2 ** 30),
    /** Other work on the machine skews every figure: the 1-minute load average when the run ended. */
    loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
  };
}

export function writeResults(
  file: string,
  run: { command: string; quick: boolean; loadAverageAtStart: number; startedAt: string; durationSeconds: number; placement: string },
  results: Array<{ name: string; result: BenchResult }>,
): void {
  const json = {
    ...run,
    machine: machine(),
    benchmarks: results.map(({ name, result }) => ({ name, notes: result.notes, figures: result.figures })),
  };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}
