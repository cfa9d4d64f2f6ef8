import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** Read model: one row per case, rebuilt from its events in the transaction that appends them. */
export interface CasesTable {
  case_id: string;
  reference_no: string;
  case_type: string;
  applicant_account_id: string;
  applicant_name: string;
  status: string;
  status_label: string;
  waiting_for_role: string | null;
  waiting_for_department: string | null;
  requested_fen: number;
  approved_fen: number | null;
  outstanding_fen: number;
  next_deadline_at: Date | null;
  version: number;
  opened_at: Date;
  updated_at: Date;
  state: JSONColumnType<Record<string, unknown>>;
  /** Programme applications: the measure of the catalogue the case is under. */
  programme_id: string | null;
  /** Higher comes first in a department's queue (1 for 盾牌行动 complaints). */
  priority: Generated<number>;
  /** Programme applications: the Shanghai date of the decision. */
  decided_on: string | null;
  /** What people see of the case, as its module's read model declares it (cases/case-module.ts `readModel`); null for types projected before issue 11. */
  details: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  /** The case this one was opened against (a recovery against an award). */
  source_case_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The department that acts on the case, where its module names one. */
  department: ColumnType<string | null, string | null | undefined, string | null>;
  /** The departments whose officials see the case (the one that acts, and 网信 where it reviews the content): the access rule reads this. */
  departments: ColumnType<string[], string[] | undefined, string[]>;
}

export interface LoanInstalmentsTable {
  case_id: string;
  number: number;
  due_on: string;
  amount_fen: number;
  paid_fen: number;
  status: string;
  provisional: boolean;
}

export interface CaseReferenceCounter {
  id: Generated<number>;
}
