/**
 * A case worker in a process of its own, for fault tests that SIGKILL it. It is `npm run worker`
 * (connectWhenReady, createCaseWorker, real activities, real Postgres) plus one test hook:
 *
 *   FAULT_PAUSE_AFTER_APPEND=<streamId>/<eventType>  after an append of that event type to that
 *       stream has committed, and before the activity reports back to Temporal, print
 *       `paused-after-commit <streamId>` and never finish.
 *
 * Other input: TEMPORAL_ADDRESS, DATABASE_URL, TASK_QUEUE, WORKFLOW_BUNDLE (a bundle JSON file).
 * It reports on stdout, one line each: `not-ready …`, `ready …`, `running`, `paused-after-commit …`.
 */
import { readFile } from 'node:fs/promises';
import { DefaultLogger, Runtime, type ActivityInterceptorsFactory, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import { createDb } from '../../db/client.js';
import type { AppendRequest } from '../../db/event-store.js';
import { connectWhenReady } from '../../worker/connect-when-ready.js';
import { createCaseWorker } from '../../worker/create-worker.js';

const { TEMPORAL_ADDRESS, DATABASE_URL, TASK_QUEUE, WORKFLOW_BUNDLE, FAULT_PAUSE_AFTER_APPEND } = process.env;
if (!TEMPORAL_ADDRESS || !DATABASE_URL || !TASK_QUEUE || !WORKFLOW_BUNDLE) throw new Error('fault-worker needs TEMPORAL_ADDRESS, DATABASE_URL, TASK_QUEUE and WORKFLOW_BUNDLE');
const say = (line: string) => process.stdout.write(`${line}\n`);

Runtime.install({ logger: new DefaultLogger('ERROR') });

const pauseAfterCommit: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    async execute(input, next) {
      const result = await next(input);
      const request = input.args[0] as AppendRequest | undefined;
      const [streamId, eventType] = (FAULT_PAUSE_AFTER_APPEND ?? '').split('/');
      if (ctx.info.activityType === 'appendCaseEvents' && request && request.streamId === streamId && request.events.some((e) => e.type === eventType)) {
        say(`paused-after-commit ${streamId}`);
        await new Promise(() => {});
      }
      return result;
    },
  },
});

const db = createDb(DATABASE_URL, { max: 4 });
const connection = await connectWhenReady({ address: TEMPORAL_ADDRESS }, { report: ({ ready, detail }) => say(`${ready ? 'ready' : 'not-ready'} ${detail}`), maxDelayMs: 1_000 });
const workflowBundle = JSON.parse(await readFile(WORKFLOW_BUNDLE, 'utf8')) as WorkflowBundleWithSourceMap;
const worker = await createCaseWorker({
  connection,
  taskQueue: TASK_QUEUE,
  db,
  clock: () => new Date(),
  calendar: async () => packagedCalendar(),
  workflowBundle,
  workerOptions: FAULT_PAUSE_AFTER_APPEND ? { interceptors: { activity: [pauseAfterCommit] } } : {},
});
const running = worker.run();
say('running');
await running;
await connection.close();
await db.destroy();
