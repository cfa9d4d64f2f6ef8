import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Client } from '@temporalio/client';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../api/app.js';
import { calendarFromDatabase } from '../../db/calendar/calendar-store.js';
import { generatePersonalDataKey, parsePersonalDataKey, PersonalDataVault } from '../../db/personal-data-vault.js';
import { DEMO_PASSWORD, seedDemoAccounts } from '../../db/seed/demo-accounts.js';
import { unregisterDemoCompany } from '../support/legacy-company.js';
import { createApiMetrics, serveMetrics, type ApiMetrics } from '../../observability/api-metrics.js';
import { installTracing, type Tracing } from '../../observability/tracing.js';
import { createCaseWorker, WORKFLOWS_PATH } from '../../worker/create-worker.js';
import { validApplication } from '../support/api-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createTimeSkippingEnvironment } from '../support/temporal.js';

/**
 * One case action, traced end to end as production runs it (tracing on, the Temporal
 * OpenTelemetry interceptors in the client, the workflow bundle and the activities), with the
 * spans collected in memory instead of exported over OTLP.
 */
const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let metrics: ApiMetrics;
let bundle: WorkflowBundleWithSourceMap;
let env: TestWorkflowEnvironment;
let database: TestDatabase;
let app: FastifyInstance;
let worker: Worker;
let running: Promise<void>;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  tracing = installTracing({ serviceName: 'youchuang-test', spanProcessor: new SimpleSpanProcessor(exporter) });
  metrics = createApiMetrics();
  [env, database, bundle] = await Promise.all([
    createTimeSkippingEnvironment(),
    createTestDatabase(),
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, workflowInterceptorModules: tracing.workflowInterceptorModules, logger: quiet }),
  ]);
  const taskQueue = `observability-${randomUUID()}`;
  const calendar = calendarFromDatabase(database.db);
  worker = await createCaseWorker({
    connection: env.nativeConnection,
    taskQueue,
    db: database.db,
    clock: () => new Date(),
    calendar,
    workflowBundle: bundle,
    // The modules are in the bundle built above; main.ts has the worker bundle them itself instead.
    workerOptions: tracing.workerOptions({ bundled: true }),
  });
  running = worker.run();
  const personalData = new PersonalDataVault(database.db, parsePersonalDataKey(generatePersonalDataKey(), 'a test key'));
  await seedDemoAccounts(database.db, new Date(), personalData);
  await unregisterDemoCompany(database.db);
  const temporal = new Client({ connection: env.connection, namespace: env.client.options.namespace, interceptors: tracing.clientInterceptors });
  app = await buildApp(
    { db: database.db, temporal, taskQueue, clock: () => new Date(), calendar, personalData },
    { logger: { level: 'info', stream: { write: (line: string) => logLines.push(JSON.parse(line) as Record<string, unknown>) } }, observability: { tracer: tracing.tracer, metrics } },
  );
});

afterAll(async () => {
  await app?.close();
  worker?.shutdown();
  await running;
  await env?.teardown();
  await database?.drop();
  await tracing?.shutdown();
});

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (message: string) => console.error(message) };

async function signIn(username: string) {
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } });
  expect(login.statusCode, login.body).toBe(200);
  const token = login.json<{ token: string }>().token;
  return (url: string, body?: object, headers: Record<string, string> = {}) =>
    app.inject({ method: body ? 'POST' : 'GET', url, headers: { authorization: `Bearer ${token}`, ...headers }, ...(body ? { payload: body } : {}) });
}

/** The chain of span names from a span up to the root of its trace. */
function ancestry(span: ReadableSpan, all: ReadableSpan[]): string[] {
  const byId = new Map(all.map((s) => [s.spanContext().spanId, s]));
  const names = [];
  for (let at: ReadableSpan | undefined = span; at; at = at.parentSpanId ? byId.get(at.parentSpanId) : undefined) names.push(at.name);
  return names;
}

