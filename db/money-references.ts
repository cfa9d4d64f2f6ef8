import { sql } from 'kysely';
import { referenceKey, type MoneyReferenceHeld } from '../domain/chuying/money.js';
import type { Db } from './client.js';

/**
 * The 雏鹰 loan, other than `caseId`, on which a bank reference is already recorded (as its
 * disbursement or a repayment), compared as domain/chuying/money.ts sameReference compares them:
 * width, spaces and letter case folded. Null when none: the reference is this transaction's own.
 */
export async function moneyReferenceElsewhere(db: Db, input: { caseId: string; reference: string }): Promise<MoneyReferenceHeld | null> {
  const key = referenceKey(input.reference);
  const fold = (ref: ReturnType<typeof sql>) => sql`upper(regexp_replace(normalize(${ref}, NFKC), '\\s+', '', 'g'))`;
  const { rows } = await sql<{ case_id: string; reference_no: string; kind: 'disbursement' | 'repayment' }>`
    SELECT c.case_id, c.reference_no, refs.kind
      FROM cases c,
           LATERAL (SELECT 'disbursement' AS kind, c.state->'disbursement'->>'bankReference' AS reference
                    UNION ALL
                    SELECT 'repayment', r->>'reference' FROM jsonb_array_elements(coalesce(c.state->'repayments', '[]'::jsonb)) AS r) AS refs
     WHERE c.case_type = 'chuying-loan'
       AND c.case_id <> ${input.caseId}
       AND refs.reference IS NOT NULL
       AND ${fold(sql.ref('refs.reference'))} = ${key}
     ORDER BY c.opened_at
     LIMIT 1`.execute(db);
  const row = rows[0];
  return row ? { caseId: row.case_id, referenceNo: row.reference_no, kind: row.kind } : null;
}
