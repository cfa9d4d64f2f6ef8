import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../domain/cases/actor.js';
import type { AwardForPublicity, PublicityCommand, PublicityContext } from '../../../domain/publicity/commands.js';
import {
  CLOSED_WITH_AWARD_ANSWER,
  decidePublicity,
  decidePublicityStart,
  decidePublicityTimeElapsed,
  decidePublicityWindowRecomputed,
  nextPublicityThreshold,
  objectionUnavailable,
  publicityNextStep,
  publicityRecount,
} from '../../../domain/publicity/decide.js';
import type { PublicityEvent } from '../../../domain/publicity/events.js';
import { foldPublicity, initialPublicityState, pendingObjections, publicEntry } from '../../../domain/publicity/state.js';
import { publicityWindow, type PublicityWindow } from '../../../domain/publicity/window.js';
import { parseLocalDate, startOfShanghaiDay } from '../../../domain/time/local-date.js';
import { createWorkingDayCalendar } from '../../../domain/time/working-days.js';
import { outcome } from '../../support/decider-spec.js';

const d = parseLocalDate;
const iso = (ms: number) => new Date(ms).toISOString();
/** hh:00 Shanghai on a date. */
const at = (date: string, hour = 10) => startOfShanghaiDay(d(date)) + hour * 3_600_000;

const official: Actor = { accountId: 'acct-hp-office', displayName: '黄浦项目办', role: 'official', department: 'huangpu' };
const xuhuiOfficial: Actor = { accountId: 'acct-xh', displayName: '徐汇工作人员', role: 'official', department: 'xuhui' };
const citizen: Actor = { accountId: 'acct-citizen', displayName: '市民甲', role: 'applicant' };
const auditor: Actor = { accountId: 'acct-audit', displayName: '赵审计', role: 'auditor' };
const ref = (a: Actor) => ({ accountId: a.accountId, displayName: a.displayName });

// Thu 3 Dec 2026, with Mon 7 Dec a day off: 3, 4, (5, 6, 7), 8, 9, 10 → ends 24:00 Thu 10 Dec.
const calendar = createWorkingDayCalendar([{ year: 2026, holidays: [d('2026-12-07')], makeUpWorkdays: [] }]);
const WINDOW: PublicityWindow = publicityWindow(calendar, d('2026-12-03'));
const END = Date.parse(WINDOW.endsAt);
const PUBLISHED_AT = at('2026-12-03', 9);

const AWARD: AwardForPublicity = {
  caseId: 'case-1',
  referenceNo: 'AP-2026-000001',
  callId: 'call-hp-2026-2',
  programme: { id: 'huangpu-creator-reward', name: '黄浦区优秀创作者奖励' },
  department: 'huangpu',
  recipient: { kind: 'person', name: '欧阳娜娜' },
  amountFen: 5_000_000,
};

const started: PublicityEvent = {
  type: 'PublicityStarted',
  data: { ...AWARD, publicName: '欧阳**', window: WINDOW, startedAt: iso(PUBLISHED_AT) },
};
const lodged = (objectionId: string, lodgedAt = at('2026-12-04')): PublicityEvent => ({
  type: 'ObjectionLodged',
  data: { objectionId, reasons: '该作品涉嫌抄袭', contactRef: null, lodgedBy: null, lodgedAt: iso(lodgedAt) },
});
const dismissed = (objectionId: string, answeredAt = at('2026-12-08')): PublicityEvent => ({
  type: 'ObjectionDismissed',
  data: { objectionId, by: ref(official), answer: '经核查，作品为原创，异议不成立。', answeredAt: iso(answeredAt) },
});

function given(history: readonly PublicityEvent[]) {
  const state = foldPublicity(history);
  return {
    state,
    when: (command: PublicityCommand, context: PublicityContext) => outcome(() => decidePublicity(command, state, context)),
    whenTimeIs: (now: number) => outcome(() => decidePublicityTimeElapsed(state, now)),
  };
}

const lodge = (reasons = '该作品涉嫌抄袭', contact?: string): PublicityCommand => ({ type: 'LodgeObjection', reasons, ...(contact !== undefined ? { contact } : {}) });
const dismiss = (objectionId = 'obj-1'): PublicityCommand => ({ type: 'DismissObjection', objectionId, answer: '经核查，作品为原创，异议不成立。' });

