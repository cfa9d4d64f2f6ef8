/** Small measuring tools shared by the benchmarks: a redrawn progress line, percentiles, a clock. */
import { readdirSync, readFileSync } from 'node:fs';

export const now = (): number => performance.now();

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One line, redrawn in place on a terminal; on a pipe (CI, a log file), one line every few seconds. */
export class Progress {
  private lastPrinted = 0;
  private readonly tty = Boolean(process.stdout.isTTY);

  constructor(private readonly label: string) {}

  update(text: string): void {
    const line = `  [${this.label}] ${text}`;
    if (this.tty) {
      process.stdout.write(`\r\x1b[K${line.slice(0, (process.stdout.columns ?? 120) - 1)}`);
    } else if (Date.now() - this.lastPrinted > 5_000) {
      this.lastPrinted = Date.now();
      process.stdout.write(`${line}\n`);
    }
  }

  done(text: string): void {
    process.stdout.write(`${this.tty ? '\r\x1b[K' : ''}  [${this.label}] ${text}\n`);
  }
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

/** Runs `work` for each item with at most `concurrency` in flight; `onDone` after each. */
export async function pool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<void>, onDone?: (done: number) => void): Promise<void> {
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
        onDone?.(++done);
      }
    }),
  );
}

export const round = (value: number, digits = 3): number => Number(value.toPrecision(digits));

/**
 * CPU time so far, in ms: this process (the client, the worker and its workflow threads) and, on
 * Linux, every process whose name starts with `temporal` or `postgres` (the dev server; the
 * database's backends). A difference of two readings says where a stretch of work spent its CPU.
 * A backend that has exited since (a connection closed, as the verifier's workers close theirs) is
 * still counted: its parent, the postmaster, holds the CPU of the children it has reaped.
 * Elsewhere than Linux the other processes read as 0.
 */
export function cpuByProcess(): { benchProcess: number; temporal: number; postgres: number } {
  const own = process.cpuUsage();
  const totals = { benchProcess: (own.user + own.system) / 1000, temporal: 0, postgres: 0 };
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid);
  } catch {
    return totals;
  }
  for (const pid of pids) {
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      const kind = comm.startsWith('temporal') ? 'temporal' : comm.startsWith('postgres') ? 'postgres' : undefined;
      if (!kind) continue;
      totals[kind] += cpuMsOfStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return totals;
}

/**
 * A process's CPU in ms from its /proc/<pid>/stat line: its own (utime, stime: the 14th and 15th
 * fields) and that of the children it has reaped (cutime, cstime: the 16th and 17th). The fields are
 * counted after the command's closing parenthesis, since a command may hold spaces.
 */
export function cpuMsOfStat(statLine: string): number {
  const fields = statLine.slice(statLine.lastIndexOf(') ') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * (1000 / CLOCK_TICKS_PER_SECOND);
}

/** USER_HZ: Linux reports process times in ticks of 1/100 s on every architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;
