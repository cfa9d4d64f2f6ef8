import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { expect } from 'vitest';

/** The refusal of an update the case's validator turned down: its DomainError, as the client receives it. */
export async function refusal(promise: Promise<unknown>): Promise<Error & { type?: string }> {
  return promise.then(
    () => expect.fail('the update should have been refused'),
    (error: unknown) => {
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      return (error as WorkflowUpdateFailedError).cause as Error & { type?: string };
    },
  );
}

/** Moves the time-skipping server's clock to `instant` (if it is still ahead), firing every timer on the way. */
export async function sleepUntil(env: TestWorkflowEnvironment, instant: number): Promise<void> {
  const now = await env.currentTimeMs();
  if (instant > now) await env.sleep(instant - now);
}
