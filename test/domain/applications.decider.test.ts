import { describe, expect, it } from 'vitest';
import type { ApplicationActionContext } from '../../domain/applications/commands.js';
import { applicationNextStep, decideApplicationSubmission, decideCompletenessRecomputed, nextApplicationTimeThreshold } from '../../domain/applications/decide.js';
import type { ActorRef, ApplicationAssessment, ApplicationEvent, WorkingDayWindow } from '../../domain/applications/events.js';
import { planTotalFen, type PayoutPlan } from '../../domain/applications/payouts.js';
import { ledgerItemId, withServerFacts, type ApplicationTerms } from '../../domain/applications/terms.js';
import type { Actor } from '../../domain/cases/actor.js';
import { checkLoanApplication } from '../../domain/chuying/decide.js';
import { CHUYING_LOAN_TERMS } from '../../domain/chuying/terms.js';
import { checkApplication } from '../../domain/programmes/check.js';
import { findProgramme } from '../../domain/programmes/catalogue.js';
import type { ApplicationFacts } from '../../domain/programmes/programme.js';
import { endOfShanghaiDay, parseLocalDate, startOfShanghaiDay, type LocalDate } from '../../domain/time/local-date.js';
import { applicant, auditor, cacReviewer, otherApplicant } from '../support/actors.js';
import { given } from '../support/application-decider-spec.js';
import { FACTS, huangpuApprover, huangpuDirector, huangpuReviewer, huangpuReviewer2, termsOf, yangpuApprover, yangpuDirector, yangpuReviewer, cacApprover } from '../support/applications.js';

const d = (text: string): LocalDate => parseLocalDate(text);
const ref = (actor: Actor): ActorRef => ({ accountId: actor.accountId, displayName: actor.displayName });
const CASE_ID = '3a1c2d3e-0000-4000-8000-000000000004';
const REF = 'AP-2026-000004';
/** Submitted at 10:00 Shanghai on Wed 30 Sep 2026: the 5 working days after it are 8, 9, 10 (调休 Saturday), 12 and 13 October. */
const SUBMITTED_AT = '2026-09-30T02:00:00.000Z';
const WINDOW: WorkingDayWindow = { workingDays: 5, startedOn: d('2026-09-30'), lastWorkingDay: d('2026-10-13'), deadlineAt: new Date(endOfShanghaiDay(d('2026-10-13'))).toISOString(), provisional: false };
const DEADLINE = Date.parse(WINDOW.deadlineAt);
/** 10:00 Shanghai on a date. */
const at10 = (date: string) => startOfShanghaiDay(d(date)) + 10 * 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();

function submitted(programmeId: string, facts: ApplicationFacts = FACTS[programmeId]!, terms: ApplicationTerms = termsOf(programmeId)): ApplicationEvent {
  const withItem = withServerFacts(findProgramme(programmeId)!, facts, { applicantAccountId: applicant.accountId });
  return {
    type: 'ApplicationSubmitted',
    data: {
      caseId: CASE_ID,
      referenceNo: REF,
      applicant: ref(applicant),
      terms,
      facts: withItem,
      details: { title: '申请', summary: '说明' },
      requestedAmountFen: withItem.requestedAmountFen ?? null,
      maxAmountFen: terms.amount.kind === 'cap' ? terms.amount.capFen : null,
      amountRule: terms.amount.kind === 'cap' ? `cap ${terms.amount.capFen}` : 'rule',
      submittedAt: SUBMITTED_AT,
      submittedOn: d('2026-09-30'),
      completeness: WINDOW,
    },
  };
}
const accepted = (by: Actor, acceptedAt = '2026-10-08T02:00:00.000Z'): ApplicationEvent => ({ type: 'MaterialsAccepted', data: { by: ref(by), acceptedAt } });
const scored = (by: Actor, score = 85): ApplicationEvent => ({ type: 'ApplicationScored', data: { by: ref(by), score, comments: '', scoredAt: '2026-10-09T02:00:00.000Z' } });
const contentPassed: ApplicationEvent = { type: 'ComplianceReviewPassed', data: { by: ref(cacReviewer), notes: '', reviewedAt: '2026-10-08T03:00:00.000Z' } };
const clean = (facts: ApplicationFacts): ApplicationAssessment => ({ eligible: true, maxAmountFen: null, amountRule: '', violations: [], facts });
const NOW = at10('2026-10-09');
const as = (actor: Actor, extra: Partial<ApplicationActionContext> = {}): ApplicationActionContext => ({ actor, now: NOW, ...extra });
/** An approval context with a clean re-check against the ledger. */
const approving = (actor: Actor, now = NOW): ApplicationActionContext => ({ actor, now, awardCheck: clean({}), awardId: 'AW-1' });
/** The same approval replayed from a history recorded before PAYOUTS_RECORDED_PATCH: the calendar issued the payments. */
const approvingBefore = (actor: Actor, now = NOW): ApplicationActionContext => ({ ...approving(actor, now), paidOnRecord: () => false });

/** A huangpu-creator-reward case at review, scored by 陈评审. */
const inReview = () => [submitted('huangpu-creator-reward'), accepted(huangpuReviewer), contentPassed, scored(huangpuReviewer)];

// ---------------------------------------------------------------------------------------------
describe('submission: the rules of the measure, as the assessment activity applied them', () => {
  const application = { caseId: CASE_ID, referenceNo: REF, applicant: ref(applicant), terms: termsOf('xuhui-quality-works'), details: { title: 't', summary: 's' } };

  it('refuses with every violation, the stacking one naming the existing award, and records nothing', () => {
    const violation = { rule: 'no-stacking', message: 'item drama-城市之光 was already funded under 徐汇 文商旅融合作品 (xuhui-culture-commerce-tourism): award AW-9, 500,000.00, on 2026-03-01; 徐汇 优质短剧、获奖作品 does not stack with it' };
    let error: unknown;
    try {
      decideApplicationSubmission(application, { ...clean(FACTS['xuhui-quality-works']!), eligible: false, violations: [violation] }, WINDOW, Date.parse(SUBMITTED_AT));
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ kind: 'validation', issues: [{ field: 'no-stacking', message: violation.message }] });
    expect((error as Error).message).toContain('award AW-9');
  });

  it('records the assessed facts (not the stated ones), the amount rule and the 5-working-day window', () => {
    const facts = { ...FACTS['xuhui-quality-works']! };
    const [event] = decideApplicationSubmission(application, { eligible: true, maxAmountFen: 100_000_000, amountRule: 'cap 1,000,000.00', violations: [], facts }, WINDOW, Date.parse(SUBMITTED_AT));
    expect(event).toEqual({
      type: 'ApplicationSubmitted',
      data: { ...application, facts, requestedAmountFen: 50_000_000, maxAmountFen: 100_000_000, amountRule: 'cap 1,000,000.00', submittedAt: SUBMITTED_AT, submittedOn: '2026-09-30', completeness: WINDOW },
    });
  });
});

