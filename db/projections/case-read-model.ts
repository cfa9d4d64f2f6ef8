import type { Transaction } from 'kysely';
import type { Database } from '../database.js';
import type { CaseReadModel as ModuleReadModel } from '../../cases/case-module.js';
import type { ReadModelWrite } from '../event-store.js';

/**
 * What a case projection folds from: the `cases` row's folded state and its opening time. The
 * append path remembers the state it has just folded instead of reading it back; the two fold
 * alike because a state holds JSON values only (the events' data; the folds make no Dates).
 */
export interface CaseReadModel<S> {
  state: S;
  openedAt: Date | string;
}

/** The case row a projection folds new events into; undefined for a case not projected yet. */
export async function loadCaseReadModel<S>(trx: Transaction<Database>, caseId: string): Promise<CaseReadModel<S> | undefined> {
  const row = await trx.selectFrom('cases').select(['state', 'opened_at']).where('case_id', '=', caseId).executeTakeFirst();
  return row ? { state: row.state as unknown as S, openedAt: row.opened_at } : undefined;
}

/** An upsert of the case row, keyed by case_id. */
export function upsertCase(row: Record<string, unknown>): ReadModelWrite {
  return { op: 'upsert', table: 'cases', key: ['case_id'], rows: [row] };
}

/**
 * The `cases` row of a case, from its module's read model (cases/case-module.ts `readModel`) and
 * what the projection knows beside it: every case projection writes the same columns this way.
 */
export function caseRowOf(
  model: ModuleReadModel,
  row: { caseId: string; caseType: string; version: number; state: unknown; openedAt: Date | string; updatedAt: Date | string; priority: number },
) {
  return {
    case_id: row.caseId,
    reference_no: model.referenceNo,
    case_type: row.caseType,
    applicant_account_id: model.applicantAccountId,
    applicant_name: model.applicantName,
    status: model.status,
    status_label: model.statusLabel,
    waiting_for_role: model.waitingFor?.role ?? null,
    waiting_for_department: model.waitingFor?.department ?? null,
    requested_fen: model.requestedFen,
    approved_fen: model.approvedFen,
    outstanding_fen: model.outstandingFen,
    next_deadline_at: model.nextDeadlineAt === null ? null : new Date(model.nextDeadlineAt),
    version: row.version,
    opened_at: row.openedAt,
    updated_at: row.updatedAt,
    // For the next fold and the auditor's as-of view; no view reads it.
    state: row.state,
    programme_id: model.programmeId,
    priority: row.priority,
    decided_on: model.decidedOn,
    details: model.details,
    source_case_id: model.sourceCaseId,
    department: model.department,
    departments: model.departments,
  };
}
