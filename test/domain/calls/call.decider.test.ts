import { describe, expect, it } from 'vitest';
import type { CallCommand, OpenCall } from '../../../domain/calls/commands.js';
import { callAcceptsApplicationsAt, decideCall, decideCallOpening, decideCallTimeElapsed, nextCallThreshold } from '../../../domain/calls/decide.js';
import type { CallEvent } from '../../../domain/calls/events.js';
import { formatShanghaiMinute, parseShanghaiDateTime } from '../../../domain/calls/shanghai-time.js';
import { foldCall, isCallTerminal } from '../../../domain/calls/state.js';
import { callLimitOnArrival, callStepOf } from '../../../domain/calls/time-limits.js';
import type { Actor } from '../../../domain/cases/actor.js';
import { CATALOGUE_VERSION } from '../../../domain/programmes/catalogue.js';
import { outcome } from '../../support/decider-spec.js';
import { cacReviewer, fundReviewer } from '../../support/actors.js';
import { yangpuApprover, yangpuDirector, yangpuReviewer } from '../../support/applications.js';

const at = (text: string) => parseShanghaiDateTime(text);
const OPENS = '2026-09-20T09:00';
const CLOSES = '2026-10-31T17:00';
const BEFORE = at('2026-09-01T10:00');
const TITLE = '2026 年度杨浦优质内容评选';

const openCall = (overrides: Partial<OpenCall> = {}): OpenCall => ({
  type: 'OpenCall',
  callId: 'call-1',
  referenceNo: 'PC-2026-000001',
  programmeId: 'yangpu-content-award',
  catalogueVersion: CATALOGUE_VERSION,
  title: TITLE,
  opensAt: at(OPENS),
  closesAt: at(CLOSES),
  budgetFen: 500_000_000,
  quota: 20,
  mode: 'competitive',
  ...overrides,
});

const opened = (): CallEvent[] => decideCallOpening(openCall(), { actor: yangpuReviewer, now: BEFORE });
const ref = (a: Actor) => ({ accountId: a.accountId, displayName: a.displayName });

/** Given these events, when this command by this actor at this instant, then … */
function given(history: readonly CallEvent[]) {
  const state = foldCall(history);
  return {
    state,
    when: (command: CallCommand, actor: Actor, now = BEFORE, committedFen?: number) => outcome(() => decideCall(command, state, { actor, now, ...(committedFen === undefined ? {} : { committedFen }) })),
    whenTimeIs: (now: number) => outcome(() => decideCallTimeElapsed(state, now)),
  };
}

const approved = (): CallEvent[] => [...opened(), ...decideCall({ type: 'ApproveCallBudget' }, foldCall(opened()), { actor: yangpuApprover, now: BEFORE })];

describe('opening a call', () => {
  it('records the call as a draft whose budget awaits approval, with the default 公示 of 5 working days', () => {
    const [event] = opened();
    expect(event).toEqual({
      type: 'CallOpened',
      data: {
        callId: 'call-1',
        referenceNo: 'PC-2026-000001',
        programmeId: 'yangpu-content-award',
        programmeName: '杨浦优质内容年度奖励',
        department: 'yangpu-investment',
        catalogueVersion: CATALOGUE_VERSION,
        title: TITLE,
        opensAt: '2026-09-20T01:00:00.000Z',
        closesAt: '2026-10-31T09:00:00.000Z',
        budgetFen: 500_000_000,
        quota: 20,
        mode: 'competitive',
        publicityWorkingDays: 5,
        openedBy: ref(yangpuReviewer),
        openedAt: new Date(BEFORE).toISOString(),
      },
    });
    const state = foldCall(opened());
    expect(state.status).toBe('draft');
    expect(state.budgetApproved).toBe(false);
  });

  it('is refused for a continuous service, for another department, for a programme not in the catalogue', () => {
    outcome(() => decideCallOpening(openCall({ programmeId: 'hu9-starlight' }), { actor: cacReviewer, now: BEFORE })).thenThrows('validation', '星光计划', '不设申报批次');
    outcome(() => decideCallOpening(openCall(), { actor: fundReviewer, now: BEFORE })).thenThrows('forbidden', '杨浦区投促办');
    outcome(() => decideCallOpening(openCall({ programmeId: 'no-such' }), { actor: yangpuReviewer, now: BEFORE })).thenThrows('validation', 'no-such');
  });

  it('takes a loan programme (the 雏鹰 fund) as well as awards', () => {
    const [event] = decideCallOpening(openCall({ programmeId: 'chuying-loan', mode: 'first-come' }), { actor: fundReviewer, now: BEFORE });
    expect(event!.type).toBe('CallOpened');
  });

  it('is refused with dates in the wrong order, a close already past, no budget or a bad quota', () => {
    const actor = { actor: yangpuReviewer, now: BEFORE };
    outcome(() => decideCallOpening(openCall({ closesAt: at('2026-09-19T09:00') }), actor)).thenThrows('validation', '2026-09-20 09:00', '须早于截止时间', '2026-09-19 09:00');
    outcome(() => decideCallOpening(openCall({ opensAt: at('2026-08-01T09:00'), closesAt: at('2026-08-31T17:00') }), actor)).thenThrows('validation', '已过');
    outcome(() => decideCallOpening(openCall({ budgetFen: 0 }), actor)).thenThrows('validation', '预算');
    outcome(() => decideCallOpening(openCall({ quota: 0 }), actor)).thenThrows('validation', '名额');
    outcome(() => decideCallOpening(openCall({ publicityWorkingDays: 0 }), actor)).thenThrows('validation', '公示期');
  });
});

