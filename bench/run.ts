/**
 * `npm run bench [-- --quick] [-- --10m] [-- --only=name,name]`: every figure a ratio against a baseline
 * measured in the same run on the same machine. Starts its own PostgreSQL (data under
 * .data/bench-*, deleted afterwards) and Temporal dev server, prints a table, and writes
 * bench/results/<YYYY-MM-DD>.json (a quick or partial run: .data/bench-results/, not kept).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { temporalCli } from '../dev/temporal-binaries.js';
import { apiReads } from './api-reads.bench.js';
import { auditVerify } from './audit-verify.bench.js';
import { caseThroughput } from './case-throughput.bench.js';
import { clusterThroughput } from './cluster-throughput.bench.js';
import { BenchContext, WORKER_OPTIONS } from './context.js';
import { eventAppend } from './event-append.bench.js';
import { describeMachine } from './machine.js';
import { now } from './measure.js';
import { table, type BenchmarkResult, type Ratio } from './report.js';
import { timerLateness } from './timer-lateness.bench.js';

const BENCHMARKS: Record<string, (ctx: BenchContext) => Promise<BenchmarkResult>> = {
  'case-throughput': caseThroughput,
  'event-append': eventAppend,
  'audit-verify': auditVerify,
  'api-reads': apiReads,
  'timer-lateness': timerLateness,
  // Last: it starts a Temporal cluster of its own (and builds the server into .tools/ the first time).
  'cluster-throughput': clusterThroughput,
};

const args = process.argv.slice(2);
const quick = args.includes('--quick');
// Adds about 15 minutes and 10 GB of disk: the audit benchmark's store grown to 10M events.
const tenMillion = args.includes('--10m');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const unknown = [...(only ?? []).filter((name) => !BENCHMARKS[name]), ...args.filter((a) => a !== '--quick' && a !== '--10m' && !a.startsWith('--only='))];
if (unknown.length) {
  console.error(`unknown: ${unknown.join(', ')}. Usage: npm run bench [-- --quick] [-- --10m] [-- --only=${Object.keys(BENCHMARKS).join(',')}]`);
  process.exit(2);
}

Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
const say = (line: string) => console.log(`[bench] ${line}`);

const started = now();
const ctx = await BenchContext.start(quick, tenMillion, say);
let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await ctx.close();
  process.exit(code);
};
process.once('SIGINT', () => void stop(130));
process.once('SIGTERM', () => void stop(143));

try {
  const { db } = await ctx.database('bench_machine');
  const machine = await describeMachine(db, temporalCli());
  say(`${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, PostgreSQL ${machine.postgres}${quick ? ' — quick run' : ''}`);

  const ratios: Ratio[] = [];
  const details: Record<string, unknown> = {};
  for (const [name, run] of Object.entries(BENCHMARKS)) {
    if (only && !only.includes(name)) continue;
    const benchStarted = now();
    const result = await run(ctx);
    await ctx.dropDatabases();
    ratios.push(...result.ratios);
    details[name] = { ...result.details, seconds: Math.round((now() - benchStarted) / 1000) };
  }

  console.log(`\n${table(ratios)}\n`);
  // A full run's results are kept (bench/results/, committed); a quick or partial one's go under .data/.
  const date = new Date().toISOString().slice(0, 10);
  const folder = quick || only ? '../.data/bench-results/' : './results/';
  const file = fileURLToPath(new URL(`${folder}${date}${quick ? '-quick' : ''}${tenMillion ? '-10m' : ''}${only ? `-${only.join('+')}` : ''}.json`, import.meta.url));
  await mkdir(fileURLToPath(new URL(folder, import.meta.url)), { recursive: true });
  const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
  await writeFile(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), command, quick, machine, workerOptions: WORKER_OPTIONS, seconds: Math.round((now() - started) / 1000), ratios, details }, null, 2)}\n`,
  );
  say(`wrote ${file.replace(fileURLToPath(new URL('../', import.meta.url)), '')} in ${Math.round((now() - started) / 1000)} s`);
  await stop(0);
} catch (error) {
  console.error(`\n[bench] failed: ${(error as Error).stack ?? error}`);
  await stop(1);
}
