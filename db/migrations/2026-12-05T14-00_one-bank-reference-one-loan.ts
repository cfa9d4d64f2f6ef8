import { sql, type Kysely } from 'kysely';

/**
 * One bank transaction is one money movement of the fund, across loans too, held by the database.
 *
 * A disbursement or repayment looks its reference up across loans before it is decided
 * (db/money-references.ts), but two loans recording one reference at the same moment both passed
 * that look-up: an outside tester sent 20 repayments under one new reference split over two loans,
 * and both loans recorded it, three times in three. Now every reference a loan's row gains is
 * entered in `money_references` under its folded key in the appending transaction; a key already
 * held by another loan is refused (SQLSTATE YC432, DETAIL {referenceNo, kind, reference, typed,
 * field}), which db/money-references.ts turns into the 409 bank-reference-used the look-up gives,
 * and the append rolls back. The second of two at once waits on the first's key and is refused.
 *
 * The key (`money_reference_key`, the SQL twin of domain/chuying/money.ts looseReferenceKey) folds
 * width (NFKC), drops spaces, hyphens, dashes and the other separators a reference is typed with or
 * without, and folds letter case. Loans recorded before keep what they hold: the backfill enters each
 * key for the loan that recorded it first and skips a later duplicate.
 *
 * A table of its own and a trigger, as the call-intake fence: no event records it, so the auditors'
 * rebuild (which compares read-model tables, in copies without triggers) neither sees nor needs it.
 */
// The separators a reference is typed with or without (spaces, hyphens and dashes, CJK punctuation,
// ( ) # . / : _ ~), as domain/chuying/money.ts SEPARATORS: a frozen copy.
const SEPARATORS = '[\\s\\u00B7\\u2010-\\u2015\\u2018\\u2019\\u201C\\u201D\\u2026\\u2212\\u3000-\\u3004\\u3008-\\u303F\\uFE58\\uFE63()#./:_~-]+';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE money_references (
      reference_key text PRIMARY KEY,
      case_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('disbursement', 'repayment')),
      reference text NOT NULL
    )`.execute(db);
  await sql`
    CREATE FUNCTION money_reference_key(p_reference text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT upper(regexp_replace(normalize(p_reference, NFKC), ${sql.lit(SEPARATORS)}, '', 'g')) $$`.execute(db);
  await sql`
    CREATE FUNCTION hold_money_references() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      r record;
      v_key text;
      v_held record;
    BEGIN
      -- Only the references this write adds: a repayment recorded adds one, anything else none.
      FOR r IN
        SELECT 'disbursement' AS kind, NEW.state -> 'disbursement' ->> 'bankReference' AS reference
        UNION ALL
        SELECT 'repayment', x ->> 'reference' FROM jsonb_array_elements(coalesce(NEW.state -> 'repayments', '[]'::jsonb)) AS x
        EXCEPT
        SELECT 'disbursement', OLD.state -> 'disbursement' ->> 'bankReference'
        EXCEPT
        SELECT 'repayment', y ->> 'reference' FROM jsonb_array_elements(coalesce(OLD.state -> 'repayments', '[]'::jsonb)) AS y
      LOOP
        CONTINUE WHEN r.reference IS NULL;
        v_key := money_reference_key(r.reference);
        INSERT INTO money_references (reference_key, case_id, kind, reference) VALUES (v_key, NEW.case_id, r.kind, r.reference)
        ON CONFLICT (reference_key) DO NOTHING;
        CONTINUE WHEN FOUND;
        SELECT m.case_id, m.kind, m.reference, c.reference_no INTO v_held
          FROM money_references m LEFT JOIN cases c ON c.case_id = m.case_id WHERE m.reference_key = v_key;
        -- This loan's own (its repeat, or a pair it recorded before this table): not another loan's.
        CONTINUE WHEN v_held.case_id = NEW.case_id;
        RAISE EXCEPTION USING ERRCODE = 'YC432', MESSAGE = 'the bank reference is recorded on another loan',
          DETAIL = jsonb_build_object('referenceNo', v_held.reference_no, 'kind', v_held.kind, 'reference', v_held.reference, 'typed', r.reference,
                                      'field', CASE r.kind WHEN 'disbursement' THEN 'bankReference' ELSE 'reference' END)::text;
      END LOOP;
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER cases_money_references_added AFTER INSERT ON cases FOR EACH ROW
    WHEN (NEW.case_type = 'chuying-loan') EXECUTE FUNCTION hold_money_references()`.execute(db);
  await sql`
    CREATE TRIGGER cases_money_references_changed AFTER UPDATE ON cases FOR EACH ROW
    WHEN (NEW.case_type = 'chuying-loan' AND (NEW.state -> 'repayments' IS DISTINCT FROM OLD.state -> 'repayments' OR NEW.state -> 'disbursement' IS DISTINCT FROM OLD.state -> 'disbursement'))
    EXECUTE FUNCTION hold_money_references()`.execute(db);
  await sql`
    INSERT INTO money_references (reference_key, case_id, kind, reference)
    SELECT DISTINCT ON (money_reference_key(refs.reference)) money_reference_key(refs.reference), c.case_id, refs.kind, refs.reference
      FROM cases c,
           LATERAL (SELECT 'disbursement' AS kind, c.state -> 'disbursement' ->> 'bankReference' AS reference, 0 AS at
                    UNION ALL
                    SELECT 'repayment', r ->> 'reference', (r ->> 'version')::int FROM jsonb_array_elements(coalesce(c.state -> 'repayments', '[]'::jsonb)) AS r) AS refs
     WHERE c.case_type = 'chuying-loan' AND refs.reference IS NOT NULL
     ORDER BY money_reference_key(refs.reference), c.opened_at, refs.at`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER cases_money_references_changed ON cases`.execute(db);
  await sql`DROP TRIGGER cases_money_references_added ON cases`.execute(db);
  await sql`DROP FUNCTION hold_money_references()`.execute(db);
  await sql`DROP TABLE money_references`.execute(db);
  await sql`DROP FUNCTION money_reference_key(text)`.execute(db);
}
