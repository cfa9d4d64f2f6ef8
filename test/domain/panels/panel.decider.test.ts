import { describe, expect, it } from 'vitest';
import { applicationRecordsOf } from '../../../domain/panels/application-record.js';
import { currentRanking, describeList, panelRefusal, rankingView } from '../../../domain/panels/decide.js';
import type { PanelEvent } from '../../../domain/panels/events.js';
import { parseLocalDate } from '../../../domain/time/local-date.js';
import { weightedTotal } from '../../../domain/panels/scoring.js';
import { countedSheets, evolvePanel, foldPanel } from '../../../domain/panels/state.js';
import {
  ACCOUNTS,
  app,
  auditor,
  CALL_ID,
  conflict,
  CRITERIA,
  director,
  expertD,
  expertE,
  givenPanel,
  iso,
  MEMBERS,
  memberOf,
  named,
  noConflict,
  NOW,
  office,
  otherDirector,
  ref,
  referred,
  reviewerA,
  reviewerB,
  reviewerC,
  scoredBy,
  sheet,
  xuhuiOfficial,
} from './panel-spec.js';

const AT = iso(NOW);
const nameCommand = { type: 'NamePanel' as const, callId: CALL_ID, department: 'huangpu' as const, members: MEMBERS, criteria: CRITERIA };
const A1 = app(1, 30_000_000);
const A2 = app(2, 50_000_000);
const A3 = app(3, 20_000_000);

/** Three applications, each scored by three members without conflict; 乙 recused from #2 and 丁 scored it instead. */
const scoredCall = (): PanelEvent[] => [
  named(),
  referred(A1),
  referred(A2),
  referred(A3),
  ...scoredBy(reviewerA, 'case-1', sheet(80, 8, 4)),
  ...scoredBy(reviewerB, 'case-1', sheet(80, 8, 4)),
  ...scoredBy(reviewerC, 'case-1', sheet(80, 8, 4)),
  ...scoredBy(reviewerA, 'case-2', sheet(75, 7, 4)),
  conflict(reviewerB, 'case-2'),
  ...scoredBy(reviewerC, 'case-2', sheet(75, 7, 4)),
  ...scoredBy(expertD, 'case-2', sheet(75, 7, 4)),
  ...scoredBy(reviewerA, 'case-3', sheet(70, 7, 3)),
  ...scoredBy(reviewerB, 'case-3', sheet(70, 7, 3)),
  ...scoredBy(reviewerC, 'case-3', sheet(70, 7, 3)),
];

const propose = { type: 'ProposeList' as const, quota: null, remainingBudgetFen: 60_000_000 };
const proposedBy = (by = office): PanelEvent[] => {
  const history = scoredCall();
  return [...history, ...givenPanel(history).when(propose, { actor: by, now: NOW, listId: 'list-1' }).events()];
};

