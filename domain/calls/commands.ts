import type { Fen } from '../money/fen.js';
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
  | { type: 'CloseCall'; reason: string };

export type CallCommandType = CallCommand['type'];
