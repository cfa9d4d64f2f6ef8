import { Client, Connection } from '@temporalio/client';
import { readEnvironment, temporalConnectionOptions } from '../config/environment.js';
import { calendarFromDatabase } from '../db/calendar/calendar-store.js';
import { createDb } from '../db/client.js';
import { privilegeWarnings } from '../db/privileges.js';
import { loadAuditKey } from '../audit/signing-key.js';
import { loadPersonalDataKey } from '../config/personal-data-key.js';
import { PersonalDataVault } from '../db/personal-data-vault.js';
import { CASES_TASK_QUEUE } from '../workflows/task-queues.js';
import { createApiMetrics, serveMetrics } from '../observability/api-metrics.js';
import { metricsAddress } from '../observability/metrics-config.js';
import { installTracing } from '../observability/tracing.js';
import { buildApp } from './app.js';

/** `npm run api`: the API alone, against DATABASE_URL and TEMPORAL_ADDRESS. */
const environment = readEnvironment();
if (!environment.databaseUrl || !environment.temporalAddress) {
  console.error('set DATABASE_URL and TEMPORAL_ADDRESS (or use `npm start`, which runs everything locally)');
  process.exit(2);
}
// Before the pool and the Temporal client exist, so both are observed from their first statement and call.
const tracing = installTracing({ serviceName: 'youchuang-api' });
const metricsAt = metricsAddress('API_METRICS_PORT');
const metrics = metricsAt ? createApiMetrics() : undefined;
const db = createDb(environment.databaseUrl);
// Least privilege is the deployment's to set up; a connection that could rewrite the event log is said out loud, not refused.
for (const warning of await privilegeWarnings(db).catch(() => [])) console.warn(`[api] warning: ${warning}`);
const connection = await Connection.connect(temporalConnectionOptions(environment, environment.temporalAddress));
const temporal = new Client({ connection, namespace: environment.temporalNamespace, interceptors: tracing.clientInterceptors });
const auditKey = await loadAuditKey(environment);
const personalDataKey = await loadPersonalDataKey(environment);
if (!personalDataKey) {
  console.error('set PERSONAL_DATA_KEY (32 random bytes in base64, e.g. `openssl rand -base64 32`) or PERSONAL_DATA_KEY_FILE: 身份证号 and phone numbers are stored encrypted under it');
  process.exit(2);
}
const personalData = new PersonalDataVault(db, personalDataKey);
const app = await buildApp(
  { db, temporal, taskQueue: CASES_TASK_QUEUE, clock: () => new Date(), calendar: calendarFromDatabase(db), audit: { key: auditKey }, personalData },
  { logger: true, trustProxy: environment.trustProxy, observability: { metrics, tracer: tracing.enabled ? tracing.tracer : undefined } },
);
await app.listen({ host: environment.host, port: environment.port });
const metricsServer = metrics && metricsAt ? await serveMetrics(metrics.registry, metricsAt) : undefined;
if (metricsAt) app.log.info(`metrics on http://${metricsAt.host}:${metricsAt.port}/metrics`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await app.close();
    metricsServer?.close();
    await tracing.shutdown();
    await connection.close();
    await db.destroy();
  });
}
