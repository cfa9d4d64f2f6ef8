import { sql, type Kysely } from 'kysely';

/**
 * An award's payment recorded by an official (登记拨付, since PAYOUTS_RECORDED_PATCH) is one money
 * movement of one bank transfer, as a loan's disbursement or repayment is: its bank reference joins
 * the references `money_references` holds (migration 2026-12-05T14-00), under the same folded key.
 * A reference a loan holds is refused to a payout, and the other way round, in the appending
 * transaction (SQLSTATE YC432, at the field `bankReference`).
 *
 * The function is replaced to read an application case's `payouts` (only those with a
 * `bankReference`: the calendar issued payments before, with none), the triggers to fire on
 * application cases too, and `kind` takes 'payout'. Payments recorded before (none, unless the
 * migration went down and up again) are entered, the first case keeping a key two recorded.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE money_references DROP CONSTRAINT money_references_kind_check`.execute(db);
  await sql`ALTER TABLE money_references ADD CONSTRAINT money_references_kind_check CHECK (kind IN ('disbursement', 'repayment', 'payout'))`.execute(db);
  await sql`
    CREATE OR REPLACE FUNCTION hold_money_references() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      r record;
      v_key text;
      v_held record;
    BEGIN
      -- Only the references this write adds: a repayment or a payout recorded adds one, anything else none.
      FOR r IN
        SELECT 'disbursement' AS kind, NEW.state -> 'disbursement' ->> 'bankReference' AS reference
        UNION ALL
        SELECT 'repayment', x ->> 'reference' FROM jsonb_array_elements(coalesce(NEW.state -> 'repayments', '[]'::jsonb)) AS x
        UNION ALL
        SELECT 'payout', p ->> 'bankReference' FROM jsonb_array_elements(coalesce(NEW.state -> 'payouts', '[]'::jsonb)) AS p
        EXCEPT
        SELECT 'disbursement', OLD.state -> 'disbursement' ->> 'bankReference'
        EXCEPT
        SELECT 'repayment', y ->> 'reference' FROM jsonb_array_elements(coalesce(OLD.state -> 'repayments', '[]'::jsonb)) AS y
        EXCEPT
        SELECT 'payout', q ->> 'bankReference' FROM jsonb_array_elements(coalesce(OLD.state -> 'payouts', '[]'::jsonb)) AS q
      LOOP
        CONTINUE WHEN r.reference IS NULL;
        v_key := money_reference_key(r.reference);
        INSERT INTO money_references (reference_key, case_id, kind, reference) VALUES (v_key, NEW.case_id, r.kind, r.reference)
        ON CONFLICT (reference_key) DO NOTHING;
        CONTINUE WHEN FOUND;
        SELECT m.case_id, m.kind, m.reference, c.reference_no INTO v_held
          FROM money_references m LEFT JOIN cases c ON c.case_id = m.case_id WHERE m.reference_key = v_key;
        -- This case's own (its repeat, or a pair it recorded before this table): not another case's.
        CONTINUE WHEN v_held.case_id = NEW.case_id;
        RAISE EXCEPTION USING ERRCODE = 'YC432', MESSAGE = 'the bank reference is recorded on another case',
          DETAIL = jsonb_build_object('referenceNo', v_held.reference_no, 'kind', v_held.kind, 'reference', v_held.reference, 'typed', r.reference,
                                      'field', CASE r.kind WHEN 'repayment' THEN 'reference' ELSE 'bankReference' END)::text;
      END LOOP;
      RETURN NULL;
    END $$`.execute(db);
  await sql`DROP TRIGGER cases_money_references_changed ON cases`.execute(db);
  await sql`DROP TRIGGER cases_money_references_added ON cases`.execute(db);
  await sql`
    CREATE TRIGGER cases_money_references_added AFTER INSERT ON cases FOR EACH ROW
    WHEN (NEW.case_type IN ('chuying-loan', 'application')) EXECUTE FUNCTION hold_money_references()`.execute(db);
  await sql`
    CREATE TRIGGER cases_money_references_changed AFTER UPDATE ON cases FOR EACH ROW
    WHEN (NEW.case_type IN ('chuying-loan', 'application') AND (NEW.state -> 'repayments' IS DISTINCT FROM OLD.state -> 'repayments' OR NEW.state -> 'disbursement' IS DISTINCT FROM OLD.state -> 'disbursement' OR NEW.state -> 'payouts' IS DISTINCT FROM OLD.state -> 'payouts'))
    EXECUTE FUNCTION hold_money_references()`.execute(db);
  await sql`
    INSERT INTO money_references (reference_key, case_id, kind, reference)
    SELECT DISTINCT ON (money_reference_key(p ->> 'bankReference')) money_reference_key(p ->> 'bankReference'), c.case_id, 'payout', p ->> 'bankReference'
      FROM cases c, jsonb_array_elements(coalesce(c.state -> 'payouts', '[]'::jsonb)) AS p
     WHERE c.case_type = 'application' AND p ->> 'bankReference' IS NOT NULL
     ORDER BY money_reference_key(p ->> 'bankReference'), c.opened_at
    ON CONFLICT (reference_key) DO NOTHING`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TRIGGER cases_money_references_changed ON cases`.execute(db);
  await sql`DROP TRIGGER cases_money_references_added ON cases`.execute(db);
  await sql`DELETE FROM money_references WHERE kind = 'payout'`.execute(db);
  await sql`ALTER TABLE money_references DROP CONSTRAINT money_references_kind_check`.execute(db);
  await sql`ALTER TABLE money_references ADD CONSTRAINT money_references_kind_check CHECK (kind IN ('disbursement', 'repayment'))`.execute(db);
  await sql`
    CREATE TRIGGER cases_money_references_added AFTER INSERT ON cases FOR EACH ROW
    WHEN (NEW.case_type = 'chuying-loan') EXECUTE FUNCTION hold_money_references()`.execute(db);
  await sql`
    CREATE TRIGGER cases_money_references_changed AFTER UPDATE ON cases FOR EACH ROW
    WHEN (NEW.case_type = 'chuying-loan' AND (NEW.state -> 'repayments' IS DISTINCT FROM OLD.state -> 'repayments' OR NEW.state -> 'disbursement' IS DISTINCT FROM OLD.state -> 'disbursement'))
    EXECUTE FUNCTION hold_money_references()`.execute(db);
}