describe('naming the panel (officials with a reviewer duty, or external experts)', () => {
  it('given no panel, when an official of the call’s department names one, then the members, criteria and minimum are recorded', () => {
    givenPanel([]).when(nameCommand, { actor: office, now: NOW, memberAccounts: ACCOUNTS }).then([
      { type: 'PanelNamed', data: { callId: CALL_ID, department: 'huangpu', members: MEMBERS, criteria: CRITERIA, minScorers: 3, by: ref(office), namedAt: AT } },
    ]);
  });

  it('refuses an official of another department', () => {
    givenPanel([]).when(nameCommand, { actor: xuhuiOfficial, now: NOW, memberAccounts: ACCOUNTS }).thenThrows('forbidden', '组建评审组由黄浦区工作人员办理。');
  });

  it('refuses an official without a reviewer duty as an official member', () => {
    const command = { ...nameCommand, members: [...MEMBERS.slice(0, 4), memberOf(office, 'official')] };
    givenPanel([]).when(command, { actor: office, now: NOW, memberAccounts: ACCOUNTS }).thenThrows('validation', '黄浦项目办 不是承担评审职责的工作人员');
  });

  it('refuses an official named as an external expert, and an account that does not exist', () => {
    const asExpert = { ...nameCommand, members: [...MEMBERS.slice(0, 4), memberOf(director, 'expert')] };
    givenPanel([]).when(asExpert, { actor: office, now: NOW, memberAccounts: ACCOUNTS }).thenThrows('validation', '黄浦处长 的账户不是评审专家账户');
    givenPanel([]).when(nameCommand, { actor: office, now: NOW, memberAccounts: ACCOUNTS.slice(1) }).thenThrows('validation', '评审组成员第 1 位：找不到该账户');
  });

  it('refuses the same person twice', () => {
    const command = { ...nameCommand, members: [...MEMBERS, MEMBERS[0]!] };
    givenPanel([]).when(command, { actor: office, now: NOW, memberAccounts: ACCOUNTS }).thenThrows('validation', '甲评审 已在评审组中，不能重复列入。');
  });

  it('refuses a panel smaller than the minimum number of scorers', () => {
    const command = { ...nameCommand, members: MEMBERS.slice(0, 2) };
    givenPanel([]).when(command, { actor: office, now: NOW, memberAccounts: ACCOUNTS }).thenThrows('validation', '评审组至少 3 人', '现只有 2 人');
  });

  it('refuses criteria whose weights do not sum to 100', () => {
    const command = { ...nameCommand, criteria: CRITERIA.slice(0, 2) };
    givenPanel([]).when(command, { actor: office, now: NOW, memberAccounts: ACCOUNTS }).thenThrows('validation', '各项权重之和须为 100%，现为 70%');
  });

  it('refuses naming a second panel', () => {
    givenPanel([named()]).when(nameCommand, { actor: office, now: NOW, memberAccounts: ACCOUNTS }).thenThrows('illegal-state', '评审组目前处于“评审打分中”阶段，不能组建评审组。');
  });

  it('adds a member while scoring, checked the same way', () => {
    const extra = { accountId: director.accountId, displayName: director.displayName, kind: 'official' as const };
    givenPanel([named()]).when({ type: 'AddPanelMember', member: extra }, { actor: office, now: NOW, memberAccounts: ACCOUNTS }).then([
      { type: 'PanelMemberAdded', data: { member: extra, by: ref(office), addedAt: AT } },
    ]);
    givenPanel([named()]).when({ type: 'AddPanelMember', member: MEMBERS[3]! }, { actor: office, now: NOW, memberAccounts: ACCOUNTS }).thenThrows('validation', '丁专家 已在评审组中');
  });

  it('refuses an auditor anything', () => {
    givenPanel([named(), referred(A1)]).when({ type: 'DeclareNoConflict', caseId: 'case-1' }, { actor: auditor, now: NOW }).thenThrows('forbidden', '审计人员只能查看，不能办理。');
  });
});

describe('referring applications to the panel', () => {
  it('records an application once, before or after the panel is named', () => {
    givenPanel([]).when({ type: 'ReferApplication', application: A1 }, { actor: { accountId: 'system', displayName: '系统', role: 'system' }, now: NOW }).then([
      { type: 'ApplicationReferred', data: { application: A1, referredAt: AT } },
    ]);
    givenPanel([named(), referred(A1)]).when({ type: 'ReferApplication', application: A1 }, { actor: office, now: NOW }).thenThrows('illegal-state', '案件 AP-2026-000001 已提交评审，不能重复提交。');
  });

  it('refuses an application after the list is proposed', () => {
    givenPanel(proposedBy()).when({ type: 'ReferApplication', application: app(4, 100) }, { actor: office, now: NOW }).thenThrows('illegal-state', '“拟资助名单待审批”阶段，不能提交评审');
  });
});

