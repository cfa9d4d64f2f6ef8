import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { temporalTestServer } from '../../dev/temporal-binaries.js';
import { metricsAddress } from '../../observability/metrics-config.js';
import { workerLogger } from '../../observability/worker-logging.js';
import { installWorkerMetrics, workerRuntimeOptions } from '../../observability/worker-metrics.js';
import { createCaseWorker } from '../../worker/create-worker.js';
import { submissionRecordedUpdate } from '../../workflows/chuying-loan.messages.js';
import { chuyingLoanWorkflow } from '../../workflows/index.js';
import { caseWorkflowId } from '../../workflows/task-queues.js';
import { loanApplication } from '../support/actors.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/**
 * The worker process's one metrics endpoint, as worker/main.ts sets it up: the Temporal runtime's
 * Prometheus exporter, carrying the SDK's metrics and the worker's own. (Not through
 * test/support/temporal.ts: it installs the runtime without metrics, and a process installs one.)
 */
let port: number;
let env: TestWorkflowEnvironment;
let database: TestDatabase;
let worker: Worker;
let running: Promise<void>;
const logLines: Record<string, unknown>[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return free;
}

beforeAll(async () => {
  port = await freePort();
  const address = metricsAddress('WORKER_METRICS_PORT', { WORKER_METRICS_PORT: String(port), METRICS_HOST: '127.0.0.1' });
  Runtime.install({ logger: workerLogger('DEBUG', (line) => void logLines.push(JSON.parse(line) as Record<string, unknown>)), ...workerRuntimeOptions(address) });
  installWorkerMetrics();
  [env, database] = await Promise.all([TestWorkflowEnvironment.createTimeSkipping({ server: { executable: temporalTestServer() } }), createTestDatabase()]);
  const workflowBundle = JSON.parse(await readFile(inject('workflowBundlePath'), 'utf8')) as WorkflowBundleWithSourceMap;
  worker = await createCaseWorker({
    connection: env.nativeConnection,
    taskQueue: 'worker-metrics',
    db: database.db,
    clock: () => new Date(),
    calendar: async () => packagedCalendar(),
    workflowBundle,
  });
  running = worker.run();
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  await database?.drop();
});

describe('the worker metrics endpoint', () => {
  it('answers in Prometheus text format with the SDK runtime metrics and the worker\'s appends', async () => {
    const input = loanApplication();
    const handle = await env.client.workflow.start(chuyingLoanWorkflow, { workflowId: caseWorkflowId(input.caseId), taskQueue: 'worker-metrics', args: [input] });
    await handle.executeUpdate(submissionRecordedUpdate);

    const scrape = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      return response.text();
    };
    // The runtime exports on its own schedule: wait for the append to show.
    const text = await vi.waitFor(
      async () => {
        const body = await scrape();
        expect(body).toMatch(/^youchuang_event_appends\w*\{[^}]*outcome="ok"[^}]*\} [1-9]/m);
        return body;
      },
      { timeout: 15_000, interval: 250 },
    );
    expect(text).toMatch(/^# TYPE temporal_workflow_task_execution_latency\w* histogram/m);
    expect(text).toMatch(/^temporal_activity_execution_latency\w*_count\{[^}]*activity_type="appendCaseEvents"[^}]*\} [1-9]/m);
    expect(text).toMatch(/^youchuang_event_append_latency\w*_count\{[^}]*outcome="ok"[^}]*\} [1-9]/m);
    expect(text).toMatch(/^youchuang_sql_statement_latency\w*_count\{[^}]*operation="append"[^}]*\} [1-9]/m);

    // The worker's log lines about the case's activities carry its case id (the workflow id).
    // (With core's logs forwarded, the runtime logger buffers lines for 100 ms to sort them.)
    const activityLines = () => logLines.filter((line) => line.activityType === 'appendCaseEvents');
    await vi.waitFor(() => expect(activityLines().length).toBeGreaterThan(0));
    for (const line of activityLines()) expect(line).toMatchObject({ caseId: handle.workflowId });
  });

  it('is off unless its port is set, and a wrong port is refused with a clear message', () => {
    expect(metricsAddress('WORKER_METRICS_PORT', {})).toBeUndefined();
    expect(metricsAddress('WORKER_METRICS_PORT', { WORKER_METRICS_PORT: 'off' })).toBeUndefined();
    expect(metricsAddress('API_METRICS_PORT', { API_METRICS_PORT: '9464' })).toEqual({ host: 'localhost', port: 9464 });
    expect(() => metricsAddress('API_METRICS_PORT', { API_METRICS_PORT: '70000' })).toThrow(/API_METRICS_PORT must be a TCP port number or off, got "70000"/);
  });
});
