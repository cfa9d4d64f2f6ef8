import { context, propagation, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { ApiMetrics } from './api-metrics.js';

export interface HttpObservability {
  metrics?: ApiMetrics;
  /** Present only when tracing is on: then each request gets a SERVER span, the parent of all it does. */
  tracer?: Tracer;
}

/** Fastify's request logging, but "incoming request" is left to the onRequest hook below, which binds the ids first. */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}
}

const spans = new WeakMap<FastifyRequest, Span>();

/** What requests are counted and traced by: the route's pattern, so case ids do not become label values. */
export function routePatternOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

/**
 * Per request: a span (continuing a `traceparent` the caller sent), a child logger carrying the
 * trace id and the case id from the route params, and, when it has ended, the request metric.
 * Fastify's own "incoming request" line is written before any hook could bind those ids, so the
 * app's RequestLogController leaves it out and it is written here, in Fastify's shape.
 */
export function installHttpObservability(app: FastifyInstance, observability: HttpObservability): void {
  const { metrics, tracer } = observability;
  // Callback style on purpose: `done` runs the rest of the request inside `context.with`, so the
  // handler, the Temporal client and the SQL it causes all see this request's span as their parent.
  app.addHook('onRequest', (request, reply, done) => {
    const caseId = (request.params as Record<string, string | undefined> | undefined)?.caseId;
    const bind = (ids: Record<string, string>) => {
      // The reply keeps the logger it was created with: rebind both, so error and completion lines carry the ids too.
      if (Object.keys(ids).length > 0) request.log = reply.log = request.log.child(ids);
      request.log.info({ req: request }, 'incoming request');
    };
    if (!tracer) {
      bind(caseId ? { caseId } : {});
      done();
      return;
    }
    const route = routePatternOf(request);
    const parent = propagation.extract(context.active(), request.headers);
    const span = tracer.startSpan(
      `${request.method} ${route}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'http.route': route, ...(caseId ? { 'youchuang.case_id': caseId } : {}) } },
      parent,
    );
    spans.set(request, span);
    bind({ traceId: span.spanContext().traceId, ...(caseId ? { caseId } : {}) });
    context.with(trace.setSpan(parent, span), done);
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics?.observeRequest({ method: request.method, route: routePatternOf(request), status: reply.statusCode, seconds: reply.elapsedTime / 1000 });
    const span = spans.get(request);
    if (!span) return;
    span.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  });
}
