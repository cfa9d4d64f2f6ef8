import { makeTelemetryFilterString, Runtime, type RuntimeOptions } from '@temporalio/worker';
import type { MetricsAddress } from './metrics-config.js';
import { installSqlInstrumentation } from './sql-instrumentation.js';

/**
 * The Temporal runtime's options for a worker process: the SDK core's own warnings forwarded to
 * the runtime's logger (so they come out as the same JSON lines), and its Prometheus endpoint (the
 * SDK's metrics: task latencies, slots, sticky cache, activity and workflow outcomes) when an
 * address is given. The runtime is installed once per process, before any connection.
 */
export function workerRuntimeOptions(address: MetricsAddress | undefined): Pick<RuntimeOptions, 'telemetryOptions'> {
  return {
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      ...(address ? { metrics: { prometheus: { bindAddress: `${address.host}:${address.port}` } } } : {}),
    },
  };
}

/**
 * The worker's own metrics, exported through the same Temporal runtime endpoint (its metric meter)
 * so a worker has one scrape target: event-store appends (count and latency, read-model writes
 * included) and SQL statement latency. Milliseconds, as the runtime's own latencies are.
 */
export function installWorkerMetrics(): void {
  const meter = Runtime.instance().metricMeter;
  const appends = meter.createCounter('youchuang_event_appends', 'appends', 'Event-store appends (append_events calls), by outcome');
  const appendLatency = meter.createHistogram('youchuang_event_append_latency', 'int', 'ms', 'Time of one event-store append, read-model writes included');
  const statementLatency = meter.createHistogram('youchuang_sql_statement_latency', 'int', 'ms', 'SQL statements sent to PostgreSQL, by first keyword');
  installSqlInstrumentation({
    onStatement({ operation, seconds, failed }) {
      const outcome = failed ? 'error' : 'ok';
      const ms = Math.round(seconds * 1000);
      statementLatency.record(ms, { operation, outcome });
      if (operation !== 'append') return;
      appends.add(1, { outcome });
      appendLatency.record(ms, { outcome });
    },
  });
}
