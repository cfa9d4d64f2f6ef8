import { describe, expect, it } from 'vitest';
import type { ApplicationActionContext, ApplicationCallCommand } from '../../domain/applications/commands.js';
import { applicationNextStep, decideApplicationSubmission, ensureApplicationActionAllowed, nextApplicationTimeThreshold } from '../../domain/applications/decide.js';
import type { ActorRef, ApplicationCall, ApplicationEvent } from '../../domain/applications/events.js';
import { awardForPublicity, callOfSubmission, panelLimitRecountOnClose, PUBLIC_OBJECTOR, recordedBatch } from '../../domain/applications/in-call.js';
import { decidePublicityStart } from '../../domain/publicity/decide.js';
import { initialPublicityState } from '../../domain/publicity/state.js';
import { foldApplication, isApplicationTerminal } from '../../domain/applications/state.js';
import { withServerFacts } from '../../domain/applications/terms.js';
import { SYSTEM_ACTOR, type Actor } from '../../domain/cases/actor.js';
import { letterForApplication } from '../../domain/decisions/case-letters.js';
import type { ApplicationPanelEvent } from '../../domain/panels/application-record.js';
import { findProgramme } from '../../domain/programmes/catalogue.js';
import type { ApplicationFacts } from '../../domain/programmes/programme.js';
import { publicityWindow } from '../../domain/publicity/window.js';
import { endOfShanghaiDay, parseLocalDate, startOfShanghaiDay } from '../../domain/time/local-date.js';
import { createWorkingDayCalendar, workingDayDeadline } from '../../domain/time/working-days.js';
import { applicant } from '../support/actors.js';
import { given } from '../support/application-decider-spec.js';
import { huangpuApprover, huangpuDirector, huangpuReviewer, termsOf, yangpuApprover, yangpuReviewer } from '../support/applications.js';

const d = parseLocalDate;
const ref = (actor: Actor): ActorRef => ({ accountId: actor.accountId, displayName: actor.displayName });
const at10 = (date: string) => startOfShanghaiDay(d(date)) + 10 * 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();

const CASE_ID = '3a1c2d3e-0000-4000-8000-000000000013';
const REF = 'AP-2026-000013';
const PROGRAMME = 'huangpu-carrier-operator';
const FACTS: ApplicationFacts = { applicantKind: 'carrier-operator', requestedAmountFen: 100_000_000 };
const FIRST_COME: ApplicationCall = { callId: 'call-fc', title: '2026 年黄浦载体扶持（第二批）', mode: 'first-come', publicityWorkingDays: 5 };
const COMPETITIVE: ApplicationCall = { ...FIRST_COME, callId: 'call-cp', mode: 'competitive' };

// No holidays in December 2026: a 公示 published on Fri 4 Dec runs 4, 7, 8, 9, 10 Dec, across the weekend.
const calendar = createWorkingDayCalendar([{ year: 2026, holidays: [], makeUpWorkdays: [] }]);
const WINDOW = publicityWindow(calendar, d('2026-12-04'), 5);
const END = Date.parse(WINDOW.endsAt);
const APPROVED_AT = at10('2026-12-04');
const COMPLETENESS = { workingDays: 5, startedOn: d('2026-11-23'), lastWorkingDay: d('2026-11-30'), deadlineAt: iso(endOfShanghaiDay(d('2026-11-30'))), provisional: false };

function submitted(call: ApplicationCall | undefined): ApplicationEvent {
  const facts = withServerFacts(findProgramme(PROGRAMME)!, FACTS, { applicantAccountId: applicant.accountId });
  const [event] = decideApplicationSubmission(
    { caseId: CASE_ID, referenceNo: REF, applicant: ref(applicant), terms: termsOf(PROGRAMME), details: { title: '外滩内容载体', summary: '说明' }, ...(call ? { call } : {}) },
    { eligible: true, maxAmountFen: 500_000_000, amountRule: 'cap 5,000,000.00', violations: [], facts },
    COMPLETENESS,
    at10('2026-11-23'),
  );
  return event!;
}
const accepted: ApplicationEvent = { type: 'MaterialsAccepted', data: { by: ref(huangpuReviewer), acceptedAt: iso(at10('2026-11-24')) } };
const scored: ApplicationEvent = { type: 'ApplicationScored', data: { by: ref(huangpuReviewer), score: 90, comments: '', scoredAt: iso(at10('2026-11-25')) } };
const commit = (callId: string, amountFen: number) => ({ budgetMovements: [{ callId, kind: 'commit' as const, amountFen }] });