describe('starting the 公示', () => {
  it('puts the award on the list with the recipient masked and the window of the day of publication', () => {
    expect(decidePublicityStart(initialPublicityState(), AWARD, WINDOW, PUBLISHED_AT)).toEqual([started]);
  });

  it('refuses a window not computed for today, and a second start', () => {
    expect(() => decidePublicityStart(initialPublicityState(), AWARD, WINDOW, at('2026-12-04'))).toThrow(expect.objectContaining({ code: 'internal-check-failed', english: expect.stringContaining('must be computed from today (2026-12-04)') }));
    expect(() => decidePublicityStart(foldPublicity([started]), AWARD, WINDOW, PUBLISHED_AT)).toThrow('案件 AP-2026-000001 已于 2026-12-03 开始公示，不能重复公示。');
  });

  it('shows on the public list: programme, masked name, amount in yuan, dates — and a company by its full name', () => {
    expect(publicEntry(foldPublicity([started]))).toEqual({
      caseId: 'case-1',
      referenceNo: 'AP-2026-000001',
      programme: '黄浦区优秀创作者奖励',
      recipient: '欧阳**',
      recipientKind: 'person',
      amountYuan: '50,000.00',
      publishedOn: '2026-12-03',
      lastWorkingDay: '2026-12-10',
      status: 'in-publicity',
      statusLabel: '公示中',
    });
    const company = decidePublicityStart(initialPublicityState(), { ...AWARD, recipient: { kind: 'company', name: '上海星河文化传媒有限公司' } }, WINDOW, PUBLISHED_AT);
    expect(publicEntry(foldPublicity(company))?.recipient).toBe('上海星河文化传媒有限公司');
    expect(publicEntry(initialPublicityState())).toBeUndefined();
  });

  it('sets the timer to 24:00 on the last working day', () => {
    expect(nextPublicityThreshold(foldPublicity([started]))).toBe(END);
    expect(iso(END)).toBe('2026-12-10T16:00:00.000Z');
  });
});

describe('异议: lodged by anyone during the 公示, with reasons', () => {
  it('records an objection from a member of the public without an account, and sends the award back to the department', () => {
    given([started]).when(lodge(' 该作品涉嫌抄袭 '), { now: at('2026-12-04'), objectionId: 'obj-1' }).then([lodged('obj-1')]);
    const state = foldPublicity([started, lodged('obj-1')]);
    expect(state.status).toBe('objection-pending');
    expect(publicityNextStep(state).waitingFor).toEqual({ role: 'official', department: 'huangpu', note: '黄浦区书面答复 1 件异议；答复前资助不能确定' });
    // Nothing happens at the end of the 公示 while the objection is unanswered.
    expect(nextPublicityThreshold(state)).toBeUndefined();
  });

  it('takes a second objection while the first awaits its answer', () => {
    const events = given([started, lodged('obj-1')]).when(lodge('获奖作品发布平台与申报不符'), { now: at('2026-12-09'), objectionId: 'obj-2' }).events();
    expect(events.map((e) => e.type)).toEqual(['ObjectionLodged']);
    expect(foldPublicity([started, lodged('obj-1'), ...events]).objections.map((o) => o.objectionId)).toEqual(['obj-1', 'obj-2']);
  });

  it('keeps only the vault reference of a contact, never the contact itself', () => {
    const events = given([started]).when(lodge('金额与公开信息不符', '13812345678'), { actor: citizen, now: at('2026-12-04'), objectionId: 'obj-1', contactRef: 'pd-ref-1' }).events();
    expect(events).toEqual([{ type: 'ObjectionLodged', data: { objectionId: 'obj-1', reasons: '金额与公开信息不符', contactRef: 'pd-ref-1', lodgedBy: ref(citizen), lodgedAt: iso(at('2026-12-04')) } }]);
    expect(JSON.stringify(events)).not.toContain('13812345678');
    given([started]).when(lodge('理由', '13812345678'), { now: at('2026-12-04'), objectionId: 'obj-1' }).thenThrows('illegal-state', 'personal-data vault');
  });

  it('may be lodged on the last day until 24:00, not after', () => {
    expect(given([started]).when(lodge(), { now: END - 1, objectionId: 'obj-1' }).events().map((e) => e.type)).toEqual(['ObjectionLodged']);
    given([started]).when(lodge(), { now: END, objectionId: 'obj-1' }).thenThrows('illegal-state', '公示期已于 2026-12-10 24:00 结束，不再受理异议。');
  });

  it('requires reasons, at most 1000 characters; a contact at most 100', () => {
    given([started]).when(lodge('   '), { now: at('2026-12-04'), objectionId: 'obj-1' }).thenThrows('validation', '异议理由不能为空。');
    given([started]).when(lodge('抄'.repeat(1001)), { now: at('2026-12-04'), objectionId: 'obj-1' }).thenThrows('validation', '异议理由不超过 1000 字，现为 1001 字。');
    expect(given([started]).when(lodge('抄'.repeat(1000)), { now: at('2026-12-04'), objectionId: 'obj-1' }).events()).toHaveLength(1);
    given([started]).when(lodge('理由', '1'.repeat(101)), { now: at('2026-12-04'), objectionId: 'obj-1', contactRef: 'r' }).thenThrows('validation', '联系方式不超过 100 字');
  });

  it('is refused before the 公示 and after the award is withdrawn', () => {
    given([]).when(lodge(), { now: at('2026-12-04'), objectionId: 'obj-1' }).thenThrows('illegal-state', '该资助尚未公示，暂不受理异议。');
    const withdrawn = [started, lodged('obj-1'), upheldWithdraw('obj-1')];
    given(withdrawn).when(lodge(), { now: at('2026-12-09'), objectionId: 'obj-2' }).thenThrows('illegal-state', '该资助已因异议成立而撤销，不再受理异议。');
  });

  it('tells the public page why it cannot take one', () => {
    expect(objectionUnavailable(foldPublicity([started]), at('2026-12-04'))).toBeUndefined();
    expect(objectionUnavailable(foldPublicity([started]), END)).toBe('公示期已于 2026-12-10 24:00 结束，不再受理异议。');
  });
});

