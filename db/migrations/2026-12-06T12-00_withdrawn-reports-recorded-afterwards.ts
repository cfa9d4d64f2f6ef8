import { sql, type Kysely } from 'kysely';

/**
 * A repayment report the borrower withdrew, whose transfer the fund then recorded under the same
 * reference, read 已撤回 on the case page for good: the report was right, and now reads 已核对入账 with
 * its withdrawal kept, as a returned one recorded afterwards already did (cases/chuying-loan.case.ts
 * `declarationsOf`). Rows projected before are given it here, from the repayments in the stored
 * state, so that the auditors' rebuild finds no difference on a deployment that upgrades. The
 * reference is compared as `sameReference` compares it (width, spaces and letter case folded); a
 * report made again since under the same reference is the one the recording answers.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases c
       SET details = jsonb_set(c.details, '{repaymentDeclarations}', (
             SELECT jsonb_agg(CASE WHEN r.repayment IS NULL THEN d
                                   ELSE d || jsonb_build_object('status', 'confirmed', 'confirmed', jsonb_build_object(
                                          'amountFen', r.repayment->'amountFen', 'paidOn', r.repayment->'paidOn', 'recordedAt', r.repayment->'recordedAt')) END
                              ORDER BY at)
               FROM jsonb_array_elements(c.details->'repaymentDeclarations') WITH ORDINALITY AS declared(d, at)
               LEFT JOIN LATERAL (
                 SELECT p AS repayment
                   FROM jsonb_array_elements(coalesce(c.state->'repayments', '[]'::jsonb)) AS recorded(p)
                  WHERE d->>'status' = 'withdrawn'
                    AND upper(regexp_replace(normalize(p->>'reference', NFKC), '\\s+', '', 'g')) = upper(regexp_replace(normalize(d->>'reference', NFKC), '\\s+', '', 'g'))
                    AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(c.details->'repaymentDeclarations') WITH ORDINALITY AS later(l, l_at)
                                     WHERE l_at > at
                                       AND upper(regexp_replace(normalize(l->>'reference', NFKC), '\\s+', '', 'g')) = upper(regexp_replace(normalize(d->>'reference', NFKC), '\\s+', '', 'g')))
                  LIMIT 1) r ON true))
     WHERE c.case_type = 'chuying-loan'
       AND jsonb_typeof(c.details->'repaymentDeclarations') = 'array'
       AND c.details->'repaymentDeclarations' @> '[{"status": "withdrawn"}]'
       AND jsonb_typeof(c.state->'repayments') = 'array'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    UPDATE cases c
       SET details = jsonb_set(c.details, '{repaymentDeclarations}', (
             SELECT jsonb_agg(CASE WHEN d ? 'withdrawn' AND d->>'status' = 'confirmed' THEN d || '{"status": "withdrawn", "confirmed": null}'::jsonb ELSE d END ORDER BY at)
               FROM jsonb_array_elements(c.details->'repaymentDeclarations') WITH ORDINALITY AS declared(d, at)))
     WHERE c.case_type = 'chuying-loan'
       AND jsonb_typeof(c.details->'repaymentDeclarations') = 'array'`.execute(db);
}