describe('server facts: the funded item and the stays taken are the system’s, not the applicant’s', () => {
  it('counts a measure that funds the applicant against the applicant under that measure only', () => {
    const programme = findProgramme('yangpu-talent-rent')!;
    expect(withServerFacts(programme, { itemId: 'made-up', monthlyRentFen: 1 }, { applicantAccountId: 'acct-1' }).itemId).toBe('person:yangpu-talent-rent:acct-1');
    expect(ledgerItemId(termsOf('yangpu-talent-rent'), {}, 'acct-1', CASE_ID)).toBe('person:yangpu-talent-rent:acct-1');
    expect(ledgerItemId(termsOf('xuhui-quality-works'), { itemId: 'drama-1' }, 'acct-1', CASE_ID)).toBe('drama-1');
    expect(ledgerItemId(termsOf('yangpu-live-stream-vouchers'), {}, 'acct-1', CASE_ID)).toBe(`voucher-item:${CASE_ID}`);
  });

  it('puts the stays counted from the read model in place of the claimed ones (YOUNG人才公寓)', () => {
    const programme = findProgramme('yangpu-talent-apartment')!;
    expect(withServerFacts(programme, { stayDays: 3, staysThisYear: 0 }, { applicantAccountId: 'a', staysThisYear: 2 }).staysThisYear).toBe(2);
    expect(withServerFacts(programme, { stayDays: 3 }, { applicantAccountId: 'a' }).staysThisYear).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
describe('completeness check: every missing item at once, within 5 working days, or deemed complete', () => {
  it('takes a 补正 request listing the missing items up to the end of the 5th working day; the applicant has 30 days', () => {
    given([submitted('huangpu-creator-reward')])
      .when({ type: 'RequestSupplement', missingItems: ['作品清单', '获奖证明'] }, as(huangpuReviewer, { now: DEADLINE - 1 }))
      .then([{ type: 'SupplementRequested', data: { by: ref(huangpuReviewer), missingItems: ['作品清单', '获奖证明'], requestedAt: iso(DEADLINE - 1), replyDueOn: d('2026-11-12') } }]);
  });

  it('ends the applicant’s 30 days on the working day the calendar look-up moved a rest day to', () => {
    // 30 days from 10 Oct 2026 reach Mon 9 Nov; a look-up that moved them (to a later working day) decides the day.
    const moved = { countedFrom: d('2026-10-10'), days: 30, endsOn: d('2026-11-10') };
    const [requested] = given([submitted('huangpu-creator-reward')])
      .when({ type: 'RequestSupplement', missingItems: ['作品清单'] }, as(huangpuReviewer, { now: Date.parse('2026-10-10T02:00:00Z'), supplementReply: moved }))
      .events();
    expect(requested).toMatchObject({ type: 'SupplementRequested', data: { replyDueOn: '2026-11-10' } });
    given([submitted('huangpu-creator-reward')])
      .when({ type: 'RequestSupplement', missingItems: ['作品清单'] }, as(huangpuReviewer, { now: Date.parse('2026-10-10T02:00:00Z'), supplementReply: { ...moved, endsOn: d('2026-11-08') } }))
      .thenThrows('illegal-state');
  });

  it('refuses a 补正 request once the window has closed, at 24:00 of the 5th working day exactly', () => {
    given([submitted('huangpu-creator-reward')]).when({ type: 'RequestSupplement', missingItems: ['作品清单'] }, as(huangpuReviewer, { now: DEADLINE })).thenThrows('illegal-state', '告知补正的 5 个工作日', '2026年10月13日24时届满', '材料视为齐全');
  });

  it('deems the application complete at 24:00 of the 5th working day, not a millisecond earlier, and records it', () => {
    const spec = given([submitted('huangpu-creator-reward')]);
    expect(nextApplicationTimeThreshold(spec.state)).toBe(DEADLINE);
    spec.whenTimeIs(DEADLINE - 1).then([]);
    spec.whenTimeIs(DEADLINE).then([{ type: 'MaterialsDeemedComplete', data: { window: WINDOW, at: iso(DEADLINE) } }]);
    // 黄浦优质内容创作者奖励 requires the 网信 content review; the talent rent subsidy goes straight to review.
    expect(spec.whenTimeIs(DEADLINE).state().status).toBe('compliance-review');
    expect(given([submitted('yangpu-talent-rent')]).whenTimeIs(DEADLINE).state().status).toBe('review');
  });

  it('allows one 补正 request only (一次性告知): the reply opens a new 5-working-day window, not a second request', () => {
    const request: ApplicationEvent = { type: 'SupplementRequested', data: { by: ref(huangpuReviewer), missingItems: ['作品清单'], requestedAt: SUBMITTED_AT, replyDueOn: d('2026-10-30') } };
    const replyWindow: WorkingDayWindow = { ...WINDOW, startedOn: d('2026-10-14'), lastWorkingDay: d('2026-10-21'), deadlineAt: new Date(endOfShanghaiDay(d('2026-10-21'))).toISOString() };
    const spec = given([submitted('huangpu-creator-reward'), request]);
    spec.when({ type: 'ProvideSupplement', responses: [{ item: '作品清单', response: 'list.pdf' }] }, as(applicant)).thenThrows('illegal-state', 'completeness window must be computed');
    const afterReply = spec.when({ type: 'ProvideSupplement', responses: [{ item: '作品清单', response: 'list.pdf' }] }, as(applicant, { completeness: replyWindow })).state();
    expect(afterReply).toMatchObject({ status: 'completeness-check', completeness: replyWindow });
    const provided = spec.when({ type: 'ProvideSupplement', responses: [{ item: '作品清单', response: 'list.pdf' }] }, as(applicant, { completeness: replyWindow })).events();
    given([submitted('huangpu-creator-reward'), request, ...provided])
      .when({ type: 'RequestSupplement', missingItems: ['另一项'] }, as(huangpuReviewer, { now: at10('2026-10-15') }))
      .thenThrows('illegal-state', '一次性告知');
  });

  it('refuses a reply that leaves a requested item unanswered, naming it, and one by anybody but the applicant', () => {
    const request: ApplicationEvent = { type: 'SupplementRequested', data: { by: ref(huangpuReviewer), missingItems: ['作品清单', '获奖证明'], requestedAt: SUBMITTED_AT, replyDueOn: d('2026-10-30') } };
    const spec = given([submitted('huangpu-creator-reward'), request]);
    spec.when({ type: 'ProvideSupplement', responses: [{ item: '作品清单', response: 'x' }] }, as(applicant, { completeness: WINDOW })).thenThrows('validation', '获奖证明');
    spec.when({ type: 'ProvideSupplement', responses: [{ item: '作品清单', response: 'x' }, { item: '获奖证明', response: 'y' }] }, as(otherApplicant, { completeness: WINDOW })).thenThrows('forbidden', '只有本案申请人可以答复补正');
    // Only the items listed: an answer to another is refused, naming it, but taken where a history from before the change replays.
    const extra = [{ item: '作品清单', response: 'x' }, { item: '获奖证明', response: 'y' }, { item: '获奖证书', response: 'z' }];
    const refused = spec.when({ type: 'ProvideSupplement', responses: extra }, as(applicant, { completeness: WINDOW })).thenThrows('validation', '“获奖证书”');
    expect(refused.issues.map((i) => i.field)).toEqual(['responses.2.item']);
    expect(spec.when({ type: 'ProvideSupplement', responses: extra }, as(applicant, { completeness: WINDOW, legacy: true })).events().map((e) => e.type)).toEqual(['SupplementProvided']);
  });

  it('withdraws the application when the 补正 reply is not in by the end of its due date', () => {
    const request: ApplicationEvent = { type: 'SupplementRequested', data: { by: ref(huangpuReviewer), missingItems: ['作品清单'], requestedAt: SUBMITTED_AT, replyDueOn: d('2026-10-30') } };
    const end = endOfShanghaiDay(d('2026-10-30'));
    given([submitted('huangpu-creator-reward'), request]).whenTimeIs(end - 1).then([]);
    given([submitted('huangpu-creator-reward'), request])
      .whenTimeIs(end)
      .then([{ type: 'ApplicationWithdrawn', data: { reason: 'supplement-not-provided', detail: '补正材料未在 2026-10-30 前提交，视为撤回', withdrawnAt: iso(end) } }]);
  });

  it('leaves the completeness check to officials of the programme’s department', () => {
    given([submitted('huangpu-creator-reward')]).when({ type: 'AcceptMaterials' }, as(yangpuReviewer)).thenThrows('forbidden', '黄浦区');
    given([submitted('huangpu-creator-reward')]).when({ type: 'AcceptMaterials' }, as(auditor)).thenThrows('forbidden', '审计人员只能查看案件');
  });

  it('replaces a provisional window once its year is loaded, and only a provisional one', () => {
    const provisional = { ...WINDOW, provisional: true, lastWorkingDay: d('2026-10-12'), deadlineAt: new Date(endOfShanghaiDay(d('2026-10-12'))).toISOString() };
    const reason = { calendarYear: 2026, revision: 1, loadedBy: { accountId: 'admin', displayName: '管理员' } };
    const event = submitted('huangpu-creator-reward');
    const state = given([{ ...event, data: { ...(event.data as object), completeness: provisional } } as ApplicationEvent]).state;
    expect(decideCompletenessRecomputed(state, WINDOW, reason, NOW)).toEqual([{ type: 'CompletenessWindowRecomputed', data: { previous: provisional, current: WINDOW, reason, at: iso(NOW) } }]);
    expect(decideCompletenessRecomputed(given([event]).state, { ...WINDOW, lastWorkingDay: d('2026-10-14') }, reason, NOW)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('网信 content review where the programme requires it', () => {
  it('goes to the 网信 review after the completeness check, by a 网信 official only', () => {
    const spec = given([submitted('yangpu-content-award'), accepted(yangpuReviewer)]);
    expect(spec.state.status).toBe('compliance-review');
    spec.when({ type: 'PassComplianceReview', notes: '' }, as(yangpuReviewer)).thenThrows('forbidden', '市委网信办');
    expect(spec.when({ type: 'PassComplianceReview', notes: '内容积极' }, as(cacReviewer)).state().status).toBe('review');
    expect(spec.when({ type: 'FailComplianceReview', reasons: ['内容低俗'] }, as(cacReviewer)).state()).toMatchObject({ status: 'rejected', closingReasons: ['内容低俗'] });
  });

  it('skips it for a programme that does not require it', () => {
    expect(given([submitted('yangpu-talent-rent'), accepted(yangpuReviewer)]).state.status).toBe('review');
  });
});

// ---------------------------------------------------------------------------------------------
describe('review with scores, and the decision: four-eyes and the director above 1,000,000.00', () => {
  it('takes one score from each reviewer of the department, 0 to 100', () => {
    const spec = given([submitted('huangpu-creator-reward'), accepted(huangpuReviewer), contentPassed]);
    spec.when({ type: 'ScoreApplication', score: 101, comments: '' }, as(huangpuReviewer2)).thenThrows('validation', '评分须为 0 至 100 的整数，填写的是 101');
    spec.when({ type: 'ScoreApplication', score: 80, comments: '' }, as(yangpuReviewer)).thenThrows('forbidden', '黄浦区');
    given([...inReview()]).when({ type: 'ScoreApplication', score: 70, comments: '' }, as(huangpuReviewer)).thenThrows('illegal-state', '您已为本案打分');
    expect(given([...inReview()]).when({ type: 'ScoreApplication', score: 90, comments: '优秀' }, as(huangpuReviewer2)).state().scores).toHaveLength(2);
  });

  it('decides an award only after a score, and never by an official who reviewed the case', () => {
    given([submitted('huangpu-creator-reward'), accepted(huangpuReviewer), contentPassed]).when({ type: 'ApproveApplication', notes: '' }, approving(huangpuApprover)).thenThrows('illegal-state', '须至少 1 位评审打分后才能决定，本案目前 0 位');
    given(inReview()).when({ type: 'ApproveApplication', notes: '' }, approving(huangpuReviewer)).thenThrows('forbidden', '四眼原则：您审查过本案', '黄浦区其他未参与审查的人员');
    const fourEyes = given([...inReview(), scored(huangpuReviewer2)]).when({ type: 'RejectApplication', reasons: ['影响力不足'] }, as(huangpuReviewer2)).thenThrows('forbidden', '四眼原则');
    expect(fourEyes.code).toBe('four-eyes');
    expect(fourEyes.english).toContain('four-eyes rule');
    given(inReview()).when({ type: 'ApproveApplication', notes: '' }, approving(yangpuApprover)).thenThrows('forbidden', '黄浦区');
  });

  it('lets an official approve exactly 1,000,000.00; one fen more needs a director of the department', () => {
    const history = [submitted('huangpu-platform-subsidy'), accepted(huangpuReviewer), contentPassed, scored(huangpuReviewer)];
    const atThreshold = given(history).when({ type: 'ApproveApplication', approvedAmountFen: 100_000_000, notes: '' }, approving(huangpuApprover)).events();
    expect(atThreshold[0]).toMatchObject({ type: 'ApplicationApproved', data: { approvedAmountFen: 100_000_000, byDirector: false } });
    const refusal = given(history)
      .when({ type: 'ApproveApplication', approvedAmountFen: 100_000_001, notes: '' }, approving(huangpuApprover))
      .thenThrows('forbidden', '批准金额 1,000,000.01元超过 1,000,000.00元，须由黄浦区处长审批；周审批不是处长。');
    expect(refusal.wording).toEqual({
      code: 'director-approval-required',
      zh: refusal.message,
      en: 'approving 1,000,000.01 is above 1,000,000.00: it needs a director of 黄浦区; 周审批 is not one',
      params: { amountFen: 100_000_001, thresholdFen: 100_000_000, department: 'huangpu' },
    });
    const byDirector = given(history).when({ type: 'ApproveApplication', approvedAmountFen: 150_000_000, notes: '' }, approving(huangpuDirector)).events();
    expect(byDirector[0]).toMatchObject({ type: 'ApplicationApproved', data: { approvedAmountFen: 150_000_000, byDirector: true } });
  });

  it('keeps four-eyes for the director too', () => {
    given([submitted('huangpu-platform-subsidy'), accepted(huangpuReviewer), contentPassed, scored(huangpuDirector)])
      .when({ type: 'ApproveApplication', notes: '' }, approving(huangpuDirector))
      .thenThrows('forbidden', '四眼原则');
  });

  it('approves the requested amount or less, never more', () => {
    given(inReview()).when({ type: 'ApproveApplication', approvedAmountFen: 80_000_001, notes: '' }, approving(huangpuApprover)).thenThrows('validation', '超过申请金额 800,000.00元');
  });

  it('refuses the award when the re-check against the ledger finds the item funded meanwhile, naming the award', () => {
    const violation = { rule: 'funded-once', message: 'item person:huangpu-creator-reward:acct-applicant was already funded under 黄浦优质内容创作者奖励: award AW-7, 300,000.00, on 2026-10-01' };
    given(inReview())
      .when({ type: 'ApproveApplication', notes: '' }, { actor: huangpuApprover, now: NOW, awardId: 'AW-1', awardCheck: { ...clean({}), eligible: false, violations: [violation] } })
      .thenThrows('conflict', '不能获得黄浦优质内容创作者奖励', 'award AW-7');
    given(inReview()).when({ type: 'ApproveApplication', notes: '' }, as(huangpuApprover)).thenThrows('illegal-state', 're-checked against the awards ledger');
  });

  it('lets the applicant withdraw before the decision, and not after', () => {
    expect(given(inReview()).when({ type: 'Withdraw', reason: '另行申请' }, as(applicant)).state()).toMatchObject({ status: 'withdrawn', closingReasons: ['另行申请'] });
    const decided = given(inReview()).when({ type: 'ApproveApplication', notes: '' }, approving(huangpuApprover)).events();
    given([...inReview(), ...decided]).when({ type: 'Withdraw', reason: '' }, as(applicant)).thenThrows('illegal-state', '目前处于“发放中”，不能办理“撤回申请”');
  });
});

// ---------------------------------------------------------------------------------------------
describe('award and payouts in the programme’s shape', () => {
  it('one-off, in a history recorded before payments were recorded: the award, its payment and completion in the decision', () => {
    given(inReview())
      .when({ type: 'ApproveApplication', approvedAmountFen: 60_000_000, notes: '核定 60 万元' }, approvingBefore(huangpuApprover))
      .then([
        { type: 'ApplicationApproved', data: { by: ref(huangpuApprover), approvedAmountFen: 60_000_000, notes: '核定 60 万元', decidedAt: iso(NOW), decidedOn: d('2026-10-09'), byDirector: false } },
        {
          type: 'AwardGranted',
          data: {
            awardId: 'AW-1',
            programmeId: 'huangpu-creator-reward',
            catalogueVersion: termsOf('huangpu-creator-reward').catalogueVersion,
            applicantAccountId: applicant.accountId,
            itemId: 'person:huangpu-creator-reward:acct-applicant',
            amountFen: 60_000_000,
            awardedOn: d('2026-10-09'),
            plan: { kind: 'one-off', amountFen: 60_000_000 },
          },
        },
        { type: 'PayoutIssued', data: { number: 1, of: 1, amountFen: 60_000_000, dueOn: d('2026-10-09'), issuedAt: iso(NOW) } },
        { type: 'ApplicationCompleted', data: { completedAt: iso(NOW), totalPaidFen: 60_000_000 } },
      ]);
  });

  it('voucher: issued once, with the award', () => {
    const events = given([submitted('xuhui-compute-voucher'), accepted({ ...huangpuReviewer, department: 'xuhui' }), scored({ ...huangpuReviewer, department: 'xuhui' })])
      .when({ type: 'ApproveApplication', notes: '' }, approving({ ...huangpuApprover, department: 'xuhui' }))
      .events();
    expect(events.map((e) => e.type)).toEqual(['ApplicationApproved', 'AwardGranted', 'VouchersIssued', 'ApplicationCompleted']);
    expect(events[2]).toEqual({ type: 'VouchersIssued', data: { amountFen: 30_000_000, voucherBatch: `${REF}-V1`, issuedAt: iso(NOW) } });
  });

  it('none (a service): approved and completed, nothing awarded; an amount is refused', () => {
    const history = [submitted('hu9-shield'), accepted(cacReviewer)];
    given(history).when({ type: 'ApproveApplication', notes: '已处置' }, approving(cacApprover)).then([
      { type: 'ApplicationApproved', data: { by: ref(cacApprover), approvedAmountFen: null, notes: '已处置', decidedAt: iso(NOW), decidedOn: d('2026-10-09'), byDirector: false } },
      { type: 'ApplicationCompleted', data: { completedAt: iso(NOW), totalPaidFen: 0 } },
    ]);
    given(history).when({ type: 'ApproveApplication', approvedAmountFen: 100, notes: '' }, approving(cacApprover)).thenThrows('validation', '不发放资金');
  });

  describe('monthly talent rent subsidy, in histories recorded before payments were recorded: min(rent, 8,000.00) a month for at most 36 months, stopped on leaving 杨浦', () => {
    const history = [submitted('yangpu-talent-rent'), accepted(yangpuReviewer), scored(yangpuReviewer)];
    const award = given(history).when({ type: 'ApproveApplication', notes: '' }, approvingBefore(yangpuApprover, at10('2026-01-31'))).events();
    const plan: PayoutPlan = { kind: 'monthly', monthlyFen: 800_000, months: 36, startOn: d('2026-01-31') };

    it('grants 36 × 8,000.00 for a 9,500.00 rent and pays nothing on the day of the award; the amount is the rule’s', () => {
      expect(award.map((e) => e.type)).toEqual(['ApplicationApproved', 'AwardGranted']);
      expect(award[1]).toMatchObject({ data: { amountFen: 28_800_000, plan } });
      given(history).when({ type: 'ApproveApplication', approvedAmountFen: 100, notes: '' }, approvingBefore(yangpuApprover)).thenThrows('validation', '金额按规则确定');
    });

    it('pays each month at 00:00 of the award’s day of month, clamped to the month’s end', () => {
      const spec = given([...history, ...award]);
      expect(new Date(nextApplicationTimeThreshold(spec.state)!).toISOString()).toBe(new Date(startOfShanghaiDay(d('2026-02-28'))).toISOString());
      spec.whenTimeIs(startOfShanghaiDay(d('2026-02-28')) - 1).then([]);
      spec
        .whenTimeIs(startOfShanghaiDay(d('2026-02-28')))
        .then([{ type: 'PayoutIssued', data: { number: 1, of: 36, amountFen: 800_000, dueOn: d('2026-02-28'), issuedAt: iso(startOfShanghaiDay(d('2026-02-28'))) } }]);
      // A worker down for two months catches up: both payments, in order.
      expect(spec.whenTimeIs(at10('2026-03-31')).events().map((e) => (e.data as { dueOn: string }).dueOn)).toEqual(['2026-02-28', '2026-03-31']);
    });

    it('completes with the 36th payment: 288,000.00 in all', () => {
      const end = given([...history, ...award]).whenTimeIs(at10('2029-01-31')).state();
      expect(end).toMatchObject({ status: 'completed', totalPaidFen: 28_800_000 });
      expect(end.payouts).toHaveLength(36);
    });

    it('stops when the applicant reports leaving 杨浦: what was due up to that day is kept, the rest is not paid', () => {
      const threeMonths = given([...history, ...award]).whenTimeIs(at10('2026-04-30')).events();
      const spec = given([...history, ...award, ...threeMonths]);
      spec.when({ type: 'ReportLeftYangpu', leftOn: d('2026-05-22'), note: '' }, as(applicant, { now: at10('2026-05-21') })).thenThrows('validation', '迁离日期2026年5月22日晚于今天2026年5月21日');
      spec.when({ type: 'ReportLeftYangpu', leftOn: d('2026-04-15'), note: '迁往浦东' }, as(yangpuApprover, { now: at10('2026-05-01') })).thenThrows('forbidden', '只有本案申请人可以报告迁离杨浦');
      spec.when({ type: 'ReportLeftYangpu', leftOn: d('2026-04-15'), note: '迁往浦东' }, as(applicant, { now: at10('2026-05-01') })).then([
        { type: 'LeftYangpuReported', data: { by: ref(applicant), leftOn: d('2026-04-15'), note: '迁往浦东', reportedAt: iso(at10('2026-05-01')) } },
        {
          type: 'PayoutsStopped',
          data: { reason: 'left-yangpu', paidCount: 3, paidFen: 2_400_000, entitledFen: 1_600_000, recoverableFen: 800_000, forgoneFen: 26_400_000, stoppedAt: iso(at10('2026-05-01')) },
        },
        { type: 'ApplicationCompleted', data: { completedAt: iso(at10('2026-05-01')), totalPaidFen: 2_400_000 } },
      ]);
    });

    describe('recorded by the department, which learnt it from outside the case (市场监管登记迁出, a site visit)', () => {
      const paid = () => [...history, ...award, ...given([...history, ...award]).whenTimeIs(at10('2026-04-30')).events()];
      const record = (leftOn: string, note = '市场监管登记迁出') => ({ type: 'RecordLeftYangpu' as const, leftOn: d(leftOn), note });
      const now = at10('2026-05-01');

      it('an official who may decide the case records it, saying how the office knows: the payments stop as on the applicant’s report', () => {
        const spec = given(paid());
        spec.when(record('2026-04-15'), as(yangpuApprover, { now })).then([
          { type: 'LeftYangpuRecorded', data: { by: ref(yangpuApprover), department: 'yangpu-investment', leftOn: d('2026-04-15'), note: '市场监管登记迁出', recordedAt: iso(now) } },
          {
            type: 'PayoutsStopped',
            data: { reason: 'left-yangpu', paidCount: 3, paidFen: 2_400_000, entitledFen: 1_600_000, recoverableFen: 800_000, forgoneFen: 26_400_000, stoppedAt: iso(now) },
          },
          { type: 'ApplicationCompleted', data: { completedAt: iso(now), totalPaidFen: 2_400_000 } },
        ]);
        // The same money as the applicant's own report of the same day.
        const reported = spec.when({ type: 'ReportLeftYangpu', leftOn: d('2026-04-15'), note: '' }, as(applicant, { now })).events();
        expect(spec.when(record('2026-04-15'), as(yangpuDirector, { now })).events().slice(1)).toEqual(reported.slice(1));
        expect(spec.when(record('2026-04-15'), as(yangpuApprover, { now })).state()).toMatchObject({
          status: 'completed',
          leftYangpu: { leftOn: '2026-04-15', recordedBy: { department: 'yangpu-investment', by: ref(yangpuApprover), note: '市场监管登记迁出' } },
        });
      });

      it('is refused, in plain Chinese, to another department’s official, the applicant of another case, the applicant themself and an auditor', () => {
        const spec = given(paid());
        spec.when(record('2026-04-15'), as(huangpuApprover, { now })).thenThrows('forbidden', '此步骤由杨浦区投促办工作人员办理。');
        spec.when(record('2026-04-15'), as(otherApplicant, { now })).thenThrows('forbidden', '此步骤由杨浦区投促办工作人员办理。');
        // The applicant reports it with their own action, which is still theirs alone.
        spec.when(record('2026-04-15'), as(applicant, { now })).thenThrows('forbidden', '此步骤由杨浦区投促办工作人员办理。');
        spec.when({ type: 'ReportLeftYangpu', leftOn: d('2026-04-15'), note: '' }, as(otherApplicant, { now })).thenThrows('forbidden', '只有本案申请人可以报告迁离杨浦。');
        spec.when(record('2026-04-15'), as(auditor, { now })).thenThrows('forbidden', '审计人员只能查看案件，不能办理。');
      });

      it('holds the day to the same bounds as the applicant’s report, and requires the note, each at its field', () => {
        const spec = given(paid());
        const early = spec.when(record('2026-01-30'), as(yangpuApprover, { now })).thenThrows('validation', '迁离日期2026年1月30日早于补贴起始日2026年1月31日', '2026年1月31日至2026年5月1日');
        expect(early.issues).toEqual([expect.objectContaining({ field: 'leftOn' })]);
        spec.when(record('2026-05-02'), as(yangpuApprover, { now })).thenThrows('validation', '迁离日期2026年5月2日晚于今天2026年5月1日');
        expect(spec.when(record('2026-01-31'), as(yangpuApprover, { now })).events().map((e) => e.type)).toContain('PayoutsStopped');
        const blank = spec.when(record('2026-04-15', '  '), as(yangpuApprover, { now })).thenThrows('validation', '请写明本局如何得知申请人已迁离杨浦');
        expect(blank.issues).toEqual([expect.objectContaining({ field: 'note' })]);
      });

      it('only while the subsidy is being paid; and not in a history recorded before the department could', () => {
        given(inReview()).when(record('2026-04-15'), as(huangpuApprover, { now })).thenThrows('illegal-state', '不能办理“登记申请人迁离杨浦”');
        given(paid()).when(record('2026-04-15'), as(yangpuApprover, { now, legacy: true })).thenThrows('illegal-state', '请由申请人报告');
      });
    });

    describe('the day of leaving lies between the subsidy’s start and today (Shanghai)', () => {
      const paying = () => given([...history, ...award, ...given([...history, ...award]).whenTimeIs(at10('2026-04-30')).events()]);
      const leave = (leftOn: string) => ({ type: 'ReportLeftYangpu' as const, leftOn: d(leftOn), note: '' });

      it('refuses a day before the award started, naming the bound, with a field issue', () => {
        const error = paying().when(leave('1990-01-01'), as(applicant, { now: at10('2026-05-01') })).thenThrows('validation', '迁离日期1990年1月1日早于补贴起始日2026年1月31日', '2026年1月31日至2026年5月1日');
        expect(error.code).toBe('left-on-out-of-range');
        expect(error.issues).toEqual([expect.objectContaining({ field: 'leftOn', message: '须在2026年1月31日（补贴起始日）至2026年5月1日（今天）之间' })]);
        paying().when(leave('2026-01-30'), as(applicant, { now: at10('2026-05-01') })).thenThrows('validation', '早于补贴起始日2026年1月31日');
      });

      it('takes both ends, and today as the Shanghai date', () => {
        expect(paying().when(leave('2026-01-31'), as(applicant, { now: at10('2026-05-01') })).events().map((e) => e.type)).toContain('PayoutsStopped');
        const justAfterMidnight = startOfShanghaiDay(d('2026-05-01')) + 60_000; // 30 Apr 16:01 UTC
        expect(paying().when(leave('2026-05-01'), as(applicant, { now: justAfterMidnight })).events().map((e) => e.type)).toContain('LeftYangpuReported');
        paying().when(leave('2199-12-31'), as(applicant, { now: justAfterMidnight })).thenThrows('validation', '晚于今天2026年5月1日');
      });

      it('a history recorded before the bound (legacy rules) decides as it did then', () => {
        const events = paying().when(leave('2026-01-01'), as(applicant, { now: at10('2026-05-01'), legacy: true })).events();
        expect(events.map((e) => e.type)).toEqual(['LeftYangpuReported', 'PayoutsStopped', 'ApplicationCompleted']);
        paying().when(leave('2026-05-22'), as(applicant, { now: at10('2026-05-21'), legacy: true })).thenThrows('validation', '晚于今天（2026年5月21日）');
      });
    });

    it('a payout is issued once: the timer decided again at the same or a later instant issues nothing more', () => {
      const spec = given([...history, ...award]);
      const first = spec.whenTimeIs(at10('2026-03-31')).events();
      expect(first.map((e) => (e.data as { number: number }).number)).toEqual([1, 2]);
      // A re-run of the same timer (a retried or re-delivered workflow task) decides from the state the payouts left.
      const after = given([...history, ...award, ...first]);
      after.whenTimeIs(at10('2026-03-31')).then([]);
      expect(after.whenTimeIs(at10('2026-04-30')).events().map((e) => (e.data as { number: number }).number)).toEqual([3]);
    });
  });

  describe('rent waiver: 100%, 75% and 50% of the rent over three contract years', () => {
    const history = [submitted('yangpu-rent-waiver'), accepted(yangpuReviewer), scored(yangpuReviewer)];
    const START = at10('2026-03-01');

    it('grants the three tiers (20,000.00 a month: 240,000 + 180,000 + 120,000) and starts year 1 at once', () => {
      const award = given(history).when({ type: 'ApproveApplication', notes: '' }, approving(yangpuApprover, START)).events();
      expect(award.map((e) => e.type)).toEqual(['ApplicationApproved', 'AwardGranted', 'RentWaiverYearStarted']);
      expect(award[1]).toMatchObject({ data: { amountFen: 54_000_000 } });
      expect(award[2]).toEqual({
        type: 'RentWaiverYearStarted',
        data: { year: 1, of: 3, from: d('2026-03-01'), until: d('2027-02-28'), waivedBasisPoints: 10_000, waivedFen: 24_000_000, tenantPaysFen: 0, at: iso(START) },
      });
    });

    it('starts year 2 (75%) and year 3 (50%) on the contract anniversaries and completes after year 3', () => {
      const award = given(history).when({ type: 'ApproveApplication', notes: '' }, approving(yangpuApprover, START)).events();
      const spec = given([...history, ...award]);
      const year2 = spec.whenTimeIs(startOfShanghaiDay(d('2027-03-01'))).events();
      expect(year2).toEqual([
        { type: 'RentWaiverYearStarted', data: { year: 2, of: 3, from: d('2027-03-01'), until: d('2028-02-29'), waivedBasisPoints: 7_500, waivedFen: 18_000_000, tenantPaysFen: 6_000_000, at: iso(startOfShanghaiDay(d('2027-03-01'))) } },
      ]);
      const end = spec.whenTimeIs(at10('2029-03-01')).events();
      expect(end.map((e) => e.type)).toEqual(['RentWaiverYearStarted', 'RentWaiverYearStarted', 'ApplicationCompleted']);
      expect(end[1]).toMatchObject({ data: { year: 3, waivedBasisPoints: 5_000, waivedFen: 12_000_000, tenantPaysFen: 12_000_000 } });
      expect(end[2]).toMatchObject({ type: 'ApplicationCompleted', data: { totalPaidFen: 54_000_000 } });
      expect(spec.whenTimeIs(startOfShanghaiDay(d('2029-03-01')) - 1).events().map((e) => e.type)).toEqual(['RentWaiverYearStarted', 'RentWaiverYearStarted']);
    });

    it('counts the contract years from the day the carrier register has the tenant admitted: a tenant in its second year is waived years 2 and 3 only', () => {
      // Admitted 2024-12-01: on 2026-03-01 the tenancy is in year 2 (2025-12-01 to 2026-11-30).
      const admitted = [submitted('yangpu-rent-waiver', { ...FACTS['yangpu-rent-waiver'], admittedOn: d('2024-12-01') }), accepted(yangpuReviewer), scored(yangpuReviewer)];
      const award = given(admitted).when({ type: 'ApproveApplication', notes: '' }, approving(yangpuApprover, START)).events();
      expect(award.map((e) => e.type)).toEqual(['ApplicationApproved', 'AwardGranted', 'RentWaiverYearStarted']);
      // 180,000 (75%) + 120,000 (50%): year 1, which ended before the decision, is not waived after the fact.
      expect(award[1]).toMatchObject({ data: { amountFen: 30_000_000, plan: { startOn: '2024-12-01', firstYear: 2 } } });
      expect(award[2]).toMatchObject({ data: { year: 2, of: 3, from: d('2025-12-01'), until: d('2026-11-30'), waivedBasisPoints: 7_500, waivedFen: 18_000_000 } });
      const spec = given([...admitted, ...award]);
      expect(spec.whenTimeIs(startOfShanghaiDay(d('2026-12-01'))).events()).toEqual([
        { type: 'RentWaiverYearStarted', data: { year: 3, of: 3, from: d('2026-12-01'), until: d('2027-11-30'), waivedBasisPoints: 5_000, waivedFen: 12_000_000, tenantPaysFen: 12_000_000, at: iso(startOfShanghaiDay(d('2026-12-01'))) } },
      ]);
      const end = spec.whenTimeIs(startOfShanghaiDay(d('2027-12-01'))).events();
      expect(end.map((e) => e.type)).toEqual(['RentWaiverYearStarted', 'ApplicationCompleted']);
      expect(end[1]).toMatchObject({ data: { totalPaidFen: 30_000_000 } });
    });

    it('needs a director where three years of waived rent exceed 1,000,000.00', () => {
      const big = [submitted('yangpu-rent-waiver', { ...FACTS['yangpu-rent-waiver'], monthlyRentFen: 4_000_000 }), accepted(yangpuReviewer), scored(yangpuReviewer)];
      expect(planTotalFen({ kind: 'rent-waiver-years', monthlyRentFen: 4_000_000, waivedBasisPointsByYear: [10_000, 7_500, 5_000], startOn: d('2026-03-01') })).toBe(108_000_000);
      given(big).when({ type: 'ApproveApplication', notes: '' }, approving(yangpuApprover)).thenThrows('forbidden', '批准金额 1,080,000.00元超过 1,000,000.00元');
    });
  });
});

// ---------------------------------------------------------------------------------------------
describe('payments recorded by an official (登记拨付): due is not paid', () => {
  const record = (paidOn: string, bankReference: string, amountFen: number) => ({ type: 'RecordPayout' as const, paidOn: d(paidOn), bankReference, amountFen });
  const approvedOneOff = () => given(inReview()).when({ type: 'ApproveApplication', approvedAmountFen: 60_000_000, notes: '核定 60 万元' }, approving(huangpuApprover)).events();

  describe('a one-off award', () => {
    it('falls due with the approval and waits for the department (待拨付): nothing counted as paid, no timer', () => {
      const events = approvedOneOff();
      expect(events.map((e) => e.type)).toEqual(['ApplicationApproved', 'AwardGranted', 'PayoutFellDue']);
      expect(events[1]).toMatchObject({ data: { paidOnRecord: true, plan: { kind: 'one-off', amountFen: 60_000_000 } } });
      expect(events[2]).toEqual({ type: 'PayoutFellDue', data: { number: 1, of: 1, amountFen: 60_000_000, dueOn: d('2026-10-09'), at: iso(NOW) } });
      const state = given([...inReview(), ...events]).state;
      expect(state).toMatchObject({ status: 'paying', totalPaidFen: 0, payouts: [], duePayouts: [{ number: 1, amountFen: 60_000_000, dueOn: '2026-10-09' }] });
      expect(nextApplicationTimeThreshold(state)).toBeUndefined();
      expect(applicationNextStep(state)).toEqual({
        status: 'paying',
        label: '待拨付',
        waitingFor: { role: 'official', department: 'huangpu', note: '登记拨付：第 1 笔 600,000.00元，自2026年10月9日起待拨付；不得由批准本案的人员登记' },
      });
    });

    it('is recorded by another official of the department, not the approver (four-eyes), nor anyone outside it', () => {
      const spec = given([...inReview(), ...approvedOneOff()]);
      const later = as(huangpuApprover, { now: at10('2026-10-12') });
      spec.when(record('2026-10-12', 'HP-001', 60_000_000), later).thenThrows('forbidden', '四眼原则：您批准了本案的资助，不能再登记拨付');
      spec.when(record('2026-10-12', 'HP-001', 60_000_000), as({ ...huangpuApprover, accountId: 'acct-xuhui', department: 'xuhui' }, { now: at10('2026-10-12') })).thenThrows('forbidden', '此步骤由');
      spec.when(record('2026-10-12', 'HP-001', 60_000_000), as(applicant, { now: at10('2026-10-12') })).thenThrows('forbidden', '此步骤由');
      spec.when(record('2026-10-12', 'HP-001', 60_000_000), as(auditor, { now: at10('2026-10-12') })).thenThrows('forbidden', '审计人员只能查看案件');
      const now = at10('2026-10-12');
      spec.when(record('2026-10-12', ' HP-001 ', 60_000_000), as(huangpuDirector, { now })).then([
        {
          type: 'PayoutRecorded',
          data: { number: 1, of: 1, amountFen: 60_000_000, dueOn: d('2026-10-09'), paidOn: d('2026-10-12'), bankReference: 'HP-001', by: ref(huangpuDirector), recordedAt: iso(now) },
        },
        { type: 'ApplicationCompleted', data: { completedAt: iso(now), totalPaidFen: 60_000_000 } },
      ]);
      expect(spec.when(record('2026-10-12', 'HP-001', 60_000_000), as(huangpuDirector, { now })).state()).toMatchObject({
        status: 'completed',
        totalPaidFen: 60_000_000,
        duePayouts: [],
        payouts: [{ number: 1, amountFen: 60_000_000, paidOn: '2026-10-12', bankReference: 'HP-001', recordedBy: ref(huangpuDirector) }],
      });
    });

    it('tells every problem of the record at once, each at its field: amount not the one due, a day in the future, no reference', () => {
      const spec = given([...inReview(), ...approvedOneOff()]);
      const error = spec.when(record('2026-10-13', '  ', 59_999_999), as(huangpuDirector, { now: at10('2026-10-12') })).thenThrows('validation', '须等于应拨付的第 1 笔金额', '不能晚于今天（2026年10月12日）', '请填写银行流水号');
      expect(error.issues.map((i) => i.field)).toEqual(['amountFen', 'paidOn', 'bankReference']);
      // Not before it fell due: the plan pays nothing in advance.
      const early = spec.when(record('2026-10-08', 'HP-1', 60_000_000), as(huangpuDirector, { now: at10('2026-10-12') })).thenThrows('validation', '不能早于该笔款项的应拨付日期2026年10月9日');
      expect(early.issues).toEqual([expect.objectContaining({ field: 'paidOn', code: 'paid-on-before-due' })]);
      // The day it fell due and today (Shanghai) are both taken.
      expect(spec.when(record('2026-10-09', 'HP-1', 60_000_000), as(huangpuDirector, { now: startOfShanghaiDay(d('2026-10-09')) + 60_000 })).events()[0]!.type).toBe('PayoutRecorded');
    });

    it('is refused with nothing due: before the award, and once recorded', () => {
      given(inReview()).when(record('2026-10-09', 'HP-1', 60_000_000), as(huangpuDirector)).thenThrows('illegal-state', '不能办理“登记拨付”');
      const paid = given([...inReview(), ...approvedOneOff()]).when(record('2026-10-09', 'HP-1', 60_000_000), as(huangpuDirector)).events();
      given([...inReview(), ...approvedOneOff(), ...paid]).when(record('2026-10-09', 'HP-2', 60_000_000), as(huangpuDirector)).thenThrows('illegal-state', '已办结');
    });

    it('asks whether the case runs with the change only where such an award is granted: not for vouchers, waivers or services', () => {
      const asked: string[] = [];
      const ask = () => {
        asked.push('asked');
        return true;
      };
      given([submitted('xuhui-compute-voucher'), accepted({ ...huangpuReviewer, department: 'xuhui' }), scored({ ...huangpuReviewer, department: 'xuhui' })])
        .when({ type: 'ApproveApplication', notes: '' }, { ...approving({ ...huangpuApprover, department: 'xuhui' }), paidOnRecord: ask })
        .events();
      given([submitted('hu9-shield'), accepted(cacReviewer)]).when({ type: 'ApproveApplication', notes: '' }, { ...approving(cacApprover), paidOnRecord: ask }).events();
      expect(asked).toEqual([]);
      given(inReview()).when({ type: 'ApproveApplication', approvedAmountFen: 1_00, notes: '' }, { ...approving(huangpuApprover), paidOnRecord: ask }).events();
      expect(asked).toEqual(['asked']);
    });
  });

  describe('a monthly subsidy (人才租房补贴)', () => {
    const history = [submitted('yangpu-talent-rent'), accepted(yangpuReviewer), scored(yangpuReviewer)];
    const award = given(history).when({ type: 'ApproveApplication', notes: '' }, approving(yangpuApprover, at10('2026-01-31'))).events();
    const threeDue = () => [...history, ...award, ...given([...history, ...award]).whenTimeIs(at10('2026-04-30')).events()];

    it('each month falls due on its day and waits, oldest first: nothing is paid by the calendar', () => {
      expect(award.map((e) => e.type)).toEqual(['ApplicationApproved', 'AwardGranted']);
      const spec = given([...history, ...award]);
      spec.whenTimeIs(startOfShanghaiDay(d('2026-02-28'))).then([{ type: 'PayoutFellDue', data: { number: 1, of: 36, amountFen: 800_000, dueOn: d('2026-02-28'), at: iso(startOfShanghaiDay(d('2026-02-28'))) } }]);
      const state = given(threeDue()).state;
      expect(state).toMatchObject({ status: 'paying', totalPaidFen: 0, payouts: [] });
      expect(state.duePayouts!.map((p) => p.dueOn)).toEqual(['2026-02-28', '2026-03-31', '2026-04-30']);
      expect(applicationNextStep(state)).toMatchObject({ label: '待拨付', waitingFor: { role: 'official', department: 'yangpu-investment', note: expect.stringContaining('第 1 笔 8,000.00元，自2026年2月28日起待拨付（共 3 笔待拨付，按顺序登记）') } });
      // The next month still falls due on its day.
      expect(new Date(nextApplicationTimeThreshold(state)!).toISOString()).toBe(iso(startOfShanghaiDay(d('2026-05-31'))));
    });

    it('records the oldest first, each under its own bank transfer: one reference is one payment', () => {
      const now = at10('2026-05-06');
      const first = given(threeDue()).when(record('2026-03-02', 'YP-2026-0001', 800_000), as(yangpuReviewer, { now })).events();
      expect(first).toEqual([{ type: 'PayoutRecorded', data: { number: 1, of: 36, amountFen: 800_000, dueOn: d('2026-02-28'), paidOn: d('2026-03-02'), bankReference: 'YP-2026-0001', by: ref(yangpuReviewer), recordedAt: iso(now) } }]);
      const spec = given([...threeDue(), ...first]);
      // The same transfer, typed with other separators and case, cannot pay the second month too.
      const again = spec.when(record('2026-04-01', 'yp 2026 0001', 800_000), as(yangpuReviewer, { now })).thenThrows('conflict', '银行流水号 yp 2026 0001 已登记为本案（AP-2026-000004）的奖补拨付');
      expect(again.issues).toEqual([expect.objectContaining({ field: 'bankReference' })]);
      // The second month is due from 31 March: a payment dated before it is not its payment.
      spec.when(record('2026-03-30', 'YP-2026-0002', 800_000), as(yangpuReviewer, { now })).thenThrows('validation', '不能早于该笔款项的应拨付日期2026年3月31日');
      expect(spec.when(record('2026-04-01', 'YP-2026-0002', 800_000), as(yangpuReviewer, { now })).state()).toMatchObject({ totalPaidFen: 1_600_000, duePayouts: [{ number: 3 }] });
    });

    it('completes with the 36th payment recorded: 288,000.00 in all, and not before', () => {
      let events = [...history, ...award, ...given([...history, ...award]).whenTimeIs(at10('2029-01-31')).events()];
      expect(given(events).state.duePayouts).toHaveLength(36);
      expect(nextApplicationTimeThreshold(given(events).state)).toBeUndefined();
      for (let n = 1; n <= 36; n++) {
        const recorded = given(events).when(record('2029-02-01', `YP-${n}`, 800_000), as(yangpuReviewer, { now: at10('2029-02-01') })).events();
        expect(recorded.map((e) => e.type)).toEqual(n < 36 ? ['PayoutRecorded'] : ['PayoutRecorded', 'ApplicationCompleted']);
        events = [...events, ...recorded];
      }
      expect(given(events).state).toMatchObject({ status: 'completed', totalPaidFen: 28_800_000 });
    });

    it('stops on leaving 杨浦: a month due after the day and never recorded is simply not paid — forgone, not to recover', () => {
      // Three months due (Feb, Mar, Apr), only February recorded; the applicant left on 15 March.
      const paidFeb = given(threeDue()).when(record('2026-03-02', 'YP-1', 800_000), as(yangpuReviewer, { now: at10('2026-05-01') })).events();
      const now = at10('2026-05-02');
      given([...threeDue(), ...paidFeb]).when({ type: 'ReportLeftYangpu', leftOn: d('2026-03-15'), note: '' }, as(applicant, { now })).then([
        { type: 'LeftYangpuReported', data: { by: ref(applicant), leftOn: d('2026-03-15'), note: '', reportedAt: iso(now) } },
        { type: 'PayoutsStopped', data: { reason: 'left-yangpu', paidCount: 1, paidFen: 800_000, entitledFen: 800_000, recoverableFen: 0, forgoneFen: 35 * 800_000, owedFen: 0, stoppedAt: iso(now) } },
        { type: 'ApplicationCompleted', data: { completedAt: iso(now), totalPaidFen: 800_000 } },
      ]);
    });

    it('a month due by the day of leaving and not yet recorded is still owed: the case waits for it, then completes', () => {
      const paidFeb = given(threeDue()).when(record('2026-03-02', 'YP-1', 800_000), as(yangpuReviewer, { now: at10('2026-05-01') })).events();
      const now = at10('2026-05-02');
      const left = given([...threeDue(), ...paidFeb]).when({ type: 'RecordLeftYangpu', leftOn: d('2026-04-15'), note: '市场监管登记迁出' }, as(yangpuApprover, { now })).events();
      expect(left.map((e) => e.type)).toEqual(['LeftYangpuRecorded', 'PayoutsStopped']);
      // March is owed (due 31 March, before leaving); April (due 30 April, after) is forgone with the 32 months to come.
      expect(left[1]).toEqual({ type: 'PayoutsStopped', data: { reason: 'left-yangpu', paidCount: 1, paidFen: 800_000, entitledFen: 1_600_000, recoverableFen: 0, forgoneFen: 34 * 800_000, owedFen: 800_000, stoppedAt: iso(now) } });
      const stopped = [...threeDue(), ...paidFeb, ...left];
      const state = given(stopped).state;
      expect(state).toMatchObject({ status: 'paying', duePayouts: [{ number: 2, dueOn: '2026-03-31' }] });
      expect(nextApplicationTimeThreshold(state)).toBeUndefined();
      given(stopped).when({ type: 'ReportLeftYangpu', leftOn: d('2026-04-15'), note: '' }, as(applicant, { now })).thenThrows('illegal-state', '已因迁离杨浦停止发放');
      given(stopped).when(record('2026-05-02', 'YP-2', 800_000), as(yangpuReviewer, { now })).then([
        { type: 'PayoutRecorded', data: { number: 2, of: 36, amountFen: 800_000, dueOn: d('2026-03-31'), paidOn: d('2026-05-02'), bankReference: 'YP-2', by: ref(yangpuReviewer), recordedAt: iso(now) } },
        { type: 'ApplicationCompleted', data: { completedAt: iso(now), totalPaidFen: 1_600_000 } },
      ]);
    });
  });
});

describe('next step: who acts, and the deadline', () => {
  it('shows the completeness deadline to the department, then the scoring, then the director rule', () => {
    expect(applicationNextStep(given([submitted('huangpu-creator-reward')]).state)).toMatchObject({
      status: 'completeness-check',
      waitingFor: { role: 'official', department: 'huangpu' },
      deadline: { kind: 'completeness-check', dueOn: '2026-10-13', at: WINDOW.deadlineAt, provisional: false },
    });
    expect(applicationNextStep(given([submitted('huangpu-creator-reward'), accepted(huangpuReviewer)]).state).waitingFor).toMatchObject({ department: 'cac' });
    expect(applicationNextStep(given([submitted('huangpu-creator-reward'), accepted(huangpuReviewer), contentPassed]).state).waitingFor?.note).toContain('评审打分');
    expect(applicationNextStep(given(inReview()).state).waitingFor?.note).toContain('1,000,000.00');
  });
});

describe('the 雏鹰 loan shares the catalogue’s front-half rules (not the generic workflow)', () => {
  it('refuses and accepts exactly what its own check does: registered in 杨浦, at most 500,000.00', () => {
    const company = (registeredDistrict: string) => ({ name: 'x', unifiedSocialCreditCode: '91310110MA1G8XXXXA', registeredDistrict });
    for (const [district, amount] of [['杨浦区', 50_000_000], ['杨浦区', 50_000_001], ['黄浦区', 1_000_000]] as const) {
      const catalogue = checkApplication(findProgramme('chuying-loan')!, { applicantKind: 'company', registeredDistrict: district, requestedAmountFen: amount, itemId: 'p' }, { on: d('2026-11-23') });
      let loanRefused = false;
      try {
        checkLoanApplication({ company: company(district), requestedAmountFen: amount }, CHUYING_LOAN_TERMS);
      } catch {
        loanRefused = true;
      }
      expect(catalogue.eligible, `${district} ${amount}`).toBe(!loanRefused);
    }
  });
});
