import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { workerOptionsFromEnvironment } from '../config/worker-options.js';
import { packagedCalendar } from '../db/calendar/official-arrangements.js';
import { startTemporalCluster } from '../dev/temporal-cluster.js';
import { createCaseWorker } from '../worker/create-worker.js';
import { runChuyingCase, runNoopCase } from './case-load.js';
import { WORKER_OPTIONS, withWorker, type BenchContext } from './context.js';
import { now, pool, Progress, round } from './measure.js';
import { ratio, type BenchmarkResult } from './report.js';
import { createNoopActivities } from './workflows/noop-case.workflow.js';

const DATA = fileURLToPath(new URL('../.data/', import.meta.url));

/**
 * 雏鹰 cases per second on the production topology — a Temporal cluster built from the server's Go
 * module with its four services as four processes on PostgreSQL (dev/temporal-cluster.ts) — against
 * the same load on the dev server (`temporal server start-dev`, one process on sqlite) in the same
 * run, and against the no-op workflow on the same cluster. The load is case-throughput's: a case
 * from submission to disbursement as the API drives it (start, then five Updates, thirteen activities),
 * `concurrency` at a time, through the same worker options on both servers (the sticky timeout
 * included) and the same application database. Rounds alternate dev, cluster, cluster no-op, so that
 * drift on a shared machine falls on all three. The cluster's own PostgreSQL and its four processes
 * run on the same cores as everything else, as on the machine the figure comes from.
 */
export async function clusterThroughput(ctx: BenchContext): Promise<BenchmarkResult> {
  const cases = ctx.quick ? 20 : 100;
  const concurrency = 10;
  const rounds = 2;
  const progress = new Progress('cluster throughput');
  progress.update('starting the Temporal cluster (builds the server into .tools/ the first time) …');
  const dataDir = `${DATA}bench-cluster-${process.pid}`;
  const cluster = await startTemporalCluster({ dataDir, say: (line) => progress.update(line) });
  const nativeConnection = await NativeConnection.connect({ address: cluster.address });
  const connection = await Connection.connect({ address: cluster.address });
  const clusterClient = new Client({ connection, namespace: cluster.namespace });
  // The baseline worker gets the case worker's sticky timeout too: the ratio compares the work, not the tuning.
  const options = { ...workerOptionsFromEnvironment(), ...WORKER_OPTIONS };
  try {
    const totals = { dev: { cases: 0, ms: 0 }, cluster: { cases: 0, ms: 0 }, noop: { cases: 0, ms: 0 } };
    for (let r = 1; r <= rounds; r++) {
      for (const kind of ['dev', 'cluster', 'noop'] as const) {
        const taskQueue = `bench-${kind}-${randomBytes(4).toString('hex')}`;
        const onCluster = kind !== 'dev';
        // A database per round of real cases: the 雏鹰 pool (db/budget-ledger.ts) funds 277 approvals of 360,000.00, fewer than a run's cases.
        const db = kind === 'noop' ? undefined : (await ctx.database(`bench_cluster_${kind}_${r}`)).db;
        const worker =
          kind === 'noop'
            ? await Worker.create({ connection: nativeConnection, namespace: cluster.namespace, taskQueue, workflowBundle: ctx.benchBundle, activities: createNoopActivities(), ...options })
            : await createCaseWorker({
                connection: onCluster ? nativeConnection : ctx.temporal.nativeConnection,
                namespace: onCluster ? cluster.namespace : 'default',
                taskQueue,
                db: db!,
                clock: () => new Date(),
                calendar: async () => packagedCalendar(),
                workflowBundle: ctx.caseBundle,
                workerOptions: options,
              });
        const client = onCluster ? clusterClient : ctx.temporal.client;
        const run = kind === 'noop' ? () => runNoopCase(client, taskQueue) : () => runChuyingCase(client, taskQueue);
        await withWorker(worker, async () => {
          progress.update(`round ${r}/${rounds} ${kind}: warming up`);
          await pool(Array.from({ length: concurrency }), concurrency, run);
          const started = now();
          await pool(Array.from({ length: cases }), concurrency, run, (done) => {
            progress.update(`round ${r}/${rounds} ${kind}: ${done}/${cases} cases, ${round(done / ((now() - started) / 1000))} cases/s`);
          });
          totals[kind].cases += cases;
          totals[kind].ms += now() - started;
        });
      }
    }
    const rate = (kind: keyof typeof totals) => totals[kind].cases / (totals[kind].ms / 1000);
    const [dev, onCluster, noop] = [rate('dev'), rate('cluster'), rate('noop')];
    progress.done(`${round(onCluster)} cases/s on the cluster, ${round(dev)} on the dev server, ${round(noop)} no-op on the cluster`);
    return {
      ratios: [
        ratio(
          'cluster throughput',
          'cluster case throughput ÷ dev server',
          '雏鹰 cases/s from submission to disbursement on the four-process Temporal cluster on PostgreSQL divided by the same load on the dev server (one process, sqlite), same worker, options and application database; below 1.0 is what the production topology costs on this machine',
          { what: '雏鹰 submission → disbursement, cluster', value: onCluster, unit: 'cases/s' },
          { what: 'the same on the dev server', value: dev, unit: 'cases/s' },
        ),
        ratio(
          'cluster throughput',
          'cluster case throughput ÷ no-op workflow on the cluster',
          '雏鹰 cases/s on the cluster divided by no-op cases/s (same messages and activity count) on the same cluster; 1.0 would mean the case work costs nothing over the cluster itself',
          { what: '雏鹰 submission → disbursement, cluster', value: onCluster, unit: 'cases/s' },
          { what: 'no-op workflow, 13 no-op activities, a timer a step, cluster', value: noop, unit: 'cases/s' },
        ),
      ],
      details: { casesPerRound: cases, rounds, concurrency, temporalServer: cluster.binaries.server, historyShards: 4, services: 'frontend, history, matching, worker as four processes', ...Object.fromEntries(Object.entries(totals).map(([k, t]) => [`${k}Cases`, t.cases])) },
    };
  } finally {
    await connection.close().catch(() => {});
    await nativeConnection.close().catch(() => {});
    await cluster.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
