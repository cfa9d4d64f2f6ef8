import { round } from './measure.js';

/** A measured figure, absolute: printed beside the ratio, never claimed on its own. */
export interface Figure {
  what: string;
  value: number;
  unit: string;
}

/** One claim of the benchmark: a ratio of two figures measured in the same run on the same machine. */
export interface Ratio {
  benchmark: string;
  name: string;
  /** What the ratio means, in a sentence: what is divided by what, and which way is better. */
  meaning: string;
  ratio: number;
  measured: Figure;
  baseline: Figure;
}

export interface BenchmarkResult {
  ratios: Ratio[];
  /** Sizes, counts and anything else a reader needs to judge the figures. */
  details: Record<string, unknown>;
}

export function ratio(benchmark: string, name: string, meaning: string, measured: Figure, baseline: Figure): Ratio {
  return { benchmark, name, meaning, ratio: round(measured.value / baseline.value), measured: { ...measured, value: round(measured.value, 4) }, baseline: { ...baseline, value: round(baseline.value, 4) } };
}

const fmt = (f: Figure) => `${f.value} ${f.unit}`;

export function table(ratios: readonly Ratio[]): string {
  const rows = [['ratio', 'value', 'measured', 'baseline'], ...ratios.map((r) => [r.name, String(r.ratio), `${fmt(r.measured)} (${r.measured.what})`, `${fmt(r.baseline)} (${r.baseline.what})`])];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => [...row[c]!].length)));
  const line = (row: string[]) => row.map((cell, c) => cell + ' '.repeat(widths[c]! - [...cell].length)).join('  ');
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}