/** A first-come case approved at 1,000,000.00 and on 公示. */
function approvedFirstCome(): ApplicationEvent[] {
  const history = [submitted(FIRST_COME), accepted, scored];
  const events = given(history).when({ type: 'ApproveApplication', approvedAmountFen: 100_000_000, notes: '' }, approving()).events();
  return [...history, ...events];
}
const approving = (): ApplicationActionContext => ({ actor: huangpuApprover, now: APPROVED_AT, awardCheck: { eligible: true, maxAmountFen: null, amountRule: '', violations: [], facts: {} }, awardId: 'AW-1', publicityWindow: WINDOW });

const objecting = (objectionId: string, now = at10('2026-12-07')): ApplicationActionContext => ({ actor: PUBLIC_OBJECTOR, now, objectionId });

describe('belonging to a call', () => {
  it('a programme never run by calls belongs to none; outside an open call the application is refused with the call’s dates', () => {
    expect(callOfSubmission({ runByCalls: false }, '黄浦载体')).toBeUndefined();
    expect(callOfSubmission({ runByCalls: true, call: { ...FIRST_COME } }, '黄浦载体')).toEqual(FIRST_COME);
    let refusal: unknown;
    try {
      callOfSubmission({ runByCalls: true, call: null, refusal: '「2026 年黄浦载体扶持」申报时间为 2026年9月20日 09:00 至 2026年10月31日 17:00（北京时间），现在不在申报期内' }, '黄浦载体');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ kind: 'illegal-state' });
    expect((refusal as Error).message).toContain('2026年9月20日 09:00 至 2026年10月31日 17:00');
  });

  it('the submission records its call; without one the event is exactly as before', () => {
    expect(submitted(FIRST_COME).data).toMatchObject({ call: FIRST_COME });
    expect(Object.keys(submitted(undefined).data)).not.toContain('call');
  });
});

