import type { Generated } from 'kysely';

/**
 * Calls (申报批次) and the 雏鹰 fund's revolving pool: the call's terms, written by the call
 * projection from its events, and its budget ledger, moved by the cases decided under it
 * (db/budget-ledger.ts). Money in fen (int8, parsed to numbers in db/client.ts).
 */
export interface CallsTable {
  call_id: string;
  programme_id: string;
  department: string | null;
  title: string;
  mode: 'competitive' | 'first-come';
  /** Null for the revolving pool, which has no dates. */
  opens_at: Date | null;
  closes_at: Date | null;
  quota: number | null;
  publicity_working_days: number | null;
  catalogue_version: string | null;
  /** The call's status (draft, approved, closed, ended); 'revolving' for the pool. */
  status: string;
  revolving: Generated<boolean>;
  budget_fen: Generated<number>;
  budget_approved: Generated<boolean>;
  /**
   * What approvals committed less what was released. In a revolving pool, what was repaid and can
   * be lent again is its commitments' `refilled_fen`; paid and recovered are the commitments' sums.
   */
  committed_fen: Generated<number>;
}

/** One commitment per case against one call: what a retried or repeated approval finds already there. */
export interface BudgetCommitmentsTable {
  case_id: string;
  call_id: string;
  committed_fen: number;
  paid_fen: Generated<number>;
  recovered_fen: Generated<number>;
  released_fen: Generated<number>;
  /** In a revolving pool: what came back and shrank this commitment (lendable again). */
  refilled_fen: Generated<number>;
}
