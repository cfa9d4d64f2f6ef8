import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { Actor } from '../domain/cases/actor.js';
import type { DramaFilingAction, DramaFilingActionType } from '../domain/drama-filing/commands.js';
import type { DramaSubmission } from '../domain/drama-filing/events.js';
import type { DramaFilingState } from '../domain/drama-filing/state.js';
import type { DramaFilingTerms, DramaFilingType } from '../domain/drama-filing/terms.js';
import type { CaseActionResult } from './chuying-loan.messages.js';

export type { CaseActionResult };

export interface DramaFilingWorkflowInput {
  caseId: string;
  referenceNo: string;
  filingType: DramaFilingType;
  applicant: Actor;
  submission: DramaSubmission;
  terms: DramaFilingTerms;
  requestId: string;
}

export type DramaFilingActionRequest<T extends DramaFilingActionType = DramaFilingActionType> = {
  actor: Actor;
  requestId: string;
  expectedVersion?: number;
  action: Extract<DramaFilingAction, { type: T }>;
};

function actionUpdate<T extends DramaFilingActionType>(name: string) {
  return defineUpdate<CaseActionResult, [DramaFilingActionRequest<T>]>(name);
}

export const claimFilingUpdate = actionUpdate<'ClaimFiling'>('claimFiling');
export const releaseFilingUpdate = actionUpdate<'ReleaseFiling'>('releaseFiling');
export const approveFilingUpdate = actionUpdate<'ApproveFiling'>('approveFiling');
export const returnFilingForRevisionUpdate = actionUpdate<'ReturnFilingForRevision'>('returnFilingForRevision');
export const rejectFilingUpdate = actionUpdate<'RejectFiling'>('rejectFiling');
export const resubmitFilingUpdate = actionUpdate<'ResubmitFiling'>('resubmitFiling');

export const dramaFilingActionUpdates = {
  ClaimFiling: claimFilingUpdate,
  ReleaseFiling: releaseFilingUpdate,
  ApproveFiling: approveFilingUpdate,
  ReturnFilingForRevision: returnFilingForRevisionUpdate,
  RejectFiling: rejectFilingUpdate,
  ResubmitFiling: resubmitFilingUpdate,
} as const;

/** Completes once the submission (with its deadline) is stored: the API waits on it before answering 201. */
export const filingSubmissionRecordedUpdate = defineUpdate<CaseActionResult>('submissionRecorded');

export const dramaFilingStateQuery = defineQuery<DramaFilingState>('dramaFilingState');

export function filingActionUpdateFor(type: DramaFilingActionType): UpdateDefinition<CaseActionResult, [DramaFilingActionRequest]> {
  return dramaFilingActionUpdates[type] as UpdateDefinition<CaseActionResult, [DramaFilingActionRequest]>;
}