describe('a first-come call: the approval commits the budget and publishes the award', () => {
  it('given a scored case in a call, when approved, then the approval commits the whole amount and the 公示 starts — no award yet', () => {
    const history = [submitted(FIRST_COME), accepted, scored];
    const [approved, published, ...rest] = given(history).when({ type: 'ApproveApplication', approvedAmountFen: 100_000_000, notes: '' }, approving()).events();
    expect(approved).toMatchObject({ type: 'ApplicationApproved', data: { approvedAmountFen: 100_000_000, ...commit('call-fc', 100_000_000) } });
    expect(published).toMatchObject({ type: 'PublicityStarted', data: { callId: 'call-fc', amountFen: 100_000_000, publicName: ref(applicant).displayName, window: WINDOW } });
    expect(rest).toEqual([]);
    const state = foldApplication(approvedFirstCome());
    expect(applicationNextStep(state)).toMatchObject({ status: 'publicity', label: '公示中', waitingFor: null, deadline: { kind: 'publicity', dueOn: '2026-12-10' } });
    expect(nextApplicationTimeThreshold(state)).toBe(END);
  });

  it('a case outside any call approves as before: no movement, no 公示, the award at once (its payment due, to be recorded)', () => {
    const types = given([submitted(undefined), accepted, scored]).when({ type: 'ApproveApplication', approvedAmountFen: 100_000_000, notes: '' }, { ...approving(), publicityWindow: undefined }).events();
    expect(types.map((e) => e.type)).toEqual(['ApplicationApproved', 'AwardGranted', 'PayoutFellDue']);
    expect(types.some((e) => 'budgetMovements' in (e.data as object))).toBe(false);
  });

  it('given an award on 公示 without objections, when its window ends, then it is final, granted and its payment falls due — drawn on the budget only when recorded', () => {
    const granted = {
      type: 'AwardGranted',
      data: { awardId: `AW-${CASE_ID}`, programmeId: PROGRAMME, catalogueVersion: termsOf(PROGRAMME).catalogueVersion, applicantAccountId: applicant.accountId, itemId: `company:${PROGRAMME}:${applicant.accountId}`, amountFen: 100_000_000, awardedOn: d('2026-12-11'), plan: { kind: 'one-off', amountFen: 100_000_000 } },
    } as const;
    const final = given(approvedFirstCome()).whenTimeIs(END);
    final.then([
      { type: 'AwardFinalised', data: { amountFen: 100_000_000, finalisedAt: iso(END), finalisedOn: d('2026-12-11') } },
      { ...granted, data: { ...granted.data, paidOnRecord: true } },
      { type: 'PayoutFellDue', data: { number: 1, of: 1, amountFen: 100_000_000, dueOn: d('2026-12-11'), at: iso(END) } },
    ]);
    expect(given(approvedFirstCome()).whenTimeIs(END - 1).events()).toEqual([]);
    const due = [...approvedFirstCome(), ...final.events()];
    given(due)
      .when({ type: 'RecordPayout', paidOn: d('2026-12-14'), bankReference: 'HP-20261214-001', amountFen: 100_000_000 }, { actor: huangpuDirector, now: at10('2026-12-14') })
      .then([
        {
          type: 'PayoutRecorded',
          data: { number: 1, of: 1, amountFen: 100_000_000, dueOn: d('2026-12-11'), paidOn: d('2026-12-14'), bankReference: 'HP-20261214-001', by: ref(huangpuDirector), recordedAt: iso(at10('2026-12-14')), budgetMovements: [{ callId: 'call-fc', kind: 'pay', amountFen: 100_000_000 }] },
        },
        { type: 'ApplicationCompleted', data: { completedAt: iso(at10('2026-12-14')), totalPaidFen: 100_000_000 } },
      ]);
    // A history recorded before payments were recorded: paid by the calendar, as then.
    given(approvedFirstCome())
      .whenTimeIs(END, () => false)
      .then([
        { type: 'AwardFinalised', data: { amountFen: 100_000_000, finalisedAt: iso(END), finalisedOn: d('2026-12-11') } },
        granted,
        { type: 'PayoutIssued', data: { number: 1, of: 1, amountFen: 100_000_000, dueOn: d('2026-12-11'), issuedAt: iso(END), budgetMovements: [{ callId: 'call-fc', kind: 'pay', amountFen: 100_000_000 }] } },
        { type: 'ApplicationCompleted', data: { completedAt: iso(END), totalPaidFen: 100_000_000 } },
      ]);
  });
});

