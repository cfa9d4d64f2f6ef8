import { sql } from 'kysely';
import { looseReferenceKey, referenceUsedRefusal, type MoneyReferenceHeld } from '../domain/chuying/money.js';
import type { DomainError } from '../domain/errors.js';
import type { Db } from './client.js';

/**
 * The case, other than `caseId`, on which a bank reference is already recorded — a 雏鹰 loan's
 * disbursement or repayment, or an award's payment an official recorded (登记拨付) — compared as domain/chuying/money.ts looseReferenceKey compares them:
 * width and letter case folded, spaces, hyphens, dashes and the other separators dropped. Null when
 * none: the reference is this transaction's own.
 */
export async function moneyReferenceElsewhere(db: Db, input: { caseId: string; reference: string }): Promise<MoneyReferenceHeld | null> {
  const key = looseReferenceKey(input.reference);
  // money_reference_key: the SQL twin of looseReferenceKey (migration 2026-12-05T14-00).
  const fold = (ref: ReturnType<typeof sql>) => sql`money_reference_key(${ref})`;
  const { rows } = await sql<{ case_id: string; reference_no: string; kind: 'disbursement' | 'repayment' | 'payout'; reference: string }>`
    SELECT c.case_id, c.reference_no, refs.kind, refs.reference
      FROM cases c,
           LATERAL (SELECT 'disbursement' AS kind, c.state->'disbursement'->>'bankReference' AS reference
                    UNION ALL
                    SELECT 'repayment', r->>'reference' FROM jsonb_array_elements(coalesce(c.state->'repayments', '[]'::jsonb)) AS r
                    UNION ALL
                    -- An award's payments: only those an official recorded carry a reference (migration 2026-12-06T16-10).
                    SELECT 'payout', p->>'bankReference' FROM jsonb_array_elements(coalesce(c.state->'payouts', '[]'::jsonb)) AS p) AS refs
     WHERE c.case_type IN ('chuying-loan', 'application')
       AND c.case_id <> ${input.caseId}
       AND refs.reference IS NOT NULL
       AND ${fold(sql.ref('refs.reference'))} = ${key}
     ORDER BY c.opened_at
     LIMIT 1`.execute(db);
  const row = rows[0];
  return row ? { caseId: row.case_id, referenceNo: row.reference_no, kind: row.kind, reference: row.reference } : null;
}

/** The SQLSTATE of a reference entered for a loan while another loan holds it (migration 2026-12-05T14-00). */
const REFERENCE_HELD = 'YC432';

/**
 * The refusal of a disbursement, repayment or payout whose reference another case recorded in the moment
 * since the look-up above: the same 409 the look-up gives, at the same field.
 */
export function moneyReferenceRefusalOf(error: unknown): DomainError | undefined {
  const { code, detail } = error as { code?: string; detail?: string };
  if (code !== REFERENCE_HELD || !detail) return undefined;
  const d = JSON.parse(detail) as { referenceNo: string | null; kind: 'disbursement' | 'repayment' | 'payout'; reference: string; typed: string; field: 'bankReference' | 'reference' };
  // Always another loan's (the trigger lets a loan's own references be), which the trigger names by its number only.
  return referenceUsedRefusal(d.typed, d.field, { caseId: '', referenceNo: d.referenceNo ?? '', kind: d.kind, reference: d.reference });
}