describe('approving the budget (four-eyes)', () => {
  it('is recorded when a second official of the department approves it', () => {
    given(opened())
      .when({ type: 'ApproveCallBudget' }, yangpuApprover)
      .then([{ type: 'CallBudgetApproved', data: { budgetFen: 500_000_000, by: ref(yangpuApprover), approvedAt: new Date(BEFORE).toISOString() } }]);
  });

  it('is refused to the official who opened the call, and to another department', () => {
    given(opened()).when({ type: 'ApproveCallBudget' }, yangpuReviewer).thenThrows('forbidden', '另一名工作人员', yangpuReviewer.displayName);
    given(opened()).when({ type: 'ApproveCallBudget' }, fundReviewer).thenThrows('forbidden', '杨浦区投促办');
  });

  it('is refused once approved', () => {
    given(approved()).when({ type: 'ApproveCallBudget' }, yangpuDirector).thenThrows('illegal-state', '已经批准');
  });
});

describe('changing a call', () => {
  it('a budget change needs approval again — and not by the official who changed it', () => {
    const events = given(approved()).when({ type: 'ChangeCall', budgetFen: 600_000_000 }, yangpuApprover, BEFORE, 0).events();
    expect(events).toEqual([{ type: 'CallChanged', data: { changes: { budgetFen: 600_000_000 }, by: ref(yangpuApprover), changedAt: new Date(BEFORE).toISOString(), budgetAwaitsApproval: true } }]);
    const after = given([...approved(), ...events]);
    expect(after.state.status).toBe('draft');
    expect(after.state.budgetApproved).toBe(false);
    after.when({ type: 'ApproveCallBudget' }, yangpuApprover).thenThrows('forbidden', '另一名工作人员');
    // The official who opened it may approve the change another made.
    expect(after.when({ type: 'ApproveCallBudget' }, yangpuReviewer).events()[0]!.type).toBe('CallBudgetApproved');
  });

  it('a change of title or quota keeps the approved budget', () => {
    const events = given(approved()).when({ type: 'ChangeCall', title: '2026 年度杨浦优质内容评选（第二批）', quota: null }, yangpuReviewer).events();
    expect(events[0]).toMatchObject({ type: 'CallChanged', data: { changes: { title: '2026 年度杨浦优质内容评选（第二批）', quota: null }, budgetAwaitsApproval: false } });
    const state = foldCall([...approved(), ...events]);
    expect(state).toMatchObject({ status: 'approved', budgetApproved: true, quota: null });
  });

  it('the budget may not drop below what is already committed', () => {
    given(approved()).when({ type: 'ChangeCall', budgetFen: 100_000_000 }, yangpuReviewer, at('2026-10-01T10:00'), 120_000_000).thenThrows('validation', '已核定 1,200,000.00 元', '1,000,000.00');
  });

  it('a close moved more than a year after the opening, or an opening more than a year off, is refused at its field; a history recorded before the bound replays', () => {
    given(approved()).when({ type: 'ChangeCall', closesAt: at('2127-01-01T09:00') }, yangpuReviewer).thenThrows('validation', '申报截止时间不能晚于开始时间后一年（2027-09-20 09:00）');
    given(approved()).when({ type: 'ChangeCall', opensAt: at('2027-09-02T09:00'), closesAt: at('2027-10-01T09:00') }, yangpuReviewer).thenThrows('validation', '申报开始时间不能晚于一年后（2027-09-01 10:00）');
    // A year to the minute is still a call.
    expect(given(approved()).when({ type: 'ChangeCall', closesAt: at('2027-09-20T09:00') }, yangpuReviewer).events()[0]!.type).toBe('CallChanged');
    const asked: string[] = [];
    const legacy = decideCall({ type: 'ChangeCall', closesAt: at('2127-01-01T09:00') }, foldCall(approved()), { actor: yangpuReviewer, now: BEFORE, patched: (id) => (asked.push(id), false) });
    expect(legacy[0]!.type).toBe('CallChanged');
    expect(asked).toEqual(['call-period-bounded']);
    // Asked only where it refuses: a change within the bound leaves no marker in the history.
    decideCall({ type: 'ChangeCall', closesAt: at('2026-11-30T17:00') }, foldCall(approved()), { actor: yangpuReviewer, now: BEFORE, patched: (id) => (asked.push(id), true) });
    expect(asked).toEqual(['call-period-bounded']);
  });

  it('the start may not move once applications have opened; nothing changed is refused', () => {
    given(approved()).when({ type: 'ChangeCall', opensAt: at('2026-09-25T09:00') }, yangpuReviewer, at('2026-10-01T10:00')).thenThrows('validation', '不能再修改开始时间');
    given(approved()).when({ type: 'ChangeCall', title: TITLE }, yangpuReviewer).thenThrows('validation', '没有修改');
  });
});