describe('objections during the 公示', () => {
  it('anyone may object, without an account: the objection holds the award past the window’s end until answered', () => {
    const lodged = given(approvedFirstCome()).when({ type: 'LodgeObjection', reasons: '该载体 2026 年已获同类扶持' }, objecting('obj-1')).events();
    expect(lodged).toEqual([{ type: 'ObjectionLodged', data: { objectionId: 'obj-1', reasons: '该载体 2026 年已获同类扶持', contactRef: null, lodgedBy: null, lodgedAt: iso(at10('2026-12-07')) } }]);
    const state = foldApplication([...approvedFirstCome(), ...lodged]);
    expect(nextApplicationTimeThreshold(state)).toBeUndefined();
    expect(applicationNextStep(state).waitingFor).toMatchObject({ role: 'official', department: 'huangpu' });
    given([...approvedFirstCome(), ...lodged]).when({ type: 'LodgeObjection', reasons: '晚了' }, objecting('obj-2', END)).thenThrows('illegal-state', '公示期已于 2026-12-10 24:00 结束');
  });

  it('upheld with withdrawal: the award is withdrawn, its commitment released, the case ends with a 撤销奖补决定书', () => {
    const history = [...approvedFirstCome(), ...given(approvedFirstCome()).when({ type: 'LodgeObjection', reasons: '材料造假' }, objecting('obj-1')).events()];
    const answer = { type: 'UpholdObjection', objectionId: 'obj-1', answer: '经核查，申报材料中的运营数据不实。', remedy: { kind: 'withdraw' } } as const;
    given(history).when(answer, { actor: { ...applicant }, now: at10('2026-12-08') }).thenThrows('forbidden', '黄浦区');
    given(history).when(answer, { actor: { ...huangpuApprover, department: 'xuhui' }, now: at10('2026-12-08') }).thenThrows('forbidden', '黄浦区');
    const events = given(history).when(answer, { actor: huangpuApprover, now: at10('2026-12-08') }).events();
    expect(events.map((e) => e.type)).toEqual(['ObjectionUpheld', 'AwardWithdrawnAfterPublicity']);
    expect(events[1]).toMatchObject({ data: { amountFen: 100_000_000, budgetMovements: [{ callId: 'call-fc', kind: 'release', amountFen: 100_000_000 }] } });
    const after = foldApplication([...history, ...events]);
    expect(after.status).toBe('withdrawn-after-publicity');
    expect(isApplicationTerminal(after)).toBe(true);
    expect(after.committedFen).toBe(0);
    const letter = letterForApplication(events[1]!, after, after.version);
    expect(letter).toMatchObject({ title: '撤销奖补决定书', decision: 'withdraw-award', amountFen: 100_000_000 });
  });

  it('upheld with a reduction: the difference is released; dismissed after the window: final at once, granted at the lower amount', () => {
    const lodged = given(approvedFirstCome()).when({ type: 'LodgeObjection', reasons: '金额偏高', contactRef: 'pdv-1' }, objecting('obj-1')).events();
    expect(lodged[0]).toMatchObject({ data: { contactRef: 'pdv-1' } });
    const second = given([...approvedFirstCome(), ...lodged]).when({ type: 'LodgeObjection', reasons: '另有异议' }, objecting('obj-2')).events();
    const history = [...approvedFirstCome(), ...lodged, ...second];
    const reduced = given(history).when({ type: 'UpholdObjection', objectionId: 'obj-1', answer: '按实际运营面积核减。', remedy: { kind: 'reduce', amountFen: 80_000_000 } }, { actor: huangpuApprover, now: at10('2026-12-08') }).events();
    expect(reduced.map((e) => e.type)).toEqual(['ObjectionUpheld', 'ApprovedAmountReduced']);
    expect(reduced[1]).toMatchObject({ data: { fromFen: 100_000_000, toFen: 80_000_000, budgetMovements: [{ kind: 'release', amountFen: 20_000_000 }] } });
    // The second objection is still pending at the window's end: nothing is final until it is answered.
    const pending = [...history, ...reduced];
    expect(given(pending).whenTimeIs(END + 1000).events()).toEqual([]);
    const dismissed = given(pending).when({ type: 'DismissObjection', objectionId: 'obj-2', answer: '异议理由不成立。' }, { actor: huangpuDirector, now: END + 3600_000 }).events();
    expect(dismissed.map((e) => e.type)).toEqual(['ObjectionDismissed', 'AwardFinalised', 'AwardGranted', 'PayoutFellDue']);
    expect(dismissed[2]).toMatchObject({ data: { amountFen: 80_000_000, paidOnRecord: true } });
    // Due, not paid: nothing moves against the budget until an official records the payment.
    expect(dismissed[3]).toEqual({ type: 'PayoutFellDue', data: { number: 1, of: 1, amountFen: 80_000_000, dueOn: d('2026-12-11'), at: iso(END + 3600_000) } });
    const recorded = given([...pending, ...dismissed]).when({ type: 'RecordPayout', paidOn: d('2026-12-11'), bankReference: 'HP-1', amountFen: 80_000_000 }, { actor: huangpuReviewer, now: END + 7200_000 }).events();
    expect(recorded[0]).toMatchObject({ type: 'PayoutRecorded', data: { budgetMovements: [{ kind: 'pay', amountFen: 80_000_000 }] } });
    given(pending).when({ type: 'DismissObjection', objectionId: 'obj-1', answer: '再答' }, { actor: huangpuApprover, now: at10('2026-12-09') }).thenThrows('illegal-state', '不能再次答复');
  });
});

