import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { buildApp } from '../api/app.js';
import { startAuditForDev } from '../audit/dev-audit.js';
import { readEnvironment, temporalConnectionOptions } from '../config/environment.js';
import { loadOrCreateDevPersonalDataKey } from '../config/personal-data-key.js';
import { PersonalDataVault } from '../db/personal-data-vault.js';
import { calendarFromDatabase } from '../db/calendar/calendar-store.js';
import { createDb } from '../db/client.js';
import { backfillNotices, noticesToBackfill } from '../db/notices/backfill.js';
import { migrateWithRoles, privilegeWarnings } from '../db/privileges.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoAccounts } from '../db/seed/demo-accounts.js';
import { seedDemoRegisters } from '../db/seed/demo-registers.js';
import { bundleWorkflows, createCaseWorker } from '../worker/create-worker.js';
import { startNoticeSenderFromEnvironment } from '../worker/notices/notice-sender.js';
import { CASES_TASK_QUEUE } from '../workflows/task-queues.js';
import { createApiMetrics, serveMetrics } from '../observability/api-metrics.js';
import { metricsAddress } from '../observability/metrics-config.js';
import { runtimeMetricsAddress } from '../config/worker-options.js';
import { installTracing } from '../observability/tracing.js';
import { installWorkerMetrics, workerRuntimeOptions } from '../observability/worker-metrics.js';
import { APP_ROLE, startEmbeddedPostgres } from './embedded-postgres.js';
import { freePort, isPortFree } from './free-port.js';
import { machineLock } from './machine-lock.js';
import { stopInOrder, type Stop } from './stop-in-order.js';
import { temporalCli } from './temporal-binaries.js';

/**
 * `npm start`: the whole system on one machine. PostgreSQL and Temporal are embedded unless
 * DATABASE_URL / TEMPORAL_ADDRESS point at real ones; data survives restarts under .data/.
 * Migrations run as DATABASE_OWNER_URL's role (embedded: the owner role), the API and the worker as
 * DATABASE_URL's (embedded: the application role, which cannot rewrite events).
 */
const DATA = fileURLToPath(new URL('../.data/', import.meta.url));
const environment = readEnvironment();
const stops: Stop[] = [];
const say = (line: string) => console.log(`[youchuang] ${line}`);

// This script owns Ctrl-C: it stops the API, then drains the worker, then the servers, in that order.
// The same observability as `npm run worker` and `npm run api`, from the same variables: the worker's
// endpoint (the Temporal SDK's runtime metrics and the worker's own) at WORKER_METRICS_PORT, the API's
// at API_METRICS_PORT, traces over OTLP with OTEL_EXPORTER_OTLP_ENDPOINT. The runtime is installed
// once, before any connection; the tracer before the pool, so every statement is seen. (In this one
// process the API and the worker share the pool, so both endpoints count every statement.)
const workerMetricsAt = runtimeMetricsAddress(metricsAddress('WORKER_METRICS_PORT'));
const apiMetricsAt = metricsAddress('API_METRICS_PORT');
Runtime.install({ shutdownSignals: [], ...workerRuntimeOptions(workerMetricsAt) });
if (workerMetricsAt) installWorkerMetrics();
const apiMetrics = apiMetricsAt ? createApiMetrics() : undefined;
const tracing = installTracing({ serviceName: 'youchuang' });

async function preferredPort(port: number): Promise<number> {
  return (await isPortFree(port)) ? port : freePort();
}

