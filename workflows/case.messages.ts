import { defineUpdate } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { Actor } from '../domain/cases/actor.js';

/** Every human action carries who takes it (set by the server from the session) and, optionally, the version the actor saw. */
export interface CaseActionRequest<C = { type: string }> {
  actor: Actor;
  requestId: string;
  expectedVersion?: number;
  action: C;
}

export interface CaseActionResult {
  caseId: string;
  version: number;
  status: string;
  /** The events this request recorded: none for the repeat of something already recorded. */
  events: string[];
  /** Money (a disbursement, a repayment): the event that recorded it, the same in the first answer and in every repeat's. */
  recorded?: unknown;
  /** True when this request repeated what was already recorded (same bank reference, amount and date) and recorded nothing. */
  alreadyRecorded?: boolean;
}

/** The update that carries an action, by the name its module declares (CaseAction.update). */
export function caseActionUpdate<C = { type: string }>(updateName: string): UpdateDefinition<CaseActionResult, [CaseActionRequest<C>]> {
  return defineUpdate<CaseActionResult, [CaseActionRequest<C>]>(updateName);
}

/** Completes once the opening events are stored (or fails with the refusal): the API waits on it before answering 201. */
export const caseOpenedUpdate = defineUpdate<CaseActionResult>('submissionRecorded');
