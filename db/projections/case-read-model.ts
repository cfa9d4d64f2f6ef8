import type { Transaction } from 'kysely';
import type { Database } from '../database.js';
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
