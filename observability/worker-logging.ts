import { DefaultLogger, type LogEntry, type LogLevel } from '@temporalio/worker';

/**
 * The worker's log lines as JSON, one per line, each with the case id where there is one: a case
 * workflow's id is its case id, and the SDK puts the workflow id on every workflow and activity
 * log line's metadata (with `trace_id` from the OpenTelemetry activity interceptor when tracing).
 */
export function workerLogger(level: LogLevel = 'INFO', write: (line: string) => void = (line) => process.stdout.write(line)): DefaultLogger {
  return new DefaultLogger(level, (entry) => write(`${JSON.stringify(workerLogLine(entry))}\n`));
}

export function workerLogLine({ level, message, meta, timestampNanos }: LogEntry): Record<string, unknown> {
  const { workflowId, trace_id: traceId, ...rest } = (meta ?? {}) as Record<string, unknown>;
  return {
    time: new Date(Number(timestampNanos / 1_000_000n)).toISOString(),
    level: level.toLowerCase(),
    msg: message,
    ...(workflowId ? { caseId: workflowId } : {}),
    ...(traceId ? { traceId } : {}),
    ...rest,
  };
}
