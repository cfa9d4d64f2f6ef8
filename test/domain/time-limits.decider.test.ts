/**
 * The promised time limit (承诺时限) of every official step, as each case type's decider records it:
 * given a history, when an action (or the clock), then these events — or this refusal.
 */
import { describe, expect, it } from 'vitest';
import { recoveryCase, type RecoveryCommand, type RecoveryEvent, type RecoveryState } from '../../cases/recovery.case.js';
import { packagedCalendar } from '../../db/calendar/official-arrangements.js';
import type { ApplicationActionContext, ApplicationCommand } from '../../domain/applications/commands.js';
import { applicationNextStep, decideApplicationAction, decideApplicationTimeElapsed, nextApplicationTimeThreshold } from '../../domain/applications/decide.js';
import type { ApplicationEvent } from '../../domain/applications/events.js';
import { foldApplication } from '../../domain/applications/state.js';
import type { ApplicationTerms } from '../../domain/applications/terms.js';
import type { Actor } from '../../domain/cases/actor.js';
import type { ActionContext, ChuyingLoanCommand } from '../../domain/chuying/commands.js';
import { decideAction, decideTimeElapsed, loanUnavailableNow, nextStep, nextTimeThreshold } from '../../domain/chuying/decide.js';
import type { ChuyingLoanEvent } from '../../domain/chuying/events.js';
import { decideCompletenessWindowRecomputed } from '../../domain/chuying/recompute.js';
import { foldChuyingLoan } from '../../domain/chuying/state.js';
import { CHUYING_LOAN_TERMS } from '../../domain/chuying/terms.js';
import { reviewDeadline } from '../../domain/drama-filing/deadline.js';
import { addDays, endOfShanghaiDay, parseLocalDate } from '../../domain/time/local-date.js';
import { decideLimitRecomputed, DEFAULT_STEP_TIME_LIMITS, recountOf, type StepTimeLimit, type WorkingDayCount } from '../../domain/time-limits/step-time-limit.js';
import { applicant, cacReviewer, fundApprover, fundReviewer } from '../support/actors.js';
import { termsOf, yangpuApprover, yangpuDirector, yangpuReviewer } from '../support/applications.js';
import { outcome } from '../support/decider-spec.js';
import { CASE_ID, COMPANY, PROJECT, REFERENCE_NO, ref } from './chuying-loan.fixtures.js';

const calendar = packagedCalendar();
/** "Within N working days" of a day, as the computeWorkingDayWindow look-up counts it. */
const count = (startedOn: string, workingDays: number): WorkingDayCount => reviewDeadline(calendar, parseLocalDate(startedOn), workingDays);
const instant = (shanghai: string) => Date.parse(`${shanghai}+08:00`);
const iso = (shanghai: string) => new Date(instant(shanghai)).toISOString();

const fundDirector: Actor = { accountId: 'acct-fund-director', displayName: '陈处长', role: 'official', department: 'yangpu-fund', duty: 'director' };
const fundSupervisor: Actor = { accountId: 'acct-fund-supervisor', displayName: '孙分管', role: 'official', department: 'yangpu-fund', duty: 'supervisor' };
const cacDirector: Actor = { accountId: 'acct-cac-director', displayName: '钱处长', role: 'official', department: 'cac', duty: 'director' };
const yangpuSupervisor: Actor = { accountId: 'acct-yangpu-supervisor', displayName: '冯分管', role: 'official', department: 'yangpu-investment', duty: 'supervisor' };

function limitOf(step: string, stepLabel: string, department: StepTimeLimit['department'], counted: WorkingDayCount): StepTimeLimit {
  return { step, stepLabel, department, ...counted, promisedWorkingDays: counted.workingDays };
}

