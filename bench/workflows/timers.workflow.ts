import { sleep } from '@temporalio/workflow';

export interface TimerProbeResult {
  /** When each timer was due and when the workflow saw it fire (workflow clock, ms since the epoch). */
  timers: { delayMs: number; dueMs: number; firedMs: number }[];
}

/**
 * Starts one timer per delay, all at once, and reports when each fired. The benchmark measures
 * timer lateness with it; the fault tests check that every timer fires across a server restart.
 */
export async function timerProbeWorkflow(input: { delaysMs: number[] }): Promise<TimerProbeResult> {
  const startedMs = Date.now();
  const timers = await Promise.all(
    input.delaysMs.map(async (delayMs) => {
      await sleep(delayMs);
      return { delayMs, dueMs: startedMs + delayMs, firedMs: Date.now() };
    }),
  );
  return { timers };
}