describe('回避: each member declares conflicts before scoring; a conflicted member is excluded from that application', () => {
  const ready = [named(), referred(A1)];

  it('refuses a score before the member has declared', () => {
    givenPanel(ready).when({ type: 'SubmitScore', caseId: 'case-1', scores: sheet(80, 8, 4) }, { actor: reviewerA, now: NOW }).thenThrows('illegal-state', '打分前须先就案件 AP-2026-000001 声明是否存在利益冲突（回避）。');
  });

  it('records a declaration of no conflict, once', () => {
    givenPanel(ready).when({ type: 'DeclareNoConflict', caseId: 'case-1' }, { actor: reviewerA, now: NOW }).then([
      { type: 'NoConflictDeclared', data: { caseId: 'case-1', member: ref(reviewerA), declaredAt: AT } },
    ]);
    givenPanel([...ready, noConflict(reviewerA, 'case-1')]).when({ type: 'DeclareNoConflict', caseId: 'case-1' }, { actor: reviewerA, now: NOW }).thenThrows('illegal-state', '您已就案件 AP-2026-000001 作出过声明。');
  });

  it('records a conflict with its reason as the member’s exclusion from that application', () => {
    givenPanel(ready).when({ type: 'DeclareConflict', caseId: 'case-1', reason: ' 与申请人系近亲属 ' }, { actor: reviewerA, now: NOW }).then([
      { type: 'ConflictDeclared', data: { caseId: 'case-1', member: ref(reviewerA), reason: '与申请人系近亲属', declaredAt: AT, voidsScore: false } },
    ]);
  });

  it('requires the reason of a conflict', () => {
    givenPanel(ready).when({ type: 'DeclareConflict', caseId: 'case-1', reason: '  ' }, { actor: reviewerA, now: NOW }).thenThrows('validation', '回避事由不能为空。');
  });

  it('refuses a score from an excluded member', () => {
    givenPanel([...ready, conflict(reviewerA, 'case-1')]).when({ type: 'SubmitScore', caseId: 'case-1', scores: sheet(80, 8, 4) }, { actor: reviewerA, now: NOW }).thenThrows(
      'illegal-state',
      '您已就案件 AP-2026-000001 回避，不能为其打分。',
    );
  });

  it('excludes a member from that application only', () => {
    const state = foldPanel([...ready, referred(A2), conflict(reviewerA, 'case-1')]);
    expect(panelRefusal(state, 'SubmitScore', reviewerA)).toBeUndefined();
    const elsewhere = givenPanel([...ready, referred(A2), conflict(reviewerA, 'case-1'), noConflict(reviewerA, 'case-2')])
      .when({ type: 'SubmitScore', caseId: 'case-2', scores: sheet(80, 8, 4) }, { actor: reviewerA, now: NOW })
      .events();
    expect(elsewhere.map((e) => e.type)).toEqual(['ScoreSubmitted']);
  });

  it('a conflict found after scoring voids that score: recorded, and it no longer counts', () => {
    const history = [...ready, ...scoredBy(reviewerA, 'case-1', sheet(80, 8, 4))];
    const events = givenPanel(history).when({ type: 'DeclareConflict', caseId: 'case-1', reason: '后发现曾为申请人提供咨询' }, { actor: reviewerA, now: NOW }).events();
    expect(events).toEqual([{ type: 'ConflictDeclared', data: { caseId: 'case-1', member: ref(reviewerA), reason: '后发现曾为申请人提供咨询', declaredAt: AT, voidsScore: true } }]);
    expect(countedSheets(foldPanel(history), 'case-1')).toHaveLength(1);
    expect(countedSheets(foldPanel([...history, ...events]), 'case-1')).toHaveLength(0);
  });

  it('refuses a declaration from someone not on the panel, and for an application not referred', () => {
    givenPanel(ready).when({ type: 'DeclareNoConflict', caseId: 'case-1' }, { actor: office, now: NOW }).thenThrows('forbidden', '您不是本批次评审组成员，不能声明无利益冲突。');
    givenPanel(ready).when({ type: 'DeclareNoConflict', caseId: 'case-9' }, { actor: reviewerA, now: NOW }).thenThrows('not-found', '案件 case-9 未提交本批次评审。');
  });
});

