import type { Actor, Role } from '../../../domain/cases/actor.js';
import type { MemberAccount, PanelCommand, PanelContext } from '../../../domain/panels/commands.js';
import { decidePanel } from '../../../domain/panels/decide.js';
import type { ActorRef, Criterion, CriterionScore, PanelApplication, PanelEvent, PanelMember } from '../../../domain/panels/events.js';
import { weightedTotal } from '../../../domain/panels/scoring.js';
import { foldPanel, type PanelState } from '../../../domain/panels/state.js';
import { outcome } from '../../support/decider-spec.js';

/**
 * Given/when/then for the panel decider, like test/support/decider-spec.ts:
 *
 *   givenPanel(history).when(command, { actor, now }).then([...expected events])
 *   givenPanel(history).when(command, { actor, now }).thenThrows('forbidden', '…')
 */
export function givenPanel(history: readonly PanelEvent[]) {
  const state: PanelState = foldPanel(history);
  return { state, when: (command: PanelCommand, context: PanelContext) => outcome(() => decidePanel(command, state, context)) };
}

export const ref = (actor: Pick<Actor, 'accountId' | 'displayName'>): ActorRef => ({ accountId: actor.accountId, displayName: actor.displayName });

/** 10:00 Shanghai on 2026-11-16 and the hours after it. */
export const NOW = Date.parse('2026-11-16T02:00:00.000Z');
export const iso = (ms: number) => new Date(ms).toISOString();

const official = (accountId: string, displayName: string, duty?: Actor['duty']): Actor => ({ accountId, displayName, role: 'official', department: 'huangpu', ...(duty ? { duty } : {}) });
// External experts hold a role of their own, which the account model gains when the panel is wired in.
const expert = (accountId: string, displayName: string): Actor => ({ accountId, displayName, role: 'expert' as Role });

export const office = official('acct-hp-office', '黄浦项目办');
export const reviewerA = official('acct-hp-rev-a', '甲评审');
export const reviewerB = official('acct-hp-rev-b', '乙评审');
export const reviewerC = official('acct-hp-rev-c', '丙评审');
export const expertD = expert('acct-exp-d', '丁专家');
export const expertE = expert('acct-exp-e', '戊专家');
export const director = official('acct-hp-director', '黄浦处长', 'director');
export const otherDirector = official('acct-hp-director-2', '黄浦副处长', 'director');
export const xuhuiOfficial: Actor = { accountId: 'acct-xh', displayName: '徐汇工作人员', role: 'official', department: 'xuhui' };
export const auditor: Actor = { accountId: 'acct-audit', displayName: '赵审计', role: 'auditor' };

export const memberOf = (actor: Actor, kind: PanelMember['kind']): PanelMember => ({ accountId: actor.accountId, displayName: actor.displayName, kind });
export const MEMBERS: PanelMember[] = [memberOf(reviewerA, 'official'), memberOf(reviewerB, 'official'), memberOf(reviewerC, 'official'), memberOf(expertD, 'expert'), memberOf(expertE, 'expert')];

/** The accounts as the administrators assigned them. */
export const ACCOUNTS: MemberAccount[] = [
  ...[reviewerA, reviewerB, reviewerC].map((a) => ({ accountId: a.accountId, role: 'official', department: 'huangpu' as const, duties: ['reviewer' as const] })),
  { accountId: expertD.accountId, role: 'expert', department: null, duties: [] },
  { accountId: expertE.accountId, role: 'expert', department: null, duties: [] },
  { accountId: office.accountId, role: 'official', department: 'huangpu', duties: ['approver'] },
  { accountId: director.accountId, role: 'official', department: 'huangpu', duties: ['director', 'reviewer'] },
];

/** Content 40%, reach 30% (out of 10), team 30% (out of 5): the heaviest is 内容质量. */
export const CRITERIA: Criterion[] = [
  { id: 'content', name: '内容质量', weightPercent: 40, maxPoints: 100 },
  { id: 'reach', name: '传播影响', weightPercent: 30, maxPoints: 10 },
  { id: 'team', name: '团队能力', weightPercent: 30, maxPoints: 5 },
];

export const CALL_ID = 'call-hp-2026-2';

export const named = (members: PanelMember[] = MEMBERS, minScorers = 3): PanelEvent => ({
  type: 'PanelNamed',
  data: { callId: CALL_ID, department: 'huangpu', members, criteria: CRITERIA, minScorers, by: ref(office), namedAt: iso(NOW - 86_400_000) },
});

export const app = (n: number, amountFen: number, submittedAt = `2026-10-0${n}T02:00:00.000Z`): PanelApplication => ({
  caseId: `case-${n}`,
  referenceNo: `AP-2026-00000${n}`,
  applicantName: `申请人${n}`,
  amountFen,
  submittedAt,
});

export const referred = (a: PanelApplication): PanelEvent => ({ type: 'ApplicationReferred', data: { application: a, referredAt: iso(NOW - 3_600_000) } });
export const noConflict = (member: Actor, caseId: string): PanelEvent => ({ type: 'NoConflictDeclared', data: { caseId, member: ref(member), declaredAt: iso(NOW - 1_800_000) } });
export const conflict = (member: Actor, caseId: string, reason = '曾为申请人提供咨询服务', voidsScore = false): PanelEvent => ({
  type: 'ConflictDeclared',
  data: { caseId, member: ref(member), reason, declaredAt: iso(NOW - 1_800_000), voidsScore },
});

/** A full sheet: content out of 100, reach out of 10, team out of 5. */
export const sheet = (content: number, reach: number, team: number): CriterionScore[] => [
  { criterionId: 'content', points: content, comment: '选题扎实' },
  { criterionId: 'reach', points: reach, comment: '传播面广' },
  { criterionId: 'team', points: team, comment: '团队完整' },
];

/** A member's declaration of no conflict and their score, as recorded (the total as the decider computes it). */
export const scoredBy = (member: Actor, caseId: string, scores: CriterionScore[]): PanelEvent[] => [
  noConflict(member, caseId),
  { type: 'ScoreSubmitted', data: { caseId, member: ref(member), scores, total: weightedTotal(CRITERIA, scores), submittedAt: iso(NOW - 600_000) } },
];
