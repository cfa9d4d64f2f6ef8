import type { Fen } from '../money/fen.js';
import type { Criterion, CriterionScore } from '../panels/events.js';
import type { ExtendTimeLimitCommand } from '../time-limits/step-time-limit.js';
import type { CallMode } from './events.js';

/** What a programme office asks to open a call with; instants as epoch milliseconds. */
export interface OpenCall {
  type: 'OpenCall';
  callId: string;
  referenceNo: string;
  programmeId: string;
  catalogueVersion: string;
  title: string;
  opensAt: number;
  closesAt: number;
  budgetFen: Fen;
  quota?: number;
  mode: CallMode;
  publicityWorkingDays?: number;
}

export type CallCommand =
  | { type: 'ApproveCallBudget' }
  | { type: 'ChangeCall'; title?: string; opensAt?: number; closesAt?: number; budgetFen?: Fen; quota?: number | null }
  | { type: 'CloseCall'; reason: string }
  | ExtendTimeLimitCommand
  | CallPanelCommand;

/**
 * The panel's commands as taken on a call: what the call itself knows (its id, department, quota,
 * the budget remaining in its ledger) and what is looked up (the members' accounts, the application
 * touched for the first time) are filled in before the panel rules decide (domain/panels/).
 */
export type CallPanelCommand =
  | { type: 'NamePanel'; memberAccountIds: string[]; criteria: Criterion[]; minScorers?: number }
  | { type: 'AddPanelMember'; accountId: string }
  | { type: 'DeclareNoConflict'; caseId: string }
  | { type: 'DeclareConflict'; caseId: string; reason: string }
  | { type: 'SubmitScore'; caseId: string; scores: CriterionScore[] }
  | { type: 'ProposeList' }
  | { type: 'ReturnList'; reasons: string[] }
  | { type: 'ApproveBatch' };

export type CallPanelCommandType = CallPanelCommand['type'];

export type CallCommandType = CallCommand['type'];