describe('scoring: every criterion with a comment, once per member and application', () => {
  const declared = [named(), referred(A1), noConflict(reviewerA, 'case-1')];

  it('records the sheet with its weighted total', () => {
    const scores = sheet(80, 8, 4);
    givenPanel(declared).when({ type: 'SubmitScore', caseId: 'case-1', scores }, { actor: reviewerA, now: NOW }).then([
      { type: 'ScoreSubmitted', data: { caseId: 'case-1', member: ref(reviewerA), scores, total: 8_000, submittedAt: AT } },
    ]);
  });

  it('refuses a rescore', () => {
    givenPanel([named(), referred(A1), ...scoredBy(reviewerA, 'case-1', sheet(80, 8, 4))])
      .when({ type: 'SubmitScore', caseId: 'case-1', scores: sheet(90, 9, 5) }, { actor: reviewerA, now: NOW })
      .thenThrows('illegal-state', '您已为案件 AP-2026-000001 打过分，每位评审只打一次分，不能重新打分。');
  });

  it('refuses a sheet with a missing comment or a score above the maximum', () => {
    const noComment = sheet(80, 8, 4).map((s) => (s.criterionId === 'team' ? { ...s, comment: '' } : s));
    givenPanel(declared).when({ type: 'SubmitScore', caseId: 'case-1', scores: noComment }, { actor: reviewerA, now: NOW }).thenThrows('validation', '“团队能力”须附评语');
    givenPanel(declared).when({ type: 'SubmitScore', caseId: 'case-1', scores: sheet(80, 11, 4) }, { actor: reviewerA, now: NOW }).thenThrows('validation', '“传播影响”的得分须为 0 至 10 的整数，现为 11');
  });

  it('refuses a score from someone not on the panel', () => {
    givenPanel(declared).when({ type: 'SubmitScore', caseId: 'case-1', scores: sheet(80, 8, 4) }, { actor: director, now: NOW }).thenThrows('forbidden', '您不是本批次评审组成员，不能打分。');
  });

  it('closes scoring once the list is proposed', () => {
    givenPanel([...proposedBy(), noConflict(expertE, 'case-1')])
      .when({ type: 'SubmitScore', caseId: 'case-1', scores: sheet(80, 8, 4) }, { actor: expertE, now: NOW })
      .thenThrows('illegal-state', '“拟资助名单待审批”阶段，不能打分');
  });
});

