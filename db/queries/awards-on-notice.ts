import { sql, type RawBuilder } from 'kysely';
import type { PublicEntry } from '../../domain/publicity/state.js';
import { caseIdFromText } from './case-id-text.js';

export interface OnNoticeRow {
  case_id: string;
  reference_no: string;
  entry: PublicEntry;
  /** The call (申报批次) the award was made in, and the department that runs it: a 公示 is of a call's list, by its office. */
  call_id: string | null;
  call_title: string | null;
  department: string | null;
}

/**
 * The awards on notice now (公示中 or 异议处理中), in the order the public list shows them, or the one
 * case's award that has been on 公示 (ended or not) when `caseId` is given.
 *
 * The list is read by `cases_on_notice_idx` (migration 2026-12-07T01-10), which holds only the
 * applications on notice, in this order: the public page reads those, not every case's `details`.
 * The statuses are written into the SQL, not bound: a plan made before the values are known (a
 * prepared statement's generic plan) could not otherwise tell that the index's predicate holds.
 */
export function awardsOnNotice(caseId?: string): RawBuilder<OnNoticeRow> {
  return sql<OnNoticeRow>`
    SELECT case_id::text AS case_id, reference_no, details->'publicEntry' AS entry,
           details->'call'->>'callId' AS call_id, details->'call'->>'title' AS call_title, department
    FROM cases
    WHERE case_type = 'application'
      AND jsonb_typeof(details->'publicEntry') = 'object'
      ${caseId === undefined ? sql`AND details->'publicEntry'->>'status' IN ('in-publicity', 'objection-pending')` : sql`AND case_id = ${caseIdFromText(sql.val(caseId))}`}
    ORDER BY details->'publicEntry'->>'publishedOn', reference_no`;
}
