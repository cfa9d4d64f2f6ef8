import { describe, expect, it } from 'vitest';
import { workerLogLine } from '../../observability/worker-logging.js';
import { operationOf } from '../../observability/sql-instrumentation.js';

describe('a worker log line', () => {
  it('names the case (the workflow id) and the trace, and keeps the rest of the metadata', () => {
    const line = workerLogLine({
      level: 'WARN',
      message: 'Activity failed',
      timestampNanos: 1_796_194_708_609_000_000n,
      meta: { workflowId: 'case-123', trace_id: '4bf92f3577b34da6a3ce929d0e0e4736', activityType: 'appendCaseEvents', attempt: 2 },
    });
    expect(line).toEqual({
      time: '2026-12-02T06:58:28.609Z',
      level: 'warn',
      msg: 'Activity failed',
      caseId: 'case-123',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      activityType: 'appendCaseEvents',
      attempt: 2,
    });
  });

  it('outside a case and a trace, has neither', () => {
    expect(workerLogLine({ level: 'INFO', message: 'Worker started', timestampNanos: 0n })).toEqual({ time: '1970-01-01T00:00:00.000Z', level: 'info', msg: 'Worker started' });
  });
});

describe('the SQL operation label', () => {
  it('is a bounded keyword, the event store append named as such', () => {
    expect(operationOf('SELECT * FROM append_events($1, $2)')).toBe('append');
    expect(operationOf('  select "case_id" from "cases" where "case_id" = $1')).toBe('SELECT');
    expect(operationOf('/* kysely */ insert into "idempotency_keys" values ($1)')).toBe('INSERT');
    expect(operationOf('VACUUM cases')).toBe('OTHER');
  });
});
