import type { Actor, Department, OfficialDuty } from '../cases/actor.js';
import type { Fen } from '../money/fen.js';
import type { Criterion, CriterionScore, PanelApplication, PanelMember, ProposedAward, SameItemAs } from './events.js';

/**
 * The panel's commands, taken on the call case. The call module fills in what the call knows (its
 * id and department, its quota, what remains of its budget); the panel rules decide the rest.
 */
export type PanelCommand =
  | { type: 'NamePanel'; callId: string; department: Department; members: PanelMember[]; criteria: Criterion[]; minScorers?: number }
  | { type: 'AddPanelMember'; member: PanelMember }
  | { type: 'ReferApplication'; application: PanelApplication }
  | { type: 'DeclareNoConflict'; caseId: string }
  | { type: 'DeclareConflict'; caseId: string; reason: string }
  | { type: 'SubmitScore'; caseId: string; scores: CriterionScore[] }
  | { type: 'ProposeList'; quota: number | null; remainingBudgetFen: Fen }
  | { type: 'ReturnList'; reasons: string[] }
  | { type: 'ApproveBatch' };

export type PanelCommandType = PanelCommand['type'];

/** An account as the administrators assigned it, looked up (by an activity) for each member a panel is named with. */
export interface MemberAccount {
  accountId: string;
  /** 'expert' is the external experts' own role. */
  role: string;
  department: Department | null;
  duties: readonly OfficialDuty[];
}

export interface PanelContext {
  actor: Actor;
  now: number;
  /** The accounts of the members named or added, looked up before the decision. */
  memberAccounts?: readonly MemberAccount[];
  /** A deterministic id for a proposed list (the workflow's uuid4). */
  listId?: string;
  /**
   * For a proposed list: the award already on it for the same item as `candidate`, where the
   * measure's ledger rules would refuse the two together (domain/calls/panel.ts builds it from the
   * measure and the applications' items). Without it, items are not compared.
   */
  sameItemOf?: (candidate: ProposedAward, proposed: readonly ProposedAward[]) => SameItemAs | undefined;
}