describe('closing and ending', () => {
  it('closing early records the reason; the call is over and takes nothing more', () => {
    const events = given(approved()).when({ type: 'CloseCall', reason: '预算已用完' }, yangpuDirector, at('2026-10-10T10:00')).events();
    expect(events).toEqual([{ type: 'CallClosed', data: { by: ref(yangpuDirector), reason: '预算已用完', closedAt: new Date(at('2026-10-10T10:00')).toISOString() } }]);
    const closed = given([...approved(), ...events]);
    expect(closed.state.status).toBe('closed');
    closed.when({ type: 'ChangeCall', title: 'x' }, yangpuReviewer).thenThrows('illegal-state', '已提前截止');
    expect(nextCallThreshold(closed.state)).toBeUndefined();
  });

  it('closed before it opened, a competitive call ends there: no panel step, no limit to run out', () => {
    // An outside tester closed a call the day after announcing it: it went on to a panel with nothing to review, whose 20 working days would run out.
    const [close] = given(approved()).when({ type: 'CloseCall', reason: '公告有误，撤回' }, yangpuDirector, at('2026-09-10T10:00')).events();
    expect(close).toEqual({ type: 'CallClosed', data: { by: ref(yangpuDirector), reason: '公告有误，撤回', closedAt: new Date(at('2026-09-10T10:00')).toISOString(), beforeOpening: true } });
    const withdrawn = foldCall([...approved(), close!]);
    expect(isCallTerminal(withdrawn)).toBe(true);
    expect(callStepOf(withdrawn)).toBeUndefined();
    expect(callLimitOnArrival(withdrawn)).toBeUndefined();
    // Closed once it has opened, the same call goes on to its panel, as before.
    const [later] = given(approved()).when({ type: 'CloseCall', reason: '预算已用完' }, yangpuDirector, at('2026-10-10T10:00')).events();
    const closedOpen = foldCall([...approved(), later!]);
    expect(isCallTerminal(closedOpen)).toBe(false);
    expect(callStepOf(closedOpen)).toBe('panel-review');
    // A close recorded before the change replays as it was recorded: unmarked, on to the panel.
    const legacy = decideCall({ type: 'CloseCall', reason: '公告有误，撤回' }, foldCall(approved()), { actor: yangpuDirector, now: at('2026-09-10T10:00'), legacy: true });
    expect(legacy[0]!.data).not.toHaveProperty('beforeOpening');
    expect(callStepOf(foldCall([...approved(), ...legacy]))).toBe('panel-review');
  });

  it('closed once open with no application open, a competitive call ends there too; with one, or unasked (histories before), it goes on to its panel', () => {
    // An outsider closed a call nobody had applied to: it waited for a panel, whose 20 working days would run out.
    const decide = (openApplications: number | undefined) =>
      decideCall({ type: 'CloseCall', reason: '无人申报' }, foldCall(approved()), { actor: yangpuDirector, now: at('2026-10-10T10:00'), ...(openApplications === undefined ? {} : { openApplications }) });
    const [empty] = decide(0);
    expect(empty!.data).toMatchObject({ noApplications: true });
    expect(empty!.data).not.toHaveProperty('beforeOpening');
    const ended = foldCall([...approved(), empty!]);
    expect(isCallTerminal(ended)).toBe(true);
    expect(callStepOf(ended)).toBeUndefined();
    expect(callLimitOnArrival(ended)).toBeUndefined();
    for (const waiting of [decide(2), decide(undefined)]) {
      expect(waiting[0]!.data).not.toHaveProperty('noApplications');
      const owes = foldCall([...approved(), ...waiting]);
      expect(isCallTerminal(owes)).toBe(false);
      expect(callStepOf(owes)).toBe('panel-review');
    }
  });

  it('ends when its close instant passes, not a moment before', () => {
    const g = given(approved());
    expect(nextCallThreshold(g.state)).toBe(at(CLOSES));
    g.whenTimeIs(at(CLOSES) - 1).then([]);
    g.whenTimeIs(at(CLOSES)).then([{ type: 'CallEnded', data: { endedAt: '2026-10-31T09:00:00.000Z' } }]);
  });

  it('ends at its planned close with no panel owed when the close found no application open; with one, or unasked (histories before), it goes on to its panel', () => {
    const state = foldCall(approved());
    const [empty] = decideCallTimeElapsed(state, at(CLOSES), 0);
    expect(empty).toEqual({ type: 'CallEnded', data: { endedAt: '2026-10-31T09:00:00.000Z', noApplications: true } });
    const ended = foldCall([...approved(), empty!]);
    expect(isCallTerminal(ended)).toBe(true);
    expect(callStepOf(ended)).toBeUndefined();
    expect(callLimitOnArrival(ended)).toBeUndefined();
    for (const waiting of [decideCallTimeElapsed(state, at(CLOSES), 1), decideCallTimeElapsed(state, at(CLOSES))]) {
      expect(waiting).toEqual([{ type: 'CallEnded', data: { endedAt: '2026-10-31T09:00:00.000Z' } }]);
      const owes = foldCall([...approved(), ...waiting]);
      expect(isCallTerminal(owes)).toBe(false);
      expect(callStepOf(owes)).toBe('panel-review');
    }
  });
});

