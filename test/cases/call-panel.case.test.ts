import { describe, expect, it } from 'vitest';
import { callCase, CALL_ACTIONS } from '../../cases/call.case.js';
import type { CaseLookups, DecisionSupport } from '../../cases/case-module.js';
import type { CallCommand } from '../../domain/calls/commands.js';
import type { CallEvent } from '../../domain/calls/events.js';
import type { NamedMemberAccount, PanelCandidateAnswer, PanelPrepared } from '../../domain/calls/panel.js';
import { foldCall, type CallState } from '../../domain/calls/state.js';
import type { Actor } from '../../domain/cases/actor.js';
import { CATALOGUE_VERSION } from '../../domain/programmes/catalogue.js';
import { DomainError } from '../../domain/errors.js';
import { applicationRecordsOf } from '../../domain/panels/application-record.js';
import type { PanelApplication, PanelEvent } from '../../domain/panels/events.js';
import { weightedTotal } from '../../domain/panels/scoring.js';
import { outcome } from '../support/decider-spec.js';

/**
 * The call's panel actions as the module takes them (cases/call.case.ts): given the call's events,
 * when an actor takes an action with what `prepare` looked up, then these events or this refusal.
 */
const NOW = Date.parse('2026-11-16T02:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const CALL_ID = 'b3c1c9a8-0000-4000-8000-000000000001';
const CASE_1 = 'b3c1c9a8-0000-4000-8000-00000000000a';
const CASE_2 = 'b3c1c9a8-0000-4000-8000-00000000000b';
const OTHER_CALL_CASE = 'b3c1c9a8-0000-4000-8000-00000000000c';

const official = (accountId: string, displayName: string, duty?: Actor['duty']): Actor => ({ accountId, displayName, role: 'official', department: 'huangpu', ...(duty ? { duty } : {}) });
const office = official('hp-office', '黄浦项目办');
const reviewerA = official('hp-rev-a', '甲评审');
const reviewerB = official('hp-rev-b', '乙评审');
const expertC: Actor = { accountId: 'exp-c', displayName: '丙专家', role: 'expert' };
const outsider: Actor = { accountId: 'exp-z', displayName: '局外专家', role: 'expert' };
const director = official('hp-director', '吴处长', 'director');
const auditor: Actor = { accountId: 'audit', displayName: '赵审计', role: 'auditor' };

const ACCOUNTS: NamedMemberAccount[] = [
  { accountId: reviewerA.accountId, displayName: reviewerA.displayName, role: 'official', department: 'huangpu', duties: ['reviewer'] },
  { accountId: reviewerB.accountId, displayName: reviewerB.displayName, role: 'official', department: 'huangpu', duties: ['reviewer'] },
  { accountId: expertC.accountId, displayName: expertC.displayName, role: 'expert', department: null, duties: [] },
  { accountId: office.accountId, displayName: office.displayName, role: 'official', department: 'huangpu', duties: ['approver'] },
];
const CRITERIA = [
  { id: 'content', name: '内容质量', weightPercent: 60, maxPoints: 100 },
  { id: 'reach', name: '传播影响', weightPercent: 40, maxPoints: 10 },
];
const sheet = (content: number, reach: number) => [
  { criterionId: 'content', points: content, comment: '选题扎实' },
  { criterionId: 'reach', points: reach, comment: '传播面广' },
];
const application = (caseId: string, n: number, amountFen: number): PanelApplication => ({ caseId, referenceNo: `AP-2026-00000${n}`, applicantName: `申请人${n}`, amountFen, submittedAt: `2026-10-0${n}T02:00:00.000Z` });
const A1 = application(CASE_1, 1, 30_000_000);
const A2 = application(CASE_2, 2, 50_000_000);

const ref = (a: Actor) => ({ accountId: a.accountId, displayName: a.displayName });
const opened: CallEvent = {
  type: 'CallOpened',
  data: {
    callId: CALL_ID,
    referenceNo: 'PC-2026-000001',
    programmeId: 'huangpu-quality-creator',
    programmeName: '黄浦优质创作者奖励',
    department: 'huangpu',
    catalogueVersion: '2026.1',
    title: '2026 年度黄浦优质创作者评选',
    opensAt: iso(NOW - 20 * 86_400_000),
    closesAt: iso(NOW - 86_400_000),
    budgetFen: 100_000_000,
    quota: 1,
    mode: 'competitive',
    publicityWorkingDays: 5,
    openedBy: ref(office),
    openedAt: iso(NOW - 30 * 86_400_000),
  },
};
const budgetApproved: CallEvent = { type: 'CallBudgetApproved', data: { budgetFen: 100_000_000, by: ref(director), approvedAt: iso(NOW - 25 * 86_400_000) } };
const ended: CallEvent = { type: 'CallEnded', data: { endedAt: iso(NOW - 86_400_000) } };
const named: PanelEvent = {
  type: 'PanelNamed',
  data: {
    callId: CALL_ID,
    department: 'huangpu',
    members: [
      { accountId: reviewerA.accountId, displayName: reviewerA.displayName, kind: 'official' },
      { accountId: reviewerB.accountId, displayName: reviewerB.displayName, kind: 'official' },
      { accountId: expertC.accountId, displayName: expertC.displayName, kind: 'expert' },
    ],
    criteria: CRITERIA,
    minScorers: 2,
    by: ref(office),
    namedAt: iso(NOW - 3_600_000),
  },
};
const referred = (a: PanelApplication): PanelEvent => ({ type: 'ApplicationReferred', data: { application: a, referredAt: iso(NOW - 3_000_000) } });
const scored = (member: Actor, caseId: string, content: number, reach: number): PanelEvent[] => [
  { type: 'NoConflictDeclared', data: { caseId, member: ref(member), declaredAt: iso(NOW - 2_000_000) } },
  { type: 'ScoreSubmitted', data: { caseId, member: ref(member), scores: sheet(content, reach), total: weightedTotal(CRITERIA, sheet(content, reach)), submittedAt: iso(NOW - 1_000_000) } },
];

function given(history: readonly CallEvent[]) {
  const state: CallState = foldCall(history);
  const when = (command: CallCommand, actor: Actor, panel: PanelPrepared = {}) =>
    outcome(() => {
      callCase.check(state, command, { actor, now: NOW, legacy: false });
      return callCase.decide(command, state, { actor, now: NOW, legacy: false, prepared: { panel } });
    });
  const availability = (name: string, actor: Actor) => CALL_ACTIONS.find((a) => a.name === name)!.availability(state, actor, NOW);
  return { state, when, availability };
}

const eligible = (a: PanelApplication): PanelCandidateAnswer => ({ eligible: true, application: a });
const scoredBoth = [...scored(reviewerA, CASE_1, 90, 9), ...scored(expertC, CASE_1, 80, 8), ...scored(reviewerA, CASE_2, 70, 7), ...scored(expertC, CASE_2, 60, 6)];
const closedAndScored: CallEvent[] = [opened, budgetApproved, named, referred(A1), referred(A2), ...scoredBoth, ended];

describe('naming the panel on a competitive call', () => {
  const command: CallCommand = { type: 'NamePanel', memberAccountIds: [reviewerA.accountId, reviewerB.accountId, expertC.accountId], criteria: CRITERIA, minScorers: 2 };

  it('once the budget is approved, an official of the department names officials with a reviewer duty and experts, each by the kind of their account', () => {
    const events = given([opened, budgetApproved]).when(command, office, { memberAccounts: ACCOUNTS }).events();
    expect(events).toEqual([{ ...named, data: { ...named.data, namedAt: iso(NOW) } }]);
  });

  it('refuses an account that is neither (the office’s approver), one not found, and a call whose budget is not approved', () => {
    given([opened, budgetApproved]).when({ ...command, memberAccountIds: [reviewerA.accountId, office.accountId] }, office, { memberAccounts: ACCOUNTS }).thenThrows('validation', '黄浦项目办 不是承担评审职责的工作人员');
    const missing = given([opened, budgetApproved]).when({ ...command, memberAccountIds: [reviewerA.accountId, 'nobody'] }, office, { memberAccounts: ACCOUNTS }).thenThrows('validation', '评审组成员第 2 位：找不到该账户');
    expect(missing.message).not.toContain('nobody');
    expect(missing.issues).toEqual([expect.objectContaining({ field: 'memberAccountIds.1', message: '找不到该账户（或已停用）' })]);
    given([opened]).when(command, office, { memberAccounts: ACCOUNTS }).thenThrows('illegal-state', '预算尚未批准');
  });

  it('names an account that exists but cannot serve by its name and kind, and tells every problem at once, each at its field', () => {
    // An outside tester named the applicant's account and read its raw id, and of three problems only two.
    const creator: NamedMemberAccount = { accountId: 'demo-applicant', displayName: '林创作', role: 'applicant', department: null, duties: [] };
    const applicantNamed = given([opened, budgetApproved]).when({ ...command, memberAccountIds: [reviewerA.accountId, creator.accountId] }, office, { memberAccounts: [...ACCOUNTS, creator] });
    applicantNamed.thenThrows('validation', '林创作（申请人账户）不是评审专家或承担评审职责的工作人员，不能担任评审。');
    expect(applicantNamed.thenThrows('validation').message).not.toContain('demo-applicant');

    const several = given([opened, budgetApproved])
      .when({ ...command, memberAccountIds: [creator.accountId, office.accountId, 'nobody'], minScorers: 5 }, office, { memberAccounts: [...ACCOUNTS, creator] })
      .thenThrows('validation', '请修改以下 4 处', '评审组至少 5 人', '林创作（申请人账户）', '黄浦项目办 不是承担评审职责的工作人员', '评审组成员第 3 位：找不到该账户');
    expect(several.issues.map((i) => i.field)).toEqual(['minScorers', 'memberAccountIds.0', 'memberAccountIds.1', 'memberAccountIds.2']);
    expect(several.issues[0]).toMatchObject({ message: '不能多于评审组人数（3 人）' });
  });

  it('a first-come call has no panel; an expert or an auditor names none', () => {
    const firstCome: CallEvent = { ...opened, data: { ...opened.data, mode: 'first-come' } } as CallEvent;
    given([firstCome, budgetApproved]).when(command, office, { memberAccounts: ACCOUNTS }).thenThrows('illegal-state', '先到先审的申报批次逐案审批，不设评审组。');
    given([opened, budgetApproved]).when(command, expertC, { memberAccounts: ACCOUNTS }).thenThrows('forbidden', '组建评审组由黄浦区工作人员办理。');
    given([opened, budgetApproved]).when(command, auditor, { memberAccounts: ACCOUNTS }).thenThrows('forbidden');
    expect(given([opened, budgetApproved]).availability('name-panel', expertC)).toBe('组建评审组由黄浦区工作人员办理。');
    expect(given([opened, budgetApproved]).availability('name-panel', office)).toBeUndefined();
  });
});

describe('an application enters the panel when a member first touches it', () => {
  const scoring = [opened, budgetApproved, named];

  it('records ApplicationReferred (by the system) before the member’s declaration', () => {
    const events = given(scoring).when({ type: 'DeclareConflict', caseId: CASE_1, reason: '曾为申请人提供咨询' }, reviewerB, { candidate: eligible(A1) }).events();
    expect(events).toEqual([
      { type: 'ApplicationReferred', data: { application: A1, referredAt: iso(NOW) } },
      { type: 'ConflictDeclared', data: { caseId: CASE_1, member: ref(reviewerB), reason: '曾为申请人提供咨询', declaredAt: iso(NOW), voidsScore: false } },
    ]);
  });

  it('refuses an application of another call or not yet waiting for the panel, as the look-up says', () => {
    given(scoring)
      .when({ type: 'DeclareNoConflict', caseId: OTHER_CALL_CASE }, reviewerA, { candidate: { eligible: false, kind: 'not-found', refusal: '申请 AP-9 不是本批次的申请，不能由本批次评审组评审。' } })
      .thenThrows('not-found', '不是本批次的申请');
    given(scoring)
      .when({ type: 'DeclareNoConflict', caseId: CASE_1 }, reviewerA, { candidate: { eligible: false, kind: 'illegal-state', refusal: '申请 AP-1 目前为“材料审查”，尚未进入评审' } })
      .thenThrows('illegal-state', '尚未进入评审');
  });

  it('an already referred application is not looked up again; only members act on it', () => {
    const history = [...scoring, referred(A1)];
    expect(given(history).when({ type: 'DeclareNoConflict', caseId: CASE_1 }, reviewerA).events().map((e) => e.type)).toEqual(['NoConflictDeclared']);
    given(history).when({ type: 'DeclareNoConflict', caseId: CASE_1 }, outsider).thenThrows('forbidden', '您不是本批次评审组成员');
    expect(given(history).availability('submit-score', outsider)).toBe('您不是本批次评审组成员，不能打分。');
  });

  it('a conflicted member is excluded from the application: no score from them', () => {
    const history = [...scoring, referred(A1), { type: 'ConflictDeclared', data: { caseId: CASE_1, member: ref(reviewerB), reason: '亲属', declaredAt: iso(NOW), voidsScore: false } } as PanelEvent];
    given(history).when({ type: 'SubmitScore', caseId: CASE_1, scores: sheet(90, 9) }, reviewerB).thenThrows('illegal-state', '您已就案件 AP-2026-000001 回避，不能为其打分。');
  });
});

describe('proposing the list, once the call is closed, within the quota and the budget remaining', () => {
  it('is refused while the call still takes applications', () => {
    const open = [opened, budgetApproved, named, referred(A1), referred(A2), ...scoredBoth];
    given(open).when({ type: 'ProposeList' }, office, { remainingFen: 100_000_000, budgetApproved: true, candidates: [], listId: 'list-1' }).thenThrows('illegal-state', '申报截止');
  });

  it('ranks and fits the list to the call’s quota (1) and what remains of the budget', () => {
    const [event] = given(closedAndScored).when({ type: 'ProposeList' }, office, { remainingFen: 40_000_000, budgetApproved: true, candidates: [A1, A2], listId: 'list-1' }).events();
    expect(event).toMatchObject({
      type: 'ListProposed',
      data: { listId: 'list-1', quota: 1, budgetFen: 40_000_000, proposed: [{ caseId: CASE_1, rank: 1, amountFen: 30_000_000 }], passedOver: [{ caseId: CASE_2, rank: 2, reason: 'quota-full' }], totalFen: 30_000_000 },
    });
  });

  it('passes over an application for the item of one ranked above it (its name typed otherwise), naming that one; a look-up recorded without items compares none', () => {
    const item = (itemId: string, applicantAccountId: string) => ({ item: { itemId, applicantAccountId } });
    // A call of a measure that funds an event once (黄浦节展赛事项目补贴).
    const eventCall = [{ ...opened, data: { ...opened.data, programmeId: 'huangpu-event-subsidy', catalogueVersion: CATALOGUE_VERSION } } as CallEvent, ...closedAndScored.slice(1)];
    const withItems = [{ ...A1, ...item('event-2026上海国际短视频节', 'acct-1') }, { ...A2, ...item('event-2026 上海国际短视频节', 'acct-2') }];
    const [event] = given(eventCall).when({ type: 'ProposeList' }, office, { remainingFen: 100_000_000, budgetApproved: true, candidates: withItems, listId: 'list-1' }).events();
    expect(event).toMatchObject({
      type: 'ListProposed',
      data: { proposed: [{ caseId: CASE_1, rank: 1 }], passedOver: [{ caseId: CASE_2, rank: 2, reason: 'same-item', sameItemAs: { caseId: CASE_1, referenceNo: A1.referenceNo, rank: 1, rule: 'funded-once' } }] },
    });
    // Items of their own: the second is passed over for the quota only, as in a look-up recorded before items were compared.
    const apart = [{ ...A1, ...item('event-甲', 'acct-1') }, { ...A2, ...item('event-乙', 'acct-2') }];
    const [separate] = given(eventCall).when({ type: 'ProposeList' }, office, { remainingFen: 100_000_000, budgetApproved: true, candidates: apart, listId: 'list-1' }).events();
    expect(separate).toMatchObject({ data: { passedOver: [{ caseId: CASE_2, reason: 'quota-full' }] } });
  });

  it('is refused while an application of the call waits for the panel untouched, naming it', () => {
    const A3 = application('b3c1c9a8-0000-4000-8000-00000000000d', 3, 1_000_000);
    given(closedAndScored).when({ type: 'ProposeList' }, office, { remainingFen: 40_000_000, budgetApproved: true, candidates: [A1, A2, A3], listId: 'list-1' }).thenThrows('illegal-state', 'AP-2026-000003（申请人3）');
  });

  it('is refused without the budget looked up', () => {
    given(closedAndScored).when({ type: 'ProposeList' }, office, {}).thenThrows('illegal-state', '预算余额');
  });
});

describe('the director approves the list as one batch; every ranked application records it', () => {
  const proposed = () => {
    const events = given(closedAndScored).when({ type: 'ProposeList' }, office, { remainingFen: 40_000_000, budgetApproved: true, candidates: [A1, A2], listId: 'list-1' }).events();
    return [...closedAndScored, ...events];
  };

  it('not by the proposer, not by a panel member, only by a director of the department', () => {
    given(proposed()).when({ type: 'ApproveBatch' }, office, {}).thenThrows('forbidden', '拟资助名单由黄浦区处长审批。');
    given(proposed()).when({ type: 'ApproveBatch' }, reviewerA, {}).thenThrows('forbidden');
    expect(given(proposed()).availability('approve-batch', director)).toBeUndefined();
  });

  it('records BatchApproved; the records for the selected and the passed-over application follow from it', () => {
    const history = proposed();
    const [approved] = given(history).when({ type: 'ApproveBatch' }, director, {}).events();
    expect(approved).toMatchObject({ type: 'BatchApproved', data: { listId: 'list-1', by: ref(director), approvedOn: '2026-11-16', totalFen: 30_000_000 } });
    const after = foldCall([...history, approved!]);
    expect(after.panel.status).toBe('approved');
    expect(callCase.isTerminal(after)).toBe(true);
    const records = applicationRecordsOf(after.panel, approved as PanelEvent);
    expect(records.map((r) => [r.caseId, r.events.map((e) => e.type)])).toEqual([
      [CASE_1, ['PanelReviewRecorded', 'BatchDecisionRecorded']],
      [CASE_2, ['PanelReviewRecorded', 'BatchDecisionRecorded']],
    ]);
    expect(records[1]!.events[1]!.data).toMatchObject({ decision: 'not-selected', reason: '排名第 2 位（共 2 位），资助名额已满，未入选。' });
  });

  it('a returned list goes back to scoring, with the reasons', () => {
    const [returned] = given(proposed()).when({ type: 'ReturnList', reasons: ['请复核第 2 名的评分'] }, director, {}).events();
    expect(returned).toMatchObject({ type: 'ListReturned', data: { listId: 'list-1', reasons: ['请复核第 2 名的评分'] } });
    expect(foldCall([...proposed(), returned!]).panel.status).toBe('scoring');
  });
});

describe('the call workflow’s life with a panel', () => {
  it('a competitive call is not done when it closes, only once its batch is approved; a first-come call is', () => {
    expect(callCase.isTerminal(foldCall([opened, budgetApproved, ended]))).toBe(false);
    const firstCome: CallEvent = { ...opened, data: { ...opened.data, mode: 'first-come' } } as CallEvent;
    expect(callCase.isTerminal(foldCall([firstCome, budgetApproved, ended]))).toBe(true);
  });

  it('after BatchApproved, afterRecorded delivers each ranked application its records; other events ask nothing', async () => {
    const calls: unknown[] = [];
    const ask = { caseId: CALL_ID, lookups: { deliverBatchDecision: async (input: unknown) => void calls.push(input) } as unknown as CaseLookups, now: () => NOW, uuid: () => 'u', patched: () => true } satisfies DecisionSupport;
    const history = [...closedAndScored];
    const proposedEvents = given(history).when({ type: 'ProposeList' }, office, { remainingFen: 40_000_000, budgetApproved: true, candidates: [A1, A2], listId: 'list-1' }).events();
    await callCase.afterRecorded!(proposedEvents, foldCall([...history, ...proposedEvents]), ask);
    expect(calls).toEqual([]);
    const approved = given([...history, ...proposedEvents]).when({ type: 'ApproveBatch' }, director, {}).events();
    const after = foldCall([...history, ...proposedEvents, ...approved]);
    await callCase.afterRecorded!(approved, after, ask);
    expect(calls).toEqual([{ callId: CALL_ID, batchId: 'list-1', deliveries: applicationRecordsOf(after.panel, approved[0] as PanelEvent).map((r) => ({ caseId: r.caseId, records: r.events })) }]);
  });

  it('the read model names the members and the referred applications (what the access rule reads), and who acts next', () => {
    const model = callCase.readModel!(foldCall(closedAndScored));
    expect(model.details).toMatchObject({ panel: { status: 'scoring', memberAccountIds: [reviewerA.accountId, reviewerB.accountId, expertC.accountId], referredCaseIds: [CASE_1, CASE_2] } });
    expect(model.waitingFor).toMatchObject({ role: 'official', department: 'huangpu' });
    expect(model.statusLabel).toBe('申报期已结束，评审打分中');
  });

  it('the ranking says, per application, who may still score it and who recused from it: what an expert, who may not read the events, tells scored from recused by', () => {
    const recusal: PanelEvent = { type: 'ConflictDeclared', data: { caseId: CASE_1, member: ref(reviewerB), reason: '曾为该公司提供咨询', declaredAt: iso(NOW - 500_000), voidsScore: false } };
    const ranking = (callCase.readModel!(foldCall([...closedAndScored, recusal])).details as { panel: { ranking: { caseId: string; awaiting: string[]; recused: string[] }[] } }).panel.ranking;
    const row = (caseId: string) => ranking.find((r) => r.caseId === caseId)!;
    // 甲评审 and 丙专家 scored both; 乙评审 recused from the first and has not touched the second.
    expect(row(CASE_1)).toMatchObject({ awaiting: [], recused: ['乙评审'] });
    expect(row(CASE_2)).toMatchObject({ awaiting: ['乙评审'], recused: [] });
  });

  it('ranks only applications with the valid scores the panel needs: one short of them reads 暂不排名 with no number, in the ranking, the overview and above 提出拟资助名单', () => {
    // #1 scored 95 by one member of the two needed; #2 by two: #2 is 1st, #1 has no place yet.
    const history: CallEvent[] = [opened, budgetApproved, named, referred(A1), referred(A2), ...scored(reviewerA, CASE_1, 95, 10), ...scored(reviewerA, CASE_2, 70, 7), ...scored(expertC, CASE_2, 60, 6), ended];
    const model = callCase.readModel!(foldCall(history));
    const ranking = (model.details as { panel: { ranking: { referenceNo: string; rank: number | null; rankable: boolean }[] } }).panel.ranking;
    expect(ranking.map((r) => [r.referenceNo, r.rank, r.rankable])).toEqual([
      ['AP-2026-000002', 1, true],
      ['AP-2026-000001', null, false],
    ]);
    const overview = (callCase.view!({ ...model, details: model.details } as never) as { overview: { label: string; value: string }[] }).overview;
    const line = overview.find((l) => l.label === '当前排名')!.value;
    expect(line).toMatch(/^1\. AP-2026-000002 /);
    expect(line).toContain('AP-2026-000001 暂不排名（待评分：1 人有效打分，须 2 人）');
    expect(line).not.toMatch(/\d\. AP-2026-000001/);
    const explain = CALL_ACTIONS.find((a) => a.name === 'propose-list')!.explain!(foldCall(history));
    expect(explain).toContain('以下申请有效打分不足 2 人，暂不排名，须待评分后才能提出名单：AP-2026-000001（1 人有效打分）');
    expect(CALL_ACTIONS.find((a) => a.name === 'propose-list')!.explain!(foldCall(closedAndScored))).not.toContain('暂不排名');
  });

  it('a refusal is a DomainError the API maps to a status', () => {
    expect(() => callCase.check(foldCall([opened, budgetApproved, named]), { type: 'ApproveBatch' }, { actor: director, now: NOW, legacy: false })).toThrow(DomainError);
  });
});
