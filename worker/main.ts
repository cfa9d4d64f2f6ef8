import { Runtime } from '@temporalio/worker';
import { metricsAddress } from '../observability/metrics-config.js';
import { runtimeMetricsAddress } from '../config/worker-options.js';
import { installTracing } from '../observability/tracing.js';
import { workerLogger } from '../observability/worker-logging.js';
import { installWorkerMetrics, workerRuntimeOptions } from '../observability/worker-metrics.js';
import { readEnvironment, temporalConnectionOptions } from '../config/environment.js';
import { calendarFromDatabase } from '../db/calendar/calendar-store.js';
import { createDb } from '../db/client.js';
import { privilegeWarnings } from '../db/privileges.js';
import { scheduleCheckpoints } from '../audit/checkpoints.js';
import { loadAuditKey } from '../audit/signing-key.js';
import { connectWhenReady } from './connect-when-ready.js';
import { createCaseWorker } from './create-worker.js';
import { startNoticeSenderFromEnvironment } from './notices/notice-sender.js';

/** `npm run worker`: a worker alone, against DATABASE_URL and TEMPORAL_ADDRESS (for deployments that scale workers apart). */
const environment = readEnvironment();
if (!environment.databaseUrl || !environment.temporalAddress) {
  console.error('set DATABASE_URL and TEMPORAL_ADDRESS (or use `npm start`, which runs everything locally)');
  process.exit(2);
}
// The runtime (its Prometheus endpoint and logger) is installed once, before any connection; the
// tracer and the SQL observer before the pool, so every statement is seen.
const metricsAt = runtimeMetricsAddress(metricsAddress('WORKER_METRICS_PORT'));
Runtime.install({ logger: workerLogger(), ...workerRuntimeOptions(metricsAt) });
if (metricsAt) {
  installWorkerMetrics();
  console.log(`[worker] metrics on http://${metricsAt.host}:${metricsAt.port}/metrics`);
}
const tracing = installTracing({ serviceName: 'youchuang-worker' });
const db = createDb(environment.databaseUrl);
// Least privilege is the deployment's to set up; a connection that could rewrite the event log is said out loud, not refused.
for (const warning of await privilegeWarnings(db).catch(() => [])) console.warn(`[worker] warning: ${warning}`);
// Started before Temporal (or while it restarts), the worker waits and says it is not ready rather than exiting.
const connection = await connectWhenReady(temporalConnectionOptions(environment, environment.temporalAddress));
const worker = await createCaseWorker({ connection, namespace: environment.temporalNamespace, db, clock: () => new Date(), calendar: calendarFromDatabase(db), workerOptions: tracing.workerOptions() });
// Signed audit checkpoints every AUDIT_CHECKPOINT_INTERVAL, where a signing key is configured (set it to off on all workers but one if you like).
const auditKey = await loadAuditKey(environment);
const checkpoints =
  auditKey?.privateKey && environment.auditCheckpointIntervalMs > 0
    ? scheduleCheckpoints(db, auditKey, { intervalMs: environment.auditCheckpointIntervalMs, now: () => new Date(), log: (line) => console.log(`[worker] ${line}`) })
    : undefined;
// Notices (issue 14): the outbox's sender and the reminders' scan (worker/notices/notice-sender.ts).
const noticeSender = startNoticeSenderFromEnvironment(db, process.env, (line) => console.log(`[worker] ${line}`));
console.log(`[worker] ${noticeSender.description}`);
// One plain line when polling starts (process supervisors and the topology test wait for it), with the tuning in force.
console.log(
  `[worker] running: task queue ${worker.options.taskQueue}, namespace ${worker.options.namespace}, sticky schedule-to-start timeout ${String(worker.options.stickyQueueScheduleToStartTimeout)} ms`,
);
await worker.run();
await checkpoints?.stop();
await noticeSender.stop();
await tracing.shutdown();
await connection.close();
await db.destroy();
