import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { expect } from 'vitest';
import { applicationCase } from '../../cases/application.case.js';
import type { ApplicationCommand } from '../../domain/applications/commands.js';
import type { ApplicationState } from '../../domain/applications/state.js';
import type { Actor } from '../../domain/cases/actor.js';
import { caseActionUpdate } from '../../workflows/case.messages.js';

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

/** An official's or applicant's action on an application's workflow, as the action route sends it: the update its case module names, a fresh request id. */
export const actOnApplication = (handle: WorkflowHandle, actor: Actor, action: ApplicationCommand) =>
  handle.executeUpdate(caseActionUpdate<ApplicationCommand>(applicationCase.actions.find((a) => a.type === action.type)!.update), { args: [{ actor, requestId: randomUUID(), action }] });

/** The application's state, by its workflow's query. */
export const applicationStateOf = (handle: WorkflowHandle) => handle.query<ApplicationState>('applicationState');
