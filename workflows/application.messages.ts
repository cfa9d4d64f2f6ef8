import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { ApplicationAction, ApplicationActionType } from '../domain/applications/commands.js';
import type { ApplicationDetails } from '../domain/applications/events.js';
import type { ApplicationState } from '../domain/applications/state.js';
import type { ApplicationTerms } from '../domain/applications/terms.js';
import type { Actor } from '../domain/cases/actor.js';
import type { ApplicationFacts } from '../domain/programmes/programme.js';
import type { CaseActionResult } from './chuying-loan.messages.js';

export type { CaseActionResult };

export interface ApplicationWorkflowInput {
  caseId: string;
  referenceNo: string;
  applicant: Actor;
  /** The programme as the catalogue version of the day defines it: the case keeps it for life. */
  terms: ApplicationTerms;
  /** As stated by the applicant; the assessment activity puts the facts the system knows better in their place. */
  facts: ApplicationFacts;
  details: ApplicationDetails;
  requestId: string;
  /** Since issue 14: the live-streaming venue the application names, looked up in the published list. */
  venue?: string;
}

/** Every human action carries who does it (set by the server from the session) and, optionally, the version the actor saw. */
export type ApplicationActionRequest<T extends ApplicationActionType = ApplicationActionType> = {
  actor: Actor;
  requestId: string;
  expectedVersion?: number;
  action: Extract<ApplicationAction, { type: T }>;
};

function actionUpdate<T extends ApplicationActionType>(name: string) {
  return defineUpdate<CaseActionResult, [ApplicationActionRequest<T>]>(name);
}

/**
 * The update for each action. The first six carry the same names and requests as the 雏鹰 loan's,
 * so `POST /api/cases/:caseId/request-supplement` (and the others) address either case type.
 */
export const applicationActionUpdates = {
  RequestSupplement: actionUpdate<'RequestSupplement'>('requestSupplement'),
  ProvideSupplement: actionUpdate<'ProvideSupplement'>('provideSupplement'),
  AcceptMaterials: actionUpdate<'AcceptMaterials'>('acceptMaterials'),
  VerifyFacts: actionUpdate<'VerifyFacts'>('verifyFacts'),
  PassComplianceReview: actionUpdate<'PassComplianceReview'>('passComplianceReview'),
  FailComplianceReview: actionUpdate<'FailComplianceReview'>('failComplianceReview'),
  Withdraw: actionUpdate<'Withdraw'>('withdraw'),
  ScoreApplication: actionUpdate<'ScoreApplication'>('scoreApplication'),
  ApproveApplication: actionUpdate<'ApproveApplication'>('approveApplication'),
  RejectApplication: actionUpdate<'RejectApplication'>('rejectApplication'),
  ReportLeftYangpu: actionUpdate<'ReportLeftYangpu'>('reportLeftYangpu'),
  RecordLeftYangpu: actionUpdate<'RecordLeftYangpu'>('recordLeftYangpu'),
  RecordPayout: actionUpdate<'RecordPayout'>('recordPayout'),
} as const;

/** Completes once the submission is stored, or fails with the rules' refusal: the API waits on it before answering. */
export const applicationSubmissionRecordedUpdate = defineUpdate<CaseActionResult>('submissionRecorded');

export const applicationStateQuery = defineQuery<ApplicationState>('applicationState');

export function applicationUpdateFor(type: ApplicationActionType): UpdateDefinition<CaseActionResult, [ApplicationActionRequest]> {
  return applicationActionUpdates[type] as UpdateDefinition<CaseActionResult, [ApplicationActionRequest]>;
}