function upheldWithdraw(objectionId: string, answeredAt = at('2026-12-08')): PublicityEvent {
  return { type: 'ObjectionUpheld', data: { objectionId, by: ref(official), answer: '经核查，作品系抄袭，撤销资助。', remedy: { kind: 'withdraw' }, previousAmountFen: 5_000_000, answeredAt: iso(answeredAt) } };
}

describe('the department’s written answer', () => {
  const pending = [started, lodged('obj-1')];

  it('dismissed before the end: the award stands and the 公示 runs on to its end', () => {
    given(pending).when(dismiss(), { actor: official, now: at('2026-12-08') }).then([dismissed('obj-1')]);
    const state = foldPublicity([...pending, dismissed('obj-1')]);
    expect(state.status).toBe('in-publicity');
    expect(nextPublicityThreshold(state)).toBe(END);
  });

  it('upheld, withdrawn: the award is withdrawn and never becomes final', () => {
    given(pending)
      .when({ type: 'UpholdObjection', objectionId: 'obj-1', answer: '经核查，作品系抄袭，撤销资助。', remedy: { kind: 'withdraw' } }, { actor: official, now: at('2026-12-08') })
      .then([upheldWithdraw('obj-1')]);
    const state = foldPublicity([...pending, upheldWithdraw('obj-1')]);
    expect(state.status).toBe('withdrawn');
    expect(nextPublicityThreshold(state)).toBeUndefined();
    given([...pending, upheldWithdraw('obj-1')]).whenTimeIs(END + 86_400_000).then([]);
    expect(publicEntry(state)).toMatchObject({ status: 'withdrawn', statusLabel: '异议成立，资助撤销' });
  });

  it('upheld, changed: only to a lower amount', () => {
    const reduce = (amountFen: number): PublicityCommand => ({ type: 'UpholdObjection', objectionId: 'obj-1', answer: '实际制作成本低于申报，调减资助。', remedy: { kind: 'reduce', amountFen } });
    given(pending).when(reduce(5_000_000), { actor: official, now: at('2026-12-08') }).thenThrows('validation', '调整后的金额须低于现资助金额 50,000.00 元且大于零，现为 50,000.00 元');
    given(pending).when(reduce(6_000_000), { actor: official, now: at('2026-12-08') }).thenThrows('validation', '现为 60,000.00 元');
    given(pending).when(reduce(0), { actor: official, now: at('2026-12-08') }).thenThrows('validation', '如应全部取消，请选择撤销资助');
    const events = given(pending).when(reduce(3_000_000), { actor: official, now: at('2026-12-08') }).events();
    expect(events).toEqual([
      {
        type: 'ObjectionUpheld',
        data: { objectionId: 'obj-1', by: ref(official), answer: '实际制作成本低于申报，调减资助。', remedy: { kind: 'reduce', amountFen: 3_000_000 }, previousAmountFen: 5_000_000, answeredAt: iso(at('2026-12-08')) },
      },
    ]);
    const state = foldPublicity([...pending, ...events]);
    expect(publicEntry(state)?.amountYuan).toBe('30,000.00');
    // The lower amount becomes final at the end.
    given([...pending, ...events]).whenTimeIs(END).then([{ type: 'AwardFinalised', data: { amountFen: 3_000_000, finalisedAt: iso(END), finalisedOn: d('2026-12-11') } }]);
  });

  it('is given by an official of the award’s department, in writing, once', () => {
    given(pending).when(dismiss(), { actor: xuhuiOfficial, now: at('2026-12-08') }).thenThrows('forbidden', '异议由黄浦区工作人员书面答复。');
    given(pending).when(dismiss(), { now: at('2026-12-08') }).thenThrows('forbidden', '异议由黄浦区工作人员书面答复。');
    given(pending).when(dismiss(), { actor: auditor, now: at('2026-12-08') }).thenThrows('forbidden', '审计人员只能查看，不能答复异议。');
    given(pending).when({ type: 'DismissObjection', objectionId: 'obj-1', answer: ' ' }, { actor: official, now: at('2026-12-08') }).thenThrows('validation', '书面答复不能为空。');
    given(pending).when(dismiss('obj-9'), { actor: official, now: at('2026-12-08') }).thenThrows('not-found', '案件 AP-2026-000001 没有编号为 obj-9 的异议。');
    given([...pending, dismissed('obj-1')]).when(dismiss(), { actor: official, now: at('2026-12-09') }).thenThrows('illegal-state', '该异议已于 2026-12-08 10:00 答复（异议不成立），不能再次答复。');
  });
});

