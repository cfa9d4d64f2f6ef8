import type { ApplicationCall, ApplicationEvent, WorkingDayWindow } from '../../domain/applications/events.js';
import { applicationTermsOf, isApplicationProgramme, withServerFacts, type ApplicationTerms } from '../../domain/applications/terms.js';
import type { ApplicationAction } from '../../domain/applications/commands.js';
import type { ApplicationState } from '../../domain/applications/state.js';
import type { Actor } from '../../domain/cases/actor.js';
import { CATALOGUE_VERSION, findProgramme } from '../../domain/programmes/catalogue.js';
import { unverifiedClaims } from '../../domain/registers/answer-facts.js';
import type { ApplicationFacts } from '../../domain/programmes/programme.js';
import type { LocalDate } from '../../domain/time/local-date.js';
import type { ApplicationWorkflowInput } from '../../workflows/application.messages.js';
import { applicant } from './actors.js';

/** Officials of the departments that review programme applications (the 网信 reviewer is in actors.ts). */
export const huangpuReviewer: Actor = { accountId: 'acct-huangpu-reviewer', displayName: '陈评审', role: 'official', department: 'huangpu' };
export const huangpuReviewer2: Actor = { accountId: 'acct-huangpu-reviewer-2', displayName: '蒋评审', role: 'official', department: 'huangpu' };
export const huangpuApprover: Actor = { accountId: 'acct-huangpu-approver', displayName: '周审批', role: 'official', department: 'huangpu' };
export const huangpuDirector: Actor = { accountId: 'acct-huangpu-director', displayName: '吴处长', role: 'official', department: 'huangpu', duty: 'director' };
export const yangpuReviewer: Actor = { accountId: 'acct-yangpu-reviewer', displayName: '孙评审', role: 'official', department: 'yangpu-investment' };
export const yangpuApprover: Actor = { accountId: 'acct-yangpu-approver', displayName: '钱审批', role: 'official', department: 'yangpu-investment' };
export const yangpuDirector: Actor = { accountId: 'acct-yangpu-director', displayName: '郑处长', role: 'official', department: 'yangpu-investment', duty: 'director' };
export const cacApprover: Actor = { accountId: 'acct-cac-approver', displayName: '刘网信', role: 'official', department: 'cac' };
export const xuhuiReviewer: Actor = { accountId: 'acct-xuhui-reviewer', displayName: '冯评审', role: 'official', department: 'xuhui' };
export const xuhuiApprover: Actor = { accountId: 'acct-xuhui-approver', displayName: '褚审批', role: 'official', department: 'xuhui' };
export const hrssReviewer: Actor = { accountId: 'acct-hrss-reviewer', displayName: '韩人社', role: 'official', department: 'hrss' };
export const hrssApprover: Actor = { accountId: 'acct-hrss-approver', displayName: '杨人社', role: 'official', department: 'hrss' };

export function termsOf(programmeId: string): ApplicationTerms {
  const programme = findProgramme(programmeId);
  if (!programme || !isApplicationProgramme(programme)) throw new Error(`${programmeId} is not an award or service of the catalogue`);
  return applicationTermsOf(programme, CATALOGUE_VERSION);
}

/** Facts that satisfy each programme used in the tests. */
export const FACTS: Record<string, ApplicationFacts> = {
  'huangpu-creator-reward': { applicantKind: 'individual-creator', requestedAmountFen: 80_000_000, registeredDistrict: '黄浦区' },
  'huangpu-platform-subsidy': { applicantKind: 'mcn', requestedAmountFen: 150_000_000, registeredDistrict: '黄浦区' },
  'xuhui-quality-works': { applicantKind: 'company', requestedAmountFen: 50_000_000, itemId: 'drama-城市之光', registeredDistrict: '徐汇区' },
  'yangpu-content-award': { applicantKind: 'company', requestedAmountFen: 8_000_000, itemId: 'video-滨江' },
  'yangpu-talent-rent': { applicantKind: 'individual-creator', monthlyRentFen: 950_000 },
  'yangpu-rent-waiver': { applicantKind: 'company', admittedToCarrier: true, monthlyRentFen: 2_000_000 },
  'xuhui-compute-voucher': { applicantKind: 'company', requestedAmountFen: 30_000_000, itemId: 'compute-2026', registeredDistrict: '徐汇区' },
  'yangpu-live-stream-vouchers': { applicantKind: 'company', vJuchangTenant: true, venueOnPublishedList: true, requestedAmountFen: 500_000 },
  'hu9-shield': { applicantKind: 'individual-creator', complaintCategory: '网络暴力' },
  'hu9-starlight': { applicantKind: 'individual-creator' },
  'hu9-all-media-operator-certification': { applicantKind: 'individual-creator', age: 16 },
  'yangpu-penalty-exemption': { applicantKind: 'company', firstViolation: true, minorHarm: true, correctedInTime: true },
  'yangpu-talent-apartment': { applicantKind: 'individual-creator', stayDays: 5 },
};

export function applicationInput(programmeId: string, overrides: Partial<ApplicationWorkflowInput> = {}): ApplicationWorkflowInput {
  const caseId = overrides.caseId ?? crypto.randomUUID();
  return {
    caseId,
    referenceNo: `AP-TEST-${caseId.slice(0, 8)}`,
    applicant,
    terms: termsOf(programmeId),
    facts: FACTS[programmeId] ?? {},
    details: { title: `${programmeId} 测试申请`, summary: '用于测试的申请' },
    requestId: crypto.randomUUID(),
    ...overrides,
  };
}

/**
 * Since issue 14 a money decision is refused while a fact the applicant claimed is unverified. Workflow
 * tests (no API) have the department's reviewer send this 核验事实 action before the decision: every
 * open claim of the case, checked against the documents. Undefined when nothing is left to verify.
 */
export function verifyOpenClaims(state: ApplicationState, against = '核对申请材料原件'): Extract<ApplicationAction, { type: 'VerifyFacts' }> | undefined {
  const open = unverifiedClaims(state.factSources, state.verifiedFacts);
  return open.length === 0 ? undefined : { type: 'VerifyFacts', verifiedFacts: open.map((fact) => ({ fact, against })) };
}

/**
 * The first event of an application of `programmeId` by the demo applicant, with the catalogue's
 * facts for it, submitted at 10:00 Shanghai on `submittedOn` with its completeness window; in a call
 * when `call` is given. For tests that append a history by hand (migrations, projections).
 */
export function applicationSubmitted(caseId: string, programmeId: string, options: { submittedOn: LocalDate; window: WorkingDayWindow; call?: ApplicationCall }): ApplicationEvent {
  const terms = termsOf(programmeId);
  const facts = withServerFacts(findProgramme(programmeId)!, FACTS[programmeId]!, { applicantAccountId: applicant.accountId });
  return {
    type: 'ApplicationSubmitted',
    data: {
      caseId, referenceNo: `AP-2026-${caseId.slice(0, 6)}`, applicant: { accountId: applicant.accountId, displayName: applicant.displayName }, terms, facts, details: { title: '申请', summary: '说明' },
      requestedAmountFen: facts.requestedAmountFen ?? null, maxAmountFen: terms.amount.kind === 'cap' ? terms.amount.capFen : null, amountRule: 'cap',
      submittedAt: `${options.submittedOn}T02:00:00.000Z`, submittedOn: options.submittedOn, completeness: options.window,
      ...(options.call ? { call: options.call } : {}),
    },
  } as ApplicationEvent;
}
