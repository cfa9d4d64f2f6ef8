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
import { migrateWithRoles, privilegeWarnings } from '../db/privileges.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemoAccounts } from '../db/seed/demo-accounts.js';
import { bundleWorkflows, createCaseWorker } from '../worker/create-worker.js';
import { CASES_TASK_QUEUE } from '../workflows/task-queues.js';
import { APP_ROLE, startEmbeddedPostgres } from './embedded-postgres.js';
import { freePort, isPortFree } from './free-port.js';
import { temporalCli } from './temporal-binaries.js';

/**
 * `npm start`: the whole system on one machine. PostgreSQL and Temporal are embedded unless
 * DATABASE_URL / TEMPORAL_ADDRESS point at real ones; data survives restarts under .data/.
 * Migrations run as DATABASE_OWNER_URL's role (embedded: the owner role), the API and the worker as
 * DATABASE_URL's (embedded: the application role, which cannot rewrite events).
 */
const DATA = fileURLToPath(new URL('../.data/', import.meta.url));
const environment = readEnvironment();
const stops: (() => Promise<unknown>)[] = [];
const say = (line: string) => console.log(`[youchuang] ${line}`);

// This script owns Ctrl-C: it stops the API, then drains the worker, then the servers, in that order.
Runtime.install({ shutdownSignals: [] });

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
    stops.unshift(() => postgres.stop());
    databaseUrl = postgres.appUrl;
    databaseOwnerUrl = postgres.ownerUrl;
    say(`PostgreSQL ready (data in ${postgres.dataDir}; the API and worker connect as ${APP_ROLE})`);
  }
  const applied = await migrateWithRoles({ ownerUrl: databaseOwnerUrl, appUrl: databaseUrl, say });
  if (applied.length) say(`migrations applied: ${applied.join(', ')}`);
  const db = createDb(databaseUrl);
  stops.unshift(() => db.destroy());
  for (const warning of await privilegeWarnings(db)) say(`warning: ${warning}`);
  // 身份证号 and phone numbers are encrypted under this key (PERSONAL_DATA_KEY, or one generated into .data/).
  const personalDataKey = await loadOrCreateDevPersonalDataKey(environment, `${DATA}personal-data-key`);
  if (personalDataKey.generated) say(`generated a personal-data key in ${personalDataKey.key.source}; in production set PERSONAL_DATA_KEY instead`);
  const personalData = new PersonalDataVault(db, personalDataKey.key);
  if (environment.seedDemoAccounts) await seedDemoAccounts(db, new Date(), personalData);
  else if (!(await db.selectFrom('accounts').select('username').where('role', '=', 'admin').executeTakeFirst())) {
    say('warning: no administrator yet: create the first two with `npm run bootstrap -- --admin <username> --name <name> --admin … --name …`');
  }

  let temporalAddress = environment.temporalAddress;
  let temporalUi: string | undefined;
  if (!temporalAddress) {
    say('starting the Temporal dev server …');
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
    stops.unshift(() => local.teardown());
    temporalAddress = `127.0.0.1:${port}`;
    temporalUi = `http://localhost:${uiPort}`;
  }

  const workerConnection = await NativeConnection.connect(temporalConnectionOptions(environment, temporalAddress));
  stops.unshift(() => workerConnection.close());
  const clock = () => new Date();
  // Packaged State Council data with the years an admin loaded (PUT /api/calendar/<year>) merged over it.
  const calendar = calendarFromDatabase(db);
  say('bundling workflows and starting the worker …');
  const workflowBundle = await bundleWorkflows();
  const worker = await createCaseWorker({
    connection: workerConnection,
    namespace: environment.temporalNamespace,
    db,
    clock,
    calendar,
    workflowBundle,
  });
  const workerRun = worker.run();
  stops.unshift(async () => {
    worker.shutdown();
    await workerRun;
  });

  const clientConnection = await Connection.connect(temporalConnectionOptions(environment, temporalAddress));
  stops.unshift(() => clientConnection.close());
  const temporal = new Client({ connection: clientConnection, namespace: environment.temporalNamespace });
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
  stops.unshift(auditing.stop);
  // Warnings and errors only: refused access (`access denied`, who and what) and failures.
  const app = await buildApp({ db, temporal, taskQueue: CASES_TASK_QUEUE, clock, calendar, audit: auditing.audit, personalData }, { logger: { level: 'warn' }, trustProxy: environment.trustProxy });
  await app.listen({ host: environment.host, port: environment.port });
  stops.unshift(() => app.close());

  const base = `http://localhost:${environment.port}`;
  console.log(`
优创 Youchuang is running.
  Web and API   ${base}
  OpenAPI       ${base}/openapi.json
  Temporal UI   ${temporalUi ?? `(your cluster at ${temporalAddress})`}
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
  for (const stop of stops) {
    await stop().catch((error: Error) => console.error(`[youchuang] while stopping: ${error.message}`));
  }
  say('stopped');
  process.exit(code);
}

process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));
main().catch(async (error: Error) => {
  console.error(`[youchuang] could not start: ${error.message}`);
  await shutdown(1);
});
