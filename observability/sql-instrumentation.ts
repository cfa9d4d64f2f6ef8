import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import pg from 'pg';

/** One SQL statement as it finished. */
export interface SqlStatement {
  /** The statement's first keyword (SELECT, INSERT, …), or `append` for the event store's append. */
  operation: string;
  seconds: number;
  failed: boolean;
}

interface SqlObserver {
  tracer?: Tracer;
  onStatement?: (statement: SqlStatement) => void;
}

const observers: SqlObserver[] = [];
let installed = false;

/**
 * Observes every statement sent through `pg` in this process: a CLIENT span per statement under
 * whatever span is active (the activity's, the HTTP request's), and a callback for metrics.
 *
 * At the `pg` client rather than as a kysely plugin, because the event store appends with
 * `CompiledQuery.raw(... append_events(...))`, which kysely plugins never see; the same reason
 * `@opentelemetry/instrumentation-pg` patches `Client.prototype.query`, which this does by hand as
 * module-load hooks do not see an ESM import of `pg`. Installed only when tracing or metrics are on.
 */
export function installSqlInstrumentation(observer: SqlObserver): void {
  observers.push(observer);
  if (installed) return;
  installed = true;
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function observedQuery(this: pg.Client, ...args: unknown[]) {
    const [config, values, callback] = args;
    const text = typeof config === 'string' ? config : (config as { text?: unknown } | undefined)?.text;
    // Callback-style calls and submittables (cursors, COPY streams) are left as they are: kysely uses neither.
    const plain = typeof text === 'string' && typeof values !== 'function' && callback === undefined && typeof (config as { submit?: unknown }).submit !== 'function';
    if (!plain) return original.apply(this, args);
    const operation = operationOf(text);
    const spans = observers.flatMap((o) =>
      o.tracer
        ? [o.tracer.startSpan(`SQL ${operation}`, { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.operation': operation, 'db.statement': text } })]
        : [],
    );
    const started = performance.now();
    const finish = (error?: unknown) => {
      const seconds = (performance.now() - started) / 1000;
      for (const span of spans) {
        if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        span.end();
      }
      for (const o of observers) o.onStatement?.({ operation, seconds, failed: error !== undefined });
    };
    return (original.apply(this, args) as Promise<unknown>).then(
      (result) => {
        finish();
        return result;
      },
      (error: unknown) => {
        finish(error);
        throw error;
      },
    );
  } as typeof pg.Client.prototype.query;
}

/** A bounded label: the statement's first keyword, so statements with ids in them do not multiply the series. */
export function operationOf(text: string): string {
  if (/\bappend_events\s*\(/i.test(text)) return 'append';
  const keyword = /^\s*(?:\/\*.*?\*\/\s*)*([a-z]+)/is.exec(text)?.[1]?.toUpperCase();
  return keyword && KNOWN_KEYWORDS.has(keyword) ? keyword : 'OTHER';
}

const KNOWN_KEYWORDS = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'WITH', 'BEGIN', 'COMMIT', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'SET', 'LOCK', 'CREATE', 'ALTER', 'DROP', 'GRANT', 'COPY']);