describe('callAcceptsApplicationsAt', () => {
  const state = foldCall(approved());
  it('accepts from the open instant up to, not including, the close instant', () => {
    expect(callAcceptsApplicationsAt(state, at(OPENS))).toEqual({ accepts: true });
    expect(callAcceptsApplicationsAt(state, at(CLOSES) - 1)).toEqual({ accepts: true });
  });

  it('refuses outside the period, naming the call and its dates in Shanghai time', () => {
    const expected = `「${TITLE}」申报时间为 2026年9月20日 09:00 至 2026年10月31日 17:00（北京时间），现在不在申报期内`;
    expect(callAcceptsApplicationsAt(state, at(OPENS) - 1)).toEqual({ accepts: false, reason: expected });
    expect(callAcceptsApplicationsAt(state, at(CLOSES))).toEqual({ accepts: false, reason: expected });
  });

  it('refuses while the budget awaits approval, and once closed early', () => {
    expect(callAcceptsApplicationsAt(foldCall(opened()), at('2026-10-01T10:00'))).toMatchObject({ accepts: false, reason: expect.stringContaining('预算尚在审批中') });
    const closed = foldCall([...approved(), { type: 'CallClosed', data: { by: ref(yangpuDirector), reason: '预算已用完', closedAt: '2026-10-10T02:00:00.000Z' } }]);
    expect(callAcceptsApplicationsAt(closed, at('2026-10-11T10:00'))).toMatchObject({ accepts: false, reason: expect.stringContaining('提前截止（预算已用完）') });
  });
});

