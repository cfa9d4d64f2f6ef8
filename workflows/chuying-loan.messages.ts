import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { Actor } from '../domain/cases/actor.js';
import type { ChuyingLoanAction, ChuyingLoanActionType } from '../domain/chuying/commands.js';
import type { CompanyDetails, ProjectDetails } from '../domain/chuying/events.js';
import type { MoneyRecord } from '../domain/chuying/money.js';
import type { ChuyingLoanState } from '../domain/chuying/state.js';
import type { ChuyingLoanTerms } from '../domain/chuying/terms.js';

export interface ChuyingLoanWorkflowInput {
  caseId: string;
  referenceNo: string;
  applicant: Actor;
  company: CompanyDetails;
  project: ProjectDetails;
  requestedAmountFen: number;
  terms: ChuyingLoanTerms;
  requestId: string;
}

/** Every human action carries who does it (set by the server from the session) and, optionally, the version the actor saw. */
export type ChuyingLoanActionRequest<T extends ChuyingLoanActionType = ChuyingLoanActionType> = {
  actor: Actor;
  requestId: string;
  expectedVersion?: number;
  action: Extract<ChuyingLoanAction, { type: T }>;
};

export interface CaseActionResult {
  caseId: string;
  version: number;
  status: string;
  /** The events this request recorded: none for the repeat of money already recorded. */
  events: string[];
  /** A disbursement or repayment: the event that recorded it, the same in the first answer and in every repeat's. */
  recorded?: MoneyRecord;
  /** True when this request repeated money already recorded (same bank reference, amount and date) and recorded nothing. */
  alreadyRecorded?: boolean;
}

function actionUpdate<T extends ChuyingLoanActionType>(name: string) {
  return defineUpdate<CaseActionResult, [ChuyingLoanActionRequest<T>]>(name);
}

export const requestSupplementUpdate = actionUpdate<'RequestSupplement'>('requestSupplement');
export const provideSupplementUpdate = actionUpdate<'ProvideSupplement'>('provideSupplement');
export const acceptMaterialsUpdate = actionUpdate<'AcceptMaterials'>('acceptMaterials');
export const passComplianceReviewUpdate = actionUpdate<'PassComplianceReview'>('passComplianceReview');
export const failComplianceReviewUpdate = actionUpdate<'FailComplianceReview'>('failComplianceReview');
export const approveFundingUpdate = actionUpdate<'ApproveFunding'>('approveFunding');
export const rejectFundingUpdate = actionUpdate<'RejectFunding'>('rejectFunding');
export const recordDisbursementUpdate = actionUpdate<'RecordDisbursement'>('recordDisbursement');
export const recordRepaymentUpdate = actionUpdate<'RecordRepayment'>('recordRepayment');
export const withdrawUpdate = actionUpdate<'Withdraw'>('withdraw');
/** Since patched('declare-repayment'): the borrower reports a repayment made by bank transfer. */
export const declareRepaymentUpdate = actionUpdate<'DeclareRepayment'>('declareRepayment');
/** Since patched('withdraw-repayment-declaration'): the borrower withdraws a report the fund has not recorded. */
export const withdrawRepaymentDeclarationUpdate = actionUpdate<'WithdrawRepaymentDeclaration'>('withdrawRepaymentDeclaration');
/** Since patched('reject-repayment-declaration'): the fund returns a report it found no transfer for. */
export const rejectRepaymentDeclarationUpdate = actionUpdate<'RejectRepaymentDeclaration'>('rejectRepaymentDeclaration');
/** Since patched('cancel-funding'): the fund cancels its approval before the disbursement. */
export const cancelFundingUpdate = actionUpdate<'CancelFunding'>('cancelFunding');

/** The update for each action type: what the API and tests call, and what the workflow handles. */
export const chuyingLoanActionUpdates = {
  RequestSupplement: requestSupplementUpdate,
  ProvideSupplement: provideSupplementUpdate,
  AcceptMaterials: acceptMaterialsUpdate,
  PassComplianceReview: passComplianceReviewUpdate,
  FailComplianceReview: failComplianceReviewUpdate,
  ApproveFunding: approveFundingUpdate,
  RejectFunding: rejectFundingUpdate,
  RecordDisbursement: recordDisbursementUpdate,
  RecordRepayment: recordRepaymentUpdate,
  DeclareRepayment: declareRepaymentUpdate,
  WithdrawRepaymentDeclaration: withdrawRepaymentDeclarationUpdate,
  RejectRepaymentDeclaration: rejectRepaymentDeclarationUpdate,
  CancelFunding: cancelFundingUpdate,
  Withdraw: withdrawUpdate,
} as const;

/** Completes once the submission is stored: the API waits on it before answering 201. */
export const submissionRecordedUpdate = defineUpdate<CaseActionResult>('submissionRecorded');

export const chuyingLoanStateQuery = defineQuery<ChuyingLoanState>('chuyingLoanState');

/** The update for an action whose type is known only at run time (the API's routes, the workflow's handlers). */
export function actionUpdateFor(type: ChuyingLoanActionType): UpdateDefinition<CaseActionResult, [ChuyingLoanActionRequest]> {
  return chuyingLoanActionUpdates[type] as UpdateDefinition<CaseActionResult, [ChuyingLoanActionRequest]>;
}