describe('finalisation: when the 公示 ends with no objection pending and none upheld to withdraw', () => {
  it('without objections, the award is final at 24:00 on the last working day, not a moment before', () => {
    given([started]).whenTimeIs(END - 1).then([]);
    given([started]).whenTimeIs(END).then([{ type: 'AwardFinalised', data: { amountFen: 5_000_000, finalisedAt: iso(END), finalisedOn: d('2026-12-11') } }]);
    const final = foldPublicity([started, { type: 'AwardFinalised', data: { amountFen: 5_000_000, finalisedAt: iso(END), finalisedOn: d('2026-12-11') } }]);
    expect(final.status).toBe('final');
    expect(nextPublicityThreshold(final)).toBeUndefined();
  });

  it('an objection still unanswered at the end holds finalisation until it is answered; the answer finalises at once', () => {
    const history = [started, lodged('obj-1', at('2026-12-10', 23))];
    given(history).whenTimeIs(END + 3_600_000).then([]);
    const later = at('2026-12-14');
    given(history)
      .when(dismiss(), { actor: official, now: later })
      .then([dismissed('obj-1', later), { type: 'AwardFinalised', data: { amountFen: 5_000_000, finalisedAt: iso(later), finalisedOn: d('2026-12-14') } }]);
  });

  it('with two objections, answering one after the end is not enough', () => {
    const history = [started, lodged('obj-1'), lodged('obj-2', at('2026-12-09'))];
    expect(given(history).when(dismiss('obj-1'), { actor: official, now: at('2026-12-14') }).events().map((e) => e.type)).toEqual(['ObjectionDismissed']);
    const both = [...history, dismissed('obj-1', at('2026-12-14'))];
    expect(given(both).when(dismiss('obj-2'), { actor: official, now: at('2026-12-15') }).events().map((e) => e.type)).toEqual(['ObjectionDismissed', 'AwardFinalised']);
  });

  it('an upheld withdrawal answers every other objection still waiting with it: none is left unanswered when the case ends', () => {
    const history = [started, lodged('obj-1'), lodged('obj-2'), lodged('obj-3'), dismissed('obj-3', at('2026-12-07'))];
    const events = given(history)
      .when({ type: 'UpholdObjection', objectionId: 'obj-1', answer: '经核查，作品系抄袭，撤销资助。', remedy: { kind: 'withdraw' } }, { actor: official, now: at('2026-12-08') })
      .events();
    expect(events).toEqual([
      upheldWithdraw('obj-1'),
      { type: 'ObjectionClosedWithAward', data: { objectionId: 'obj-2', upheldObjectionId: 'obj-1', by: ref(official), answer: CLOSED_WITH_AWARD_ANSWER, answeredAt: iso(at('2026-12-08')) } },
    ]);
    const state = foldPublicity([...history, ...events]);
    expect(state.status).toBe('withdrawn');
    expect(pendingObjections(state)).toEqual([]);
    expect(state.objections.map((o) => o.answer?.outcome)).toEqual(['upheld', 'closed-with-award', 'dismissed']);
  });

  it('an upheld withdrawal recorded before, with another objection still pending: that one can still be answered, and nothing becomes final', () => {
    const history = [started, lodged('obj-1'), lodged('obj-2'), upheldWithdraw('obj-1')];
    expect(given(history).when(dismiss('obj-2'), { actor: official, now: at('2026-12-14') }).events().map((e) => e.type)).toEqual(['ObjectionDismissed']);
    given(history)
      .when({ type: 'UpholdObjection', objectionId: 'obj-2', answer: '调减', remedy: { kind: 'reduce', amountFen: 100 } }, { actor: official, now: at('2026-12-14') })
      .thenThrows('illegal-state', '该资助已因异议成立而撤销，不能再调整金额。');
  });
});

