import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

/** The baseline activities: they do nothing, so what is left is Temporal's own cost per activity. */
export interface NoopActivities {
  noop(step: string): Promise<void>;
}

export const createNoopActivities = (): NoopActivities => ({ async noop() {} });

// The same timeouts and retry policy as the case workflow's activities.
const { noop } = proxyActivities<NoopActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export const noopSubmissionRecordedUpdate = defineUpdate<number>('submissionRecorded');
/** One step of the case: `activities` no-op activities, one after another, then the version moves on. */
export const noopStepUpdate = defineUpdate<number, [{ step: string; activities: number }]>('step');

/**
 * The baseline for the case-throughput benchmark: the 雏鹰 workflow's shape without its work.
 * The same messages in the same order (start, `submissionRecorded`, one update per step), the same
 * activities in number as the real case runs them (bench/case-load.ts lists them: four on start, then
 * 2, 2, 3 and 3 for the four steps, 14 in all), one change at a time, and a timer at every step that
 * the next step cancels, as the real case's time limit of each step (and, once disbursed, its wait
 * for the first instalment).
 */
export async function noopCaseWorkflow(input: { activitiesOnStart: number }): Promise<void> {
  let version = 0;
  let busy = false;

  setHandler(noopSubmissionRecordedUpdate, async () => {
    await condition(() => version >= 1);
    return version;
  });
  setHandler(noopStepUpdate, async ({ step, activities }) => {
    while (busy) await condition(() => !busy);
    busy = true;
    try {
      for (let i = 0; i < activities; i++) await noop(step);
      version++;
      return version;
    } finally {
      busy = false;
    }
  });

  for (let i = 0; i < input.activitiesOnStart; i++) await noop('submit');
  version = 1;
  for (;;) {
    const seen = version;
    await condition(() => version !== seen, '30 days');
  }
}
