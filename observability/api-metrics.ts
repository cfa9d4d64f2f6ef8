import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { installSqlInstrumentation } from './sql-instrumentation.js';

/** The API process's Prometheus metrics, in a registry of its own (tests build several apps in one process). */
export interface ApiMetrics {
  readonly registry: Registry;
  /** One finished HTTP request, by the route's *pattern* (`/api/cases/:caseId`), never its raw URL. */
  observeRequest(request: { method: string; route: string; status: number; seconds: number }): void;
}

const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // A histogram's _count is the request count, so rates and latencies come from one series.
  const requests = new Histogram({
    name: 'youchuang_http_request_duration_seconds',
    help: 'HTTP requests served by the API, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [registry],
  });
  const appends = new Counter({
    name: 'youchuang_event_appends_total',
    help: 'Event-store appends (append_events calls, read-model writes included), by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const appendLatency = new Histogram({
    name: 'youchuang_event_append_duration_seconds',
    help: 'Time of one event-store append (append_events), read-model writes included',
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [registry],
  });
  const statements = new Histogram({
    name: 'youchuang_sql_statement_duration_seconds',
    help: 'SQL statements sent to PostgreSQL, by first keyword',
    labelNames: ['operation', 'outcome'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [registry],
  });
  installSqlInstrumentation({
    onStatement({ operation, seconds, failed }) {
      const outcome = failed ? 'error' : 'ok';
      statements.observe({ operation, outcome }, seconds);
      if (operation !== 'append') return;
      appends.inc({ outcome });
      appendLatency.observe(seconds);
    },
  });
  return {
    registry,
    observeRequest({ method, route, status, seconds }) {
      requests.observe({ method, route, status: String(status) }, seconds);
    },
  };
}

/**
 * Serves `GET /metrics` on a port of its own, apart from the API's: scrapers reach it on the
 * internal network, and the public port gives nobody the route statistics.
 */
export async function serveMetrics(registry: Registry, address: { host: string; port: number }): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('只提供 GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: Error) => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`指标生成失败：${error.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(address.port, address.host, resolve));
  return server;
}
