import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { timerProbeWorkflow } from '../../bench/workflows/timers.workflow.js';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { readStream } from '../../db/event-store.js';
import { freePort } from '../../dev/free-port.js';
import { chuyingLoanWorkflow } from '../../workflows/index.js';
import { acceptMaterialsUpdate, submissionRecordedUpdate } from '../../workflows/chuying-loan.messages.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { fundReviewer, loanApplication } from '../support/actors.js';
import { spawnChildWorker, type ChildWorker } from '../support/child-worker.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startLocalTemporal } from '../support/local-temporal.js';
import '../support/temporal.js';
import { expectIntactAndRebuildable } from './event-store-audit.js';

/**
 * The Temporal dev server stopped with timers pending and updates in flight, and started again
 * on the same sqlite file. Meanwhile the case worker is killed and a new one started while the
 * server is down: it must wait, saying it is not ready, and then do the work.
 */
const DATA = fileURLToPath(new URL('../../.data/', import.meta.url));
const DELAYS_MS = [300, 1_000, 2_500, 4_000, 6_000, 9_000, 12_000];
const TIMER_WORKFLOWS = 10;
const CASES = 6;

let server: TestWorkflowEnvironment | undefined;
let database: TestDatabase;
let port: number;
let address: string;
let dbFilename: string;
let connection: Connection;
let client: Client;
let timerConnection: NativeConnection;
let timerWorker: Worker;
let timerWorkerRun: Promise<void>;
let app: FastifyInstance;
const children: ChildWorker[] = [];
const casesQueue = `restart-cases-${randomUUID()}`;
const timersQueue = `restart-timers-${randomUUID()}`;

beforeAll(async () => {
  port = await freePort();
  address = `127.0.0.1:${port}`;
  dbFilename = `${DATA}fault-temporal-${process.pid}.sqlite`;
  await rm(dbFilename, { force: true });
  [server, database] = await Promise.all([startLocalTemporal({ dbFilename, port }), createTestDatabase()]);
  // Connections of our own: the server's environment closes its connections when it stops.
  // A subchannel of its own, so that its reconnect backoff while the server is down is not shared
  // with the connection the restarted server's environment opens.
  connection = await Connection.connect({ address, channelArgs: { 'grpc.use_local_subchannel_pool': 1 } });
  client = new Client({ connection });
  timerConnection = await NativeConnection.connect({ address });
  const bundle = await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('../../bench/workflows/index.ts', import.meta.url)), logger: quiet });
  timerWorker = await Worker.create({ connection: timerConnection, taskQueue: timersQueue, workflowBundle: bundle, activities: {} });
  timerWorkerRun = timerWorker.run();
  app = await buildApp({ db: database.db, temporal: client, taskQueue: casesQueue, clock: () => new Date(), calendar: async () => packagedCalendar() });
});

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop('SIGKILL')));
  await app?.close();
  timerWorker?.shutdown();
  await timerWorkerRun;
  await timerConnection?.close();
  await connection?.close();
  await server?.teardown();
  await database?.drop();
  if (dbFilename) await Promise.all(['', '-shm', '-wal'].map((suffix) => rm(`${dbFilename}${suffix}`, { force: true })));
});

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m) };

function startCaseWorker(): ChildWorker {
  const worker = spawnChildWorker({ TEMPORAL_ADDRESS: address, DATABASE_URL: database.appUrl, TASK_QUEUE: casesQueue, WORKFLOW_BUNDLE: inject('workflowBundlePath') });
  children.push(worker);
  return worker;
}

async function health(): Promise<{ status: number; body: { status: string; temporal: string } }> {
  const response = await app.inject({ method: 'GET', url: '/api/health' });
  return { status: response.statusCode, body: response.json() };
}

/** What a careful caller does with an update the server could not take: send it again, under the same update id. */
async function updateUntilDone<T>(send: () => Promise<T>): Promise<{ result: T; attempts: number }> {
  for (let attempts = 1; ; attempts++) {
    try {
      return { result: await send(), attempts };
    } catch (error) {
      if (attempts >= 30) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

describe('the Temporal dev server stopped and started again', () => {
  it('fires every timer, loses no update, and a worker started while it was down waits, not ready, then works', async () => {
    const first = startCaseWorker();
    await first.waitForLine(/^running$/);

    const timers = await Promise.all(
      Array.from({ length: TIMER_WORKFLOWS }, (_, i) =>
        client.workflow.start(timerProbeWorkflow, { workflowId: `timers-${i}-${randomUUID()}`, taskQueue: timersQueue, args: [{ delaysMs: DELAYS_MS }] }),
      ),
    );
    const cases = await Promise.all(
      Array.from({ length: CASES }, async () => {
        const input = loanApplication();
        const handle = await client.workflow.start(chuyingLoanWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue: casesQueue, args: [input] });
        await handle.executeUpdate(submissionRecordedUpdate);
        return { input, handle };
      }),
    );
    expect((await health()).status).toBe(200);

    // Updates sent, and the server stopped under them.
    const sendAccept = (handle: WorkflowHandle<typeof chuyingLoanWorkflow>, updateId: string) => () =>
      handle.executeUpdate(acceptMaterialsUpdate, { updateId, args: [{ actor: fundReviewer, requestId: updateId, action: { type: 'AcceptMaterials' as const } }] });
    const updates = cases.map(({ handle }) => updateUntilDone(sendAccept(handle, randomUUID())));
    await server!.teardown();
    server = undefined;
    await first.stop('SIGKILL');

    const second = startCaseWorker();
    await second.waitForLine(/^not-ready waiting for Temporal at /);
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'degraded', database: 'ok' });
    expect(down.body.temporal).not.toBe('ok');
    expect(second.lines.some((l) => l.startsWith('ready'))).toBe(false);

    server = await startLocalTemporal({ dbFilename, port });
    await second.waitForLine(/^ready connected to Temporal at /);
    await second.waitForLine(/^running$/);

    const results = await Promise.all(updates);
    // Each acceptance once, with the 网信 review's time limit it starts.
    expect(results.map(({ result }) => result)).toEqual(cases.map(({ input }) => ({ caseId: input.caseId, version: 3, status: 'compliance-review', events: ['MaterialsAccepted', 'TimeLimitStarted'] })));
    for (const { input } of cases) {
      expect((await readStream(database.db, input.caseId)).map((e) => `${e.streamVersion} ${e.type}`)).toEqual(['1 LoanApplicationSubmitted', '2 MaterialsAccepted', '3 TimeLimitStarted']);
    }

    const fired = await Promise.all(timers.map((t) => t.result()));
    for (const { timers: probe } of fired) {
      expect(probe.map((t) => t.delayMs)).toEqual(DELAYS_MS);
      for (const timer of probe) expect(timer.firedMs).toBeGreaterThanOrEqual(timer.dueMs);
    }

    // The API's client reconnects on gRPC's backoff, which grew while the server was down.
    let healthy = await health();
    for (let i = 0; i < 300 && healthy.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      healthy = await health();
    }
    expect(healthy).toMatchObject({ status: 200, body: { status: 'ok', temporal: 'ok' } });
    await expectIntactAndRebuildable(database.db, database.url);
  });
});