// ---------------------------------------------------------------------------------------------
describe('雏鹰 loan: 一次性告知, the 网信 review and the fund decision each have a limit', () => {
  const loan = (history: readonly ChuyingLoanEvent[]) => {
    const state = foldChuyingLoan(history);
    return {
      state,
      when: (command: ChuyingLoanCommand, context: ActionContext) => outcome(() => decideAction(state, command, context)),
      whenTimeIs: (now: number) => outcome(() => decideTimeElapsed(state, now)),
    };
  };
  // Submitted Mon 2 Mar 2026: 5 working days to list what is missing end on Mon 9 Mar.
  const completeness = count('2026-03-02', 5);
  const reviewIfDeemed = count('2026-03-09', DEFAULT_STEP_TIME_LIMITS.contentReviewWorkingDays);
  const submitted: ChuyingLoanEvent = {
    type: 'LoanApplicationSubmitted',
    data: {
      caseId: CASE_ID,
      referenceNo: REFERENCE_NO,
      applicant: ref(applicant),
      company: COMPANY,
      project: PROJECT,
      requestedAmountFen: 50_000_000,
      submittedAt: iso('2026-03-02T10:00:00'),
      submittedOn: parseLocalDate('2026-03-02'),
      terms: CHUYING_LOAN_TERMS,
      completeness,
      limitIfDeemedComplete: reviewIfDeemed,
    },
  };
  const accepted: ChuyingLoanEvent = { type: 'MaterialsAccepted', data: { by: ref(fundReviewer), acceptedAt: iso('2026-03-03T10:00:00') } };
  const passed: ChuyingLoanEvent = { type: 'ComplianceReviewPassed', data: { by: ref(cacReviewer), notes: '', reviewedAt: iso('2026-03-05T10:00:00') } };
  // Decision reached Thu 5 Mar: 20 working days end on Thu 2 Apr (Qingming is 4–6 Apr).
  const decisionLimit = limitOf('funding-decision', '基金评审决策', 'yangpu-fund', count('2026-03-05', 20));
  const decisionStarted: ChuyingLoanEvent = { type: 'TimeLimitStarted', data: { limit: decisionLimit, at: iso('2026-03-05T10:00:00') } };
  const atDecision = [submitted, accepted, passed, decisionStarted];
  const breached: ChuyingLoanEvent[] = [
    { type: 'TimeLimitBreached', data: { step: 'funding-decision', department: 'yangpu-fund', workingDays: 20, lastWorkingDay: decisionLimit.lastWorkingDay, deadlineAt: decisionLimit.deadlineAt, at: decisionLimit.deadlineAt } },
    {
      type: 'TimeLimitEscalated',
      data: { step: 'funding-decision', to: { role: 'official', department: 'yangpu-fund', duty: 'supervisor' }, reason: `基金评审决策未在 20 个工作日内（${decisionLimit.lastWorkingDay} 24:00 前）办结`, at: decisionLimit.deadlineAt },
    },
  ];

  it('deems the materials complete when the window closes unanswered, and the 网信 review starts with its limit', () => {
    expect(completeness.lastWorkingDay).toBe('2026-03-09');
    expect(nextTimeThreshold(foldChuyingLoan([submitted]))).toBe(Date.parse(completeness.deadlineAt));
    expect(nextStep(foldChuyingLoan([submitted])).deadline).toEqual({ kind: 'completeness-check', dueOn: '2026-03-09', at: completeness.deadlineAt, provisional: false });
    loan([submitted])
      .whenTimeIs(Date.parse(completeness.deadlineAt))
      .then([
        { type: 'MaterialsDeemedComplete', data: { window: completeness, at: completeness.deadlineAt } },
        { type: 'TimeLimitStarted', data: { limit: limitOf('compliance-review', '网信内容合规审查', 'cac', reviewIfDeemed), at: completeness.deadlineAt } },
      ]);
  });

  it('refuses a 补正 request once the window has closed', () => {
    const after = instant('2026-03-10T09:00:00');
    loan([submitted]).when({ type: 'RequestSupplement', missingItems: ['营业执照'] }, { actor: fundReviewer, now: after }).thenThrows('illegal-state', '材料视为齐全');
    expect(loanUnavailableNow(foldChuyingLoan([submitted]), 'RequestSupplement', fundReviewer, after)).toContain('视为齐全');
  });

  it('starts the decision limit with the passing of the 网信 review, counted from that day', () => {
    const now = instant('2026-03-05T10:00:00');
    loan([submitted, accepted])
      .when({ type: 'PassComplianceReview', notes: '' }, { actor: cacReviewer, now, nextStepLimit: count('2026-03-05', 20) })
      .then([passed, decisionStarted]);
    // A limit counted for other days, or from a later day, is not recorded.
    loan([submitted, accepted]).when({ type: 'PassComplianceReview', notes: '' }, { actor: cacReviewer, now, nextStepLimit: count('2026-03-05', 10) }).thenThrows('illegal-state', '20 working days');
    loan([submitted, accepted]).when({ type: 'PassComplianceReview', notes: '' }, { actor: cacReviewer, now, nextStepLimit: count('2026-03-06', 20) }).thenThrows('illegal-state', '2026-03-05');
  });

  it('records no limit in a loan opened under terms without them', () => {
    const { timeLimits: _none, ...oldTerms } = CHUYING_LOAN_TERMS;
    const old: ChuyingLoanEvent = { type: 'LoanApplicationSubmitted', data: { ...(submitted.data as object), terms: { ...oldTerms, termsVersion: '2025-09' } } as never };
    const { completeness: _c, limitIfDeemedComplete: _l, ...oldData } = old.data as Record<string, unknown>;
    const history: ChuyingLoanEvent[] = [{ type: 'LoanApplicationSubmitted', data: oldData as never }, accepted];
    loan(history).when({ type: 'PassComplianceReview', notes: '' }, { actor: cacReviewer, now: instant('2026-03-05T10:00:00') }).then([passed]);
    expect(nextTimeThreshold(foldChuyingLoan([...history, passed]))).toBeUndefined();
    expect(nextStep(foldChuyingLoan([...history, passed])).deadline).toBeUndefined();
  });

  it('shows the decision deadline, and records the breach and the escalation to the fund supervisor when it passes', () => {
    const state = foldChuyingLoan(atDecision);
    expect(nextStep(state).deadline).toEqual({ kind: 'time-limit:funding-decision', dueOn: '2026-04-02', at: decisionLimit.deadlineAt, provisional: false });
    expect(nextTimeThreshold(state)).toBe(Date.parse(decisionLimit.deadlineAt));
    loan(atDecision).whenTimeIs(Date.parse(decisionLimit.deadlineAt) - 1).then([]);
    loan(atDecision).whenTimeIs(Date.parse(decisionLimit.deadlineAt)).then(breached);
    // Once breached, time alone changes nothing more at this step.
    expect(nextTimeThreshold(foldChuyingLoan([...atDecision, ...breached]))).toBeUndefined();
    expect(nextStep(foldChuyingLoan([...atDecision, ...breached])).waitingFor?.note).toContain('已超期，已上报分管领导');
  });

  it('lets the supervising official decide only once the step was escalated', () => {
    const approve: ChuyingLoanCommand = { type: 'ApproveFunding', approvedAmountFen: 40_000_000, notes: '核减至 40 万元' };
    loan(atDecision).when(approve, { actor: fundSupervisor, now: instant('2026-03-20T10:00:00') }).thenThrows('forbidden', '分管领导在本步骤超期上报后才能接手办理');
    const events = loan([...atDecision, ...breached]).when(approve, { actor: fundSupervisor, now: instant('2026-04-03T10:00:00') }).events();
    expect(events.map((e) => e.type)).toEqual(['FundingApproved']);
  });

  it('lets a director of the fund extend the decision once, by at most 10 working days, with a reason the applicant is told', () => {
    const now = instant('2026-03-20T10:00:00');
    const extension = count('2026-04-02', 10);
    const extended = loan(atDecision).when({ type: 'ExtendTimeLimit', extraWorkingDays: 10, reason: '需补充专家评审意见' }, { actor: fundDirector, now, extension }).events();
    expect(extended).toEqual([
      {
        type: 'TimeLimitExtended',
        data: {
          step: 'funding-decision',
          by: ref(fundDirector),
          reason: '需补充专家评审意见',
          extraWorkingDays: 10,
          previous: count('2026-03-05', 20),
          current: { ...extension, startedOn: '2026-03-05', workingDays: 30 },
          applicantTold: true,
          at: new Date(now).toISOString(),
        },
      },
    ]);
    const after = foldChuyingLoan([...atDecision, ...extended]);
    // Thu 2 Apr + 10 working days, across Qingming (4–6 Apr): Fri 17 Apr.
    expect(nextStep(after).deadline?.dueOn).toBe('2026-04-17');
    expect(nextTimeThreshold(after)).toBe(endOfShanghaiDay(parseLocalDate('2026-04-17')));
    // Once only; a director of the fund only; within the limit only; 1 to 10 working days.
    loan([...atDecision, ...extended]).when({ type: 'ExtendTimeLimit', extraWorkingDays: 1, reason: '再延' }, { actor: fundDirector, now, extension: count('2026-04-17', 1) }).thenThrows('illegal-state', '只能延长一次');
    loan(atDecision).when({ type: 'ExtendTimeLimit', extraWorkingDays: 5, reason: '理由' }, { actor: fundApprover, now, extension: count('2026-04-02', 5) }).thenThrows('forbidden', '负责人');
    loan(atDecision).when({ type: 'ExtendTimeLimit', extraWorkingDays: 5, reason: '理由' }, { actor: cacDirector, now, extension: count('2026-04-02', 5) }).thenThrows('forbidden', '杨浦区 V聚场基金');
    loan(atDecision).when({ type: 'ExtendTimeLimit', extraWorkingDays: 11, reason: '理由' }, { actor: fundDirector, now, extension: count('2026-04-02', 11) }).thenThrows('validation', '1 至 10');
    loan(atDecision).when({ type: 'ExtendTimeLimit', extraWorkingDays: 5, reason: '理由' }, { actor: fundDirector, now: Date.parse(decisionLimit.deadlineAt), extension: count('2026-04-02', 5) }).thenThrows('illegal-state', '届满');
  });
});