describe('proposing the list', () => {
  it('refuses while an application has fewer valid scorers than the minimum, naming each and its recusals', () => {
    const history = [named(), referred(A1), referred(A2), ...scoredBy(reviewerA, 'case-1', sheet(80, 8, 4)), conflict(reviewerB, 'case-1'), ...scoredBy(reviewerC, 'case-1', sheet(80, 8, 4))];
    givenPanel(history).when(propose, { actor: office, now: NOW, listId: 'list-1' }).thenThrows(
      'illegal-state',
      '每份申请须至少 3 位评审有效打分才能排名，以下申请不足：AP-2026-000001（2 人有效打分，1 人回避）、AP-2026-000002（0 人有效打分）。请待其余评审打分，或增补评审专家。',
    );
  });

  it('refuses with no application referred', () => {
    givenPanel([named()]).when(propose, { actor: office, now: NOW, listId: 'list-1' }).thenThrows('illegal-state', '本批次尚无申请提交评审，无法提出名单。');
  });

  it('ranks, fits the budget by passing over what does not fit, and records the whole ranking', () => {
    const events = givenPanel(scoredCall()).when(propose, { actor: office, now: NOW, listId: 'list-1' }).events();
    expect(events).toHaveLength(1);
    const proposed = events[0]!;
    if (proposed.type !== 'ListProposed') return expect.fail(proposed.type);
    expect(proposed.data.ranking.map((r) => [r.referenceNo, r.rank, r.aggregate, r.scorers])).toEqual([
      ['AP-2026-000001', 1, 8_000, 3],
      ['AP-2026-000002', 2, 7_500, 3],
      ['AP-2026-000003', 3, 6_700, 3],
    ]);
    expect(proposed.data.proposed.map((p) => p.referenceNo)).toEqual(['AP-2026-000001', 'AP-2026-000003']);
    expect(proposed.data.passedOver).toEqual([{ caseId: 'case-2', referenceNo: 'AP-2026-000002', rank: 2, amountFen: 50_000_000, reason: 'over-budget', remainingFen: 30_000_000 }]);
    expect(proposed.data).toMatchObject({ listId: 'list-1', by: ref(office), proposedAt: AT, quota: null, budgetFen: 60_000_000, totalFen: 50_000_000 });
    expect(describeList(foldPanel([...scoredCall(), ...events]))).toBe('拟资助 2 项，合计 500,000.00 元（提出名单时预算余额 600,000.00 元）；因预算余额不足顺延 1 项');
  });

  it('an excluded member’s earlier score does not count in the ranking', () => {
    const history = [...scoredCall(), ...scoredBy(expertE, 'case-3', sheet(100, 10, 5)), conflict(expertE, 'case-3', '利益相关', true)];
    const row = currentRanking(foldPanel(history)).find((r) => r.caseId === 'case-3')!;
    expect([row.scorers, row.aggregate]).toEqual([3, 6_700]);
  });

  it('shows the office which applications can be ranked yet, and who may still score each', () => {
    const history = [named(), referred(A1), ...scoredBy(reviewerA, 'case-1', sheet(80, 8, 4)), conflict(reviewerB, 'case-1'), ...scoredBy(reviewerC, 'case-1', sheet(80, 8, 4))];
    expect(rankingView(foldPanel(history)).map((r) => [r.referenceNo, r.scorers, r.rankable, r.awaiting])).toEqual([['AP-2026-000001', 2, false, ['丁专家', '戊专家']]]);
    const more = [...history, ...scoredBy(expertD, 'case-1', sheet(80, 8, 4))];
    expect(rankingView(foldPanel(more)).map((r) => [r.scorers, r.rankable, r.awaiting])).toEqual([[3, true, ['戊专家']]]);
  });

  it('ranks only applications with the scorers they need: one short of them has no place (暂不排名), after the ranked ones, however high its score', () => {
    // #1 scored high by two of the three needed; #2 and #3 by three each.
    const history = [
      named(),
      referred(A1),
      referred(A2),
      referred(A3),
      ...scoredBy(reviewerA, 'case-1', sheet(95, 10, 5)),
      ...scoredBy(reviewerB, 'case-1', sheet(95, 10, 5)),
      ...scoredBy(reviewerA, 'case-2', sheet(70, 7, 3)),
      ...scoredBy(reviewerB, 'case-2', sheet(70, 7, 3)),
      ...scoredBy(reviewerC, 'case-2', sheet(70, 7, 3)),
      ...scoredBy(reviewerA, 'case-3', sheet(80, 8, 4)),
      ...scoredBy(reviewerB, 'case-3', sheet(80, 8, 4)),
      ...scoredBy(reviewerC, 'case-3', sheet(80, 8, 4)),
    ];
    expect(rankingView(foldPanel(history)).map((r) => [r.referenceNo, r.rank, r.rankable])).toEqual([
      ['AP-2026-000003', 1, true],
      ['AP-2026-000002', 2, true],
      ['AP-2026-000001', null, false],
    ]);
    // Nothing scored yet: nothing ranked.
    expect(rankingView(foldPanel([named(), referred(A1)])).map((r) => [r.rank, r.rankable])).toEqual([[null, false]]);
  });

  it('refuses a quota that is not a positive whole number', () => {
    givenPanel(scoredCall()).when({ ...propose, quota: 0 }, { actor: office, now: NOW, listId: 'list-1' }).thenThrows('validation', '资助名额须为正整数，现为 0。');
  });

  it('is done by an official of the department, not a panel expert', () => {
    givenPanel(scoredCall()).when(propose, { actor: expertD, now: NOW, listId: 'list-1' }).thenThrows('forbidden', '提出拟资助名单由黄浦区工作人员办理。');
  });
});