async function main() {
  let databaseUrl = environment.databaseUrl;
  let databaseOwnerUrl = environment.databaseOwnerUrl;
  if (!databaseUrl) {
    say('starting embedded PostgreSQL …');
    // Its superuser only creates the two roles; the schema belongs to the owner role, and the API and worker log in as the application role.
    const postgres = await startEmbeddedPostgres({ dataDir: `${DATA}postgres`, database: 'youchuang', persistent: true });
    stops.unshift({ what: 'embedded PostgreSQL', stop: () => postgres.stop() });
    databaseUrl = postgres.appUrl;
    databaseOwnerUrl = postgres.ownerUrl;
    say(`PostgreSQL ready (data in ${postgres.dataDir}; the API and worker connect as ${APP_ROLE})`);
  }
  const applied = await migrateWithRoles({ ownerUrl: databaseOwnerUrl, appUrl: databaseUrl, say });
  if (applied.length) say(`migrations applied: ${applied.join(', ')}`);
  const db = createDb(databaseUrl);
  stops.unshift({ what: 'the database pool', stop: () => db.destroy() });
  // Events recorded before notices existed get theirs in the inbox, mailed to nobody (db/notices/backfill.ts).
  if (noticesToBackfill(applied)) say(`notices: ${await backfillNotices(db)} earlier events read into the inbox`);
  // Last to stop: spans of the shutdown itself are flushed too.
  stops.push({ what: 'tracing', stop: () => tracing.shutdown() });
  for (const warning of await privilegeWarnings(db)) say(`warning: ${warning}`);
  // 身份证号 and phone numbers are encrypted under this key (PERSONAL_DATA_KEY, or one generated into .data/).
  const personalDataKey = await loadOrCreateDevPersonalDataKey(environment, `${DATA}personal-data-key`);
  if (personalDataKey.generated) say(`generated a personal-data key in ${personalDataKey.key.source}; in production set PERSONAL_DATA_KEY instead`);
  const personalData = new PersonalDataVault(db, personalDataKey.key);
  if (environment.seedDemoAccounts) await seedDemoAccounts(db, new Date(), personalData);
  else if (!(await db.selectFrom('accounts').select('username').where('role', '=', 'admin').executeTakeFirst())) {
    say('warning: no administrator yet: create the first two with `npm run bootstrap -- --admin <username> --name <name> --admin … --name …`');
  }
  // The registers the demo applications are answered by (issue 14): a V聚场 tenant, a venue, recent LPRs.
  if (environment.seedDemoAccounts) await seedDemoRegisters(db, new Date());

  let temporalAddress = environment.temporalAddress;
  let temporalUi: string | undefined;
  if (!temporalAddress) {
    say('starting the Temporal dev server …');
    // The ports are chosen and the server bound under one machine-wide lock: another npm start
    // starting at the same moment waits, then finds these ports taken and chooses others.
    const release = await machineLock('temporal-ports');
    const started = await (async () => {
      const port = await preferredPort(7233);
      const uiPort = await preferredPort(8233);
      const local = await TestWorkflowEnvironment.createLocal({
        server: {
          executable: temporalCli(),
          ip: '127.0.0.1',
          port,
          ui: true,
          uiPort,
          // A file, not memory: cases and their timers survive a restart.
          dbFilename: `${DATA}temporal.sqlite`,
          namespace: environment.temporalNamespace,
        },
      });
      return { port, uiPort, local };
    })().finally(release);
    const { port, uiPort, local } = started;
    stops.unshift({ what: 'the Temporal dev server', stop: () => local.teardown() });
    temporalAddress = `127.0.0.1:${port}`;
    temporalUi = `http://localhost:${uiPort}`;
  }

  const workerConnection = await NativeConnection.connect(temporalConnectionOptions(environment, temporalAddress));
  stops.unshift({ what: "the worker's Temporal connection", stop: () => workerConnection.close() });
  const clock = () => new Date();
  // Packaged State Council data with the years an admin loaded (PUT /api/calendar/<year>) merged over it.
  const calendar = calendarFromDatabase(db);
  say('bundling workflows and starting the worker …');
  // A prebuilt bundle ignores the worker's workflow interceptor modules: tracing's go into the bundle.
  const workflowBundle = await bundleWorkflows({ workflowInterceptorModules: tracing.workflowInterceptorModules });
  const worker = await createCaseWorker({
    connection: workerConnection,
    namespace: environment.temporalNamespace,
    db,
    clock,
    calendar,
    workflowBundle,
    workerOptions: tracing.workerOptions({ bundled: true }),
  });
  const workerRun = worker.run();
  stops.unshift({
    what: 'the worker',
    // Its activities finish first: a case's append or letter is not cut off.
    timeoutMs: 60_000,
    stop: async () => {
      worker.shutdown();
      await workerRun;
    },
  });
  // Notices (issue 14): the outbox's sender, as the worker process runs it; email waits in the outbox until SMTP_URL is set.
  const noticeSender = startNoticeSenderFromEnvironment(db, process.env, (line) => say(line));
  say(noticeSender.description);
  stops.unshift({ what: 'the notice sender', stop: () => noticeSender.stop() });

  const clientConnection = await Connection.connect(temporalConnectionOptions(environment, temporalAddress));
  stops.unshift({ what: "the API's Temporal connection", stop: () => clientConnection.close() });
  const temporal = new Client({ connection: clientConnection, namespace: environment.temporalNamespace, interceptors: tracing.clientInterceptors });
  // Checkpoints at AUDIT_CHECKPOINT_INTERVAL; .data/database-url and .data/temporal-address for `npm run audit`.
  const auditing = await startAuditForDev({
    db,
    environment,
    dataDir: DATA,
    embeddedDatabaseUrl: environment.databaseUrl ? undefined : databaseUrl,
    localTemporalAddress: environment.temporalAddress ? undefined : temporalAddress,
    workflowBundle,
    say,
  });
  stops.unshift({ what: 'the audit log', stop: auditing.stop });
  // Warnings and errors only: refused access (`access denied`, who and what) and failures.
  const app = await buildApp(
    { db, temporal, taskQueue: CASES_TASK_QUEUE, clock, calendar, audit: auditing.audit, personalData },
    { logger: { level: 'warn' }, trustProxy: environment.trustProxy, observability: { metrics: apiMetrics, tracer: tracing.enabled ? tracing.tracer : undefined } },
  );
  await app.listen({ host: environment.host, port: environment.port });
  stops.unshift({ what: 'the API', stop: () => app.close() });
  if (apiMetrics && apiMetricsAt) {
    const metricsServer = await serveMetrics(apiMetrics.registry, apiMetricsAt);
    stops.unshift({ what: "the API's metrics endpoint", stop: () => new Promise((resolve) => metricsServer.close(resolve)) });
  }
  const metrics = [
    ...(apiMetricsAt ? [`API http://${apiMetricsAt.host}:${apiMetricsAt.port}/metrics`] : []),
    ...(workerMetricsAt ? [`worker http://${workerMetricsAt.host}:${workerMetricsAt.port}/metrics`] : []),
  ];
  const endpoints = [
    ...(metrics.length ? [`  Metrics       ${metrics.join(', ')}`] : []),
    ...(tracing.enabled ? [`  Traces        OTLP to ${process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '(configured exporter)'}`] : []),
  ];

  const base = `http://localhost:${environment.port}`;
  console.log(`
优创 Youchuang is running.
  Web and API   ${base}
  OpenAPI       ${base}/openapi.json
  Temporal UI   ${temporalUi ?? `(your cluster at ${temporalAddress})`}${endpoints.length ? `\n${endpoints.join('\n')}` : ''}
${
  environment.seedDemoAccounts
    ? `\nDemo accounts (password for all: ${DEMO_PASSWORD}):\n${DEMO_ACCOUNTS.map((a) => `  ${a.username.padEnd(18)} ${a.display_name}（${a.duty}）`).join('\n')}\n`
    : ''
}
Press Ctrl-C to stop.`);
}

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  say('shutting down …');
  await stopInOrder(stops, (line) => console.error(`[youchuang] ${line}`));
  say('stopped');
  process.exit(code);
}

process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));
main().catch(async (error: Error) => {
  console.error(`[youchuang] could not start: ${error.message}`);
  await shutdown(1);
});