describe('a competitive call: the panel and the director’s batch decision', () => {
  const review = (): ApplicationPanelEvent => ({
    type: 'PanelReviewRecorded',
    data: { callId: 'call-cp', listId: 'list-1', sheets: [], excluded: [{ member: { accountId: 'expert-3', displayName: '王专家' }, reason: '曾为申请人提供咨询' }], method: 'mean', aggregate: 8650, rank: 2, rankedOf: 3 },
  });
  const decision = (selected: boolean): ApplicationPanelEvent => ({
    type: 'BatchDecisionRecorded',
    data: {
      callId: 'call-cp',
      listId: 'list-1',
      decision: selected ? 'selected' : 'not-selected',
      amountFen: selected ? 90_000_000 : null,
      reason: selected ? null : '排名第 2 位（共 3 位），资助名额已满，未入选。',
      passedOver: selected ? null : 'quota-full',
      by: ref(huangpuDirector),
      decidedAt: iso(APPROVED_AT),
      decidedOn: '2026-12-04',
    },
  });
  const batch = (selected: boolean): ApplicationCallCommand => ({ type: 'RecordBatchDecision', callId: 'call-cp', batchId: 'list-1', records: [review(), decision(selected)] });
  const inPanel = () => [submitted(COMPETITIVE), accepted];
  const system = (extra: Partial<ApplicationActionContext> = {}): ApplicationActionContext => ({ actor: SYSTEM_ACTOR, now: APPROVED_AT, ...extra });

  it('after completeness the case waits for the panel, and its officials cannot decide it one by one', () => {
    const state = foldApplication(inPanel());
    expect(applicationNextStep(state)).toMatchObject({ status: 'panel-review', label: '评审委员会评审', waitingFor: { role: 'official', department: 'huangpu' } });
    given(inPanel()).when({ type: 'ApproveApplication', approvedAmountFen: 1, notes: '' }, approving()).thenThrows('illegal-state', '目前处于“评审委员会评审”');
    given(inPanel()).when({ type: 'ScoreApplication', score: 90, comments: '' }, { actor: huangpuReviewer, now: APPROVED_AT }).thenThrows('illegal-state');
  });

  it('only the system records the batch: an official, even the director, is refused', () => {
    given(inPanel()).when(batch(true), { actor: huangpuDirector, now: APPROVED_AT, publicityWindow: WINDOW }).thenThrows('forbidden', '由系统根据处长批准的批次自动记录');
  });

  it('selected: the panel’s records, the director’s approval at the batch amount committing the budget, and the 公示', () => {
    const events = given(inPanel()).when(batch(true), system({ publicityWindow: WINDOW })).events();
    expect(events.map((e) => e.type)).toEqual(['PanelReviewRecorded', 'BatchDecisionRecorded', 'ApplicationApproved', 'PublicityStarted']);
    expect(events[2]).toMatchObject({ data: { by: ref(huangpuDirector), approvedAmountFen: 90_000_000, byDirector: true, batchId: 'list-1', decidedOn: '2026-12-04', ...commit('call-cp', 90_000_000) } });
    expect(events[3]).toMatchObject({ data: { amountFen: 90_000_000, window: WINDOW } });
    const after = foldApplication([...inPanel(), ...events]);
    expect(after.status).toBe('publicity');
    expect(after.panel?.review?.excluded[0]?.member.displayName).toBe('王专家');
    expect(letterForApplication(events[2]!, after, 5)).toMatchObject({ title: '给予支持决定书', decidedBy: { name: '吴处长' }, amountFen: 90_000_000 });
  });

  it('not selected: rejected with the reason the applicant reads, in a 不予支持决定书', () => {
    const events = given(inPanel()).when(batch(false), system()).events();
    expect(events.map((e) => e.type)).toEqual(['PanelReviewRecorded', 'BatchDecisionRecorded', 'ApplicationRejected']);
    expect(events[2]).toMatchObject({ data: { reasons: ['排名第 2 位（共 3 位），资助名额已满，未入选。'], by: ref(huangpuDirector) } });
    const after = foldApplication([...inPanel(), ...events]);
    expect(after.status).toBe('rejected');
    expect(letterForApplication(events[2]!, after, 5)).toMatchObject({ title: '不予支持决定书', reasons: ['排名第 2 位（共 3 位），资助名额已满，未入选。'] });
  });

  it('the same batch delivered again is answered as recorded; another batch is refused', () => {
    const history = [...inPanel(), ...given(inPanel()).when(batch(true), system({ publicityWindow: WINDOW })).events()];
    const state = foldApplication(history);
    expect(recordedBatch(state, batch(true))).toEqual({ batchId: 'list-1', listId: 'list-1', decision: 'selected' });
    const other: ApplicationCallCommand = { type: 'RecordBatchDecision', callId: 'call-cp', batchId: 'list-2', records: [{ ...decision(true), data: { ...decision(true).data, listId: 'list-2' } } as ApplicationPanelEvent] };
    expect(() => recordedBatch(state, other)).toThrow('已记录批次 list-1');
    // The repeat passes the checks at any later step (the driver answers it and records nothing).
    expect(() => ensureApplicationActionAllowed(state, batch(true), SYSTEM_ACTOR, APPROVED_AT)).not.toThrow();
    expect(() => ensureApplicationActionAllowed(state, other, SYSTEM_ACTOR, APPROVED_AT)).toThrow();
  });

  it('a batch of another call is refused', () => {
    const foreign: ApplicationCallCommand = { type: 'RecordBatchDecision', callId: 'call-x', batchId: 'list-1', records: [decision(true)] };
    given(inPanel()).when(foreign, system({ publicityWindow: WINDOW })).thenThrows('illegal-state', '不属于批次 call-x');
  });
});

