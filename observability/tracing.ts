import { createRequire } from 'node:module';
import { context, propagation, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ClientInterceptors } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client/index.js';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/worker/index.js';
import type { WorkerOptions } from '@temporalio/worker';
import { installSqlInstrumentation } from './sql-instrumentation.js';

export const TRACER_NAME = 'youchuang';

/**
 * The workflow side of Temporal's OpenTelemetry interceptors, as a module the workflow bundler
 * loads into the sandbox (interceptors cannot be passed as objects across the isolate boundary).
 */
export const WORKFLOW_TRACING_INTERCEPTOR_MODULE = createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

/** Tracing as this process runs it: off (nothing installed, nothing recorded), or on with its span processor. */
export interface Tracing {
  readonly enabled: boolean;
  readonly tracer: Tracer;
  /** Temporal client interceptors that carry the active trace into workflow starts, updates and signals. */
  readonly clientInterceptors: ClientInterceptors | undefined;
  /** The workflow interceptor modules to bundle: for a worker given a prebuilt bundle (`bundleWorkflowCode`'s `workflowInterceptorModules`). */
  readonly workflowInterceptorModules: string[];
  /**
   * Worker options that trace workflow tasks (spans exported through a sink) and activities; `{}`
   * when off. `bundled`: the worker gets a bundle built with `workflowInterceptorModules`, so the
   * modules are not named again (the SDK ignores them then, with a warning).
   */
  workerOptions(options?: { bundled?: boolean }): Pick<WorkerOptions, 'interceptors' | 'sinks'>;
  /** Flushes what is buffered and stops exporting. */
  shutdown(): Promise<void>;
}

const off: Tracing = {
  enabled: false,
  tracer: trace.getTracer(TRACER_NAME),
  clientInterceptors: undefined,
  workflowInterceptorModules: [],
  workerOptions: () => ({}),
  shutdown: async () => {},
};

/**
 * Installs tracing for this process when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (the exporter reads
 * it and the other standard `OTEL_EXPORTER_OTLP_*` variables), or with the span processor given
 * (tests collect spans in memory). Otherwise nothing is installed: no context manager, no SQL
 * wrapper, no interceptors, so tracing costs nothing when it is off.
 */
export function installTracing(options: { serviceName: string; spanProcessor?: SpanProcessor; env?: NodeJS.ProcessEnv }): Tracing {
  const env = options.env ?? process.env;
  const spanProcessor = options.spanProcessor ?? (env.OTEL_EXPORTER_OTLP_ENDPOINT ? new BatchSpanProcessor(new OTLPTraceExporter()) : undefined);
  if (!spanProcessor) return off;
  const resource = new Resource({ 'service.name': env.OTEL_SERVICE_NAME || options.serviceName });
  const provider = new BasicTracerProvider({ resource });
  provider.addSpanProcessor(spanProcessor);
  // Global registration, because the Temporal interceptors and the SQL wrapper find the tracer through the API.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  const tracer = trace.getTracer(TRACER_NAME);
  installSqlInstrumentation({ tracer });
  return {
    enabled: true,
    tracer,
    clientInterceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
    workflowInterceptorModules: [WORKFLOW_TRACING_INTERCEPTOR_MODULE],
    workerOptions: ({ bundled = false } = {}) => ({
      interceptors: {
        workflowModules: bundled ? [] : [WORKFLOW_TRACING_INTERCEPTOR_MODULE],
        activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
      },
      sinks: { exporter: makeWorkflowExporter(spanProcessor, resource) },
    }),
    shutdown: () => provider.shutdown(),
  };
}
