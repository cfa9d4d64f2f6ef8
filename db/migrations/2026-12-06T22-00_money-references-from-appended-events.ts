import { sql, type Kysely } from 'kysely';
import { up as payoutReferencesHeldOnce } from './2026-12-06T16-10_payout-references-held-once.js';

/**
 * The bank references a case row gains are read from the events the write folds in, not from the
 * whole state (issue 17: projections touch only what changed).
 *
 * The trigger before this one (2026-12-06T16-10) fired on every change to a loan's `repayments`,
 * `disbursement` or an award's `payouts`, unpacked the old and the new state each time and set every
 * reference the new one holds against every one the old held: a loan's 36th repayment went through
 * all 36, and their states were decompressed six times over. In the single-event append benchmark
 * (44 events a loan, 8 writers) dropping that trigger saved 440–530 µs of PostgreSQL CPU an event,
 * about a fifth of it.
 *
 * A case's references come from three events only, each adding one: `LoanDisbursed` (its
 * `bankReference`), `RepaymentRecorded` (its `reference`) and an award's `PayoutRecorded` (its
 * `bankReference`). The row's `version` is its stream's: a write from version v to w folds in the
 * stream's events v+1 … w, which the append inserted before it writes the row (append_events, and
 * appendToStream's projection after its insert). So the trigger now fires only when the version
 * moves, reads those events by their unique (stream_id, stream_version) index, and holds each
 * reference they add exactly as before: entered under its folded key, the case's own again let be,
 * another case's refused with SQLSTATE YC432 and the same DETAIL.
 *
 * The function and trigger names stay, so the migrations before this one go down and up as they did.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION hold_money_references() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      r record;
      v_key text;
      v_held record;
      -- A new row folds the stream from its start.
      v_from integer := CASE WHEN TG_OP = 'UPDATE' THEN OLD.version ELSE 0 END;
    BEGIN
      FOR r IN
        SELECT CASE e.event_type WHEN 'LoanDisbursed' THEN 'disbursement' WHEN 'RepaymentRecorded' THEN 'repayment' ELSE 'payout' END AS kind,
               CASE e.event_type WHEN 'RepaymentRecorded' THEN e.payload ->> 'reference' ELSE e.payload ->> 'bankReference' END AS reference
          FROM events e
         WHERE e.stream_id = NEW.case_id::text
           AND e.stream_version > v_from AND e.stream_version <= NEW.version
           AND e.event_type IN ('LoanDisbursed', 'RepaymentRecorded', 'PayoutRecorded')
         ORDER BY e.stream_version
      LOOP
        CONTINUE WHEN r.reference IS NULL;
        v_key := money_reference_key(r.reference);
        INSERT INTO money_references (reference_key, case_id, kind, reference) VALUES (v_key, NEW.case_id, r.kind, r.reference)
        ON CONFLICT (reference_key) DO NOTHING;
        CONTINUE WHEN FOUND;
        SELECT m.case_id, m.kind, m.reference, c.reference_no INTO v_held
          FROM money_references m LEFT JOIN cases c ON c.case_id = m.case_id WHERE m.reference_key = v_key;
        -- This case's own (its repeat, or a pair it recorded before the table): not another case's.
        CONTINUE WHEN v_held.case_id = NEW.case_id;
        RAISE EXCEPTION USING ERRCODE = 'YC432', MESSAGE = 'the bank reference is recorded on another case',
          DETAIL = jsonb_build_object('referenceNo', v_held.reference_no, 'kind', v_held.kind, 'reference', v_held.reference, 'typed', r.reference,
                                      'field', CASE r.kind WHEN 'repayment' THEN 'reference' ELSE 'bankReference' END)::text;
      END LOOP;
      RETURN NULL;
    END $$`.execute(db);
  await sql`DROP TRIGGER cases_money_references_changed ON cases`.execute(db);
  await sql`
    CREATE TRIGGER cases_money_references_changed AFTER UPDATE ON cases FOR EACH ROW
    WHEN (NEW.case_type IN ('chuying-loan', 'application') AND NEW.version IS DISTINCT FROM OLD.version)
    EXECUTE FUNCTION hold_money_references()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // 2026-12-06T16-10 again: its function, and both triggers dropped and made as it made them; its
  // constraint is re-made as it was and its backfill enters nothing the table does not hold.
  await payoutReferencesHeldOnce(db);
}