describe('a case action is one trace', () => {
  it('from the HTTP request through the workflow update and the append activity to its SQL', async () => {
    const creator = await signIn('creator');
    const reviewer = await signIn('fund-reviewer');
    const opened = await creator('/api/cases/chuying-loan', validApplication());
    expect(opened.statusCode, opened.body).toBe(201);
    const caseId = opened.json<{ caseId: string }>().caseId;
    exporter.reset();
    logLines.length = 0;

    // A caller's own trace (a gateway's, say) is continued, not replaced.
    const callerTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const acted = await reviewer(
      `/api/cases/${caseId}/request-supplement`,
      { missingItems: ['营业执照副本'] },
      { traceparent: `00-${callerTraceId}-00f067aa0ba902b7-01` },
    );
    expect(acted.statusCode, acted.body).toBe(200);

    const inTrace = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === callerTraceId);
    await vi.waitFor(() => expect(inTrace().map((s) => s.name)).toContain('POST /api/cases/:caseId/:action'), { timeout: 10_000 });
    await vi.waitFor(() => expect(inTrace().map((s) => s.name)).toContain('HandleUpdate:requestSupplement'), { timeout: 10_000 });
    const spans = inTrace();
    const names = spans.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'POST /api/cases/:caseId/:action',
        'StartWorkflowUpdate:requestSupplement',
        'HandleUpdate:requestSupplement',
        'StartActivity:appendCaseEvents',
        'RunActivity:appendCaseEvents',
        'SQL append',
      ]),
    );
    // The append's SQL hangs under the activity, the activity under the update, the update under the request.
    const append = spans.find((s) => s.name === 'SQL append')!;
    expect(ancestry(append, spans)).toEqual([
      'SQL append',
      'RunActivity:appendCaseEvents',
      'StartActivity:appendCaseEvents',
      'HandleUpdate:requestSupplement',
      'StartWorkflowUpdate:requestSupplement',
      'POST /api/cases/:caseId/:action',
    ]);
    expect(append.attributes['db.statement']).toMatch(/append_events/);
    // The request's own reads (its sign-in check) are in the trace too, under the request.
    expect(spans.some((s) => s.name === 'SQL SELECT' && s.parentSpanId === spans.find((p) => p.name.startsWith('POST '))!.spanContext().spanId)).toBe(true);

    // Every log line of the request carries its trace id and the case id.
    expect(logLines.map((line) => line.msg)).toEqual(['incoming request', 'request completed']);
    for (const line of logLines) expect(line).toMatchObject({ traceId: callerTraceId, caseId });
  });

  it('the recorded histories replay with the tracing interceptors in the bundle: they add no commands', async () => {
    const directory = new URL('../fixtures/histories/', import.meta.url);
    const files = (await readdir(directory)).filter((f) => f.endsWith('.json')).sort();
    expect(files.length).toBeGreaterThan(10);
    const histories = await Promise.all(files.map(async (file) => ({ workflowId: file, history: historyFromJSON(JSON.parse(await readFile(new URL(file, directory), 'utf8'))) })));
    const results = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: bundle, sinks: tracing.workerOptions().sinks }, histories)) {
      results.push({ workflowId: result.workflowId, error: result.error?.message });
    }
    expect(results).toEqual(files.map((workflowId) => ({ workflowId, error: undefined })));
  });
});

describe('the API metrics endpoint', () => {
  it('answers in Prometheus text format, requests labelled by route pattern (no case ids), appends counted', async () => {
    const creator = await signIn('creator');
    const opened = await creator('/api/cases/chuying-loan', validApplication());
    const caseId = opened.json<{ caseId: string }>().caseId;
    const read = await creator(`/api/cases/${caseId}`);
    expect(read.statusCode).toBe(200);
    await app.inject({ method: 'GET', url: '/api/nowhere' });

    const server = await serveMetrics(metrics.registry, { host: '127.0.0.1', port: 0 });
    try {
      const address = server.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${address.port}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      expect(text).toMatch(/^# HELP youchuang_http_request_duration_seconds /m);
      expect(text).toMatch(/^youchuang_http_request_duration_seconds_count\{method="GET",route="\/api\/cases\/:caseId",status="200"\} [1-9]/m);
      expect(text).toMatch(/^youchuang_http_request_duration_seconds_count\{method="POST",route="\/api\/cases\/chuying-loan",status="201"\} [1-9]/m);
      expect(text).toMatch(/^youchuang_http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} [1-9]/m);
      expect(text).not.toContain(caseId);
      expect(text).toMatch(/^youchuang_event_appends_total\{outcome="ok"\} [1-9]/m);
      expect(text).toMatch(/^youchuang_event_append_duration_seconds_count [1-9]/m);
      expect((await fetch(`http://127.0.0.1:${address.port}/other`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
