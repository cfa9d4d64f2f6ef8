import type { Actor, Department } from '../cases/actor.js';
import type { Fen } from '../money/fen.js';
import type { LocalDate } from '../time/local-date.js';

/** Who acted, as kept inside a payload (the full actor is in the event metadata). */
export type ActorRef = Pick<Actor, 'accountId' | 'displayName'>;

/** Officials serve with a reviewer duty; external experts hold an account role of their own. */
export type PanelMemberKind = 'official' | 'expert';

export interface PanelMember {
  accountId: string;
  displayName: string;
  kind: PanelMemberKind;
}

/** One of a call's weighted criteria: the weights of a call sum to 100 (percent). */
export interface Criterion {
  id: string;
  name: string;
  weightPercent: number;
  maxPoints: number;
}

/** An application as the panel sees it: what it would cost if selected, and when it was filed (a tie-break). */
export interface PanelApplication {
  caseId: string;
  referenceNo: string;
  applicantName: string;
  amountFen: Fen;
  submittedAt: string;
}

export interface CriterionScore {
  criterionId: string;
  points: number;
  comment: string;
}

/**
 * Aggregates are in centi-points: hundredths of a point on the 0–100 scale of the weights, rounded
 * half up at each step. Rankings compare the figures people see, so anyone can check an order.
 */
export type CentiPoints = number;

export type AggregateMethod = 'mean' | 'trimmed-mean';

export interface RankedApplication extends PanelApplication {
  rank: number;
  scorers: number;
  method: AggregateMethod;
  aggregate: CentiPoints;
  /** The same aggregate of the heaviest criterion alone: the first tie-break. */
  heaviestCriterion: CentiPoints;
}

export type PassedOverReason = 'over-budget' | 'quota-full' | 'same-item';

export interface ProposedAward {
  caseId: string;
  referenceNo: string;
  rank: number;
  amountFen: Fen;
}

export interface PassedOver {
  caseId: string;
  referenceNo: string;
  rank: number;
  amountFen: Fen;
  reason: PassedOverReason;
  /** What was left of the budget when it came up, in fen. */
  remainingFen: Fen;
  /** 'same-item': the application higher on the list that is funded for the same item, and the measure's rule the two together would break. */
  sameItemAs?: SameItemAs;
}

/** An application already on a list for the item another one asks funding for. */
export interface SameItemAs {
  caseId: string;
  referenceNo: string;
  rank: number;
  /** 'funded-once': the measure funds an item once; 'cap-per-year': the two together pass its yearly cap for one item. */
  rule: 'funded-once' | 'cap-per-year';
}

/** The panel's events, recorded in the call's stream; instants are ISO strings from the workflow clock. */
export type PanelEvent =
  | {
      type: 'PanelNamed';
      data: { callId: string; department: Department; members: PanelMember[]; criteria: Criterion[]; minScorers: number; by: ActorRef; namedAt: string };
    }
  | { type: 'PanelMemberAdded'; data: { member: PanelMember; by: ActorRef; addedAt: string } }
  | { type: 'ApplicationReferred'; data: { application: PanelApplication; referredAt: string } }
  /** A referred application no longer waits for the panel (its applicant withdrew it): it leaves the ranking, its scores kept on record. */
  | { type: 'ApplicationLeftPanel'; data: { caseId: string; referenceNo: string; leftAt: string } }
  | { type: 'NoConflictDeclared'; data: { caseId: string; member: ActorRef; declaredAt: string } }
  | {
      /** 回避: the member is excluded from this application; a score already given no longer counts. */
      type: 'ConflictDeclared';
      data: { caseId: string; member: ActorRef; reason: string; declaredAt: string; voidsScore: boolean };
    }
  | { type: 'ScoreSubmitted'; data: { caseId: string; member: ActorRef; scores: CriterionScore[]; total: CentiPoints; submittedAt: string } }
  | {
      type: 'ListProposed';
      data: {
        listId: string;
        by: ActorRef;
        proposedAt: string;
        quota: number | null;
        budgetFen: Fen;
        ranking: RankedApplication[];
        proposed: ProposedAward[];
        passedOver: PassedOver[];
        totalFen: Fen;
      };
    }
  | { type: 'ListReturned'; data: { listId: string; by: ActorRef; reasons: string[]; returnedAt: string } }
  | {
      /** One batch decision: every application ranked in the list records it (see application-record.ts). */
      type: 'BatchApproved';
      data: { listId: string; by: ActorRef; approvedAt: string; approvedOn: LocalDate; awards: ProposedAward[]; totalFen: Fen };
    };

export type PanelEventType = PanelEvent['type'];

export const PANEL_EVENT_TYPES: readonly PanelEventType[] = [
  'PanelNamed',
  'PanelMemberAdded',
  'ApplicationReferred',
  'ApplicationLeftPanel',
  'NoConflictDeclared',
  'ConflictDeclared',
  'ScoreSubmitted',
  'ListProposed',
  'ListReturned',
  'BatchApproved',
];

/** For a call's evolve: which of its events the panel folds. */
export function isPanelEvent(event: { type: string }): event is PanelEvent {
  return (PANEL_EVENT_TYPES as readonly string[]).includes(event.type);
}

export const PANEL_EVENT_LABELS: Record<PanelEventType, string> = {
  PanelNamed: '组建评审专家组',
  PanelMemberAdded: '增补评审专家',
  ApplicationReferred: '申请提交评审',
  ApplicationLeftPanel: '申请已撤回，退出评审',
  NoConflictDeclared: '评审专家声明无利益冲突',
  ConflictDeclared: '评审专家回避',
  ScoreSubmitted: '评审打分',
  ListProposed: '提出拟资助名单',
  ListReturned: '拟资助名单退回',
  BatchApproved: '批量审批通过',
};