describe('money against the budget over an award’s life', () => {
  it('a monthly subsidy in a call commits its whole plan, pays month by month, and releases what will not be paid when the applicant leaves 杨浦', () => {
    const terms = termsOf('yangpu-talent-rent');
    const facts = withServerFacts(findProgramme('yangpu-talent-rent')!, { applicantKind: 'individual-creator', monthlyRentFen: 950_000 }, { applicantAccountId: applicant.accountId });
    const call: ApplicationCall = { callId: 'call-rent', title: '2026 年杨浦人才租房补贴', mode: 'first-come', publicityWorkingDays: 5 };
    const [opened] = decideApplicationSubmission({ caseId: CASE_ID, referenceNo: REF, applicant: ref(applicant), terms, details: { title: '租房', summary: '在杨浦租房' }, call }, { eligible: true, maxAmountFen: null, amountRule: 'rule', violations: [], facts }, COMPLETENESS, at10('2026-11-23'));
    const history: ApplicationEvent[] = [
      opened!,
      { type: 'MaterialsAccepted', data: { by: ref(yangpuReviewer), acceptedAt: iso(at10('2026-11-24')) } },
      { type: 'ApplicationScored', data: { by: ref(yangpuReviewer), score: 80, comments: '', scoredAt: iso(at10('2026-11-25')) } },
    ];
    const approved = given(history).when({ type: 'ApproveApplication', notes: '' }, { ...approving(), actor: yangpuApprover }).events();
    // 36 months of min(9,500.00, 8,000.00): the whole plan is committed at approval.
    expect(approved[0]).toMatchObject({ data: commit('call-rent', 36 * 800_000) });
    const granted = given([...history, ...approved]).whenTimeIs(END).events();
    expect(granted.map((e) => e.type)).toEqual(['AwardFinalised', 'AwardGranted']);
    const firstMonth = Date.parse(iso(startOfShanghaiDay(d('2027-01-11'))));
    const due = given([...history, ...approved, ...granted]).whenTimeIs(firstMonth).events();
    expect(due).toEqual([expect.objectContaining({ type: 'PayoutFellDue', data: expect.objectContaining({ number: 1, amountFen: 800_000 }) })]);
    expect(due[0]!.data).not.toHaveProperty('budgetMovements');
    const paid = given([...history, ...approved, ...granted, ...due]).when({ type: 'RecordPayout', paidOn: d('2027-01-12'), bankReference: 'YP-1', amountFen: 800_000 }, { actor: yangpuReviewer, now: at10('2027-01-12') }).events();
    expect(paid).toEqual([expect.objectContaining({ type: 'PayoutRecorded', data: expect.objectContaining({ number: 1, amountFen: 800_000, budgetMovements: [{ callId: 'call-rent', kind: 'pay', amountFen: 800_000 }] }) })]);
    const left = given([...history, ...approved, ...granted, ...due, ...paid]).when({ type: 'ReportLeftYangpu', leftOn: d('2027-01-20'), note: '' }, { actor: applicant, now: at10('2027-01-21') }).events();
    expect(left[1]).toMatchObject({ type: 'PayoutsStopped', data: { forgoneFen: 35 * 800_000, budgetMovements: [{ callId: 'call-rent', kind: 'release', amountFen: 35 * 800_000 }] } });
    expect(foldApplication([...history, ...approved, ...granted, ...due, ...paid, ...left]).committedFen).toBe(800_000);
  });

  it('the 公示 names a person by the surname only, a company in full', () => {
    const person = { ...foldApplication([submitted(FIRST_COME)]), facts: { applicantKind: 'individual-creator' as const }, applicant: { accountId: 'a', displayName: '欧阳娜娜' } };
    expect(awardForPublicity(person, 1).recipient).toEqual({ kind: 'person', name: '欧阳娜娜' });
    const [started] = decidePublicityStart(initialPublicityState(), awardForPublicity(person, 100), WINDOW, APPROVED_AT);
    expect(started).toMatchObject({ data: { publicName: '欧阳**' } });
    expect(awardForPublicity(foldApplication([submitted(FIRST_COME)]), 1).recipient).toEqual({ kind: 'company', name: applicant.displayName });
  });
});