describe('Shanghai date-times', () => {
  it('are read as UTC+8 and written back the same', () => {
    expect(new Date(at('2026-10-10T00:30')).toISOString()).toBe('2026-10-09T16:30:00.000Z');
    expect(formatShanghaiMinute(at('2026-10-10 00:30'))).toBe('2026-10-10 00:30');
    expect(() => at('2026-02-30T09:00')).toThrow(RangeError);
    expect(() => at('2026-09-20T24:00')).toThrow(RangeError);
  });
});

describe('proposing the list waits for every application filed in time', () => {
  const NOW = at('2026-11-10T10:00');
  const member = { accountId: 'yp-expert-1', displayName: '甲专家', kind: 'expert' as const };
  const application = { caseId: 'app-1', referenceNo: 'AP-2026-000001', applicantName: '上海杨浦光影工作室', amountFen: 10_000_000, submittedAt: '2026-10-01T02:00:00.000Z' };
  const criteria = [{ id: 'quality', name: '内容质量', weightPercent: 100, maxPoints: 100 }];
  const scores = [{ criterionId: 'quality', points: 90, comment: '选题扎实' }];
  /** A competitive call closed early with one application at the panel, scored: 40 of the tester's 150. */
  const closedWithOneScored = (): CallEvent[] => [
    ...approved(),
    { type: 'PanelNamed', data: { callId: 'call-1', department: 'yangpu-investment', members: [member], criteria, minScorers: 1, by: ref(yangpuReviewer), namedAt: '2026-10-20T02:00:00.000Z' } },
    { type: 'ApplicationReferred', data: { application, referredAt: '2026-10-21T02:00:00.000Z' } },
    { type: 'NoConflictDeclared', data: { caseId: 'app-1', member: { accountId: member.accountId, displayName: member.displayName }, declaredAt: '2026-10-21T03:00:00.000Z' } },
    { type: 'ScoreSubmitted', data: { caseId: 'app-1', member: { accountId: member.accountId, displayName: member.displayName }, scores, total: 9000, submittedAt: '2026-10-21T04:00:00.000Z' } },
    { type: 'CallClosed', data: { by: ref(yangpuApprover), reason: '申报数量已满足评审需要', closedAt: '2026-10-22T02:00:00.000Z' } },
  ] as CallEvent[];
  const propose = (beforePanel?: { status: 'completeness-check' | 'awaiting-supplement' | 'compliance-review' | 'review'; count: number }[]) =>
    outcome(() =>
      decideCall({ type: 'ProposeList' }, foldCall(closedWithOneScored()), {
        actor: yangpuReviewer,
        now: NOW,
        panel: { remainingFen: 500_000_000, budgetApproved: true, candidates: [application], listId: 'list-1', withdrawalsChecked: true, ...(beforePanel ? { beforePanel } : {}) },
      }),
    );

  it('is refused while any is still before the panel, saying how many are at which step', () => {
    propose([
      { status: 'completeness-check', count: 108 },
      { status: 'compliance-review', count: 2 },
    ]).thenThrows('illegal-state', '尚有 110 件申请未审查完毕（材料审查 108 件、网信内容审查 2 件），审查完毕后才能拟定资助名单。');
    propose([{ status: 'awaiting-supplement', count: 1 }]).thenThrows('illegal-state', '尚有 1 件申请未审查完毕（待补正 1 件），审查完毕后才能拟定资助名单。');
  });

  it('is proposed once none is (those that left the call are at no step), and as before where the call never asked (histories before the change)', () => {
    expect(propose([]).events().map((e) => e.type)).toEqual(['ListProposed']);
    expect(propose().events().map((e) => e.type)).toEqual(['ListProposed']);
  });
});