describe('the batch decision: a director who is neither on the panel nor the proposer', () => {
  it('approves the list as one batch', () => {
    givenPanel(proposedBy()).when({ type: 'ApproveBatch' }, { actor: director, now: NOW }).then([
      {
        type: 'BatchApproved',
        data: {
          listId: 'list-1',
          by: ref(director),
          approvedAt: AT,
          approvedOn: parseLocalDate('2026-11-16'),
          awards: [
            { caseId: 'case-1', referenceNo: 'AP-2026-000001', rank: 1, amountFen: 30_000_000 },
            { caseId: 'case-3', referenceNo: 'AP-2026-000003', rank: 3, amountFen: 20_000_000 },
          ],
          totalFen: 50_000_000,
        },
      },
    ]);
  });

  it('refuses an official who is not a director', () => {
    givenPanel(proposedBy()).when({ type: 'ApproveBatch' }, { actor: office, now: NOW }).thenThrows('forbidden', '拟资助名单由黄浦区处长审批。');
  });

  it('refuses a director on the panel', () => {
    const withDirector = [named([...MEMBERS, memberOf(otherDirector, 'official')]), ...proposedBy().slice(1)];
    givenPanel(withDirector).when({ type: 'ApproveBatch' }, { actor: otherDirector, now: NOW }).thenThrows('forbidden', '您是本批次评审组成员，不能审批本批次名单');
  });

  it('refuses the director who proposed the list', () => {
    givenPanel(proposedBy(director)).when({ type: 'ApproveBatch' }, { actor: director, now: NOW }).thenThrows('forbidden', '名单由您提出，不能由您本人审批');
    expect(givenPanel(proposedBy(director)).when({ type: 'ApproveBatch' }, { actor: otherDirector, now: NOW }).events().map((e) => e.type)).toEqual(['BatchApproved']);
  });

  it('lets whoever proposed the list take it back, director or not; nobody else but a director returns it', () => {
    // A department's only director who proposed a list can still return it, so that another official proposes it and the director approves.
    expect(givenPanel(proposedBy(director)).when({ type: 'ReturnList', reasons: ['由工作人员重新提出'] }, { actor: director, now: NOW }).events().map((e) => e.type)).toEqual(['ListReturned']);
    expect(givenPanel(proposedBy()).when({ type: 'ReturnList', reasons: ['第 2 名金额有误'] }, { actor: office, now: NOW }).events().map((e) => e.type)).toEqual(['ListReturned']);
    givenPanel(proposedBy(director)).when({ type: 'ReturnList', reasons: ['另有意见'] }, { actor: office, now: NOW }).thenThrows('forbidden', '拟资助名单由黄浦区处长审批。');
  });

  it('refuses approving twice, or before a list is proposed', () => {
    const approved = [...proposedBy(), ...givenPanel(proposedBy()).when({ type: 'ApproveBatch' }, { actor: director, now: NOW }).events()];
    givenPanel(approved).when({ type: 'ApproveBatch' }, { actor: otherDirector, now: NOW }).thenThrows('illegal-state', '“名单已批准”阶段，不能批准拟资助名单');
    givenPanel(scoredCall()).when({ type: 'ApproveBatch' }, { actor: director, now: NOW }).thenThrows('illegal-state', '“评审打分中”阶段，不能批准拟资助名单');
  });

  it('returns the list with reasons: scoring reopens and a new list can be proposed', () => {
    givenPanel(proposedBy()).when({ type: 'ReturnList', reasons: [] }, { actor: director, now: NOW }).thenThrows('validation', '退回名单须写明理由');
    const returned = givenPanel(proposedBy()).when({ type: 'ReturnList', reasons: ['请补充第 2 名的评审意见'] }, { actor: director, now: NOW }).events();
    expect(returned).toEqual([{ type: 'ListReturned', data: { listId: 'list-1', by: ref(director), reasons: ['请补充第 2 名的评审意见'], returnedAt: AT } }]);
    const history = [...proposedBy(), ...returned, ...scoredBy(expertE, 'case-2', sheet(80, 8, 4))];
    const state = foldPanel(history);
    expect(state.status).toBe('scoring');
    expect(state.list).toBeUndefined();
    const second = givenPanel(history).when({ ...propose, remainingBudgetFen: 100_000_000 }, { actor: office, now: NOW, listId: 'list-2' }).events();
    expect(second).toMatchObject([{ type: 'ListProposed', data: { listId: 'list-2', totalFen: 100_000_000 } }]);
  });
});