describe('a 公示 counted on weekends only is counted again once its year is loaded', () => {
  // Published Wed 30 Dec 2026: the window runs into 2027, whose arrangement is not loaded — provisional.
  const only2026 = createWorkingDayCalendar([{ year: 2026, holidays: [], makeUpWorkdays: [] }]);
  const provisional = publicityWindow(only2026, d('2026-12-30'));
  const startedLate: PublicityEvent = { type: 'PublicityStarted', data: { ...AWARD, publicName: '欧阳**', window: provisional, startedAt: iso(at('2026-12-30', 9)) } };
  // 2027 loaded with Fri 1 Jan and Mon 4 Jan off: the same five working days end later.
  const loaded = createWorkingDayCalendar([
    { year: 2026, holidays: [], makeUpWorkdays: [] },
    { year: 2027, holidays: [d('2027-01-01'), d('2027-01-04')], makeUpWorkdays: [] },
  ]);
  const recounted = publicityWindow(loaded, d('2026-12-30'));
  const reason = { calendarYear: 2027, revision: 1 } as never;

  it('records the old and the new window, and the notice then ends on the new one', () => {
    expect(provisional.provisional).toBe(true);
    const state = foldPublicity([startedLate]);
    expect(publicityRecount(state)).toEqual({ publishedOn: '2026-12-30', workingDays: 5 });
    const events = decidePublicityWindowRecomputed(state, recounted, reason, at('2026-12-31'));
    expect(events).toEqual([{ type: 'PublicityWindowRecomputed', data: { previous: provisional, current: recounted, reason, at: iso(at('2026-12-31')) } }]);
    const after = foldPublicity([startedLate, ...events]);
    expect(after.window).toEqual(recounted);
    expect(recounted.lastWorkingDay > provisional.lastWorkingDay).toBe(true);
    expect(nextPublicityThreshold(after)).toBe(Date.parse(recounted.endsAt));
    // Counted once: a final window is not counted again.
    expect(publicityRecount(after)).toBeUndefined();
    expect(decidePublicityWindowRecomputed(after, recounted, reason, at('2027-01-02'))).toEqual([]);
  });

  it('leaves a final window and an unchanged count alone, and refuses a count of another window', () => {
    expect(decidePublicityWindowRecomputed(foldPublicity([started]), WINDOW, reason, at('2026-12-04'))).toEqual([]);
    const state = foldPublicity([startedLate]);
    expect(decidePublicityWindowRecomputed(state, provisional, reason, at('2026-12-31'))).toEqual([]);
    expect(() => decidePublicityWindowRecomputed(state, publicityWindow(loaded, d('2026-12-29')), reason, at('2026-12-31'))).toThrow(expect.objectContaining({ english: expect.stringContaining('recounted from 2026-12-30') }));
  });
});