// ---------------------------------------------------------------------------------------------
describe('a limit that reaches a year without a holiday arrangement', () => {
  const reason = { calendarYear: 2027, revision: 1 } as never;
  // From Mon 21 Dec 2026, 20 working days reach into 2027: counted on weekends only, and shown so.
  const provisional = limitOf('funding-decision', '基金评审决策', 'yangpu-fund', count('2026-12-21', 20));

  it('is recounted in full from its start once the year is loaded, and recorded only when it changed', () => {
    expect(provisional.provisional).toBe(true);
    expect(recountOf(provisional)).toEqual({ startedOn: '2026-12-21', workingDays: 20 });
    const loaded: WorkingDayCount = { ...provisional, lastWorkingDay: parseLocalDate('2027-01-20'), deadlineAt: new Date(endOfShanghaiDay(parseLocalDate('2027-01-20'))).toISOString(), provisional: false };
    const now = instant('2026-12-28T10:00:00');
    const [recomputed] = decideLimitRecomputed(provisional, loaded, reason, now);
    expect(recomputed).toMatchObject({ type: 'TimeLimitRecomputed', data: { step: 'funding-decision', previous: { lastWorkingDay: provisional.lastWorkingDay, provisional: true }, current: { lastWorkingDay: '2027-01-20', provisional: false } } });
    expect(decideLimitRecomputed(provisional, { ...provisional }, reason, now)).toEqual([]);
    // A final or breached limit is not recounted.
    expect(recountOf({ ...provisional, provisional: false })).toBeUndefined();
    expect(recountOf({ ...provisional, breachedAt: 'x' })).toBeUndefined();
  });

  it('moves the 网信 review limit a loan starts with when its provisional completeness window is recomputed', () => {
    // Submitted Mon 28 Dec 2026: 5 working days reach into 2027, counted on weekends only.
    const window = count('2026-12-28', 5);
    expect(window.provisional).toBe(true);
    const submitted: ChuyingLoanEvent = {
      type: 'LoanApplicationSubmitted',
      data: {
        caseId: CASE_ID, referenceNo: REFERENCE_NO, applicant: ref(applicant), company: COMPANY, project: PROJECT, requestedAmountFen: 50_000_000,
        submittedAt: iso('2026-12-28T10:00:00'), submittedOn: parseLocalDate('2026-12-28'), terms: CHUYING_LOAN_TERMS,
        completeness: window, limitIfDeemedComplete: count(window.lastWorkingDay, 10),
      },
    };
    const state = foldChuyingLoan([submitted]);
    // The loaded 2027 arrangement (1 Jan a holiday) moves the window's end a working day later.
    const later = addDays(window.lastWorkingDay, 1);
    const recomputed: WorkingDayCount = { ...window, lastWorkingDay: later, deadlineAt: new Date(endOfShanghaiDay(later)).toISOString(), provisional: false };
    const following = count(later, 10);
    const [event] = decideCompletenessWindowRecomputed(state, recomputed, following, reason, instant('2026-12-29T10:00:00'));
    expect(event).toMatchObject({ type: 'CompletenessWindowRecomputed', data: { current: { provisional: false }, limitIfDeemedComplete: following } });
    const after = foldChuyingLoan([submitted, event!]);
    expect(after.completeness).toEqual(recomputed);
    // Deemed complete at the recomputed end, the 网信 review starts with the limit counted from it.
    const [, started] = decideTimeElapsed(after, Date.parse(recomputed.deadlineAt));
    expect(started).toMatchObject({ type: 'TimeLimitStarted', data: { limit: { step: 'compliance-review', startedOn: later } } });
    expect(decideCompletenessWindowRecomputed(after, recomputed, following, reason, instant('2026-12-30T10:00:00'))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('programme application: the 网信 review and the decision each have a limit', () => {
  const application = (history: readonly ApplicationEvent[]) => {
    const state = foldApplication(history);
    return {
      state,
      when: (command: ApplicationCommand, context: ApplicationActionContext) => outcome(() => decideApplicationAction(state, command, context)),
      whenTimeIs: (now: number) => outcome(() => decideApplicationTimeElapsed(state, now)),
    };
  };
  const terms: ApplicationTerms = termsOf('yangpu-content-award');
  const completeness = count('2026-03-02', 5);
  const submitted = (withTerms: ApplicationTerms, limitIfDeemedComplete?: WorkingDayCount): ApplicationEvent => ({
    type: 'ApplicationSubmitted',
    data: {
      caseId: CASE_ID,
      referenceNo: 'AP-2026-000001',
      applicant: ref(applicant),
      terms: withTerms,
      facts: { applicantKind: 'company', requestedAmountFen: 8_000_000, itemId: 'video-滨江' },
      details: { title: '滨江', summary: '短视频' },
      requestedAmountFen: 8_000_000,
      maxAmountFen: 10_000_000,
      amountRule: '每个内容作品最高 10 万元',
      submittedAt: iso('2026-03-02T10:00:00'),
      submittedOn: parseLocalDate('2026-03-02'),
      completeness,
      ...(limitIfDeemedComplete ? { limitIfDeemedComplete } : {}),
    },
  });
  const accepted: ApplicationEvent = { type: 'MaterialsAccepted', data: { by: ref(yangpuReviewer), acceptedAt: iso('2026-03-03T10:00:00') } };
  const passed: ApplicationEvent = { type: 'ComplianceReviewPassed', data: { by: ref(cacReviewer), notes: '', reviewedAt: iso('2026-03-05T10:00:00') } };
  const reviewLimit = limitOf('review', '评审', 'yangpu-investment', count('2026-03-05', 20));
  const atReview: ApplicationEvent[] = [submitted(terms), accepted, passed, { type: 'TimeLimitStarted', data: { limit: reviewLimit, at: iso('2026-03-05T10:00:00') } }];

  it('programmes promise 10 working days for the 网信 review and 20 to decide; 盾牌行动 is handled first and faster', () => {
    expect(terms.timeLimits).toEqual({ contentReviewWorkingDays: 10, decisionWorkingDays: 20 });
    expect(termsOf('hu9-shield').timeLimits).toEqual({ contentReviewWorkingDays: 5, decisionWorkingDays: 10 });
  });

  it('starts the 网信 review with its limit when the materials are accepted, or deemed complete', () => {
    const now = instant('2026-03-03T10:00:00');
    application([submitted(terms)])
      .when({ type: 'AcceptMaterials' }, { actor: yangpuReviewer, now, nextStepLimit: count('2026-03-03', 10) })
      .then([accepted, { type: 'TimeLimitStarted', data: { limit: limitOf('compliance-review', '网信内容审查', 'cac', count('2026-03-03', 10)), at: new Date(now).toISOString() } }]);
    const ifDeemed = count('2026-03-09', 10);
    application([submitted(terms, ifDeemed)])
      .whenTimeIs(Date.parse(completeness.deadlineAt))
      .then([
        { type: 'MaterialsDeemedComplete', data: { window: completeness, at: completeness.deadlineAt } },
        { type: 'TimeLimitStarted', data: { limit: limitOf('compliance-review', '网信内容审查', 'cac', ifDeemed), at: completeness.deadlineAt } },
      ]);
  });

  it('a programme without a 网信 review goes straight to the decision, limited to 20 working days', () => {
    const rent = termsOf('yangpu-rent-waiver');
    const now = instant('2026-03-03T10:00:00');
    const events = application([submitted(rent)]).when({ type: 'AcceptMaterials' }, { actor: yangpuReviewer, now, nextStepLimit: count('2026-03-03', 20) }).events();
    expect(events[1]).toMatchObject({ type: 'TimeLimitStarted', data: { limit: { step: 'review', department: 'yangpu-investment', workingDays: 20 } } });
  });

  it('shows the decision deadline, and escalates to the department supervisor when it passes', () => {
    const state = foldApplication(atReview);
    expect(applicationNextStep(state).deadline).toEqual({ kind: 'time-limit:review', dueOn: reviewLimit.lastWorkingDay, at: reviewLimit.deadlineAt, provisional: false });
    expect(nextApplicationTimeThreshold(state)).toBe(Date.parse(reviewLimit.deadlineAt));
    const events = application(atReview).whenTimeIs(Date.parse(reviewLimit.deadlineAt) + 60_000).events();
    expect(events.map((e) => e.type)).toEqual(['TimeLimitBreached', 'TimeLimitEscalated']);
    expect(events[1]).toMatchObject({ data: { to: { role: 'official', department: 'yangpu-investment', duty: 'supervisor' } } });
    const escalated = [...atReview, ...events];
    // The supervisor decides the escalated case (after the reviewer's score), never before the escalation.
    const scored: ApplicationEvent = { type: 'ApplicationScored', data: { by: ref(yangpuReviewer), score: 80, comments: '', scoredAt: iso('2026-03-06T10:00:00') } };
    application([...atReview, scored]).when({ type: 'RejectApplication', reasons: ['不符合'] }, { actor: yangpuSupervisor, now: instant('2026-03-10T10:00:00') }).thenThrows('forbidden', '分管领导在本步骤超期上报后才能接手办理');
    expect(application([...escalated, scored]).when({ type: 'RejectApplication', reasons: ['不符合'] }, { actor: yangpuSupervisor, now: instant('2026-04-03T10:00:00') }).events().map((e) => e.type)).toEqual([
      'ApplicationRejected',
    ]);
    // An approver who is not a supervisor decides as before.
    expect(application([...atReview, scored]).when({ type: 'RejectApplication', reasons: ['不符合'] }, { actor: yangpuApprover, now: instant('2026-03-10T10:00:00') }).events()).toHaveLength(1);
  });

  it('lets the department director extend the decision once, the applicant told', () => {
    const now = instant('2026-03-10T10:00:00');
    const extension = count(reviewLimit.lastWorkingDay, 5);
    const [extended] = application(atReview).when({ type: 'ExtendTimeLimit', extraWorkingDays: 5, reason: '专家评审' }, { actor: yangpuDirector, now, extension }).events();
    expect(extended).toMatchObject({ type: 'TimeLimitExtended', data: { applicantTold: true, extraWorkingDays: 5, current: { workingDays: 25, lastWorkingDay: extension.lastWorkingDay } } });
    const after = foldApplication([...atReview, extended!]);
    expect(applicationNextStep(after).deadline?.dueOn).toBe(extension.lastWorkingDay);
    application([...atReview, extended!]).when({ type: 'ExtendTimeLimit', extraWorkingDays: 1, reason: '再延' }, { actor: yangpuDirector, now, extension: count(extension.lastWorkingDay, 1) }).thenThrows('illegal-state');
    // No limit at the completeness check: nothing to extend there.
    application([submitted(terms)]).when({ type: 'ExtendTimeLimit', extraWorkingDays: 1, reason: '理由' }, { actor: yangpuDirector, now }).thenThrows('illegal-state');
  });
});

// ---------------------------------------------------------------------------------------------
describe('追回: the department answers an objection within 10 working days', () => {
  const recovery = (history: readonly RecoveryEvent[]) => {
    const state = history.reduce(recoveryCase.evolve, recoveryCase.initialState());
    return {
      state,
      when: (command: RecoveryCommand, context: { actor: Actor; now: number; prepared?: Record<string, unknown> }) =>
        outcome(() => recoveryCase.decide(command, state, { actor: context.actor, now: context.now, legacy: false, prepared: context.prepared ?? {} })),
      whenTimeIs: (now: number) => outcome(() => recoveryCase.onThreshold(state, now)),
    };
  };
  const opened: RecoveryEvent = {
    type: 'RecoveryOpened',
    data: {
      caseId: CASE_ID,
      referenceNo: 'ZH-2026-000001',
      applicant: ref(applicant),
      openedBy: ref(fundReviewer),
      source: { caseId: 'src', referenceNo: 'AP-2026-000001', programmeId: 'yangpu-talent-rent', programmeName: '人才租房补贴' },
      department: 'yangpu-fund',
      amountFen: 1_600_000,
      reason: '迁离后多发',
      objectionWindow: count('2026-03-02', 10),
      openedAt: iso('2026-03-02T10:00:00'),
    },
  };
  const raisedAt = instant('2026-03-04T10:00:00');
  const answerLimit = count('2026-03-04', 10);
  const objected: RecoveryEvent[] = [
    opened,
    { type: 'ObjectionRaised', data: { by: ref(applicant), statement: '日期有误', raisedAt: new Date(raisedAt).toISOString() } },
    { type: 'TimeLimitStarted', data: { limit: limitOf('objection-review', '异议审查', 'yangpu-fund', answerLimit), at: new Date(raisedAt).toISOString() } },
  ];

  it('starts the answer limit with the objection, counted from that day', () => {
    recovery([opened]).when({ type: 'RaiseObjection', statement: '日期有误' }, { actor: applicant, now: raisedAt, prepared: { answerLimit } }).then(objected.slice(1));
    // A history recorded before issue 13 looked nothing up: no limit, no timer.
    const legacy = recovery([opened]).when({ type: 'RaiseObjection', statement: '日期有误' }, { actor: applicant, now: raisedAt }).events();
    expect(legacy.map((e) => e.type)).toEqual(['ObjectionRaised']);
    expect(recoveryCase.nextThreshold(recovery([opened, ...legacy]).state)).toBeUndefined();
  });

  it('counts a provisional answer limit again when its year is loaded, through the module’s calendar look-up', async () => {
    const provisional = count('2026-12-28', 10);
    expect(provisional.provisional).toBe(true);
    const limited: RecoveryEvent[] = [opened, objected[1]!, { type: 'TimeLimitStarted', data: { limit: limitOf('objection-review', '异议审查', 'yangpu-fund', provisional), at: iso('2026-12-28T10:00:00') } }];
    const loaded: WorkingDayCount = { ...provisional, lastWorkingDay: addDays(provisional.lastWorkingDay, 1), provisional: false };
    const asked: unknown[] = [];
    const ask = {
      lookups: { computeWorkingDayWindow: async (input: unknown) => (asked.push(input), loaded) },
      caseId: CASE_ID,
      now: () => instant('2026-12-29T10:00:00'),
      uuid: () => 'u',
      patched: () => true,
    } as never;
    const events = await recoveryCase.calendar!.recompute(recovery(limited).state, { calendarYear: 2027, revision: 1 } as never, ask);
    expect(asked).toEqual([{ startedOn: '2026-12-28', workingDays: 10 }]);
    expect(events).toMatchObject([{ type: 'TimeLimitRecomputed', data: { step: 'objection-review', current: { lastWorkingDay: loaded.lastWorkingDay, provisional: false } } }]);
    expect(recoveryCase.nextStep(recovery([...limited, ...(events as RecoveryEvent[])]).state).deadline).toMatchObject({ dueOn: loaded.lastWorkingDay, provisional: false });
    // A case without a provisional limit looks nothing up.
    expect(await recoveryCase.calendar!.recompute(recovery(objected).state, { calendarYear: 2027, revision: 1 } as never, ask)).toEqual([]);
    expect(asked).toHaveLength(1);
  });

  it('shows the deadline, breaches and escalates, and the supervisor answers once escalated', () => {
    const state = recovery(objected).state;
    expect(recoveryCase.nextStep(state).deadline).toEqual({ kind: 'time-limit:objection-review', dueOn: answerLimit.lastWorkingDay, at: answerLimit.deadlineAt, provisional: false });
    expect(recoveryCase.readModel!(state).nextDeadlineAt).toBe(answerLimit.deadlineAt);
    expect(recoveryCase.nextThreshold(state)).toBe(Date.parse(answerLimit.deadlineAt));
    const breach = recovery(objected).whenTimeIs(Date.parse(answerLimit.deadlineAt)).events();
    expect(breach.map((e) => e.type)).toEqual(['TimeLimitBreached', 'TimeLimitEscalated']);
    const answer: RecoveryCommand = { type: 'AnswerObjection', outcome: 'dismissed', answer: '经核对无误' };
    recovery(objected).when(answer, { actor: fundSupervisor, now: raisedAt + 86_400_000 }).thenThrows('forbidden', '分管领导在本步骤超期上报后才能接手办理');
    expect(recovery([...objected, ...breach]).when(answer, { actor: fundSupervisor, now: Date.parse(answerLimit.deadlineAt) + 1 }).events().map((e) => e.type)).toEqual(['ObjectionAnswered']);
  });

  it('lets the fund director extend the answer once, and no one else', () => {
    const now = raisedAt + 86_400_000;
    const extension = count(answerLimit.lastWorkingDay, 10);
    const events = recovery(objected).when({ type: 'ExtendTimeLimit', extraWorkingDays: 10, reason: '需调取社保记录' }, { actor: fundDirector, now, prepared: { extension } }).events();
    expect(events).toMatchObject([{ type: 'TimeLimitExtended', data: { applicantTold: true, current: { workingDays: 20, lastWorkingDay: extension.lastWorkingDay } } }]);
    const state: RecoveryState = recovery([...objected, ...events]).state;
    expect(recoveryCase.nextStep(state).deadline?.dueOn).toBe(extension.lastWorkingDay);
    recovery(objected).when({ type: 'ExtendTimeLimit', extraWorkingDays: 10, reason: '理由' }, { actor: fundApprover, now, prepared: { extension } }).thenThrows('forbidden');
    const availability = recoveryCase.actions.find((a) => a.type === 'ExtendTimeLimit')!.availability;
    expect(availability(recovery(objected).state, fundDirector, now)).toBeUndefined();
    expect(availability(state, fundDirector, now)).toContain('已延长过一次');
  });
});
