import { workerOptionsFromEnvironment } from '../config/worker-options.js';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { sql } from 'kysely';
import { bundleWorkflowCode, Worker, type WorkerOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { packagedCalendar } from '../db/calendar/official-arrangements.js';
import { createDb, type Db } from '../db/client.js';
import { migrateToLatest } from '../db/migrations/index.js';
import { ensureDatabase, startEmbeddedPostgres, type RunningPostgres } from '../dev/embedded-postgres.js';
import { temporalCli } from '../dev/temporal-binaries.js';
import { bundleWorkflows, createCaseWorker } from '../worker/create-worker.js';
import { createNoopActivities } from './workflows/noop-case.workflow.js';

const DATA = fileURLToPath(new URL('../.data/', import.meta.url));
const BENCH_WORKFLOWS = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

/**
 * The case workers and their baselines get exactly these options (and otherwise the SDK's
 * defaults), so that a ratio compares the work, not the tuning.
 */
export const WORKER_OPTIONS = {
  maxConcurrentActivityTaskExecutions: 100,
  maxConcurrentWorkflowTaskExecutions: 40,
  maxCachedWorkflows: 2_000,
  // The case worker's sticky timeout (1 s unless configured), given to the baseline worker too.
  ...workerOptionsFromEnvironment(),
} satisfies Partial<WorkerOptions>;

/** Everything a benchmark needs, started once per run: its own PostgreSQL and Temporal dev server. */
export class BenchContext {
  private constructor(
    readonly quick: boolean,
    /** `--10m`: the audit benchmark grows its store on to 10,000,000 events and measures there too. */
    readonly tenMillion: boolean,
    readonly postgres: RunningPostgres,
    readonly temporal: TestWorkflowEnvironment,
    readonly caseBundle: WorkflowBundleWithSourceMap,
    readonly benchBundle: WorkflowBundleWithSourceMap,
    private readonly databases: { name: string; db: Db }[] = [],
  ) {}

  static async start(quick: boolean, tenMillion: boolean, say: (line: string) => void): Promise<BenchContext> {
    say('starting embedded PostgreSQL and the Temporal dev server, bundling workflows …');
    const [postgres, temporal, caseBundle, benchBundle] = await Promise.all([
      startEmbeddedPostgres({ dataDir: `${DATA}bench-${process.pid}`, database: 'bench', persistent: false }),
      TestWorkflowEnvironment.createLocal({ server: { executable: temporalCli(), ip: '127.0.0.1', ui: false, log: { format: 'pretty', level: 'error' } } }),
      bundleWorkflows(),
      bundleWorkflowCode({ workflowsPath: BENCH_WORKFLOWS, logger: quietLogger }),
    ]);
    return new BenchContext(quick, tenMillion, postgres, temporal, caseBundle, benchBundle);
  }

  /** A fresh, migrated database of its own for one benchmark, so one's rows never slow another. */
  async database(name: string, options: { max?: number } = {}): Promise<{ db: Db; url: string }> {
    await ensureDatabase(this.postgres.adminUrl, name);
    const url = this.postgres.adminUrl.replace(/\/[^/]*$/, `/${name}`);
    const db = createDb(url, options);
    await migrateToLatest(db);
    this.databases.push({ name, db });
    return { db, url };
  }

  /**
   * Drops the databases made so far, once the benchmark that used them has finished: a finished
   * benchmark's tables would otherwise go on costing CPU in the next one's measurement (autovacuum
   * of the audit benchmark's million events, for one), and the next benchmark's figures would be
   * another's load. A checkpoint then writes out what is left dirty, for the same reason.
   */
  async dropDatabases(): Promise<void> {
    const admin = createDb(this.postgres.adminUrl, { max: 1 });
    try {
      for (const { name, db } of this.databases.splice(0)) {
        await db.destroy().catch(() => {});
        await sql`DROP DATABASE IF EXISTS ${sql.id(name)} WITH (FORCE)`.execute(admin);
      }
      await sql`CHECKPOINT`.execute(admin);
    } finally {
      await admin.destroy();
    }
  }

  /** The production case worker (real activities, real Postgres) on a task queue of its own. */
  async caseWorker(db: Db): Promise<{ worker: Worker; taskQueue: string }> {
    const taskQueue = `bench-cases-${randomBytes(4).toString('hex')}`;
    const worker = await createCaseWorker({
      connection: this.temporal.nativeConnection,
      taskQueue,
      db,
      clock: () => new Date(),
      calendar: async () => packagedCalendar(),
      workflowBundle: this.caseBundle,
      workerOptions: WORKER_OPTIONS,
    });
    return { worker, taskQueue };
  }

  /** The baseline worker: the bench bundle (no-op case, timer probe) and no-op activities, with the same options. */
  async benchWorker(): Promise<{ worker: Worker; taskQueue: string }> {
    const taskQueue = `bench-noop-${randomBytes(4).toString('hex')}`;
    const worker = await Worker.create({
      connection: this.temporal.nativeConnection,
      taskQueue,
      workflowBundle: this.benchBundle,
      activities: createNoopActivities(),
      ...WORKER_OPTIONS,
    });
    return { worker, taskQueue };
  }

  async close(): Promise<void> {
    for (const { db } of this.databases) await db.destroy().catch(() => {});
    await this.temporal.teardown().catch(() => {});
    await this.postgres.stop().catch(() => {});
  }
}

/** Runs the worker for the duration of `work`, then shuts it down and waits for it. */
export async function withWorker<T>(worker: Worker, work: () => Promise<T>): Promise<T> {
  const running = worker.run();
  try {
    return await work();
  } finally {
    worker.shutdown();
    await running;
  }
}

const quietLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
