import type { Department } from '../cases/actor.js';
import type { ActorRef, Criterion, CriterionScore, CentiPoints, PanelApplication, PanelEvent, PanelMember, PassedOver, ProposedAward, RankedApplication } from './events.js';
import type { CountedSheet } from './scoring.js';

/** not-named → scoring → list-proposed → approved; a returned list goes back to scoring. */
export type PanelStatus = 'not-named' | 'scoring' | 'list-proposed' | 'approved';

export const PANEL_STATUS_LABELS: Record<PanelStatus, string> = {
  'not-named': '待组建评审组',
  scoring: '评审打分中',
  'list-proposed': '拟资助名单待审批',
  approved: '名单已批准',
};

export interface Declaration {
  caseId: string;
  member: ActorRef;
  conflicted: boolean;
  reason?: string;
  declaredAt: string;
}

export interface ScoreSheet {
  caseId: string;
  member: ActorRef;
  scores: CriterionScore[];
  total: CentiPoints;
  submittedAt: string;
}

export interface ListOnTable {
  listId: string;
  by: ActorRef;
  proposedAt: string;
  quota: number | null;
  budgetFen: number;
  ranking: RankedApplication[];
  proposed: ProposedAward[];
  passedOver: PassedOver[];
  totalFen: number;
}

export interface PanelState {
  status: PanelStatus;
  callId?: string;
  department?: Department;
  members: PanelMember[];
  criteria: Criterion[];
  minScorers: number;
  /** In the order they were referred. */
  applications: PanelApplication[];
  declarations: Declaration[];
  sheets: ScoreSheet[];
  list?: ListOnTable;
  /** Lists the director sent back, with the reasons. */
  returnedLists: { listId: string; by: ActorRef; reasons: string[]; returnedAt: string }[];
  approval?: { listId: string; by: ActorRef; approvedAt: string; approvedOn: string };
}

export function initialPanelState(): PanelState {
  return { status: 'not-named', members: [], criteria: [], minScorers: 0, applications: [], declarations: [], sheets: [], returnedLists: [] };
}

export function declarationOf(state: PanelState, caseId: string, accountId: string): Declaration | undefined {
  return state.declarations.find((d) => d.caseId === caseId && d.member.accountId === accountId);
}

export function isExcluded(state: PanelState, caseId: string, accountId: string): boolean {
  return declarationOf(state, caseId, accountId)?.conflicted === true;
}

export function sheetOf(state: PanelState, caseId: string, accountId: string): ScoreSheet | undefined {
  return state.sheets.find((s) => s.caseId === caseId && s.member.accountId === accountId);
}

/** The sheets that count for an application: a member's score stops counting once they declare a conflict. */
export function countedSheets(state: PanelState, caseId: string): CountedSheet[] {
  return state.sheets.filter((s) => s.caseId === caseId && !isExcluded(state, caseId, s.member.accountId)).map((s) => ({ memberId: s.member.accountId, scores: s.scores }));
}

/** Members who declared a conflict of interest on an application (回避), in the order they declared it. */
export function recusedMembers(state: PanelState, caseId: string): ActorRef[] {
  return state.declarations.filter((d) => d.caseId === caseId && d.conflicted).map((d) => d.member);
}

/** Members who may still score an application: on the panel, not excluded, not yet scored. */
export function pendingScorers(state: PanelState, caseId: string): PanelMember[] {
  return state.members.filter((m) => !isExcluded(state, caseId, m.accountId) && !sheetOf(state, caseId, m.accountId));
}

export function evolvePanel(state: PanelState, event: PanelEvent): PanelState {
  switch (event.type) {
    case 'PanelNamed': {
      const d = event.data;
      return { ...state, status: 'scoring', callId: d.callId, department: d.department, members: d.members, criteria: d.criteria, minScorers: d.minScorers };
    }
    case 'PanelMemberAdded':
      return { ...state, members: [...state.members, event.data.member] };
    case 'ApplicationReferred':
      return { ...state, applications: [...state.applications, event.data.application] };
    case 'ApplicationLeftPanel':
      return { ...state, applications: state.applications.filter((a) => a.caseId !== event.data.caseId) };
    case 'NoConflictDeclared':
      return { ...state, declarations: [...state.declarations, { caseId: event.data.caseId, member: event.data.member, conflicted: false, declaredAt: event.data.declaredAt }] };
    case 'ConflictDeclared': {
      const d = event.data;
      // A conflict found after a declaration of none replaces it.
      const others = state.declarations.filter((x) => !(x.caseId === d.caseId && x.member.accountId === d.member.accountId));
      return { ...state, declarations: [...others, { caseId: d.caseId, member: d.member, conflicted: true, reason: d.reason, declaredAt: d.declaredAt }] };
    }
    case 'ScoreSubmitted': {
      const d = event.data;
      return { ...state, sheets: [...state.sheets, { caseId: d.caseId, member: d.member, scores: d.scores, total: d.total, submittedAt: d.submittedAt }] };
    }
    case 'ListProposed': {
      return { ...state, status: 'list-proposed', list: event.data };
    }
    case 'ListReturned': {
      const { list: _returned, ...rest } = state;
      return { ...rest, status: 'scoring', returnedLists: [...state.returnedLists, event.data] };
    }
    case 'BatchApproved': {
      const d = event.data;
      return { ...state, status: 'approved', approval: { listId: d.listId, by: d.by, approvedAt: d.approvedAt, approvedOn: d.approvedOn } };
    }
  }
}

export function foldPanel(events: readonly PanelEvent[], from = initialPanelState()): PanelState {
  return events.reduce(evolvePanel, from);
}