describe('what each application records of the panel', () => {
  it('a recusal, when it is declared', () => {
    const state = foldPanel([named(), referred(A1)]);
    expect(applicationRecordsOf(state, conflict(reviewerA, 'case-1', '近亲属'))).toEqual([
      { caseId: 'case-1', events: [{ type: 'PanelRecusalRecorded', data: { callId: CALL_ID, member: ref(reviewerA), reason: '近亲属', declaredAt: iso(NOW - 1_800_000) } }] },
    ]);
  });

  it('at the batch: its scores with comments, who was excluded, its rank, and the decision — selected or not, and why', () => {
    const history = proposedBy();
    const approved = givenPanel(history).when({ type: 'ApproveBatch' }, { actor: director, now: NOW }).events()[0]!;
    const state = evolvePanel(foldPanel(history), approved);
    const records = applicationRecordsOf(state, approved);
    expect(records.map((r) => r.caseId)).toEqual(['case-1', 'case-2', 'case-3']);

    const second = records[1]!.events;
    expect(second[0]).toMatchObject({
      type: 'PanelReviewRecorded',
      data: { callId: CALL_ID, listId: 'list-1', method: 'mean', aggregate: 7_500, rank: 2, rankedOf: 3, excluded: [{ member: ref(reviewerB), reason: '曾为申请人提供咨询服务' }] },
    });
    const sheets = (second[0]!.data as { sheets: { member: { displayName: string }; total: number; scores: { comment: string }[] }[] }).sheets;
    expect(sheets.map((s) => s.member.displayName)).toEqual(['甲评审', '丙评审', '丁专家']);
    expect(sheets.every((s) => s.total === weightedTotal(CRITERIA, sheet(75, 7, 4)) && s.scores.every((c) => c.comment !== ''))).toBe(true);
    expect(second[1]).toEqual({
      type: 'BatchDecisionRecorded',
      data: {
        callId: CALL_ID,
        listId: 'list-1',
        decision: 'not-selected',
        amountFen: null,
        reason: '排名第 2 位（共 3 位），轮到本申请时预算余额不足以资助其申请金额，未入选。',
        passedOver: 'over-budget',
        by: ref(director),
        decidedAt: AT,
        decidedOn: '2026-11-16',
      },
    });
    expect(records[2]!.events[1]).toMatchObject({ type: 'BatchDecisionRecorded', data: { decision: 'selected', amountFen: 20_000_000, reason: null, passedOver: null } });
  });

  it('nothing for other panel events', () => {
    expect(applicationRecordsOf(foldPanel(scoredCall()), noConflict(reviewerA, 'case-1'))).toEqual([]);
  });
});
