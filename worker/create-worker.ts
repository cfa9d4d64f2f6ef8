import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import type { NativeConnection, WorkerOptions } from '@temporalio/worker';
import { Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createApplicationActivities } from '../activities/applications.activities.js';
import { createCalendarActivities } from '../activities/calendar.activities.js';
import { createCallActivities } from '../activities/calls.activities.js';
import { createCaseActivities, type CaseActivityDependencies } from '../activities/case-events.activities.js';
import { createDecisionLetterActivities } from '../activities/decision-letters.activities.js';
import { createRegisterActivities } from '../activities/registers.activities.js';
import { CASES_TASK_QUEUE } from '../workflows/task-queues.js';
import { workerOptionsFromEnvironment } from '../config/worker-options.js';
import { calendarWithCountsInFlight } from './calendar-counts.js';
import { registerCaseSearchAttributes } from './search-attributes.js';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/**
 * The case modules, evaluated once per worker thread and shared by every workflow it runs, instead
 * of afresh for each workflow (the SDK's `preloadModules`). A case module and what it imports (its
 * decider, forms, rules: cases/, domain/, zod) are pure: no workflow API, no clock, no module state a
 * workflow could change, so sharing them shares nothing a case could leak to another (the lint
 * rules hold them to it: eslint.config.js, `noModuleState`). Building a 雏鹰 loan's forms
 * and rules for each new workflow was about 10 ms of CPU of the worker's workflow thread, plus the
 * garbage (issue 17, `npm run bench -- --only=case-throughput`).
 */
export const SHARED_WORKFLOW_MODULES = ['chuying-loan', 'drama-filing', 'application', 'recovery', 'call'].map((name) => fileURLToPath(new URL(`../cases/${name}.case.ts`, import.meta.url)));

/**
 * Bundles the workflow code once; tests and the start script reuse the bundle. A worker given a
 * bundle ignores `interceptors.workflowModules`, so workflow interceptors (tracing's) are bundled
 * in here: pass `tracing.workflowInterceptorModules` and `tracing.workerOptions({ bundled: true })`.
 */
export async function bundleWorkflows(options: { workflowInterceptorModules?: string[] } = {}): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: quietBundlerLogger,
    workflowInterceptorModules: options.workflowInterceptorModules ?? [],
    preloadModules: SHARED_WORKFLOW_MODULES,
  });
}

const quietBundlerLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

export interface CaseWorkerOptions extends CaseActivityDependencies {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  workflowBundle?: WorkflowBundleWithSourceMap;
  /** Tuning and interceptors, passed through (the benchmark gives its baseline worker the same ones; fault tests add hooks). */
  workerOptions?: Omit<WorkerOptions, 'connection' | 'namespace' | 'taskQueue' | 'activities' | 'workflowBundle' | 'workflowsPath'>;
}

/**
 * The composition root of the worker: activities get their dependencies here and nowhere else.
 * The case search attributes are registered first (idempotently): a case workflow that sets one
 * the server does not know fails its workflow task, so no worker may run them unregistered, on
 * whatever server it is started against (dev server, test servers, bench, a cluster).
 */
export async function createCaseWorker(options: CaseWorkerOptions): Promise<Worker> {
  const { connection, namespace = 'default', taskQueue = CASES_TASK_QUEUE, workflowBundle, workerOptions, ...dependencies } = options;
  await registerCaseSearchAttributes(connection, namespace);
  // A call's batch decision is delivered to its applications' workflows: a client on the worker's own connection.
  const temporal = new Client({ connection, namespace });
  // Every calendar read by a case's activity is noted until the case's append: a year loaded in between reaches it too.
  const counts = calendarWithCountsInFlight(dependencies.db, dependencies.calendar);
  const withCounts = { ...dependencies, calendar: counts.calendar };
  const caseActivities = createCaseActivities(withCounts);
  return Worker.create({
    // The production defaults (the sticky schedule-to-start timeout: config/worker-options.ts), under what the caller tunes.
    ...workerOptionsFromEnvironment(),
    ...workerOptions,
    connection,
    namespace,
    taskQueue,
    activities: {
      ...caseActivities,
      async appendCaseEvents(request: Parameters<typeof caseActivities.appendCaseEvents>[0]) {
        const result = await caseActivities.appendCaseEvents(request);
        counts.recorded();
        return result;
      },
      ...createCalendarActivities(withCounts), ...createApplicationActivities(withCounts), ...createCallActivities({ ...withCounts, temporal }),
      ...createDecisionLetterActivities(withCounts),
      ...createRegisterActivities(withCounts),
    },
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { preloadModules: SHARED_WORKFLOW_MODULES } }),
  });
}