describe('the call’s close moved (RecordCallClose, from the call): closed early, or changed', () => {
  // Planned to close Thu 31 Dec 2026 at 17:00; the director closed it on Fri 4 Dec at 10:00.
  const PLANNED = iso(startOfShanghaiDay(d('2026-12-31')) + 17 * 3600_000);
  const CLOSED = iso(at10('2026-12-04'));
  const call: ApplicationCall = { ...COMPETITIVE, closesAt: PLANNED };
  const count = (startedOn: string) => {
    const { lastWorkingDay, deadlineMs, provisional } = workingDayDeadline(calendar, d(startedOn), 20);
    return { workingDays: 20, startedOn: d(startedOn), lastWorkingDay, deadlineAt: iso(deadlineMs), provisional };
  };
  const panelLimit = (startedOn: string): ApplicationEvent => ({
    type: 'TimeLimitStarted',
    data: { limit: { step: 'panel-review', stepLabel: '评审委员会评审', department: 'huangpu', ...count(startedOn), promisedWorkingDays: 20 }, at: iso(at10('2026-11-24')) },
  });
  const waiting = () => [submitted(call), accepted, panelLimit('2026-12-31')];
  const closing = { type: 'RecordCallClose' as const, callId: call.callId, closesAt: CLOSED, closedEarly: true };
  const system = (callCloseRecount?: ReturnType<typeof count>): ApplicationActionContext => ({ actor: SYSTEM_ACTOR, now: at10('2026-12-04') + 60_000, ...(callCloseRecount ? { callCloseRecount } : {}) });

  it('closed early: a waiting application counts its panel limit from the day the call closed, and keeps the actual close', () => {
    const history = waiting();
    const state = foldApplication(history);
    expect(state.status).toBe('panel-review');
    // What the driver asks the calendar to count: the same 20 working days, from the close's day.
    expect(panelLimitRecountOnClose(state, closing)).toEqual({ startedOn: '2026-12-04', workingDays: 20 });
    const outcome = given(history).when(closing, system(count('2026-12-04')));
    expect(outcome.events()).toEqual([
      { type: 'CallCloseRecorded', data: { callId: call.callId, closesAt: CLOSED, previousClosesAt: PLANNED, closedEarly: true, limit: { previous: count('2026-12-31'), current: count('2026-12-04') }, at: iso(at10('2026-12-04') + 60_000) } },
    ]);
    const after = outcome.state();
    expect(after.call?.closesAt).toBe(CLOSED);
    expect(after.timeLimit).toMatchObject({ ...count('2026-12-04'), promisedWorkingDays: 20 });
    expect(after.timeLimit!.lastWorkingDay < count('2026-12-31').lastWorkingDay).toBe(true);
  });

  it('changed while open: a later close moves the limit later, so the panel is not due before the call has closed', () => {
    // The office extends the call to Fri 26 Feb 2027: 20 working days from 31 Dec would end before it.
    const extended = { type: 'RecordCallClose' as const, callId: call.callId, closesAt: iso(startOfShanghaiDay(d('2027-02-26')) + 17 * 3600_000), closedEarly: false };
    const state = foldApplication(waiting());
    expect(count('2026-12-31').lastWorkingDay < '2027-02-26').toBe(true);
    expect(panelLimitRecountOnClose(state, extended)).toEqual({ startedOn: '2027-02-26', workingDays: 20 });
    const events = given(waiting()).when(extended, system(count('2027-02-26'))).events();
    expect(events).toEqual([{ type: 'CallCloseRecorded', data: expect.objectContaining({ closesAt: extended.closesAt, previousClosesAt: PLANNED, closedEarly: false, limit: { previous: count('2026-12-31'), current: count('2027-02-26') } }) }]);
    // The same day at another hour moves nothing but the close.
    const sameDay = { ...extended, closesAt: iso(startOfShanghaiDay(d('2026-12-31')) + 12 * 3600_000) };
    expect(panelLimitRecountOnClose(state, sameDay)).toBeUndefined();
    expect(given(waiting()).when(sameDay, system()).events()[0]!.data).not.toHaveProperty('limit');
    // A limit counted from the day the application itself reached the panel stays as it is.
    expect(panelLimitRecountOnClose(foldApplication([submitted(call), accepted, panelLimit('2026-12-02')]), extended)).toBeUndefined();
  });

  it('an application not yet at the panel keeps the close only; a breached limit and a repeated delivery are not counted again', () => {
    const inCheck = [submitted(call)];
    expect(panelLimitRecountOnClose(foldApplication(inCheck), closing)).toBeUndefined();
    expect(given(inCheck).when(closing, system()).events()).toEqual([{ type: 'CallCloseRecorded', data: { callId: call.callId, closesAt: CLOSED, previousClosesAt: PLANNED, closedEarly: true, at: iso(at10('2026-12-04') + 60_000) } }]);
    const breached: ApplicationEvent = { type: 'TimeLimitBreached', data: { step: 'panel-review', department: 'huangpu', workingDays: 20, lastWorkingDay: d('2026-12-31'), deadlineAt: count('2026-12-31').deadlineAt, at: iso(at10('2026-12-04')) } };
    expect(panelLimitRecountOnClose(foldApplication([...waiting(), breached]), closing)).toBeUndefined();
    // Delivered again after it was recorded: the case already has that close.
    const recorded = [...waiting(), ...given(waiting()).when(closing, system(count('2026-12-04'))).events()];
    expect(panelLimitRecountOnClose(foldApplication(recorded), closing)).toBeUndefined();
    expect(given(recorded).when(closing, system()).events()).toEqual([]);
  });

  it('only the system records it, and only for the case’s own call', () => {
    given(waiting()).when(closing, { actor: huangpuDirector, now: at10('2026-12-04') }).thenThrows('forbidden', '由系统');
    given(waiting()).when({ ...closing, callId: 'another-call' }, system()).thenThrows('illegal-state', '不属于批次 another-call');
  });
});
