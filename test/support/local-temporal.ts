import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporalCli } from '../../dev/temporal-binaries.js';

/**
 * The real Temporal dev server (`temporal server start-dev`), in real time: for tests about
 * timeouts, retries and server restarts, which the time-skipping server does not model.
 * With `dbFilename` its state is a sqlite file, so it can be stopped and started again on the
 * same port and pick up where it was.
 */
export function startLocalTemporal(options: { dbFilename?: string; port?: number } = {}): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: temporalCli(),
      ip: '127.0.0.1',
      ui: false,
      ...(options.port ? { port: options.port } : {}),
      ...(options.dbFilename ? { dbFilename: options.dbFilename } : {}),
      log: { format: 'pretty', level: 'error' },
    },
  });
}
